"""find_numbers / parse_number_words / dual_value on small hand-written sentences."""

from __future__ import annotations

import importlib
import json
from importlib import resources

import pytest

from hadath.text.normalize import normalize_ar
from hadath.text.numbers import dual_value, find_numbers, parse_number_words


def nums(raw: str) -> list[tuple[str, int, str, bool, bool]]:
    text = normalize_ar(raw).text
    return [(text[m.start:m.end], m.value, m.qualifier, m.vague, m.ordinal) for m in find_numbers(text)]


def one(raw: str) -> tuple[str, int, str, bool, bool]:
    found = nums(raw)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(("raw", "value"), [
    ("سقط ١٧ قتيلا", 17),
    ("وصل 1,200 جندي", 1200),
    ("فر 1.5 مليون لاجئ", 1500000),
    ("قتل تسعة وأربعون شخصا", 49),
    ("اعتقل مائة وخمسة وعشرين متظاهرا", 125),
    ("نزح ثلاثة آلاف وخمسمائة شخص", 3500),
    ("أصيب أحد عشر شخصا", 11),
    ("قتلت اثنتا عشرة امرأة", 12),
    ("قتل ثلاثمائة جندي", 300),
    ("قتل ثلاث مائة جندي", 300),
    ("أصيب مئتي شخص", 200),
    ("قتل ألفا جندي", 2000),
    ("وصل 5 آلاف لاجئ", 5000),
    ("قتل شخص واحد", 1),
    ("قتل عشرون مدنيا", 20),
    ("اعتقلت الشرطة ستة وعشرين", 26),
])
def test_exact_values(raw: str, value: int) -> None:
    _, got, qualifier, vague, ordinal = one(raw)
    assert (got, qualifier, vague, ordinal) == (value, "exact", False, False)


def test_noun_not_in_span() -> None:
    assert one("قتل 20 شخصا")[0] == "20"
    assert one("قتل تسعة وأربعون شخصا")[0] == "تسعه واربعون"


@pytest.mark.parametrize(("raw", "span", "value", "qualifier"), [
    ("أصيب أكثر من 360 شخصا", "اكثر من 360", 360, "at_least"),
    ("قتل ما لا يقل عن 12 شخصا", "ما لا يقل عن 12", 12, "at_least"),
    ("أصيب 360+ شخصا", "360+", 360, "at_least"),
    ("قتل نحو 50 شخصا", "نحو 50", 50, "approx"),
    ("قتل حوالى ٢٠٠ شخص", "حوالي 200", 200, "approx"),
    ("قتل قرابة عشرين", "قرابه عشرين", 20, "approx"),
    ("اعتقل أقل من 10 أشخاص", "اقل من 10", 10, "at_most"),
    ("قتل 30 تقريبا", "30 تقريبا", 30, "approx"),
    ("قتل 30 على الأقل", "30 علي الاقل", 30, "at_least"),
])
def test_qualifiers(raw: str, span: str, value: int, qualifier: str) -> None:
    assert one(raw)[:3] == (span, value, qualifier)


def test_qualifier_after_noun_keeps_span() -> None:
    assert one("قتل 20 شخصا على الأقل")[:3] == ("20", 20, "at_least")


@pytest.mark.parametrize(("raw", "span", "value"), [
    ("سقط عشرات الجرحى", "عشرات", 24),
    ("سقط العشرات", "العشرات", 24),
    ("اعتقل مئات المحتجين", "مئات", 240),
    ("خرج آلاف المتظاهرين", "الاف", 2400),
    ("خرج عشرات الآلاف", "عشرات الالاف", 24000),
    ("أصيب بضعة أشخاص", "بضعه", 3),
    ("أصيب عدد من الجنود", "عدد من", 3),
])
def test_vague(raw: str, span: str, value: int) -> None:
    assert one(raw) == (span, value, "approx", True, False)


def test_ordinals() -> None:
    assert one("في الخامس من أغسطس") == ("الخامس", 5, "exact", False, True)
    assert one("الحادي والعشرين من مايو")[1:] == (21, "exact", False, True)
    assert one("الذكرى الـ53 للتأسيس")[1:] == (53, "exact", False, True)
    assert one("في الأول من يوليو")[1] == 1
    # "الأول" and "الثاني" are "first"/"former" outside a date
    assert nums("قال الرئيس الأول للبلاد") == []
    assert nums("الفريق الثاني فاز") == []


def test_not_numbers() -> None:
    assert nums("قال أحد الشهود") == []  # "one of", not a count
    assert nums("يوم الاثنين") == []  # Monday
    assert nums("لست أدري") == []  # "I do not know"


def test_years_are_numbers() -> None:
    assert one("في عام 2015")[1] == 2015
    assert one("حتى 2015")[2] == "exact"  # "until", not at most


def test_two_numbers_stay_apart() -> None:
    assert [n[1] for n in nums("قتل خمسة وأصيب ثلاثون")] == [5, 30]
    assert [n[1] for n in nums("قتل 5 و7 جرحى")] == [5, 7]


@pytest.mark.parametrize(("words", "value"), [
    ("تسعة واربعون", 49),
    ("مائة وخمسة وعشرين", 125),
    ("ثلاثة آلاف وخمسمائة", 3500),
    ("ألفين وخمسة عشر", 2015),
    ("إحدى عشرة", 11),
    ("مليون", 1000000),
    ("عشرة", 10),
])
def test_parse_number_words(words: str, value: int) -> None:
    assert parse_number_words(words) == value


@pytest.mark.parametrize("words", ["قتيل", "عشرات", "خمسة قتلى", ""])
def test_parse_number_words_rejects(words: str) -> None:
    assert parse_number_words(words) is None


@pytest.mark.parametrize(("word", "value"), [
    ("قتيلين", 2), ("شرطيين", 2), ("جنديين", 2), ("امرأتين", 2), ("والشرطيين", 2), ("مصابان", 2),
    ("مدنيين", None),  # sound plural "civilians", not dual
    ("مصابين", None),
    ("قتيل", None),
    ("سكان", None),
])
def test_dual_value(word: str, value: int | None) -> None:
    assert dual_value(word) == value


@pytest.mark.parametrize("kind", ["numbers", "dates"])
def test_compiled_matches_fresh_build(kind: str) -> None:
    module = importlib.import_module(f"hadath.lexicon.build.{kind}")
    fresh = json.dumps(module.build(), ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    path = resources.files("hadath") / "resources" / "compiled" / f"{kind}.json"
    committed = path.read_text(encoding="utf-8")
    assert committed == fresh
