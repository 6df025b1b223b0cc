"""Is this Arabic? A script count decides cheaply; langid names the language otherwise."""

from __future__ import annotations

import re

# runs of letters, counted by their lengths: one match a word rather than one a letter
_ARABIC_LETTERS = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff]+")
_LETTERS = re.compile(r"[^\W\d_]+")


def arabic_share(text: str, sample: int = 4000) -> float:
    head = text[:sample]
    letters = sum(map(len, _LETTERS.findall(head)))
    return sum(map(len, _ARABIC_LETTERS.findall(head))) / letters if letters else 0.0


def detect_language(text: str) -> str:
    """'ar' when most letters are Arabic script and it is not Persian or Urdu; else langid's code."""
    share = arabic_share(text)
    if share < 0.5:
        return _langid(text) if share < 0.5 else "ar"
    # Persian and Urdu use the Arabic script: langid tells them apart (only then is it worth its cost)
    if re.search(r"[پچژگ]", text[:4000]):
        return _langid(text)
    return "ar"


def _langid(text: str) -> str:
    import langid  # imported late: loading its model costs ~0.3 s

    lang, _ = langid.classify(text[:4000])
    return lang
