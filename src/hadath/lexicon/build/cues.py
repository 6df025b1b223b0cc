"""Compile cues.yaml: function words and cue phrases keyed by normalized form."""

from __future__ import annotations

from hadath.lexicon.resources import source
from hadath.text.normalize import normalize_key


def _keys(words: list[str]) -> list[str]:
    return sorted({normalize_key(w) for w in words})


def build() -> dict:
    data = source("cues.yaml")
    table: dict = {}
    for name, value in data.items():
        if isinstance(value, list):
            table[name] = _keys(value)
        elif name == "casualties":
            table[name] = {kind: _keys(words) for kind, words in value.items()}
        else:  # mappings of cue → label; Latin keys (ISO codes) stay as written
            table[name] = {(normalize_key(k) if not k.isascii() else k): v for k, v in value.items()}
    return table
