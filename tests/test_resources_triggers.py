"""The trigger lexicon: its YAML source, the inflection generator and the compiled table."""

from __future__ import annotations

import json
import re
import unicodedata
from importlib import resources

import pytest

from hadath.coding.plover import coding
from hadath.lexicon.build import triggers as builder
from hadath.lexicon.inflect import noun_forms, past_forms, plural_forms, verb_forms
from hadath.lexicon.resources import compiled, source
from hadath.text.normalize import normalize_key

PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
ACLED = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {"Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED",
                                   "Grenade"},
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"},
}
MODES = {
    "ASSAULT": {"aerial", "heavy-weapons", "firearms", "explosives", "suicide-attack", "assassinate",
                "abduct", "beat", "torture", "massacre"},
    "COERCE": {"arrest", "seize", "restrict", "ban", "curfew", "deport"},
    "PROTEST": {"demo", "hunger", "boycott", "obstruct", "riot"},
    "CONSULT": {"phone", "visit", "third-party"},
}
TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
         "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}


@pytest.fixture(scope="module")
def table() -> dict:
    return compiled("triggers")


def keys(forms: list[str]) -> set[str]:
    return {normalize_key(f) for f in forms}


def readings(table: dict, form: str) -> list[tuple[str, str | None, str]]:
    """(type, mode, pos) of every entry a surface form belongs to."""
    out = []
    for eid, pos in table["forms"].get(normalize_key(form), []):
        entry = table["entries"][eid]
        out.append((entry["type"], entry["mode"], pos))
    return out


# ── the source files ──

@pytest.mark.parametrize("name", ["triggers.yaml", "coding.yaml"])
def test_source_is_nfc_without_presentation_forms(name: str) -> None:
    text = (resources.files("hadath") / "resources" / "ar" / name).read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    assert not PRESENTATION_FORMS.search(text)


def test_coding_tables_match_the_spec() -> None:
    c = coding()
    assert set(c.types) == TYPES
    assert {t: set(m) for t, m in c.modes.items()} == MODES
    assert {t: set(s) for t, s in c.acled.items()} == ACLED
    assert c.cameo_type("195") == "ASSAULT" and c.cameo_type("1723") == "COERCE"
    assert c.cameo_type("0841") == "RETREAT"  # the 2021 table, whatever our lexicon does with it


def test_every_entry_is_valid(table: dict) -> None:
    data = source("triggers.yaml")
    ids = [e["id"] for e in data]
    assert len(ids) == len(set(ids))
    assert {e["type"] for e in data} == TYPES  # all 16 types present
    for entry in table["entries"].values():
        assert entry["type"] in TYPES
        assert entry["mode"] is None or entry["mode"] in MODES.get(entry["type"], set())
        assert re.fullmatch(r"\d{2,4}", entry["cameo"])
        if entry["acled"] is not None:
            assert entry["acled"]["sub_event_type"] in ACLED[entry["acled"]["event_type"]]
        assert entry["subject"] in ("source", "target")
        assert entry["needs"] is None or all(w == normalize_key(w) and " " not in w for w in entry["needs"])


def test_rich_coverage(table: dict) -> None:
    per_type: dict[str, int] = {}
    for entry in table["entries"].values():
        per_type[entry["type"]] = per_type.get(entry["type"], 0) + 1
    assert all(per_type.get(t, 0) >= 3 for t in TYPES), per_type
    assert per_type["ASSAULT"] >= 30 and per_type["COERCE"] >= 15


def test_invalid_entries_are_refused() -> None:
    good = {"id": "x", "type": "ASSAULT", "cameo": "190", "nouns": ["هجوم"]}
    builder.compile_entries([good])
    for bad in ({"type": "ATTACK"}, {"mode": "arrest"}, {"cameo": 190}, {"cameo": "19a"},
                {"acled": ["Battles", "Air/drone strike"]}, {"subject": "victim"}):
        with pytest.raises(builder.TriggerError):
            builder.compile_entries([{**good, **bad}])
    with pytest.raises(builder.TriggerError):
        builder.compile_entries([good, good])


# ── the generator ──

def test_sound_verb_qasf() -> None:
    got = keys(verb_forms("قصف", "يقصف"))
    want = ["قصف", "قصفت", "قصفوا", "قصفتا", "قصفا", "قصفن", "قصفنا", "قصفتم",
            "يقصف", "تقصف", "نقصف", "أقصف", "يقصفون", "تقصفون", "يقصفان", "تقصفان", "يقصفن", "يقصفوا",
            "قصفه", "قصفها", "قصفهم", "قصفهما", "قصفهن", "قصفكم", "قصفته", "قصفوه", "قصفناهم",
            "يقصفه", "تقصفها", "يقصفونهم"]
    assert keys(want) <= got
    # no proclitics and no verb-ness on nouns
    assert not {normalize_key(w) for w in ["وقصف", "سيقصف", "القصف"]} & got


def test_defective_verbs() -> None:
    rama = keys(verb_forms("رمى", "يرمي"))
    assert keys(["رمى", "رمت", "رموا", "رمتا", "رميا", "رمينا", "رماه", "رماها", "رمته", "رموه",
                 "يرمي", "ترمي", "يرمون", "يرميان", "يرموا", "يرميه", "يرمونه"]) <= rama
    assert normalize_key("رماوا") not in rama and normalize_key("رمات") not in rama
    daa = keys(verb_forms("دعا", "يدعو"))
    assert keys(["دعا", "دعت", "دعوا", "دعتا", "دعونا", "دعاه", "دعاهم", "دعته", "دعوه",
                 "يدعو", "تدعو", "يدعون", "يدعوان", "يدعوه", "ندعو"]) <= daa
    assert normalize_key("دعات") not in daa
    laqiya = keys(verb_forms("لقي", "يلقى"))
    assert keys(["لقي", "لقيت", "لقوا", "يلقى", "تلقى", "يلقون", "يلقاه"]) <= laqiya


def test_hamzated_hollow_and_doubled_verbs() -> None:
    atlaq = keys(verb_forms("أطلق", "يطلق"))
    assert keys(["أطلق", "أطلقت", "أطلقوا", "أطلقنا", "يطلق", "تطلق", "نطلق", "يطلقون", "أطلقه",
                 "أطلقتها", "يطلقونها"]) <= atlaq
    assert "اطلق" in atlaq  # hamza folded on the key
    zar_subj, _ = past_forms("زار")
    assert keys(["زار", "زارت", "زاروا", "زرنا", "زرتم", "زرن"]) <= keys(zar_subj)
    assert normalize_key("زارنا") in keys(verb_forms("زار", "يزور"))  # "visited us"
    shann = keys(verb_forms("شنّ", "يشن"))
    assert keys(["شن", "شنت", "شنوا", "شننا", "يشن", "يشنون"]) <= shann
    bada = keys(verb_forms("بدأ", "يبدأ"))
    assert keys(["بدأوا", "بدؤوا", "يبدؤون", "يبدأون"]) <= bada
    alan = keys(past_forms("أعلن")[0])
    assert normalize_key("أعلننا") not in alan  # أعلنّا is written with one nun


def test_form_viii_itaqal(table: dict) -> None:
    got = keys(verb_forms("اعتقل", "يعتقل"))
    assert keys(["اعتقل", "اعتقلت", "اعتقلوا", "يعتقل", "اعتقلته", "اعتقلوهم", "يعتقلون"]) <= got
    nouns = keys(noun_forms("اعتقال") + plural_forms("اعتقالات"))
    assert keys(["اعتقال", "الاعتقال", "اعتقالا", "اعتقاله", "اعتقالات", "الاعتقالات"]) <= nouns
    for form in ["اعتقلت", "اعتقلوا", "يعتقل", "اعتقلته", "اعتقال", "الاعتقالات"]:
        assert ("COERCE", "arrest") in {(t, m) for t, m, _ in readings(table, form)}, form


def test_noun_forms() -> None:
    ghara = keys(noun_forms("غارة"))
    assert keys(["غارة", "الغارة", "غارات", "الغارات", "غارتان", "غارتين", "الغارتين", "غارته"]) <= ghara
    hujum = keys(noun_forms("هجوم") + plural_forms("هجمات"))
    assert keys(["هجوم", "الهجوم", "هجوما", "هجومين", "هجمات", "الهجمات", "هجماته"]) <= hujum
    assert normalize_key("الهجوما") not in hujum
    assert keys(noun_forms("ضربة جوية")) == keys(["ضربة جوية", "الضربة الجوية"])


# ── the compiled table ──

@pytest.mark.parametrize("form, want_type, want_mode", [
    ("حذرتا", "THREATEN", None),
    ("استهدفت", "ASSAULT", None),
    ("الغارات", "ASSAULT", "aerial"),
    ("اعتقالات", "COERCE", "arrest"),
    ("التقى", "CONSULT", None),
    ("أدانت", "ACCUSE", None),
    ("تظاهروا", "PROTEST", "demo"),
    ("اغتيال", "ASSAULT", "assassinate"),
    ("مفخخة", "ASSAULT", "explosives"),
    ("زيارته", "CONSULT", "visit"),
    ("أفرجت", "CONCEDE", None),
    ("انسحبت", "RETREAT", None),
    ("هدنة", "RETREAT", None),
    ("وقف إطلاق النار", "RETREAT", None),
    ("طالبت", "REQUEST", None),
    ("رفضت", "REJECT", None),
    ("أشاد", "SUPPORT", None),
    ("اتفقا", "AGREE", None),
    ("نسقت", "COOPERATE", None),
    ("الإغاثة", "AID", None),
    ("حشود", "MOBILIZE", None),
    ("العقوبات", "SANCTION", None),
])
def test_lookups(table: dict, form: str, want_type: str, want_mode: str | None) -> None:
    got = readings(table, form)
    assert any(t == want_type and (want_mode is None or m == want_mode) for t, m, _ in got), got


def test_proclitics_and_collisions_are_not_in_the_table(table: dict) -> None:
    for form in ["وحذرتا", "والغارات", "سيقصف", "بالقصف"]:  # the matcher strips these
        assert normalize_key(form) not in table["forms"], form
    # non-event homographs: excluded, or only under an entry that needs a following word, or left to the
    # learned decision (candidate_only: the rules never code them)
    for form in ["فجر", "هنا", "زاره", "صادر", "حاكم", "نصف", "ابعاد", "سجن", "حكم", "وقع", "بحث"]:
        ungated = [eid for eid, _ in table["forms"].get(normalize_key(form), [])
                   if not table["entries"][eid]["needs"] and not table["entries"][eid].get("candidate_only")]
        assert not ungated, (form, ungated)


def test_needs_and_subject(table: dict) -> None:
    e = table["entries"]
    assert "القبض" in e["ilqa_qabd"]["needs"]
    assert {"النار", "الرصاص"} <= set(e["itlaq_nar"]["needs"])
    assert {"مصرعه", "حتفهم"} <= set(e["laqiya_masraa"]["needs"])
    assert e["istashhad"]["subject"] == "target" and e["qasf"]["subject"] == "source"
    assert e["ghara"]["acled"] == {"event_type": "Explosions/Remote violence",
                                   "sub_event_type": "Air/drone strike"}
    # a form shared by several entries keeps every reading, with its pos
    assert ["qatl", "noun"] in table["forms"]["قتل"] and ["qatl", "verb"] in table["forms"]["قتل"]


def test_keys_are_normalized(table: dict) -> None:
    for form in table["forms"]:
        assert form == normalize_key(form)
    for entry_readings in table["forms"].values():
        assert entry_readings == sorted(entry_readings)
        assert all(pos in ("verb", "noun") for _, pos in entry_readings)


def test_compiled_equals_fresh_build() -> None:
    fresh = json.dumps(builder.build(), ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    committed = (resources.files("hadath") / "resources" / "compiled" / "triggers.json").read_text("utf-8")
    assert committed == fresh


def test_participles_and_gated_literals(table: dict) -> None:
    assert ("ACCUSE", None, "verb") in readings(table, "مستنكرا")
    assert ("THREATEN", None, "verb") in readings(table, "محذرا")
    # "defendants", not an accusation: only a candidate for the learned decision
    defendants = table["forms"].get(normalize_key("متهمين"), [])
    assert all(table["entries"][eid].get("candidate_only") for eid, _ in defendants)
    # دان (condemned / the name Dan) only with what was condemned after it
    assert [["dan_3ms", "verb"]] == table["forms"]["دان"]
    assert table["entries"]["dan_3ms"]["needs"]
