"""Loading the shipped resources: compiled tables and reviewed source files."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def compiled(kind: str) -> dict[str, Any]:
    """The compiled table `resources/compiled/<kind>.json`, loaded once per process."""
    path = resources.files("hadath") / "resources" / "compiled" / f"{kind}.json"
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def compiled_model(name: str) -> dict[str, Any]:
    """A fitted model shipped as JSON: `resources/model/<name>.json`."""
    path = resources.files("hadath") / "resources" / "model" / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def source(name: str) -> Any:
    """A reviewed source file `resources/ar/<name>` (YAML), for builders and tests."""
    path = resources.files("hadath") / "resources" / "ar" / name
    return yaml.safe_load(path.read_text(encoding="utf-8"))
