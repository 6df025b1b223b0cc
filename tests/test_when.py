"""find_dates / find_durations on small hand-written sentences, published 2022-08-22 (a Monday)."""

from __future__ import annotations

import datetime as dt

import pytest

from hadath.extract.when import find_dates, find_durations, hijri_to_gregorian
from hadath.text.normalize import normalize_ar

PUB = dt.date(2022, 8, 22)
D = dt.date


def dates(raw: str, published: dt.date | None = PUB) -> list[tuple[str, dt.date, dt.date, str, str]]:
    text = normalize_ar(raw).text
    return [(text[m.start:m.end], m.first, m.last, m.precision, m.kind) for m in find_dates(text, published)]


def one(raw: str, published: dt.date | None = PUB) -> tuple[str, dt.date, dt.date, str, str]:
    found = dates(raw, published)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(("raw", "day"), [
    ("وقع الهجوم اليوم", D(2022, 8, 22)),
    ("قتل صباح اليوم", D(2022, 8, 22)),
    ("اشتباكات الليلة", D(2022, 8, 22)),
    ("قتل أمس", D(2022, 8, 21)),
    ("قتل مساء أمس", D(2022, 8, 21)),
    ("وقع الانفجار فجر أمس", D(2022, 8, 21)),
    ("قتل البارحة", D(2022, 8, 21)),
    ("وقع أول أمس", D(2022, 8, 20)),
    ("وقع اول من أمس", D(2022, 8, 20)),
    ("يعقد غدا", D(2022, 8, 23)),
    ("وقع الهجوم يوم الجمعة", D(2022, 8, 19)),
    ("قصف الاثنين", D(2022, 8, 22)),
    ("قتل الأحد", D(2022, 8, 21)),
    ("قتل السبت", D(2022, 8, 20)),
    ("بعد صلاة الجمعة", D(2022, 8, 19)),
    ("قتل ليلة الخميس", D(2022, 8, 18)),
    ("منذ 3 أيام", D(2022, 8, 19)),
    ("قتل قبل يومين", D(2022, 8, 20)),
    ("في الخامس من اغسطس/اب الجاري", D(2022, 8, 5)),
    ("في الخامس من أغسطس الجاري", D(2022, 8, 5)),
    ("الخامس من الشهر الجاري", D(2022, 8, 5)),
    ("في 26 يونيو الماضي", D(2022, 6, 26)),
    ("في 5 أغسطس", D(2022, 8, 5)),
    ("في 30 سبتمبر", D(2021, 9, 30)),  # no year: on or before publication
    ("في 14 يوليو 2015", D(2015, 7, 14)),
    ("في 3 كانون الثاني 2015", D(2015, 1, 3)),
    ("في 10 تشرين الأول", D(2021, 10, 10)),
    ("في 2015/8/5", D(2015, 8, 5)),
    ("في 5-8-2015", D(2015, 8, 5)),
    ("في 5/8/2015", D(2015, 8, 5)),
])
def test_day_dates(raw: str, day: dt.date) -> None:
    _, first, last, precision, _ = one(raw)
    assert (first, last, precision) == (day, day, "day")


def test_relative_kinds_and_spans() -> None:
    assert one("قتل مساء أمس")[0] == "مساء امس"
    assert one("يعقد غدا")[4] == "future"
    assert one("وقع الهجوم يوم الجمعة")[0] == "يوم الجمعه"
    assert one("قتل امس")[4] == "relative"


def test_weekday_last_week() -> None:
    # "الاثنين الماضي" on a Monday is a week back; plain "الاثنين" is today
    assert one("الاثنين الماضي")[1] == D(2022, 8, 15)
    assert one("الجمعة الماضية")[1] == D(2022, 8, 19)


def test_weekday_joins_absolute_date() -> None:
    assert one("الجمعة 5 أغسطس") == ("الجمعه 5 اغسطس", D(2022, 8, 5), D(2022, 8, 5), "day", "absolute")


def test_paired_month_names() -> None:
    assert one("في آب (أغسطس) الماضي")[1:4] == (D(2021, 8, 1), D(2021, 8, 31), "month")
    assert one("في الخامس من آب/أغسطس")[1] == D(2022, 8, 5)


@pytest.mark.parametrize(("raw", "first", "last", "precision"), [
    ("في يوليو الماضي", D(2022, 7, 1), D(2022, 7, 31), "month"),
    ("في شهر تموز", D(2022, 7, 1), D(2022, 7, 31), "month"),
    ("خلال الشهر الماضي", D(2022, 7, 1), D(2022, 7, 31), "month"),
    ("خلال الشهر الجاري", D(2022, 8, 1), D(2022, 8, 31), "month"),
    ("في مايو 2014", D(2014, 5, 1), D(2014, 5, 31), "month"),
    ("في عام 2014", D(2014, 1, 1), D(2014, 12, 31), "year"),
    ("خلال العام الماضي", D(2021, 1, 1), D(2021, 12, 31), "year"),
    ("خلال الأسبوع الماضي", D(2022, 8, 15), D(2022, 8, 21), "week"),
    ("منذ شهرين", D(2022, 6, 1), D(2022, 6, 30), "month"),
])
def test_coarse_dates(raw: str, first: dt.date, last: dt.date, precision: str) -> None:
    assert one(raw)[1:4] == (first, last, precision)


def test_current_week_contains_publication() -> None:
    _, first, last, precision, _ = one("خلال الأسبوع الجاري")
    assert precision == "week" and first <= PUB <= last and (last - first).days == 6


@pytest.mark.parametrize("raw", [
    "في اليوم التالي",  # the next day, not today
    "في مثل هذا اليوم",
    "في محافظة اب",  # Ibb, not August
    "قال أب الضحية",
    "لا أحد يعلم",
    "بين الاثنين",
    "خلال شهر رمضان",  # which year?
    "قبل يومين من الانتخابات",  # counted from another event
])
def test_not_dates(raw: str) -> None:
    assert dates(raw) == []


def test_hijri() -> None:
    assert hijri_to_gregorian(1436, 9, 1) == D(2015, 6, 18)
    _, first, _, precision, kind = one("في 1 رمضان 1436")
    assert abs((first - D(2015, 6, 18)).days) <= 1 and (precision, kind) == ("day", "hijri")
    _, first, last, precision, _ = one("في شوال 1436هـ")
    assert precision == "month" and abs((first - D(2015, 7, 17)).days) <= 1
    assert 28 <= (last - first).days <= 29
    assert abs((one("في 10 ذو الحجة 1443")[1] - D(2022, 7, 9)).days) <= 1


def test_without_publication_date() -> None:
    assert dates("قتل أمس", None) == []
    assert dates("في 26 يونيو الماضي", None) == []
    assert one("في 14 يوليو 2015", None)[1] == D(2015, 7, 14)


def test_spans_point_into_normalized_text() -> None:
    text = normalize_ar("قُتل ثلاثة أمس، وأصيب آخرون في الخامس من أغسطس الجاري").text
    for m in find_dates(text, PUB):
        assert text[m.start:m.end].strip() == text[m.start:m.end]
    assert [text[m.start:m.end] for m in find_dates(text, PUB)] == ["امس", "الخامس من اغسطس الجاري"]


@pytest.mark.parametrize(("raw", "days"), [
    ("الهجوم استمر 3 ايام", 3),
    ("الحصار الذي استمر ثلاثة أيام", 3),
    ("استمرت المعارك ثلاثة أيام", 3),
    ("أغلق المعبر لمدة يومين", 2),
    ("قصف على مدى أسبوع", 7),
    ("حظر تجول لمدة 48 ساعة", 2),
    ("اعتصام لمدة عشرة أيام", 10),
])
def test_durations(raw: str, days: int) -> None:
    found = find_durations(normalize_ar(raw).text)
    assert [d.days for d in found] == [days]


@pytest.mark.parametrize("raw", ["منذ أسبوع", "لمدة أيام", "قتل 3 أشخاص"])
def test_not_durations(raw: str) -> None:
    assert find_durations(normalize_ar(raw).text) == []


def test_today_with_a_weekday_is_that_weekday():
    # a crawl date may be days after the writer's «today, Wednesday»
    text = normalize_ar("قال التلفزيون اليوم الاربعاء إن غارة وقعت.").text
    (m,) = find_dates(text, D(2015, 7, 31))
    assert m.first == D(2015, 7, 29)


def test_a_day_number_with_the_article():
    text = normalize_ar("قتل في الـ8 من يوليو الجاري خلال تنقله بسيارة.").text
    (m,) = find_dates(text, D(2015, 7, 22))
    assert (m.first, m.precision) == (D(2015, 7, 8), "day")
