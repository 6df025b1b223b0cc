"""Gold sets as training data: the articles, their events, and where each event is told.

The gold gives no evidence spans, but its coders quote the Arabic words that tell an event in
the note («Coalition jets carried out air strikes ('قصف جوي'، 'غارات عنيفة') …»). Those quotes,
found in the normalized article text, tie a gold event to the trigger words that tell it: the
distant alignment the learned decisions are trained on (85% of train events carry one).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from hadath.text.normalize import normalize_ar

_QUOTE = re.compile(r"'([^']*[\u0600-\u06ff][^']*)'")
_ELLIPSIS = re.compile(r"\.\.\.|…")


@dataclass(slots=True)
class GoldEvent:
    id: str
    types: list[str]
    required: bool
    source: list[dict]
    target: list[dict]
    spans: list[tuple[int, int]] = field(default_factory=list)  # normalized-text spans of its quotes


@dataclass(slots=True)
class GoldArticle:
    id: str
    text: str
    published: str | None
    events: list[GoldEvent]


def quotes_of(note: str) -> list[list[str]]:
    """The Arabic quotes of a note, each split at its ellipses: «'قضت ... ببراءة'» → [قضت, ببراءة]."""
    return [[p.strip() for p in _ELLIPSIS.split(q) if p.strip()] for q in _QUOTE.findall(note or "")]


def _find_all(text: str, part: str) -> list[tuple[int, int]]:
    out, k = [], text.find(part)
    while k >= 0 and part:
        out.append((k, k + len(part)))
        k = text.find(part, k + 1)
    return out


def locate(norm_text: str, note: str) -> list[tuple[int, int]]:
    """Every place in the normalized text where a quote of the note is written."""
    spans: list[tuple[int, int]] = []
    for parts in quotes_of(note):
        for part in parts:
            spans.extend(_find_all(norm_text, " ".join(normalize_ar(part).text.split())))
    return sorted(set(spans))


def load_gold(gold_dir: Path) -> list[GoldArticle]:
    articles = []
    for line in (gold_dir / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        text = (gold_dir / row["text_file"]).read_text(encoding="utf-8")
        norm = normalize_ar(text).text
        events = [GoldEvent(e["id"], list(e["type"]), e.get("required", True), e.get("source") or [],
                            e.get("target") or [], locate(norm, e.get("note", "")))
                  for e in row.get("events", [])]
        articles.append(GoldArticle(row["id"], text, row.get("published"), events))
    return articles


def fold(name: str | None) -> str:
    """Names compared as the official scorer compares them: ascii, lower case, punctuation folded."""
    import unicodedata

    if not name:
        return ""
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


def actor_matches(name: str, country: str | None, sector: str | None, gold: dict) -> bool:
    """The scorer's relaxed actor match: the name, or the country and a sector the gold allows."""
    if fold(name) in {fold(n) for n in gold.get("names", [])}:
        return True
    if not gold.get("country") or (country or "").upper() != gold["country"].upper():
        return False
    sectors = gold.get("sector")
    return not sectors or (sector or "").upper() in {s.upper() for s in sectors}


def side_checked(golds: list[dict]) -> bool:
    """Does the scorer check this side? Not when empty or only unnamed actors («gunmen»)."""
    return bool(golds) and not all(g.get("unnamed") for g in golds)
