"""The learned decisions (hadath.learn): alignment of gold quotes, the linear models, training, and
the pipeline running the shipped and freshly trained models."""

import json
import math
from datetime import date
from pathlib import Path

import pytest

from hadath.extract.frames import FrameFinder
from hadath.learn.decide import LinearModel, decide, default_models
from hadath.learn.gold import actor_matches, locate, official_scorer, quotes_of
from hadath.pipeline import Options, build_doc, extract

PUB = date(2018, 5, 14)
RULES = Options(model=False)


def test_quotes_of_a_note_split_at_ellipses():
    note = "The court acquitted ('قضت ... ببراءة') all 100 members; clashes ('الصدامات') followed."
    assert quotes_of(note) == [["قضت", "ببراءة"], ["الصدامات"]]
    assert quotes_of("no Arabic quote 'here'") == []


def test_locate_finds_every_quote_in_the_normalized_text():
    text = build_doc("وقضت المحكمة اليوم ببراءة المتهمين. ثم اندلعت الصدامات في المدينة.", PUB, ner=False).text
    spans = locate(text, "acquitted ('قضت ... ببراءة'), clashes ('الصدامات')")
    assert [text[s:e] for s, e in spans] == ["قضت", "ببراءه", "الصدامات"]
    # normalization is applied to the quote as to the article: alef forms and teh marbuta fold
    norm = build_doc("أعلنت الحكومة إجراءات جديدة", PUB, ner=False).text
    assert [norm[s:e] for s, e in locate(norm, "('إجراءات')")] == ["اجراءات"]


def test_actor_matching_follows_the_official_scorer(shared):
    scorer = official_scorer(shared / "gold" / "dev")
    gold = {"names": ["Hamas"], "country": "PSE", "sector": ["REB", "PTY"]}
    assert actor_matches(scorer, "Hamas", None, None, gold)  # by name
    assert actor_matches(scorer, "Al-Qassam Brigades", "PSE", "REB", gold)  # relaxed: country and an allowed sector
    assert not actor_matches(scorer, "Palestinian Authority", "PSE", "GOV", gold)
    assert not actor_matches(scorer, "Israel", "ISR", "REB", gold)


def test_linear_model_probabilities_by_hand():
    binary = LinearModel(["source"], {"a": [2.0], "b": [-1.0]}, [-0.5])
    assert binary.proba(["a", "b", "unknown"])["source"] == pytest.approx(1 / (1 + math.exp(-0.5)))
    assert binary.proba(["a", "a"])["source"] == pytest.approx(1 / (1 + math.exp(-1.5)))  # a feature counts once
    multi = LinearModel(["NONE", "PROTEST", "ASSAULT"], {"w": [0.0, 1.0, -1.0]}, [0.0, 0.0, 0.0])
    p = multi.proba(["w"])
    z = [math.exp(0), math.exp(1), math.exp(-1)]
    assert p["PROTEST"] == pytest.approx(z[1] / sum(z)) and p["ASSAULT"] == pytest.approx(z[2] / sum(z))
    assert multi.top_features(["w"], "PROTEST") == ["w +1.00"]
    assert multi.top_features(["w"], "ASSAULT") == []


def test_rules_leave_candidate_only_triggers_to_the_models():
    text = "احتشد آلاف المحتجين في ساحة التحرير ببغداد للمطالبة بإقالة الحكومة العراقية."
    doc = build_doc(text, PUB, ner=False)
    frames = FrameFinder(doc, keep_dropped=True).find()
    rallied = [f for f in frames if f.trigger_id == "c_ihtashad"]
    assert rallied and all(f.dropped for f in rallied)
    assert not [f for f in FrameFinder(doc).find() if f.trigger_id == "c_ihtashad"]


@pytest.mark.skipif(default_models() is None, reason="no events model shipped")
def test_shipped_model_codes_a_protest_the_rules_leave():
    text = ("احتشد آلاف المحتجين اليوم الاثنين في ساحة التحرير وسط بغداد للمطالبة بإقالة الحكومة العراقية "
            "ومحاسبة الفاسدين.")
    assert not [e for e in extract(text, published=PUB, options=RULES).events if e.event_type == "PROTEST"]
    protests = [e for e in extract(text, published=PUB).events if e.event_type == "PROTEST"]
    assert len(protests) == 1
    e = protests[0]
    assert e.evidence.trigger == "احتشد"
    assert any(w.rule.startswith("event:model:") for w in e.why)
    assert e.location is not None and e.location.country == "IRQ"


@pytest.mark.skipif(default_models() is None, reason="no events model shipped")
def test_shipped_model_keeps_the_rules_events_as_they_are():
    text = ("قصفت الطائرات الإسرائيلية مواقع لحركة حماس في خان يونس جنوب قطاع غزة فجر اليوم، "
            "ما أدى إلى مقتل ثلاثة فلسطينيين وإصابة سبعة آخرين.")
    ruled = extract(text, published=PUB, options=RULES).events
    both = extract(text, published=PUB).events
    assert ruled, "the rules code this attack"
    assert [e.model_dump() for e in both[:len(ruled)]] == [e.model_dump() for e in ruled]


def test_decide_drops_what_the_trigger_model_calls_no_event():
    from hadath.learn.decide import EventModels, read_frames

    doc = build_doc("احتشد آلاف المحتجين في بغداد ضد الحكومة العراقية.", PUB, ner=False)
    never = LinearModel(["NONE", "PROTEST"], {}, [5.0, 0.0])
    always = LinearModel(["NONE", "PROTEST"], {}, [0.0, 5.0])
    side = LinearModel(["source"], {}, [3.0])
    target = LinearModel(["target"], {}, [3.0])
    for trigger, want in ((never, False), (always, True)):
        models = EventModels(trigger, side, target, 0.35, 0.2, 0.6, 1.1, 0.0)
        frames = FrameFinder(doc, keep_dropped=True).find()
        read_frames(doc, frames)
        kept = decide(doc, frames, models, frames)
        assert bool(kept) == want
        assert all(f.type == "PROTEST" for f in kept)
        # every candidate is sure on both sides (a tie goes to the source), yet a one-way act does not
        # put a name on both
        for f in kept:
            assert f.source
            assert not {a.name for a in f.source} & {a.name for a in f.target}


def _slice(shared: Path, n: int):
    from hadath.learn.train import load_sets

    return [a for _, a in load_sets([shared / "gold" / "dev"])][:n]


def test_training_on_a_slice_is_reproducible_and_runs_in_the_pipeline(shared, tmp_path):
    from hadath.learn.decide import models_from_json
    from hadath.learn.train import article_examples, code_gold, fit, to_json

    articles = _slice(shared, 12)
    scorer = official_scorer(shared / "gold" / "dev")
    examples = [article_examples(a, scorer, ner=False) for a in articles]
    assert any(label != "NONE" for e in examples for _, label in e.trigger)
    assert any(label == 1 for e in examples for _, label in e.source)
    first = to_json(fit(examples), {"test": True})
    second = to_json(fit([article_examples(a, scorer, ner=False) for a in articles]), {"test": True})
    assert first == second  # byte for byte
    models = models_from_json(json.loads(first))
    preds = code_gold(articles[:3], models, ner=False)
    assert set(preds) == {a.id for a in articles[:3]}
    assert all(isinstance(e["event_type"], str) for evs in preds.values() for e in evs)


def test_train_events_refuses_the_check_set(shared, capsys):
    from hadath.cli import main

    assert main(["train", "events", str(shared / "gold" / "check"), "--out", "/dev/null"]) == 2
    assert "never learned from" in capsys.readouterr().err


def test_sure_side_models_add_to_what_the_rules_gave_and_remove_nothing():
    from hadath.learn.decide import EventModels, add_sure_sides

    doc = build_doc("وقالت الخارجية المصرية إن قوات الأمن اعتقلت خمسة من المحتجين في القاهرة.", PUB, ner=False)
    (frame,) = [f for f in FrameFinder(doc).find() if f.type == "COERCE"]
    trigger = LinearModel(["NONE", "COERCE"], {}, [0.0, 0.0])
    sure_target = LinearModel(["target"], {}, [4.0])
    never_source = LinearModel(["source"], {}, [-4.0])
    source, target = list(frame.source), list(frame.target)
    before = {a.name for a in source + target}
    add_sure_sides(doc, EventModels(trigger, never_source, sure_target, 0.35, 0.2, 0.6, 1.1, 0.0), frame, source,
                   target)
    assert {a.name for a in source + target} == before  # min_add above 1: nothing is sure enough
    add_sure_sides(doc, EventModels(trigger, never_source, sure_target, 0.35, 0.2, 0.6, 0.75, 0.0), frame, source,
                   target)
    assert [a.name for a in source] == [a.name for a in frame.source]  # the rules' sides stay as they were
    added = {a.name for a in target} - before
    assert added and "Government of Egypt" in added
    assert any(r.startswith("sides:model-added:") for r in frame.rules)


_WITHOUT_CANDIDATES = """
import json, sys
from hadath.lexicon.resources import compiled
table = compiled("triggers")
candidates = {k for k, e in table["entries"].items() if e.get("candidate_only")}
for form in list(table["forms"]):
    table["forms"][form] = [r for r in table["forms"][form] if r[0] not in candidates]
    if not table["forms"][form]:
        del table["forms"][form]
from hadath.pipeline import Options, extract
out = [[e.model_dump(mode="json") for e in extract(t, published="2018-05-14", options=Options(model=False)).events]
       for t in json.loads(sys.stdin.read())]
print(json.dumps(out, ensure_ascii=False))
"""


def test_rules_code_the_same_with_or_without_candidate_words():
    import subprocess
    import sys

    # «تجمع» and «وعد» are candidate words: the rules must read «حشود» and «بمحاكمة» as they did without them
    texts = [
        "وطوقت الشرطة الساحة أثناء تجمع حشود من المواطنين أمام مبنى البلدية في جاكرتا.",
        "ووعد رئيس الوزراء بمحاكمة كل المتورطين في الهجوم على مركز الشرطة.",
        "أعلنت وزارة الداخلية العراقية اعتقال عشرة مطلوبين، وقالت إن قوات الأمن أحبطت هجوما في بغداد.",
    ]
    ours = [[e.model_dump(mode="json") for e in extract(t, published="2018-05-14", options=RULES).events]
            for t in texts]
    assert any(ours), "the rules code some of these sentences"
    done = subprocess.run([sys.executable, "-c", _WITHOUT_CANDIDATES], input=json.dumps(texts), text=True,
                          capture_output=True, check=True)
    assert json.loads(done.stdout) == ours
