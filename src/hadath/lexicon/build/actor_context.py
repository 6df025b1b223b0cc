"""Compile actor_context.yaml: entity id → {home country: entity id it becomes there}."""

from __future__ import annotations

from hadath.lexicon.resources import source


def build() -> dict:
    table: dict[str, dict[str, str]] = {}
    for rule in source("actor_context.yaml"):
        for iso3 in rule["home"]:
            table.setdefault(rule["entity"], {})[iso3] = rule["becomes"]
    return {"rules": table}
