"""Dates in normalized Arabic news text, resolved against the publication date.

Follows the annotation guidelines: "اليوم" is the publication day, "أمس" the
day before, a weekday the most recent such day on or before publication,
"الخامس من أغسطس الجاري" the 5th of the publication month, a day and month
without a year the latest such date on or before publication. Hijri dates are
converted with the tabular (arithmetic) Islamic calendar, which is within a
day or two of the observed calendar.

Works on the `.text` of `normalize_ar`; spans are offsets into it. Words come
from the compiled `dates` table (resources/ar/dates.yaml) and day ordinals
from the `numbers` table.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from hadath.lexicon.resources import compiled
from hadath.text.numbers import parse_number_words, trie_pattern


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int  # span in normalized text
    end: int
    first: dt.date
    last: dt.date
    precision: str  # "day" | "week" | "month" | "year"
    kind: str  # "absolute" | "relative" | "weekday" | "month" | "year" | "hijri" | "future"
    rule: str  # which rule produced it, for explanations


@dataclass(frozen=True, slots=True)
class Duration:
    start: int
    end: int
    days: int


# ---------------------------------------------------------------- calendars

# JDN of 1 Muharram 1 AH (16 July 622 Julian) minus one, civil epoch
_HIJRI_EPOCH_JDN = 1948439
_ORDINAL_TO_JDN = 1721425  # date(1, 1, 1).toordinal() == 1 is JDN 1721426


def hijri_to_gregorian(year: int, month: int, day: int) -> dt.date:
    """Tabular Islamic calendar (leap years 2, 5, 7, 10, 13, 16, 18, 21, 24, 26, 29 of 30)."""
    jdn = (day + (295 * (month - 1) + 9) // 10  # ceil(29.5 * (month - 1))
           + (year - 1) * 354 + (3 + 11 * year) // 30 + _HIJRI_EPOCH_JDN)
    return dt.date.fromordinal(jdn - _ORDINAL_TO_JDN)


def _hijri_year_of(day: dt.date) -> int:
    return int((day.toordinal() + _ORDINAL_TO_JDN - _HIJRI_EPOCH_JDN) / 354.36667) + 1


def _month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    k = year * 12 + month - 1 + by
    return k // 12, k % 12 + 1


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# ---------------------------------------------------------------- patterns

# Patterns carry no leading look-behind: that would make `re` try every
# position, while a pattern that opens with a word lets it skip ahead by
# first character. `_words` checks the word start afterwards.
_PROCLITICS = "وفب"


def _at_word_start(text: str, i: int) -> bool:
    """True at a word start, or after one proclitic that starts a word ("وأمس")."""
    if i == 0 or not text[i - 1].isalnum():
        return True
    return text[i - 1] in _PROCLITICS and (i == 1 or not text[i - 2].isalnum())


def _words(pattern: re.Pattern[str], text: str):
    """`finditer` keeping only matches that begin a word."""
    pos = 0
    while True:
        m = pattern.search(text, pos)
        if m is None:
            return
        if _at_word_start(text, m.start()):
            yield m
            pos = max(m.end(), m.start() + 1)
        else:
            pos = m.start() + 1


def _found(name: str, text: str):
    """The word-initial matches of pattern `name`; a text that lacks what every such match holds (a
    unit of time, a period, «الشهر», a digit by a date separator) is not scanned at all."""
    needed = _needed().get(name)
    if needed is not None and not needed.search(text):
        return iter(())
    return _words(_patterns()[name], text)


@cache
def _needed() -> dict[str, re.Pattern[str]]:
    t = _t()
    units = re.compile(_alt(t["time_units"]))
    return {"numeric": re.compile(r"\d[/.-]\d"), "day_of_period": re.compile("الشهر"),
            "period": re.compile(_alt(t["periods"])), "ago": units, "duration": units}


@cache
def _t() -> dict:
    return compiled("dates")


def _alt(words) -> str:
    return "(?:" + trie_pattern(set(words)) + ")"


@cache
def _day_ordinals() -> dict[str, int]:
    return {k: v for k, v in compiled("numbers")["ordinals"].items() if v <= 31}


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    t = _t()
    months = _alt(t["months"])
    rel = _alt(t["relative_words"])
    # «الـ8 من يوليو» (folded to «ال8»): the article written on a day number
    day = rf"(?:(?:ال)?(?P<dd>\d{{1,2}})(?![\d/.-]\d)|(?P<dw>{_alt(_day_ordinals())}))"
    month_pair = (rf"(?P<m>{months})(?:\s*[/–-]\s*(?P<m2>{months})(?!\w)|\s*\(\s*(?P<m3>{months})\s*\))?")
    year_part = (
        rf"(?:\s*[,،]?\s*(?:(?:من\s+)?{_alt(t['year_words'])}\s+)?(?P<y>\d{{4}})"
        rf"(?:\s*(?P<mark>{_alt(t['hijri_marks'] + t['ad_marks'])}))?(?!\w)"
        rf"|\s+(?P<rel>{rel})(?!\w)"
        rf"|\s+(?:من\s+)?(?:{_alt(t['this_words'])}\s+)?(?P<per>العام|السنه)(?:\s+(?P<yrel>{rel}))?(?!\w))"
    )
    cardinal = _alt(compiled("numbers")["cardinals"])
    number = rf"(?:\d+|{cardinal}(?:\s+و{cardinal})*)"
    units = _alt(t["time_units"])
    return {
        "month": re.compile(
            rf"(?:{day}(?:\s+من)?\s+(?:(?:شهر|الشهر)\s+)?)?{month_pair}(?!\w){year_part}?"
        ),
        "day_of_period": re.compile(
            rf"{day}\s+من\s+(?:(?:{_alt(t['this_words'])})\s+)?الشهر(?:\s+(?P<rel>{rel}))?(?!\w)"
        ),
        "numeric": re.compile(
            r"(?<![\d/.-])(?:(?P<d>\d{1,2})(?P<s>[/.-])(?P<m>\d{1,2})(?P=s)(?P<y>\d{4})"
            r"|(?P<y2>\d{4})(?P<s2>[/.-])(?P<m2>\d{1,2})(?P=s2)(?P<d2>\d{1,2}))(?![\d/.-]?\d)"
        ),
        "relative": re.compile(rf"(?P<r>{_alt(t['relative_days'])})(?!\w)"),
        "weekday": re.compile(rf"(?P<wd>{_alt(t['weekdays'])})(?:\s+(?P<rel>{rel}))?(?!\w)"),
        "period": re.compile(
            rf"(?:(?P<this>{_alt(t['this_words'])})\s+)?(?P<per>{_alt(t['periods'])})"
            rf"(?:\s+(?P<rel>{rel}))?(?!\w)"
        ),
        "year": re.compile(
            rf"(?P<yw>{_alt(t['year_words'])})\s+(?P<y>\d{{4}})"
            rf"(?:\s*(?P<mark>{_alt(t['hijri_marks'] + t['ad_marks'])}))?(?!\w)"
        ),
        "ago": re.compile(
            rf"(?P<ago>{_alt(t['ago_words'])})\s+(?:(?P<n>{number})\s+)?(?P<unit>{units})(?!\w)"
            r"(?!\s+من\s)"  # "قبل يومين من الانتخابات" counts from another event
        ),
        "duration": re.compile(
            rf"(?:(?P<v>{_alt(t['duration_verbs'])})(?:\s+[^\s\d.,،؛:]+){{0,3}}?"
            rf"|(?P<p>{_alt(t['duration_preps'])}))\s+(?:(?P<n>{number})\s+)?(?P<unit>{units})(?!\w)"
        ),
        "before": re.compile(
            rf"(?<!\w)(?:(?P<tod>{_alt(t['times_of_day'])})\s+)?(?:(?P<yawm>يوم)\s+)?$"
        ),
    }


# ---------------------------------------------------------------- resolution


def _resolve_day_month(day: int, month: int, published: dt.date, rel: int | None) -> dt.date | None:
    """Year for a day and month written without one."""
    if rel == 0:
        return _safe_date(published.year, month, day)
    if rel == 1:  # "المقبل": the next such date
        d = _safe_date(published.year, month, day)
        return d if d and d > published else _safe_date(published.year + 1, month, day)
    d = _safe_date(published.year, month, day)
    if d is None:
        return None
    if d > published or (rel == -1 and d == published):
        return _safe_date(published.year - 1, month, day)
    return d


def _resolve_month(month: int, published: dt.date, rel: int | None) -> int:
    """Year for a month name written without one."""
    if rel == 0:
        return published.year
    if rel == 1:
        return published.year if month > published.month else published.year + 1
    if rel == -1:
        return published.year if month < published.month else published.year - 1
    return published.year if month <= published.month else published.year - 1


def _count(n: str | None, unit_word: str) -> int | None:
    inherent = _t()["time_units"][" ".join(unit_word.split())][1]
    if n is None:
        return inherent
    if inherent == 2:  # "3 يومين" is not a phrase
        return None
    return int(n) if n.isdigit() else parse_number_words(n)


def _mention(start, end, first, last, precision, kind, rule) -> DateMention:
    return DateMention(start, end, first, last, precision, kind, rule)


def _from_month_match(text: str, m: re.Match[str], published: dt.date | None) -> DateMention | None:
    t = _t()
    months = t["months"]
    key = " ".join(m.group("m").split())
    cal, month = months[key]
    dd, dw = m.group("dd"), m.group("dw")
    day = int(dd) if dd else (_day_ordinals()[" ".join(dw.split())] if dw else None)
    paired = m.group("m2") or m.group("m3")
    if paired and months[" ".join(paired.split())] != [cal, month]:
        return None  # "يونيو/يوليو": two months, not a name and its gloss
    year = int(m.group("y")) if m.group("y") else None
    mark = m.group("mark")
    rel_word = m.group("rel")
    rel = t["relative_words"][rel_word] if rel_word else None
    if m.group("per"):
        rel_year = t["relative_words"][m.group("yrel")] if m.group("yrel") else 0
    else:
        rel_year = None
    # the word before a lone month name ("في يوليو", "شهر آب")
    before = text[max(0, m.start() - 12):m.start()].split()
    ctx = before[-1] if before and before[-1] in t["month_context_before"] else None
    start = m.start("dd") if dd else m.start("dw") if dw else m.start("m")
    end = m.end()
    ambiguous = key in t["ambiguous_months"] or (cal == "h" and key in t["ambiguous_hijri"])
    if day is None:
        # a lone month name needs a frame: a year, الماضي, "شهر", its gloss, or (unambiguous) "في"
        framed = year or rel_word or m.group("per") or paired or (ctx and "شهر" in ctx)
        if not framed and (ambiguous or not ctx or cal == "h"):
            return None
    if cal == "h":
        if mark and nk_in(mark, t["ad_marks"]):
            return None
        if year is None and (day is None or published is None):
            return None
        if year is not None and not 1300 <= year <= 1600:
            return None
        return _hijri_mention(start, end, year, month, day, published)
    if mark and nk_in(mark, t["hijri_marks"]):
        return None
    if year is not None and not 1800 <= year <= 2200:
        return None
    if year is None:
        if published is None:
            return None
        if rel_year is not None:
            year = published.year + rel_year
        elif day is not None:
            d = _resolve_day_month(day, month, published, rel)
            if d is None:
                return None
            kind = "future" if d > published else "absolute"
            return _mention(start, end, d, d, "day", kind, "day_month" + (f":{rel_word}" if rel_word else ""))
        else:
            year = _resolve_month(month, published, rel)
    if day is not None:
        d = _safe_date(year, month, day)
        if d is None:
            return None
        return _mention(start, end, d, d, "day", "absolute", "day_month_year")
    first, last = _month_bounds(year, month)
    kind = "future" if published and first > published else "month"
    return _mention(start, end, first, last, "month", kind, "month" + (f":{rel_word}" if rel_word else ""))


def nk_in(word: str, keys: list[str]) -> bool:
    return " ".join(word.split()) in keys


def _hijri_mention(start, end, year, month, day, published) -> DateMention | None:
    if year is None:  # the latest such day on or before publication
        hy = _hijri_year_of(published)
        for y in (hy + 1, hy, hy - 1):
            if day > 30:
                return None
            d = hijri_to_gregorian(y, month, day)
            if d <= published:
                return _mention(start, end, d, d, "day", "hijri", "hijri:day_month")
        return None
    if day is not None:
        if not 1 <= day <= 30:
            return None
        d = hijri_to_gregorian(year, month, day)
        return _mention(start, end, d, d, "day", "hijri", "hijri:day_month_year")
    first = hijri_to_gregorian(year, month, 1)
    nxt = hijri_to_gregorian(year + (month == 12), month % 12 + 1, 1)
    return _mention(start, end, first, nxt - dt.timedelta(days=1), "month", "hijri", "hijri:month_year")


def _candidates(text: str, published: dt.date | None) -> list[DateMention]:
    t = _t()
    out: list[DateMention] = []
    for m in _found("month", text):
        found = _from_month_match(text, m, published)
        if found:
            out.append(found)
    for m in _found("numeric", text):
        if m.group("y"):
            y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
        else:
            y, mo, d = int(m.group("y2")), int(m.group("m2")), int(m.group("d2"))
        if 1300 <= y <= 1600 and 1 <= mo <= 12 and 1 <= d <= 30:
            day = hijri_to_gregorian(y, mo, d)
            out.append(_mention(m.start(), m.end(), day, day, "day", "hijri", "hijri:numeric"))
            continue
        day = _safe_date(y, mo, d) if 1800 <= y <= 2200 else None
        if day:
            out.append(_mention(m.start(), m.end(), day, day, "day", "absolute", "numeric"))
    for m in _found("year", text):
        y = int(m.group("y"))
        mark = m.group("mark")
        if mark and nk_in(mark, t["hijri_marks"]) or 1300 <= y <= 1600:
            first = hijri_to_gregorian(y, 1, 1)
            last = hijri_to_gregorian(y + 1, 1, 1) - dt.timedelta(days=1)
            out.append(_mention(m.start(), m.end(), first, last, "year", "hijri", "hijri:year"))
        elif 1800 <= y <= 2200:
            first, last = dt.date(y, 1, 1), dt.date(y, 12, 31)
            out.append(_mention(m.start(), m.end(), first, last, "year", "year", "year"))
    if published is None:
        return out
    for m in _found("day_of_period", text):
        dd, dw = m.group("dd"), m.group("dw")
        day = int(dd) if dd else _day_ordinals()[" ".join(dw.split())]
        rel = t["relative_words"][m.group("rel")] if m.group("rel") else 0
        y, mo = _shift_month(published.year, published.month, rel)
        d = _safe_date(y, mo, day)
        if d:
            kind = "future" if d > published else "relative"
            out.append(_mention(m.start("dd") if dd else m.start("dw"), m.end(), d, d, "day", kind,
                                "day_of_month:" + (m.group("rel") or "this")))
    for m in _found("relative", text):
        word = " ".join(m.group("r").split())
        if word.endswith("اليوم") and _today_blocked(text, m):
            continue
        offset = t["relative_days"][word]
        d = published + dt.timedelta(days=offset)
        kind = "future" if offset > 0 else "relative"
        out.append(_mention(m.start(), m.end(), d, d, "day", kind, f"relative:{word}"))
    for m in _found("weekday", text):
        before = text[max(0, m.start() - 12):m.start()].split()
        if before and before[-1] in t["weekday_blockers_before"]:
            continue
        wd = t["weekdays"][m.group("wd")]
        rel = t["relative_words"][m.group("rel")] if m.group("rel") else None
        back = (published.weekday() - wd) % 7
        if rel == 1:
            d = published + dt.timedelta(days=(wd - published.weekday()) % 7 or 7)
            kind = "future"
        else:
            if rel == -1 and back == 0:
                back = 7
            d = published - dt.timedelta(days=back)
            kind = "weekday"
        rule = "weekday" + (":" + m.group("rel") if rel else "")
        out.append(_mention(m.start(), m.end(), d, d, "day", kind, rule))
    for m in _found("period", text):
        if not (m.group("this") or m.group("rel")):
            continue
        rel = t["relative_words"][m.group("rel")] if m.group("rel") else 0
        found = _period(t["periods"][m.group("per")], rel, published)
        if found:
            first, last, precision = found
            kind = "future" if first > published else "relative"
            out.append(_mention(m.start(), m.end(), first, last, precision, kind,
                                f"period:{m.group('per')}:{rel}"))
    for m in _found("ago", text):
        unit = t["time_units"][" ".join(m.group("unit").split())][0]
        n = _count(m.group("n"), m.group("unit"))
        if not n:
            continue
        found = _ago(unit, n, published)
        if found:
            first, last, precision = found
            out.append(_mention(m.start(), m.end(), first, last, precision, "relative", f"ago:{unit}"))
    return out


def _today_blocked(text: str, m: re.Match[str]) -> bool:
    t = _t()
    after = text[m.end():m.end() + 16].split()
    if after and after[0] in t["today_blockers_after"]:
        return True
    today = m.end() - len("اليوم")  # blockers stand before "اليوم", also in "هذا اليوم"
    window = " ".join(text[max(0, today - 16):today].split())
    return any(window.endswith(w) for w in t["today_blockers_before"])


def _period(unit: str, rel: int, published: dt.date) -> tuple[dt.date, dt.date, str] | None:
    if unit == "week":
        if rel == -1:
            return published - dt.timedelta(days=7), published - dt.timedelta(days=1), "week"
        if rel == 1:
            return published + dt.timedelta(days=1), published + dt.timedelta(days=7), "week"
        # the current week, counted from Saturday as most Arab calendars do
        first = published - dt.timedelta(days=(published.weekday() - 5) % 7)
        return first, first + dt.timedelta(days=6), "week"
    if unit == "month":
        y, mo = _shift_month(published.year, published.month, rel)
        return (*_month_bounds(y, mo), "month")
    y = published.year + rel
    return dt.date(y, 1, 1), dt.date(y, 12, 31), "year"


def _ago(unit: str, n: int, published: dt.date) -> tuple[dt.date, dt.date, str] | None:
    if unit in ("hour", "day", "week"):
        days = n // 24 if unit == "hour" else n * (7 if unit == "week" else 1)
        d = published - dt.timedelta(days=days)
        return d, d, "week" if unit == "week" else "day"
    if unit == "month":
        y, mo = _shift_month(published.year, published.month, -n)
        return (*_month_bounds(y, mo), "month")
    y = published.year - n
    return (dt.date(y, 1, 1), dt.date(y, 12, 31), "year") if y >= 1 else None


def _select(cands: list[DateMention]) -> list[DateMention]:
    """Longest first, without overlaps; an absolute date beats a bare weekday."""
    chosen: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for c in sorted(cands, key=lambda c: (c.start - c.end, c.start)):
        if any(c.start < e and s < c.end for s, e in taken):
            continue
        chosen.append(c)
        taken.append((c.start, c.end))
    return sorted(chosen, key=lambda c: c.start)


_JOIN = re.compile(r"[\s,،(]*")


def find_dates(text: str, published: dt.date | None) -> list[DateMention]:
    """Date mentions in normalized `text`, resolved against `published`."""
    picked = _select(_candidates(text, published))
    out: list[DateMention] = []
    for c in picked:
        # "الجمعة 5 أغسطس": the weekday is part of the absolute date
        if (out and out[-1].kind == "weekday" and c.kind in ("absolute", "hijri")
                and _JOIN.fullmatch(text, out[-1].end, c.start)):
            c = _mention(out.pop().start, c.end, c.first, c.last, c.precision, c.kind, c.rule)
        # "اليوم الأربعاء": the weekday names the day the writer calls today (a crawl date may be later)
        if (out and out[-1].rule.endswith("اليوم") and c.kind == "weekday"
                and _JOIN.fullmatch(text, out[-1].end, c.start)):
            c = _mention(out.pop().start, c.end, c.first, c.last, c.precision, c.kind, c.rule)
        # "صباح يوم أمس", "ليلة الخميس": the time-of-day words belong to the span
        m = _patterns()["before"].search(text, max(0, c.start - 24), c.start)
        if m and (m.group("tod") or m.group("yawm")):
            c = _mention(m.start(), c.end, c.first, c.last, c.precision, c.kind, c.rule)
        out.append(c)
    return out


def find_durations(text: str) -> list[Duration]:
    """Lengths of events: "استمر 3 أيام", "لمدة يومين", "على مدى أسبوع" (days)."""
    t = _t()
    out: list[Duration] = []
    for m in _found("duration", text):
        unit = t["time_units"][" ".join(m.group("unit").split())][0]
        n = _count(m.group("n"), m.group("unit"))
        if not n:
            continue
        days = -(-n // 24) if unit == "hour" else n * t["unit_days"][unit]
        out.append(Duration(m.start(), m.end(), days))
    return out
