"""Actor lexicons: countries, named actors and composable agents."""

from __future__ import annotations

import json
import re
import unicodedata
from importlib import resources
from pathlib import Path

import pycountry
import pytest
import yaml

from hadath.lexicon.build import actors as actors_build
from hadath.lexicon.build import agents as agents_build
from hadath.lexicon.build import countries as countries_build
from hadath.lexicon.build import wikidata as wikidata_build
from hadath.text.normalize import normalize_key

AR = Path(str(resources.files("hadath") / "resources" / "ar"))
COMPILED = Path(str(resources.files("hadath") / "resources" / "compiled"))
SECTORS = set("GOV MIL REB PTY COP SPY JUD LEG CVL MED IGO NGO REL BUS REF".split())
ISO3 = {c.alpha_3 for c in pycountry.countries}
PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
FILES = ("countries.yaml", "actors.yaml", "agents.yaml", "wikidata.yaml")


def _yaml(name: str):
    return yaml.safe_load((AR / name).read_text(encoding="utf-8"))


def _render(table: dict) -> str:
    # the same rendering as scripts/build_resources.py
    return json.dumps(table, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


@pytest.fixture(scope="module")
def tables() -> dict[str, dict]:
    return {"countries": countries_build.build(), "actors": actors_build.build(),
            "agents": agents_build.build(), "wikidata": wikidata_build.build()}


# --- source files -------------------------------------------------------------

@pytest.mark.parametrize("name", FILES)
def test_source_is_nfc_without_presentation_forms(name: str) -> None:
    text = (AR / name).read_text(encoding="utf-8")
    assert unicodedata.normalize("NFC", text) == text
    assert not PRESENTATION.search(text)


def test_actor_entries_schema() -> None:
    entries = _yaml("actors.yaml")
    assert len(entries) >= 300
    names = set()
    for e in entries:
        actors_build.check_entry(e)
        assert e["name"] not in names, e["name"]
        names.add(e["name"])
        assert e.get("country") is None or e["country"] in ISO3, e
        assert e["sector"] in SECTORS
        for form in e["ar"]:
            # proclitic-free and Arabic: the matcher strips و/ف/ب/ل/ك itself
            assert re.search("[\u0600-\u06ff]", form), form
            assert not form.startswith("لل"), form


def test_agent_and_country_sources_valid() -> None:
    for a in _yaml("agents.yaml"):
        assert a["sector"] in SECTORS
    data = _yaml("countries.yaml")
    for code, entry in data["countries"].items():
        assert code in ISO3
        assert set(entry.get("forces") or {}) <= SECTORS, code
    assert set(data["resolve"].values()) <= ISO3


def test_schema_violations_are_rejected() -> None:
    good = {"name": "X", "country": "SYR", "sector": "REB", "kind": "org", "ar": ["س"]}
    for bad in ({"wikidata": "Q42"}, {"sector": "XXX"}, {"kind": "thing"}, {"country": "sy"}, {"ar": []}):
        with pytest.raises(ValueError):
            actors_build.check_entry({**good, **bad})


# --- compiled tables ------------------------------------------------------------

@pytest.mark.parametrize("kind", ["countries", "actors", "agents", "wikidata"])
def test_committed_table_equals_fresh_build(kind: str, tables: dict) -> None:
    committed = (COMPILED / f"{kind}.json").read_text(encoding="utf-8")
    assert committed == _render(tables[kind])


def test_keys_are_normalized(tables: dict) -> None:
    for table, key in (("countries", "names"), ("countries", "adjectives"), ("actors", "forms"),
                       ("agents", "forms")):
        for form in tables[table][key]:
            assert normalize_key(form) == form, form


def test_every_country_has_an_arabic_name(tables: dict) -> None:
    named = set(tables["countries"]["names"].values())
    assert set(tables["countries"]["countries"]) == ISO3
    assert named == ISO3


def test_country_forces_use_sectors(tables: dict) -> None:
    countries = tables["countries"]["countries"]
    assert countries["ISR"]["forces"]["MIL"] == "Israel Defense Forces"
    assert countries["USA"]["forces"]["MIL"] == "United States Armed Forces"
    assert countries["TUR"]["forces"]["COP"] == "General Directorate of Security (Turkey)"
    assert countries["TUR"]["name"] == "Turkey"
    assert countries["SYR"] == {**countries["SYR"], "name": "Syria", "iso2": "SY"}
    for row in countries.values():
        assert set(row["forces"]) <= SECTORS


def test_nisba_forms_of_suri() -> None:
    forms = set(countries_build.nisba_forms("سوري"))
    expected = {"سوري", "السوري", "سورية", "السورية", "سوريون", "السوريون", "سوريين", "السوريين",
                "سوريات", "السوريات"}
    assert expected <= forms
    with pytest.raises(ValueError):
        countries_build.nisba_forms("سوريا")


def test_pycountry_form_cleanup() -> None:
    assert countries_build.pycountry_forms("إيران، الجمهوريّة الإسلاميّة الإيرانيّة") == [
        "إيران", "الجمهوريّة الإسلاميّة الإيرانيّة"]
    assert "البوسنة والهرسك" in countries_build.pycountry_forms("البوسنة و الهرسك")
    assert countries_build.pycountry_forms("المجر (هنغاريا)") == ["المجر"]
    assert countries_build.pycountry_forms("Türkiye") == []


def test_country_collisions_are_never_silent() -> None:
    # pycountry alone makes الكونغو (COD, COG) and كوريا (KOR, PRK) collide
    real = _yaml("countries.yaml")
    with pytest.raises(countries_build.CollisionError):
        countries_build.compile_countries({**real, "resolve": {"الكونغو": "COD"}})
    resolved = countries_build.compile_countries({**real, "resolve": {"الكونغو": "COD", "كوريا": "KOR"}})
    assert resolved["names"]["كوريا"] == "KOR"
    # and the shipped YAML resolves every collision it has
    table = countries_build.build()
    for key, code in _yaml("countries.yaml")["resolve"].items():
        assert code in (table["names"].get(normalize_key(key)), table["adjectives"].get(normalize_key(key)))


def test_actor_form_collisions_are_refused() -> None:
    a = {"name": "A", "country": None, "sector": "REB", "kind": "org", "ar": ["داعش"]}
    b = {**a, "name": "B", "ar": ["داعش"]}
    with pytest.raises(ValueError):
        actors_build.compile_actors([a, b])


def test_agent_collisions_are_refused() -> None:
    a = {"id": "a", "sector": "MIL", "en": "a", "forms": ["الجيش"]}
    with pytest.raises(ValueError):
        agents_build.compile_agents([a, {**a, "id": "b"}])


def test_no_form_maps_to_two_entities(tables: dict) -> None:
    # the compiled dicts could not hold two owners; check the YAML did not list one form twice
    owners: dict[str, str] = {}
    for e in _yaml("actors.yaml"):
        for form in e["ar"]:
            key = normalize_key(form)
            assert owners.setdefault(key, e["name"]) == e["name"], (form, owners[key], e["name"])


def _actor(tables: dict, text: str) -> dict:
    table = tables["actors"]
    return table["entities"][table["forms"][normalize_key(text)]]


def test_actor_lookups(tables: dict) -> None:
    assert _actor(tables, "الحوثيين")["name"] == "Houthis"
    assert _actor(tables, "داعش")["name"] == "Islamic State"
    coalition = _actor(tables, "التحالف الدولي")
    assert (coalition["name"], coalition["country"], coalition["sector"]) == (
        "Combined Joint Task Force – Operation Inherent Resolve", "USA", "MIL")
    assert _actor(tables, "التحالف العربي")["name"] == "Saudi Arabian-led intervention in Yemen"
    assert _actor(tables, "أردوغان")["kind"] == "person"
    assert max(len(k.split()) for k in tables["actors"]["forms"]) == tables["actors"]["max_words"]


def test_country_lookups(tables: dict) -> None:
    c = tables["countries"]
    assert c["adjectives"][normalize_key("الإسرائيلية")] == "ISR"
    assert c["names"][normalize_key("المملكة العربية السعودية")] == "SAU"
    assert c["names"][normalize_key("سوريا")] == "SYR"
    assert c["adjectives"][normalize_key("الأمريكيين")] == "USA"
    assert c["adjectives"][normalize_key("الأتراك")] == "TUR"
    # dropped: Amman and 'financial' are not countries
    assert normalize_key("عمان") not in c["names"]
    assert normalize_key("مالي") not in c["names"]


def test_agent_lookups(tables: dict) -> None:
    t = tables["agents"]

    def agent(text: str) -> dict:
        return t["agents"][t["forms"][normalize_key(text)]]

    assert agent("الجيش")["sector"] == "MIL" and agent("جيش")["sector"] == "MIL"
    assert agent("الطيران")["air"] is True
    assert agent("الشرطة")["sector"] == "COP"
    assert agent("المسلحين")["sector"] == "REB" and agent("مسلحون")["sector"] == "REB"
    assert agent("المتظاهرات")["en"] == "protesters"
    assert agent("النازحين")["sector"] == "REF"
    assert agent("انتحاري")["en"] == "suicide bomber"
    assert agent("وزارة الخارجية")["en"] == "Ministry of Foreign Affairs"


def test_agent_expansion_rules() -> None:
    assert agents_build.definiteness_twins("المسلحون") == ["المسلحون", "مسلحون"]
    assert agents_build.definiteness_twins("مسلحون مجهولون") == ["مسلحون مجهولون", "المسلحون المجهولون"]
    assert agents_build.definiteness_twins("رجال الأمن") == ["رجال الأمن"]
    assert set(agents_build.sound_forms("مسلح")) >= {"مسلح", "مسلحة", "مسلحون", "مسلحين", "مسلحات"}


# --- Wikidata ids -----------------------------------------------------------------

def _titles(tables: dict) -> set[str]:
    """Every English title the lexicons can give an actor: entities, countries, state bodies."""
    titles = {e["name"] for e in tables["actors"]["entities"]}
    for row in tables["countries"]["countries"].values():
        titles.add(row["name"])
        titles.update(row["forces"].values())
        titles.update(row[k] for k in ("air", "navy", "security") if row.get(k))
    return titles


def test_wikidata_keys_are_titles_the_lexicons_name(tables: dict) -> None:
    # a key no lexicon emits is a typo or a stale entry: its id would never reach a record
    assert set(tables["wikidata"]["ids"]) <= _titles(tables)


def test_every_country_has_a_wikidata_id(tables: dict) -> None:
    ids = tables["wikidata"]["ids"]
    missing = sorted(row["name"] for row in tables["countries"]["countries"].values() if row["name"] not in ids)
    assert not missing
    assert (ids["Israel"], ids["Iran"], ids["State of Palestine"], ids["Hamas"]) == ("Q801", "Q794", "Q219060",
                                                                                     "Q38799")


def test_wikidata_table_refuses_bad_and_shared_ids() -> None:
    for bad in ({"Hamas": "38799"}, {"Hamas": "Q0"}, {"Hamas": "Q38799", "Harakat Hamas": "Q38799"}, ["Q1"]):
        with pytest.raises(ValueError):
            wikidata_build.compile_wikidata(bad)
    assert wikidata_build.compile_wikidata({"b": "Q2", "a": "Q1"}) == {"ids": {"a": "Q1", "b": "Q2"}}
