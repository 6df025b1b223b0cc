"""Compile numbers.yaml: every written form of a number word, keyed by normalized form.

The YAML lists the parts; here the regular compounds are spelled out once
(teens, hundreds, ordinals, duals) so that the run-time matcher is a plain
dictionary look-up and a single regex alternation.
"""

from __future__ import annotations

from hadath.lexicon.resources import source
from hadath.text.normalize import normalize_key as nk


def _add(table: dict[str, list], key: str, value: int, kind: str) -> None:
    key = nk(key)
    old = table.get(key)
    if old is not None and old != [value, kind]:
        raise ValueError(f"number word {key!r} given twice: {old} and {[value, kind]}")
    table[key] = [value, kind]


def _cardinals(data: dict) -> dict[str, list]:
    """word -> [value, kind]; kind tells the compound parser how a word combines."""
    out: dict[str, list] = {}
    for word, value in data["units"].items():
        _add(out, word, value, "unit" if value < 10 else "teen")
    for word, value in data["teen_units"].items():
        for ten in data["teen_tens"]:
            _add(out, f"{word} {ten}", 10 + value, "teen")
    for word, value in data["tens"].items():
        _add(out, word, value, "tens")
    for word, value in data["hundreds"].items():
        _add(out, word, value, "hundred")
    for word, value in data["hundred_units"].items():
        for hundred in data["hundred_words"]:
            _add(out, f"{word}{hundred}", value * 100, "hundred")
            _add(out, f"{word} {hundred}", value * 100, "hundred")
    plural_scales = {nk(w) for w in data["vague_scales"]}
    for word, value in data["scales"].items():
        # a plural scale ("آلاف") needs a count before it; alone it is vague
        _add(out, word, value, "scale_plural" if nk(word) in plural_scales else "scale")
    for word, value in data["scale_duals"].items():
        _add(out, word, value, "scale_dual")
    return out


def _ordinals(data: dict) -> dict[str, int]:
    out: dict[str, int] = {}
    for word, value in data["ordinals"].items():
        out[nk("ال" + word)] = value
    for word, value in data["teen_ordinals"].items():
        for ten in data["teen_tens"]:
            out[nk(f"ال{word} {ten}")] = 10 + value
        for tens_word, tens in data["ordinal_tens"].items():
            out[nk(f"ال{word} وال{tens_word}")] = tens + value
    for tens_word, tens in data["ordinal_tens"].items():
        out[nk("ال" + tens_word)] = tens
    return dict(sorted(out.items()))


def _duals(data: dict) -> dict[str, str]:
    """dual form -> stem; the oblique ين form is left out for sound-plural nouns."""
    sound_plural = {nk(w) for w in data["sound_plural"]}
    out: dict[str, str] = {}
    for noun in data["dual_nouns"]:
        stem = nk(noun)
        base = stem[:-1] + "ت" if stem.endswith("ه") else stem
        endings = ("ان",) if stem in sound_plural else ("ان", "ين")
        for ending in endings:
            out[base + ending] = stem
    return dict(sorted(out.items()))


def _qualifiers(groups: dict[str, list[str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for qualifier, phrases in groups.items():
        for phrase in phrases:
            out[nk(phrase)] = qualifier
    return dict(sorted(out.items()))


def build() -> dict:
    data = source("numbers.yaml")
    return {
        "cardinals": dict(sorted(_cardinals(data).items())),
        "needs_context": sorted({nk(w) for w in data["needs_context"]}),
        "no_article": sorted({nk(w) for w in data["no_article"]}),
        "ordinals": _ordinals(data),
        "weak_ordinals": sorted({nk(w) for w in data["weak_ordinals"]}),
        "vague": {nk(k): v for k, v in sorted(data["vague"].items())},
        "vague_scales": {nk(k): v for k, v in sorted(data["vague_scales"].items())},
        "qualifiers_before": _qualifiers(data["qualifiers_before"]),
        "qualifiers_after": _qualifiers(data["qualifiers_after"]),
        "dual_forms": _duals(data),
    }
