"""Sentences and tokens over normalized text, each with its character offsets.

Tokens are runs of letters and digits of the normalized text; a number keeps
its inner separators ("1,200", "2.5"). Sentences end at a line break (headlines
carry no full stop), or at . ! ? ؟ followed by a space, unless that stop sits
inside an open quotation or ends a one-letter abbreviation such as «د.».
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+", re.UNICODE)
_STOP_RE = re.compile(r"\n+|[.!?؟]+(?=[\s\"')\]]|$)")


class Token(NamedTuple):  # a tuple: an article has thousands, and a tuple is made several times faster
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    first_token: int  # index into the document's token list
    last_token: int  # exclusive


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


def split_sentences(text: str, clauses: bool = True) -> list[tuple[int, int]]:
    """Half-open spans of sentences, stripped of surrounding space.

    With `clauses`, a run-on sentence is also cut where a comma is followed by a clause
    connector («…، بينما قصف الطيران …»): news wires chain a dozen reports that way, and each
    needs its own place, date and actors."""
    spans: list[tuple[int, int]] = []
    begin = 0
    for m in _STOP_RE.finditer(text):
        if m.group()[0] != "\n":
            if _inside_quote(text, begin, m.start()) or _after_abbreviation(text, m.start()):
                continue
        end = m.end() if m.group()[0] != "\n" else m.start()
        _add(text, begin, end, spans)
        begin = m.end()
    _add(text, begin, len(text), spans)
    if clauses:
        spans = [part for span in spans for part in _split_clauses(text, *span)]
    return spans


def _split_clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pattern = _clause_re()
    parts: list[tuple[int, int]] = []
    begin = start
    for m in pattern.finditer(text, start, end):
        _add(text, begin, m.start() + 1, parts)  # the comma stays with the clause it ends
        begin = m.start() + 1
    _add(text, begin, end, parts)
    return parts


@cache
def _clause_re() -> re.Pattern[str]:
    from hadath.lexicon.resources import compiled

    words = sorted(compiled("cues")["clause_connectors"], key=len, reverse=True)
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"[،,;؛]\s*(?:و)?(?:{alternatives})(?=\s)")


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and any(ch.isalnum() for ch in text[start:end]):
        spans.append((start, end))


def _inside_quote(text: str, start: int, stop: int) -> bool:
    # normalized text has only ASCII double quotes; an odd count means one is open
    return text.count('"', start, stop) % 2 == 1


def _after_abbreviation(text: str, stop: int) -> bool:
    # «د.» «م.» «أ.»: a single letter before the stop, preceded by a space or the start
    return stop >= 1 and text[stop - 1].isalpha() and (stop == 1 or not text[stop - 2].isalnum())


def segment(text: str) -> tuple[list[Token], list[Sentence]]:
    """Tokens of the whole text and sentences that index into them."""
    tokens = tokenize(text)
    sentences: list[Sentence] = []
    k = 0
    for start, end in split_sentences(text):
        while k < len(tokens) and tokens[k].start < start:
            k += 1
        first = k
        while k < len(tokens) and tokens[k].end <= end:
            k += 1
        if k > first:
            sentences.append(Sentence(start, end, first, k))
    return tokens, sentences
