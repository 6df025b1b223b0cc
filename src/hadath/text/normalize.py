"""Arabic normalization that never loses the way back to the original text.

`normalize_ar` folds the spelling variants that Arabic news mixes freely
(diacritics, tatweel, alef/hamza seats, yeh/alef maqsura, teh marbuta,
Arabic-Indic and Persian digits, quote styles) so that lexicon look-ups see one
form. Every character of the result maps to a character of the input through
an `OffsetMap`, so evidence spans always point into the text as given.

Only two kinds of change are made: one character replaced by one character
(a fold) and a character deleted (diacritics, tatweel, invisible marks). That
keeps the map a list of deletion points and `to_raw` a binary search.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

# one-to-one folds
_FOLDS = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ى": "ي", "ی": "ي", "ې": "ي",
    "ة": "ه",
    "ک": "ك", "ڪ": "ك",
    "«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "″": '"', "‟": '"',
    "‘": "'", "’": "'", "‚": "'", "‛": "'",
    "٫": ".", "٬": ",", "،": "،",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200a": " ",
}
_FOLDS.update({chr(0x0660 + d): str(d) for d in range(10)})  # Arabic-Indic digits
_FOLDS.update({chr(0x06F0 + d): str(d) for d in range(10)})  # Persian digits

# deleted: harakat, tanwin, shadda, sukun, dagger alef, tatweel, Quranic marks,
# zero-width and bidi controls, BOM, soft hyphen
_DELETE = (
    "\u064b-\u065f\u0670\u0640\u06d6-\u06ed\u0610-\u061a"
    "\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u00ad"
)
_DELETE_RE = re.compile(f"[{_DELETE}]")
_TABLE = str.maketrans({**_FOLDS, **{chr(c): None for c in range(0x064B, 0x0660)}})
_TABLE.update({c: None for c in (0x0670, 0x0640, 0x00AD, 0xFEFF)})
_TABLE.update({c: None for r in ((0x06D6, 0x06EE), (0x0610, 0x061B), (0x200B, 0x2010),
                                 (0x202A, 0x202F), (0x2066, 0x206A)) for c in range(*r)})


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Maps offsets in normalized text back to the original.

    `deleted_before[k]` is the number of original characters deleted before the
    k-th entry of `norm_positions`; between entries the shift is constant.
    """

    norm_positions: tuple[int, ...]
    shifts: tuple[int, ...]

    def to_raw(self, norm_offset: int) -> int:
        k = bisect_right(self.norm_positions, norm_offset) - 1
        return norm_offset + (self.shifts[k] if k >= 0 else 0)

    def span_to_raw(self, start: int, end: int) -> tuple[int, int]:
        """A half-open normalized span as a half-open raw span."""
        if end <= start:
            raw = self.to_raw(start)
            return raw, raw
        return self.to_raw(start), self.to_raw(end - 1) + 1


IDENTITY = OffsetMap((), ())


@dataclass(frozen=True, slots=True)
class Normalized:
    raw: str
    text: str
    offsets: OffsetMap


def normalize_ar(raw: str) -> Normalized:
    """Fold Arabic spelling variants; keep an exact map back to `raw`."""
    text = _lower_same_length(raw.translate(_TABLE))
    if len(text) == len(raw):
        return Normalized(raw, text, IDENTITY)
    positions: list[int] = []
    shifts: list[int] = []
    deleted = 0
    for m in _DELETE_RE.finditer(raw):
        deleted += 1
        # the first kept character after this deletion sits at raw index m.end()
        norm_pos = m.end() - deleted
        if positions and positions[-1] == norm_pos:
            shifts[-1] = deleted
        else:
            positions.append(norm_pos)
            shifts.append(deleted)
    return Normalized(raw, text, OffsetMap(tuple(positions), tuple(shifts)))


def _lower_same_length(text: str) -> str:
    # a few characters (Turkish dotted I) grow when lowercased: keep those as they are
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)


def normalize_key(words: str) -> str:
    """The look-up key of a lexicon entry: normalized, single-spaced."""
    return " ".join(normalize_ar(words).text.split())
