"""Numbers in normalized Arabic text: digits, number words, ordinals, vague amounts.

Works on the `.text` of `normalize_ar` (alef forms folded, ة→ه, ى→ي, digits
ASCII); spans are offsets into that string. All words come from the compiled
`numbers` table (resources/ar/numbers.yaml).

Matching is two-step: one regex finds *atoms* (a digit group, a number word
with its proclitics, an ordinal, a vague word), then a small state machine
joins adjacent atoms into compounds ("مائة وخمسة وعشرين", "3 آلاف") and looks
for a qualifier ("أكثر من", "على الأقل") on either side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from hadath.lexicon.resources import compiled
from hadath.text.normalize import normalize_key


@dataclass(frozen=True, slots=True)
class NumberMention:
    start: int  # span in normalized text, qualifier words included
    end: int
    value: int
    qualifier: str  # "exact" | "at_least" | "at_most" | "approx"
    vague: bool  # عشرات، مئات، بضعة، عدد من …
    ordinal: bool  # الخامس، الخامسة، الـ53 …


def trie_pattern(words: list[str] | set[str]) -> str:
    """A regex alternation of `words` factored as a trie.

    Python's `re` tries alternatives one by one; with hundreds of words that
    is slow at every word start. Sharing prefixes makes each position cost a
    few character comparisons. Spaces in a word match any run of whitespace.
    Longer words win because the trie tries continuations before stopping.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends = "" in node
        branches = []
        for ch in sorted(k for k in node if k):
            piece = r"\s+" if ch == " " else re.escape(ch)
            branches.append(piece + emit(node[ch]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            body = "(?:" + body + ")?"
        return body

    return emit(trie)


# proclitics a number word may carry: و/ف, then ب/ك/ل, then the article;
# "لل" is ل + ال
_PREFIX = r"(?:[وف]?(?:[بك]?ال|لل|[بلك])?)"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?"
_KIND_RANK = {"unit": 0, "teen": 0, "tens": 0, "hundred": 1}


@dataclass(slots=True)
class _Atom:
    start: int  # of the word itself, proclitics excluded
    end: int
    pfx: str
    kind: str  # cardinal kinds, "digit", "vague", "ordinal"
    value: float
    plus: bool = False
    alt: float | None = None  # vague value of a lone plural scale word


@cache
def _table() -> dict:
    return compiled("numbers")


@cache
def _atom_re() -> re.Pattern[str]:
    t = _table()
    words = set(t["cardinals"]) | set(t["ordinals"]) | set(t["vague"])
    # one plain look-behind for all branches: each try at a non-word-start
    # position fails on its first check
    return re.compile(
        rf"(?<!\w)(?:[وفبلك]?(?P<digits>{_DIGITS})(?P<plus>\+)?(?![\w])"
        rf"|(?P<opfx>[وفبلك]?)ال\s?(?P<ord>\d{{1,3}})(?!\d)"
        rf"|(?P<pfx>{_PREFIX})(?P<word>{trie_pattern(words)})(?!\w))"
    )


@cache
def _qual_before_re() -> re.Pattern[str]:
    # anchored at the end of a short window ending where the number starts
    return re.compile(rf"(?<!\w)[وب]?(?P<q>{trie_pattern(set(_table()['qualifiers_before']))})\s+$")


@cache
def _qual_after_re() -> re.Pattern[str]:
    # directly after the number, or after one counted noun ("20 شخصا على الاقل")
    return re.compile(
        rf"(?P<noun>\s+[^\s\d،,.؛:]+)??\s+(?P<q>{trie_pattern(set(_table()['qualifiers_after']))})(?!\w)"
    )


@cache
def _month_follow_re() -> re.Pattern[str]:
    # what makes a weak ordinal ("الاول") a day: "الاول من ..." or a month name
    months = set(compiled("dates")["months"])
    return re.compile(rf"\s+(?:من\s|{trie_pattern(months)}(?!\w))")


def _atoms(text: str) -> list[_Atom]:
    t = _table()
    cardinals, ordinals, vague = t["cardinals"], t["ordinals"], t["vague"]
    needs_context, no_article = set(t["needs_context"]), set(t["no_article"])
    weak = set(t["weak_ordinals"])
    out: list[_Atom] = []
    for m in _atom_re().finditer(text):
        if m.group("digits"):
            raw = m.group("digits").replace(",", "")
            out.append(_Atom(m.start("digits"), m.end(), "", "digit", float(raw), bool(m.group("plus"))))
            continue
        if m.group("ord"):
            out.append(_Atom(m.start() + len(m.group("opfx")), m.end(), "", "ordinal", int(m.group("ord"))))
            continue
        pfx, key = m.group("pfx"), " ".join(m.group("word").split())
        start = m.start("word")
        article = pfx.endswith("ال")
        if key in cardinals:
            value, kind = cardinals[key]
            if (article and key in no_article) or (key in needs_context and pfx not in ("", "و")):
                continue
            atom = _Atom(start, m.end(), pfx, kind, value)
            if kind == "scale_plural":
                # "آلاف" scales a count before it; alone ("آلاف", "الآلاف") it is vague
                atom.alt = vague.get("ال" + key if article else key)
                if article:
                    atom.start -= 2
            out.append(atom)
        elif key in ordinals:
            if key in weak and not _month_follow_re().match(text, m.end()):
                continue
            out.append(_Atom(start, m.end(), pfx, "ordinal", ordinals[key]))
        elif article and "ال" + key in vague:  # "العشرات" read as ال + عشرات
            out.append(_Atom(start - 2, m.end(), pfx[:-2], "vague", vague["ال" + key]))
        elif key in vague:
            out.append(_Atom(start, m.end(), pfx, "vague", vague[key]))
    return out


class _Compound:
    """Accumulates a cardinal compound; `add` says whether an atom fits."""

    def __init__(self) -> None:
        self.total = 0.0
        self.current = 0.0
        self.last_scale = float("inf")
        self.atoms = 0
        self.last_kind = ""

    def add(self, a: _Atom, joined_by_wa: bool) -> bool:
        if a.kind in ("scale", "scale_plural"):
            if joined_by_wa and self.atoms:  # "وألف" adds a fresh thousand
                if a.value >= self.last_scale or self.current:
                    return False
                self.total += a.value
            else:
                if self.atoms and (a.value >= self.last_scale or not self.current):
                    return False
                if not self.atoms and a.kind == "scale_plural":
                    return False
                self.total += max(self.current, 1) * a.value
                self.current = 0
            self.last_scale = a.value
        elif a.kind == "scale_dual":
            if self.atoms and (not joined_by_wa or self.current or a.value >= self.last_scale):
                return False
            self.total += a.value
            self.last_scale = a.value / 2
        elif a.kind == "digit":
            if self.atoms:
                return False
            self.current = a.value
        else:  # unit, teen, tens, hundred
            if self.atoms and not joined_by_wa:
                return False
            if self.atoms and not self._fits(a):
                return False
            self.current += a.value
        self.atoms += 1
        self.last_kind = a.kind
        return True

    def _fits(self, a: _Atom) -> bool:
        low = self.current % 100
        if a.kind == "hundred":
            return self.current == 0
        if a.kind == "tens":  # "مائة وعشرون", "خمسة وعشرين"
            return low == 0 or (low < 10 and self.last_kind == "unit")
        # unit or teen: after hundreds or thousands, or after tens ("عشرين وخمسة")
        return low == 0 or (a.kind == "unit" and low % 10 == 0 and self.last_kind == "tens")

    @property
    def value(self) -> float:
        return self.total + self.current


def _group(text: str, atoms: list[_Atom]) -> list[tuple[int, int, float, bool, bool, bool]]:
    """(start, end, value, vague, ordinal, plus) for each number, compounds joined."""
    vague_scales = _table()["vague_scales"]
    out = []
    i, n = 0, len(atoms)
    while i < n:
        a = atoms[i]
        if a.kind == "ordinal":
            out.append((a.start, a.end, a.value, False, True, False))
            i += 1
            continue
        if a.kind == "vague" or (a.kind == "scale_plural" and a.alt is not None):
            value, end = (a.value if a.kind == "vague" else a.alt), a.end
            # "عشرات الآلاف": the vague count times the scale
            if a.kind == "vague" and i + 1 < n and atoms[i + 1].kind == "scale_plural":
                b = atoms[i + 1]
                word = text[b.start:b.end]
                if b.pfx in ("", "ال") and text[a.end:b.start].isspace() and word in vague_scales:
                    value *= vague_scales[word]
                    end = b.end
                    i += 1
            out.append((a.start, end, value, True, False, False))
            i += 1
            continue
        comp = _Compound()
        comp.add(a, False)
        end, plus = a.end, a.plus
        j = i + 1
        while j < n:
            b = atoms[j]
            if not text[end:b.start - len(b.pfx)].isspace() or b.kind in ("ordinal", "vague"):
                break
            if b.pfx == "و":
                ok = comp.add(b, True)
            elif b.pfx == "" and b.kind in ("scale", "scale_plural"):
                ok = comp.add(b, False)
            else:
                ok = False
            if not ok:
                break
            end, plus = b.end, b.plus
            j += 1
        out.append((a.start, end, comp.value, False, False, plus))
        i = j
    return out


def find_numbers(text: str) -> list[NumberMention]:
    """Every number in normalized `text`, with qualifier and span."""
    t = _table()
    qb, qa = t["qualifiers_before"], t["qualifiers_after"]
    out: list[NumberMention] = []
    for start, end, value, vague, ordinal, plus in _group(text, _atoms(text)):
        if value != int(value):  # "2.5" alone: not a count
            continue
        value_i = int(value)
        qualifier = "approx" if vague else "exact"
        if plus:
            qualifier = "at_least"
        if not ordinal:
            m = _qual_before_re().search(text, max(0, start - 24), start)
            if m:
                q = qb[" ".join(m.group("q").split())]
                # "حتى 2015" is "until": not a bound on a count
                if not (q == "at_most" and m.group("q") == "حتي" and 1900 <= value_i <= 2100):
                    qualifier, start = q, m.start("q")
            m = _qual_after_re().match(text, end)
            if m:
                qualifier = qa[" ".join(m.group("q").split())]
                if not m.group("noun"):
                    end = m.end()
        out.append(NumberMention(start, end, value_i, qualifier, vague, ordinal))
    return out


def parse_number_words(words: str) -> int | None:
    """The value of a whole number phrase ("تسعة واربعون" → 49), else None."""
    text = normalize_key(words)
    found = _group(text, _atoms(text))
    if len(found) != 1:
        return None
    start, end, value, vague, _ordinal, _plus = found[0]
    if vague or value != int(value):
        return None
    # the phrase must be all number: nothing but a proclitic before, nothing after
    if end != len(text) or len(text[:start]) > 3:
        return None
    return int(value)


def dual_value(word: str) -> int | None:
    """2 for a countable casualty noun in the dual ("قتيلين", "امرأتين"), else None."""
    key = normalize_key(word)
    duals = _table()["dual_forms"]
    if key in duals:
        return 2
    # proclitics: "والشرطيين", "لجنديين"
    for pfx in ("وال", "بال", "فال", "لل", "ال", "و", "ب", "ل", "ف"):
        if key.startswith(pfx) and key[len(pfx):] in duals:
            return 2
    return None
