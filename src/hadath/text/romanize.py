"""English spellings for Arabic names no lexicon lists.

The record names every actor in English. Persons and organisations that only the NER model
found have no Wikipedia title to give; they are spelled the way English-language news spells
Arabic names: known name words from `names_en.yaml` («صالح» Saleh, «عبدالباقي» Abdulbaqi),
the article as «al-», and the other words letter by letter, a long vowel where the script writes
one and a short «a» only where two consonants open a word («كرمان» Karman). Unvowelled Arabic
cannot be spelled exactly; the Arabic words stay in the actor's `text`.
"""

from __future__ import annotations

from functools import cache

from hadath.lexicon.resources import compiled
from hadath.text.normalize import normalize_key

_LETTERS = {
    "ا": "a", "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh",
    "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "'",
    "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "و": "w",
    "ي": "y", "ء": "'",
}
_VOWEL_LETTERS = {"ا", "و", "ي"}


@cache
def _known() -> dict[str, str]:
    return compiled("names")["words"]


def romanize_name(arabic: str) -> str:
    """«صالح الباروت» → «Saleh al-Barut»; «عبدالباقي المبارك» → «Abdulbaqi al-Mubarak»."""
    words = [w for w in normalize_key(arabic).split() if any(ch in _LETTERS for ch in w)]
    return " ".join(_word(w) for w in words)


def _word(word: str) -> str:
    known = _known()
    if word in known:
        return known[word]
    if word.startswith("ال") and len(word) > 3:
        rest = word[2:]
        return "al-" + (known.get(rest) or _spell(rest)).capitalize()
    if word.startswith("عبد") and len(word) > 4:
        rest = word[3:]
        rest = rest[2:] if rest.startswith("ال") else rest
        return "Abdul" + (known.get(rest) or _spell(rest)).lower()
    return _spell(word).capitalize()


def _spell(word: str) -> str:
    out: list[str] = []
    for i, ch in enumerate(word):
        if ch == "ه" and i == len(word) - 1 and i > 0:
            out.append("a")  # the folded ta marbuta: «فاطمه» Fatima
            continue
        if ch in ("و", "ي") and 0 < i < len(word) - 1 and word[i - 1] not in _VOWEL_LETTERS \
                and word[i + 1] not in _VOWEL_LETTERS:
            out.append("u" if ch == "و" else "i")  # a long vowel between consonants
            continue
        if ch == "ي" and i == len(word) - 1 and i > 0:
            out.append("i")  # the nisba «ي»: «الحسيني» al-Husaini
            continue
        out.append(_LETTERS.get(ch, ""))
        if i == 0 and len(word) > 2 and ch not in _VOWEL_LETTERS and word[1] not in _VOWEL_LETTERS \
                and ch != "ع":
            out.append("a")  # two consonants open the word: one short vowel between them
    return "".join(out).replace("''", "'").strip("'")
