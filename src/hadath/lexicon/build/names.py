"""Compile names_en.yaml: English spellings of Arabic name words, keyed by normalized form."""

from __future__ import annotations

from hadath.lexicon.resources import source
from hadath.text.normalize import normalize_key


def build() -> dict:
    words = source("names_en.yaml")["words"]
    table: dict[str, str] = {}
    for arabic, english in words.items():
        key = normalize_key(arabic)
        if key in table and table[key] != english:
            raise ValueError(f"{arabic!r}: two spellings, {table[key]!r} and {english!r}")
        table[key] = english
    return {"words": dict(sorted(table.items()))}
