"""Casualty counts: how many were killed, injured, arrested, missing or displaced.

A count is a number next to a casualty word, in any of the orders Arabic news
uses: «49 شهيدا», «مقتل 5 أشخاص», «إصابة 227 آخرين», «ارتفع عدد القتلى إلى
30», «قتيلين» (a dual), «مقتل شرطي» (one). A breakdown that follows
(«بينهم 17 طفلا و4 نساء») fills children and women.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache

from hadath.doc import ActorMention, Doc
from hadath.lexicon.matcher import proclitic_readings
from hadath.lexicon.resources import compiled
from hadath.text.numbers import NumberMention, dual_value, find_numbers

_WINDOW_AFTER = 3  # «مقتل 5 أشخاص»: number within 3 words after the casualty word
_WINDOW_TO = 5  # «عدد القتلى إلى 30»


@dataclass(slots=True)
class CasualtyCount:
    kind: str  # killed | injured | arrested | missing | displaced
    value: int
    qualifier: str
    vague: bool
    start: int  # normalized span of number and word together
    end: int
    token: int  # token index of the casualty word
    sentence: int
    children: int | None = None
    women: int | None = None
    anaphoric: bool = False  # «مقتله»: the death of someone told of before, not a report on its own
    total: bool = False  # «العدد الإجمالي للقتلى»: the sum over the article's reports


@cache
def _cue_sets() -> dict[str, set[str]]:
    cues = compiled("cues")
    return {k: set(cues[k]) for k in ("breakdown", "children", "women", "persons", "age_words",
                                      "one_killed_forms", "killing_nouns", "count_additions",
                                      "pronoun_adverbs", "total_markers", "passive_followers")}


def find_casualties(doc: Doc, numbers: list[NumberMention] | None = None) -> list[CasualtyCount]:
    if numbers is None:
        numbers = find_numbers(doc.text)
    numbers = [n for n in numbers if not n.ordinal and not _is_age(doc.text, n.end)]
    starts = [t.start for t in doc.tokens]
    number_at: dict[int, NumberMention] = {}
    for n in numbers:
        k = bisect_left(starts, n.end) - 1  # the token holding the number's last character
        if k >= 0:
            number_at[k] = n
    used: set[int] = set()
    counts: list[CasualtyCount] = []
    words = {m.first for m in doc.matches if m.kind.startswith("casualty:")}
    remaining = {m.first for m in doc.matches if m.kind == "cue:remaining_markers"}
    persons = {a.first: a for a in doc.actors if a.person}
    place_words = {m.first for m in doc.matches if m.kind == "place" and m.last == m.first + 1}
    for m in doc.matches:
        if not m.kind.startswith("casualty:"):
            continue
        kind = m.value
        if kind == "arrested" and m.proclitic.endswith("ل"):
            continue  # «عملية لاعتقال فلسطيني»: whom they came to arrest, not how many were held
        if m.first > 1 and doc.tokens[m.first - 1].text == "من" and doc.tokens[m.first].text.startswith("ال") \
                and m.first - 2 in number_at:
            continue  # «اثنين من المصابين»: some of those counted before, not a toll of their own
        found = _number_for(doc, m.first, m.last, kind, number_at, used, words, joined="و" in m.proclitic)
        if found is None:
            value = _implicit_count(doc, m.first, m.last, persons, place_words)
            if value is None:
                continue
            start, end, qualifier, vague = m.start, m.end, "exact", False
        else:
            n, k = found
            used.add(k)
            value, qualifier, vague = n.value, n.qualifier, n.vague
            start, end = min(n.start, m.start), max(n.end, m.end)
        if any(k in remaining for k in range(m.last, m.last + 3)):
            continue  # «32 جريحا ما زالوا في المستشفى»: those still in care, not the toll
        count = CasualtyCount(kind, value, qualifier, vague, start, end, m.first, doc.sentence_of_token[m.first])
        count.anaphoric = found is None and doc.tokens[m.first].text in _cue_sets()["one_killed_forms"]
        count.total = any(_word(doc, k) in _cue_sets()["total_markers"] for k in range(m.first - 3, m.first))
        _breakdown(doc, count, m.last, number_at, used)
        if not vague:
            _add_groups(doc, count, starts, number_at, used, words)
        counts.append(count)
    _among_the_dead(doc, counts, number_at)
    return _dedupe(counts)


def _among_the_dead(doc: Doc, counts: list[CasualtyCount], number_at: dict[int, NumberMention]) -> None:
    """«قال المتحدث إن امرأة وطفلا من بين القتلى»: women and children told among the dead after the
    toll itself, a sentence or two on, are its breakdown."""
    cues = _cue_sets()
    for k in range(1, len(doc.tokens)):
        if doc.tokens[k].text not in _DEAD_WORDS or doc.tokens[k - 1].text not in ("بين", "من"):
            continue
        sentence = doc.sentence_of_token[k]
        toll = next((c for c in reversed(counts) if c.kind == "killed" and not c.vague
                     and sentence - _AMONG_SENTENCES <= c.sentence <= sentence and c.token < k), None)
        if toll is None:
            continue
        for j in range(max(0, k - 7), k - 1):
            if doc.sentence_of_token[j] != sentence:
                continue
            word = doc.tokens[j].text
            bare = word[1:] if word[:1] in "وف" and len(word) > 3 else word
            n = number_at[j - 1].value if j - 1 in number_at else dual_value(bare) or (
                1 if bare in _ONE_WOMAN | _ONE_CHILD else None)
            if n is None:
                continue
            if bare in cues["women"] or bare in _ONE_WOMAN:
                toll.women = toll.women if toll.women is not None else n
            elif bare in cues["children"] or bare in _ONE_CHILD:
                toll.children = toll.children if toll.children is not None else n


_DEAD_WORDS = frozenset({"القتلي", "الضحايا", "الشهداء"})
_ONE_WOMAN = frozenset({"امراه", "سيده"})
_ONE_CHILD = frozenset({"طفل", "طفلا", "طفله"})
_AMONG_SENTENCES = 2  # how far on from its toll a breakdown may be told


def _is_age(text: str, end: int) -> bool:
    """«(22 عاما)», «يبلغ 30 سنة»: a number of years is an age or a span, not a count of people."""
    following = text[end:end + 12].split()
    return bool(following) and following[0].strip("()") in _cue_sets()["age_words"]


def _number_for(doc: Doc, first: int, last: int, kind: str, number_at: dict[int, NumberMention], used: set[int],
                words: set[int], joined: bool):
    # before the word: «49 شهيدا», «ثلاثة قتلى»; not across «و»: in «10 مدنيين وإصابة 17» the
    # number before belongs to the item before
    persons = _cue_sets()["persons"]
    for k in () if joined else (first - 1, first - 2, first - 3):
        if k == first - 3 and not all(_word(doc, j) in persons for j in (first - 2, first - 1)):
            continue  # «38 شخصا آخرين أصيبوا»: three words back only across the people counted
        if k in number_at and k not in used and _sentence(doc, k) == _sentence(doc, first):
            return number_at[k], k
    # after: «مقتل 5 أشخاص», «إلى 49 شهيدا» when the word comes first
    limit = min(last + _WINDOW_TO, len(doc.tokens))
    for k in range(last, limit):
        if k in words:
            return None  # «لقوا حتفهم وأصيب 18»: a number after another casualty word is that word's
        if k in number_at and k not in used and _sentence(doc, k) == _sentence(doc, first):
            # «اعتقلت قوات الأمن السعودية خمسة أشخاص»: an arrest verb's subject may stand between
            window = _WINDOW_AFTER + (2 if kind == "arrested" else 0)
            # «لقي ما لا يقل عن 115 مسلحا»: the distance runs to where the number's words begin
            opens = bisect_right(doc.tokens, number_at[k].start, key=lambda t: t.start) - 1
            if min(k, opens) - last < window or _word(doc, k - 1) in ("الي", "اليه", "ل"):
                return number_at[k], k
            return None
    return None


def _implicit_count(doc: Doc, first: int, last: int, persons: dict[int, ActorMention],
                    places: set[int]) -> int | None:
    """«قتيلين» or «مقتل شرطيين» (dual: 2); «مقتل شرطي», «لقي مصرعه», «مقتل محسن الفضلي» (one)."""
    word = doc.tokens[first].text
    own = dual_value(word)
    if own:
        return own
    if last == first + 1 and word in _cue_sets()["one_killed_forms"]:
        return 1
    if last + 1 < len(doc.tokens) and doc.tokens[last].text in _cue_sets()["pronoun_adverbs"]:
        last += 1  # «قتل فيه ضابط»: the victim follows «in it»
    elif last + 2 < len(doc.tokens) and doc.tokens[last].text == "في" and (last + 1) in places:
        last += 2  # «قتلت في إسطنبول رجلا»: the victim after where
    if last < len(doc.tokens):
        nxt = doc.tokens[last].text
        dual = dual_value(nxt)
        if dual:
            return dual
        if any(r in _cue_sets()["persons"] for r, _ in proclitic_readings(nxt)) and not nxt.startswith("ال"):
            if nxt.endswith(("ين", "ون")) or nxt in ("اشخاص", "جنود", "عناصر", "ضباط", "رجال"):
                return None  # a plural with no number: not a count
            return 1
        if _one_person_before_passive(doc, first, last, persons, nxt):
            return 1
        # «مقتل محسن الفضلي», «مصرع السعودي الخثعمي»: one person named (a nationality may come first)
        killing = any(r in _cue_sets()["killing_nouns"] for r, _ in proclitic_readings(word))
        for k in (last, last + 1) if killing else ():
            person = persons.get(k)
            if person is not None and doc.sentence_of_token[k] == doc.sentence_of_token[first]:
                if k == last or _is_nisba(nxt):
                    return 1
    return None


def _one_person_before_passive(doc: Doc, first: int, last: int, persons: dict[int, ActorMention],
                               nxt: str) -> bool:
    """«أن المسلح السوري قتل أثناء اشتباك», «محسن الفضلي قتل في الـ8 من يوليو»: one person, then a bare
    «قتل» with no object after it — that person was killed."""
    if doc.tokens[first].text not in ("قتل", "قتلت") or last != first + 1 or not passive_follower(nxt):
        return False
    if any(p.last == first for p in persons.values()):
        return True

    def one_person(k: int) -> bool:
        return k >= 0 and doc.sentence_of_token[k] == doc.sentence_of_token[first] and one_person_word(
            doc.tokens[k].text)

    k = first - 1
    # «المسلح السوري»: the nationality may follow the person
    nisba = _is_nisba(doc.tokens[k].text) and doc.tokens[k].text not in ("الذي", "التي")
    return one_person(k) or (k > 0 and nisba and one_person(k - 1))


def passive_follower(word: str) -> bool:
    """«في», «أثناء», «برصاص» …: a word after a bare «قتل» that shows no object follows it."""
    return any(r in _cue_sets()["passive_followers"] for r, _ in proclitic_readings(word))


def one_person_word(word: str) -> bool:
    """«الجندي», «مسلح», «شرطيا»: a word for one person (not «الجنود», «مسلحين», «شرطيان»)."""
    word = word.removeprefix("ال")
    return word in _cue_sets()["persons"] and not word.endswith(("ين", "ون", "ات", "ان"))


def _is_nisba(word: str) -> bool:
    return word.startswith("ال") and word.endswith("ي")


def _add_groups(doc: Doc, count: CasualtyCount, starts: list[int], number_at: dict[int, NumberMention],
                used: set[int], words: set[int]) -> None:
    """«مقتل عنصرين من حزب الله وثلاثة من اللجان الشعبية»: a second group of the same dead,
    joined by «و» or «إضافة إلى» and told as «N من …», adds to the toll."""
    cues = _cue_sets()
    k = bisect_left(starts, count.end)
    limit = min(k + 8, len(doc.tokens))
    while k < limit and doc.sentence_of_token[k] == count.sentence:
        word = doc.tokens[k].text
        if k in words or {r for r, _ in proclitic_readings(word)} & cues["breakdown"]:
            return
        if k in number_at and k not in used and k + 1 < len(doc.tokens):
            n = number_at[k]
            before = " ".join(t.text for t in doc.tokens[max(0, k - 2):k])
            joined = word.startswith("و") or any(before.endswith(a) for a in cues["count_additions"])
            if n.vague or not joined or doc.tokens[k + 1].text != "من":
                return
            count.value += n.value
            count.end = n.end
            used.add(k)
            limit = min(k + 8, len(doc.tokens))
        k += 1


def _breakdown(doc: Doc, count: CasualtyCount, after: int, number_at: dict[int, NumberMention],
               used: set[int]) -> None:
    cues = _cue_sets()
    end = min(after + 10, len(doc.tokens))
    seen_breakdown = False
    for k in range(after, end):
        word = doc.tokens[k].text
        readings = {r for r, _ in proclitic_readings(word)}
        if readings & cues["breakdown"]:
            seen_breakdown = True
            continue
        if not seen_breakdown:
            continue
        if k not in number_at:
            # «بينهم 5 أطفال وامرأتان»: a dual counts two
            two = dual_value(word[1:] if word[:1] in "وف" else word)
            if two and readings & cues["women"] and count.women is None:
                count.women = two
            elif two and readings & cues["children"] and count.children is None:
                count.children = two
            continue
        nxt = {r for r, _ in proclitic_readings(doc.tokens[k + 1].text)} if k + 1 < len(doc.tokens) else set()
        if nxt & cues["children"] and count.children is None:
            count.children = number_at[k].value
            used.add(k)
        elif nxt & cues["women"] and count.women is None:
            count.women = number_at[k].value
            used.add(k)


def _dedupe(counts: list[CasualtyCount]) -> list[CasualtyCount]:
    """«استشهاد وإصابة عشرات»: one number read by two words keeps both kinds; the same
    word read twice keeps one."""
    seen: set[tuple[str, int, int]] = set()
    out = []
    for c in counts:
        key = (c.kind, c.start, c.end)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def _sentence(doc: Doc, token: int) -> int:
    return doc.sentence_of_token[token]


def _word(doc: Doc, k: int) -> str:
    return doc.tokens[k].text if 0 <= k < len(doc.tokens) else ""
