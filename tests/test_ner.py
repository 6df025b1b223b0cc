"""The NER tagger: reading the training formats, CoNLL scoring, the shipped model, the `hadath ner` command."""

import subprocess
import sys
from pathlib import Path

import pytest

from hadath.ner import model as ner
from hadath.ner.train import (
    Score,
    conll_score,
    dev_split,
    newsfane_type_map,
    read_anercorp,
    read_newsfane,
)

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ner"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hadath.cli", *args], input=stdin, capture_output=True,
                          text=True, timeout=120)


# ------------------------------------------------------------------------------------------- reading


def test_anercorp_sentences_end_at_full_stops_and_glued_tags_are_split(tmp_path):
    f = tmp_path / "aner.txt"
    f.write_text("\ufeffفرانكفورت B-LOC\nأعلن O\nاتحاد B-ORG\nصناعة I-ORG\n. Oالإصابة O\nمحمد B-PERS\n O\n",
                 encoding="utf-8")
    sentences = read_anercorp(f)
    assert sentences == [
        [("فرانكفورت", "B-LOC"), ("أعلن", "O"), ("اتحاد", "B-ORG"), ("صناعة", "I-ORG"), (".", "O")],
        [("الإصابة", "O"), ("محمد", "B-PERS")],
    ]


def test_newsfane_strips_bom_marks_and_crlf_and_maps_types(tmp_path):
    f = tmp_path / "fane.txt"
    lines = ["\ufeff\u200eفرنسا\tB-Nation", "\u200eقال\tO", "\u200eوزير\tB-Politician", "\u200eالخارجية\tI-Politician",
             "", "\u200eالعرب\tB-Group", "\u200eفي\tO", "\u200eمسجد\tB-Building-Grounds",
             "\u200eالاقصى\tI-Building-Grounds", "\u200eو\tO", "\u200eحماس\tI-Non-Governmental", ""]
    f.write_bytes("\r\n".join(lines).encode("utf-8"))
    sentences = read_newsfane(f)
    assert sentences == [
        [("فرنسا", "B-LOC"), ("قال", "O"), ("وزير", "B-PERS"), ("الخارجية", "I-PERS")],
        # Group and Building-Grounds map to O; a stray I- after O starts an entity
        [("العرب", "O"), ("في", "O"), ("مسجد", "O"), ("الاقصى", "O"), ("و", "O"), ("حماس", "B-ORG")],
    ]


def test_newsfane_type_table_covers_the_fine_types_onto_four():
    table = newsfane_type_map()
    assert len(table) == 45
    assert set(table.values()) == {"PERS", "LOC", "ORG", "MISC", "O"}
    assert table["Population-Center"] == "LOC" and table["Government"] == "ORG" and table["Athlete"] == "PERS"


def test_dev_split_is_the_fixed_tail():
    sentences = [[(str(i), "O")] for i in range(20)]
    train, dev = dev_split(sentences)
    assert train == sentences[:18] and dev == sentences[18:]


# ------------------------------------------------------------------------------------------- scoring


def test_conll_scoring_on_a_hand_made_example():
    gold = [["B-PERS", "I-PERS", "O", "B-LOC"], ["B-ORG", "I-ORG", "I-ORG", "O", "B-MISC"]]
    pred = [["B-PERS", "I-PERS", "O", "B-ORG"], ["B-ORG", "I-ORG", "O", "O", "I-MISC"]]
    s = conll_score(gold, pred)
    # PERS right; LOC missed and an ORG invented in its place; the ORG cut short; the I-MISC after O is an entity
    assert (s["PERS"].tp, s["PERS"].fp, s["PERS"].fn) == (1, 0, 0)
    assert (s["LOC"].tp, s["LOC"].fn) == (0, 1)
    assert (s["ORG"].tp, s["ORG"].fp, s["ORG"].fn) == (0, 2, 1)
    assert s["MISC"].f1 == 1.0
    assert s["micro"].tp == 2 and s["micro"].fp == 2 and s["micro"].fn == 2
    assert s["macro"] == pytest.approx((1.0 + 0.0 + 0.0 + 1.0) / 4)
    assert Score(3, 1, 1).f1 == pytest.approx(0.75)


# ------------------------------------------------------------------------------------- shipped model


def test_shipped_model_tags_names_with_their_types():
    tokens = "قال الرئيس المصري عبد الفتاح السيسي في القاهرة إن وزارة الخارجية ستعقد اجتماعا .".split()
    tags = ner.tag(tokens)
    assert len(tags) == len(tokens)
    by_token = dict(zip(tokens, tags, strict=True))
    assert by_token["عبد"] == "B-PERS" and by_token["السيسي"] == "I-PERS"
    assert by_token["القاهرة"] == "B-LOC"
    assert by_token["قال"] == "O" and by_token["اجتماعا"] == "O"
    assert ner.tag([]) == []


def test_entities_are_spans_of_the_raw_text():
    text = ("وصل رئيس الوزراء البريطاني ديفيد كاميرون إلى الرياض، والتقى بممثلي منظمة الصحة العالمية.\n"
            "وقالت الأمم المتحدة…")
    found = ner.entities(text)
    for e in found:
        assert text[e.start:e.end] == e.text
        assert e.text == e.text.strip() and e.type in {"PERS", "LOC", "ORG", "MISC"}
    got = {(e.text, e.type) for e in found}
    assert ("ديفيد كاميرون", "PERS") in got
    assert ("الرياض", "LOC") in got
    assert any(t == "ORG" and "الصحة العالمية" in s for s, t in got)


def test_entities_of_text_with_diacritics_point_into_the_original():
    text = "قَالَ مُحَمَّد بْن سَلْمَان فِي جِدَّة"
    found = ner.entities(text)
    assert found, "no entity found in a sentence with a person and a city"
    for e in found:
        assert text[e.start:e.end] == e.text


def test_cluster_table_loads_and_adds_cluster_features():
    from hadath.ner.features import FeatureExtractor, load_clusters

    table = load_clusters()
    assert len(table) > 50_000
    assert table["القاهره"][0].startswith("c") and len(table["القاهره"]) >= 2
    # names of one kind share their coarse clusters more often than not
    cities = ["القاهره", "بيروت", "باريس", "دمشق", "بغداد"]
    assert len({table[c][0] for c in cities}) < len(cities)
    lexicon = ner.default_model().extractor.lexicon
    tokens = "زار الرئيس القاهره امس".split()
    with_clusters = FeatureExtractor(lexicon).sentence(tokens)
    without = FeatureExtractor(lexicon, clusters={}).sentence(tokens)
    assert set(table["القاهره"]) <= set(with_clusters[2])
    # the neighbours see it too, named apart from their own clusters
    assert {c + "-1" for c in table["القاهره"]} <= set(with_clusters[3])
    assert {c + "+1" for c in table["القاهره"]} <= set(with_clusters[1])
    assert {c + "+2" for c in table["القاهره"][:2]} <= set(with_clusters[0])
    assert any(a.startswith("cc-1=") for a in with_clusters[2])
    assert not any(a.startswith("c64=") for a in without[2]) and "c=?" in without[2]
    # a word too rare for the table falls back on the clusters of the word behind its proclitics
    rare = next(w for w in ("فبالقاهره", "وبالقاهره", "فللقاهره") if w not in table)
    assert set(table["القاهره"]) <= set(FeatureExtractor(lexicon).sentence([rare])[0])


def test_model_loads_once_per_process():
    assert ner.default_model() is ner.default_model()


# ------------------------------------------------------------------------------------------------ CLI


def test_cli_tags_a_token_file_and_keeps_blank_lines(tmp_path):
    f = tmp_path / "tokens.txt"
    f.write_text("زار\tO\nباراك\nأوباما\nبرلين\n.\n\n\nوقال\nالمتحدث\n", encoding="utf-8")
    r = run("ner", str(f))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.split("\n")
    assert lines[:8] == [lines[0], lines[1], lines[2], lines[3], lines[4], "", "", lines[7]]
    rows = [line.split("\t") for line in lines if line]
    assert [t for t, _ in rows] == ["زار", "باراك", "أوباما", "برلين", ".", "وقال", "المتحدث"]
    assert rows[1][1] == "B-PERS" and rows[2][1] == "I-PERS"
    assert all(tag in {"O"} or tag[:2] in {"B-", "I-"} for _, tag in rows)


def test_cli_text_mode_prints_spans_that_slice_the_input(tmp_path):
    text = "أعلنت وزارة الداخلية السعودية أن الأمير محمد بن نايف زار مدينة الدمام."
    r = run("ner", "--text", "-", stdin=text)
    assert r.returncode == 0, r.stderr
    rows = [line.split("\t") for line in r.stdout.splitlines()]
    assert rows
    for start, end, typ, surface in rows:
        assert text[int(start):int(end)] == surface
        assert typ in {"PERS", "LOC", "ORG", "MISC"}
    assert any(typ == "PERS" and "محمد بن نايف" in s for _, _, typ, s in rows)


# ------------------------------------------------------------------------------------- shared data


@pytest.fixture(scope="module")
def data() -> Path:
    if not (DATA / "anercorp-train.txt").is_file():
        pytest.skip(f"NER training data not found at {DATA} (../shared/data/ner beside the checkout)")
    return DATA


def test_real_corpora_read_cleanly(data):
    aner = read_anercorp(data / "anercorp-train.txt")
    fane = read_newsfane(data / "newsfane-gold-2014.txt")
    assert sum(len(s) for s in aner) > 120_000 and sum(len(s) for s in fane) > 160_000
    for sentences in (aner, fane):
        for s in sentences:
            for token, tag in s:
                assert token and not any(c in token for c in "\ufeff\u200e\r\t ")
                assert tag == "O" or tag[2:] in {"PERS", "LOC", "ORG", "MISC"}


def test_shipped_model_on_the_dev_split(data):
    _, dev = dev_split(read_anercorp(data / "anercorp-train.txt"))
    predicted = [ner.tag([t for t, _ in s]) for s in dev]
    scores = conll_score([[tag for _, tag in s] for s in dev], predicted)
    # a floor well under the measured figure (see the model's JSON), to catch a broken model or features
    assert scores["macro"] > 0.65 and scores["micro"].f1 > 0.72


def test_a_name_ends_before_close_to():
    from hadath.extract.entities import ner_actors
    from hadath.pipeline import build_doc

    doc = build_doc("قتلت حركة الشبيبة الوطنية الثورية المقربة من الحزب رجلا في إسطنبول.", None, ner=False)
    (actor,) = ner_actors(doc, doc.actors, [(1, 6, "ORG")], "TUR")
    assert actor.name == "Harakat al-Shabiba al-Wataniya al-Thawriya" and actor.last == 5


def test_a_movement_only_the_model_knows_that_kills_is_an_armed_group():
    from hadath.extract.assemble import Draft, _armed_if_it_fights
    from hadath.extract.entities import ner_actors
    from hadath.extract.frames import FrameFinder
    from hadath.pipeline import build_doc

    doc = build_doc("قتلت حركة الشبيبة الوطنية الثورية رجلا في إسطنبول.", None, ner=False)
    (actor,) = ner_actors(doc, doc.actors, [(1, 5, "ORG")], "TUR")
    assert actor.sector == "PTY"
    (frame,) = FrameFinder(doc).find()
    draft = Draft([frame], "ASSAULT", frame.entry, [actor], [])
    _armed_if_it_fights(draft)
    assert [a.sector for a in draft.source] == ["REB"]


def test_shipped_model_was_trained_on_these_gazetteer_tables():
    # the gazetteer marks are features: a lexicon edit after training changes what the model sees
    import json
    from importlib import resources

    from hadath.ner.features import gazetteer_digest

    meta = json.loads((resources.files("hadath") / "resources" / "ner" / "model.json").read_text(encoding="utf-8"))
    assert meta["gazetteer_sha256"] == gazetteer_digest(), (
        "places, countries or actors changed since the NER model was trained: run `hadath train ner --out "
        "src/hadath/resources/ner/model.crfsuite` (see the README)")


# ------------------------------------------------------------------ decoding without CRFsuite at run time

SENTENCES = [
    "قال وزير الخارجية الأمريكي مايك بومبيو في واشنطن إن الرئيس دونالد ترامب سيلتقي محمد بن سلمان",
    "وأعلنت وزارة الصحة الفلسطينية في غزة استشهاد ثلاثة شبان برصاص الجيش الإسرائيلي قرب خان يونس",
    "بغداد",
    "التقى الأمين العام للأمم المتحدة أنطونيو غوتيريش وفدا من حركة حماس في الدوحة",
]


def _words(text: str) -> list[str]:
    from hadath.text.normalize import normalize_ar

    return normalize_ar(text).text.split()


def test_weights_are_read_exactly_from_the_crfsuite_file():
    model = ner.default_model()
    dump = model._tagger.info()  # CRFsuite's own text dump, rounded to six decimals
    w = model.weights
    assert w.labels == list(model._tagger.labels())
    assert len(w.attributes) == len({a for a, _ in dump.state_features})
    label = {name: k for k, name in enumerate(w.labels)}
    for (attribute, name), weight in list(dump.state_features.items())[::97]:
        assert abs(w.state[w.attributes[attribute], label[name]] - weight) <= 5e-7
    for (a, b), weight in dump.transitions.items():
        assert abs(w.transition[label[a], label[b]] - weight) <= 5e-7
    assert not w.state[w.zero].any()


def test_a_file_that_is_no_crfsuite_model_is_refused(tmp_path):
    from hadath.errors import ResourceError
    from hadath.ner.crf import read_crfsuite

    bad = tmp_path / "model.crfsuite"
    bad.write_bytes(b"lCRF" + b"\0" * 60)
    with pytest.raises(ResourceError):
        read_crfsuite(bad)


def test_word_level_sums_equal_the_weights_of_every_attribute():
    model = ner.default_model()
    w, extractor = model.weights, model.extractor
    for text in SENTENCES:
        words = _words(text)
        by_attribute = [w.total(attributes) for attributes in extractor.sentence(words, normalized=True)]
        assert abs(extractor.state_scores(words, w) - by_attribute).max() < 1e-9


def test_numpy_viterbi_finds_the_crfsuite_path():
    model = ner.default_model()
    sentences = [_words(t) for t in SENTENCES]
    crfsuite = [list(model._tagger.tag(model.extractor.sentence(s, normalized=True))) for s in sentences]
    assert model.tag_many(sentences, normalized=True) == crfsuite
    assert any(t != "O" for tags in crfsuite for t in tags)


def test_viterbi_against_every_path_and_ties_to_the_first_label():
    import itertools

    import numpy as np

    from hadath.ner.crf import viterbi

    rng = np.random.default_rng(7)
    transition = rng.normal(size=(3, 3))
    scores = [rng.normal(size=(n, 3)) for n in (1, 2, 4, 5)] + [np.zeros((0, 3))]

    def total(s, path):
        return sum(s[t, y] for t, y in enumerate(path)) + sum(transition[a, b] for a, b in itertools.pairwise(path))

    found = viterbi(scores, transition)
    for s, path in zip(scores[:-1], found, strict=False):
        best = max(itertools.product(range(3), repeat=len(s)), key=lambda p: total(s, p))
        assert tuple(path) == best
    assert found[-1] == []
    assert viterbi([np.zeros((2, 3))], np.zeros((3, 3))) == [[0, 0]]
