"""Gold sets as training data: the articles, their events, and where each event is told.

The gold gives no evidence spans, but its coders quote the Arabic words that tell an event in
the note («Coalition jets carried out air strikes ('قصف جوي'، 'غارات عنيفة') …»). Those quotes,
found in the normalized article text, tie a gold event to the trigger words that tell it: the
distant alignment the learned decisions are trained on (85% of train events carry one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType

from hadath.evaluation import gold_rows, load_scorer, scorer_beside
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
    for row in gold_rows(gold_dir):
        text = (gold_dir / row["text_file"]).read_text(encoding="utf-8")
        norm = normalize_ar(text).text
        events = [GoldEvent(e["id"], list(e["type"]), e.get("required", True), e.get("source") or [],
                            e.get("target") or [], locate(norm, e.get("note", "")))
                  for e in row.get("events", [])]
        articles.append(GoldArticle(row["id"], text, row.get("published"), events))
    return articles


@cache
def official_scorer(gold_dir: Path) -> ModuleType:
    """The official scorer beside a gold set (`../eval/score.py`), whose rules the labels follow."""
    return load_scorer(scorer_beside(gold_dir))


def actor_matches(scorer: ModuleType, name: str, country: str | None, sector: str | None, gold: dict) -> bool:
    """The scorer's relaxed actor match: the name, or the country and a sector the gold allows."""
    return scorer.actor_match({"name": name, "country": country, "sector": sector}, gold, True)
