"""Accuracy gates on the gold sets, scored by the official scorer (../shared/eval/score.py)."""

import importlib.util
import json

from hadath.cli import predict_gold
from hadath.pipeline import Options

# floors: the figures measured when they were set, less a small margin; raise them as accuracy grows
# measured 2026-12-07 with the learned event models (trained on train + dev): dev relaxed F1 0.864, strict
# 0.739, 1 duplicate; matched-event accuracy date 1.000, location 0.939, killed 0.929, injured 0.957. The
# rules alone (Options(model=False)) still give 0.884 / 0.762 there; the models add events of every type
# that the dev gold (attacks and condemnations) mostly does not code. The field floors are issue 3's goals.
DEV_FLOORS = {"relaxed_f1": 0.845, "strict_f1": 0.72, "duplicates": 3}
DEV_RULES_FLOORS = {"relaxed_f1": 0.87, "strict_f1": 0.75}
DEV_FIELD_FLOORS = {"date": 0.95, "location": 0.90, "killed": 0.90, "injured": 0.90}
# train: 0.521 / 0.388 with the shipped models, which learned from it (5-fold, unseen: 0.428 / 0.323);
# 0.299 / 0.225 by the rules alone
TRAIN_FLOORS = {"relaxed_f1": 0.50, "strict_f1": 0.37}


def _scorer(shared):
    spec = importlib.util.spec_from_file_location("score", shared / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _score(shared, gold_dir, tmp_path, options=None):
    records = predict_gold(gold_dir, options or Options())
    pred = tmp_path / "pred.jsonl"
    pred.write_text("".join(r.to_json_line() for r in records), encoding="utf-8")
    out = tmp_path / "score.json"
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        _scorer(shared).main([str(gold_dir), str(pred), "--json"])
    out.write_text(buf.getvalue())
    return json.loads(buf.getvalue()), records


def test_seed_article_is_coded_completely(shared, tmp_path):
    summary, records = _score(shared, shared / "gold" / "seed", tmp_path)
    relaxed = summary["relaxed"]
    assert relaxed["f1"] == 1.0, relaxed  # the founding example: every event, every field
    for field, v in relaxed["fields"].items():
        assert v["accuracy"] == 1.0, (field, relaxed["fields"])
    for field in ("date", "location", "killed", "killed_children", "killed_women", "injured"):
        assert field in relaxed["fields"], f"{field} not scored: the Gaza offensive was not matched"


def test_dev_gold_floor(shared, tmp_path):
    summary, _ = _score(shared, shared / "gold" / "dev", tmp_path)
    assert summary["relaxed"]["f1"] >= DEV_FLOORS["relaxed_f1"], summary["relaxed"]
    assert summary["strict"]["f1"] >= DEV_FLOORS["strict_f1"], summary["strict"]
    assert summary["relaxed"]["dup"] <= DEV_FLOORS["duplicates"], summary["relaxed"]
    for field, floor in DEV_FIELD_FLOORS.items():
        assert summary["relaxed"]["fields"][field]["accuracy"] >= floor, (field, summary["relaxed"]["fields"])


def test_dev_gold_floor_of_the_rules_alone(shared, tmp_path):
    summary, _ = _score(shared, shared / "gold" / "dev", tmp_path, Options(model=False))
    assert summary["relaxed"]["f1"] >= DEV_RULES_FLOORS["relaxed_f1"], summary["relaxed"]
    assert summary["strict"]["f1"] >= DEV_RULES_FLOORS["strict_f1"], summary["strict"]


def test_train_gold_floor(shared, tmp_path):
    summary, _ = _score(shared, shared / "gold" / "train", tmp_path)
    assert summary["relaxed"]["f1"] >= TRAIN_FLOORS["relaxed_f1"], summary["relaxed"]
    assert summary["strict"]["f1"] >= TRAIN_FLOORS["strict_f1"], summary["strict"]
