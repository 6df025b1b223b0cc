"""What the full-text index sees: normalized Arabic words, their stems without proclitics, English labels.

The same `normalize_ar` folds the index and the query, so «الحكومة» finds
«والحكومة» and «الحُكُومَة»: the index holds every word as written (normalized)
plus what is left once its proclitics (و ف ب ل ك س, and the article ال) are
taken off. Each form is kept once per article: the index answers "which articles
contain these words", not phrases.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from hadath.lexicon.matcher import proclitic_readings
from hadath.text.normalize import normalize_ar

_WORD = re.compile(r"\w+")


@lru_cache(maxsize=500_000)  # news reuses its words: each is split once per process
def word_forms(word: str) -> tuple[str, ...]:
    """A normalized word and its stems: «والحكومه» → والحكومه, الحكومه, حكومه."""
    forms = []
    for stem, _clitic in proclitic_readings(word):
        forms.append(stem)
        if stem.startswith("ال") and len(stem) > 4:
            forms.append(stem[2:])
    return tuple(forms)


def search_text(body: str | None, title: str | None = None, labels: Iterable[str] = ()) -> str:
    seen: dict[str, None] = {}
    for part in (title, body):
        if not part:
            continue
        for m in _WORD.finditer(normalize_ar(part).text.lower()):
            for form in word_forms(m.group()):
                seen.setdefault(form, None)
    for label in labels:
        for m in _WORD.finditer(label.lower()):
            seen.setdefault(m.group(), None)
    return " ".join(seen)


def query_terms(q: str) -> list[str]:
    """The words of a free-text query, folded as the index is."""
    return [m.group() for m in _WORD.finditer(normalize_ar(q).text.lower())]


def fts5_query(terms: list[str]) -> str:
    """Every term must occur; each is quoted so no word is read as FTS5 syntax."""
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)
