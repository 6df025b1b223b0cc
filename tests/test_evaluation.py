"""The error report of `hadath eval --errors` on a small gold set written for the test."""

import importlib.util
import io
import json

from hadath.evaluation import report_errors
from hadath.pipeline import extract


def _scorer(shared):
    spec = importlib.util.spec_from_file_location("score", shared / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _gold_event(gid, place):
    return {"id": gid, "type": ["ASSAULT"], "required": True,
            "source": [{"names": ["Syrian Arab Air Force"], "country": "SYR", "sector": ["MIL"]}],
            "target": [{"names": ["civilians"], "country": "SYR", "sector": ["CVL"]}],
            "location": [{"name": place, "lat": 32.6, "lon": 36.1}], "note": f"raid on {place}"}


def test_a_gold_event_only_matched_by_a_prediction_credited_elsewhere_is_reported(shared, tmp_path):
    text = "شن الطيران الحربي السوري غارات على بلدة اليادودة في ريف درعا وقتل ثلاثة مدنيين."
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    gold = {"id": "a", "text_file": "a.txt", "published": "2015-07-25",
            "events": [_gold_event("e1", "al-Yadudah"), _gold_event("e2", "Ghariz")]}
    (tmp_path / "gold.jsonl").write_text(json.dumps(gold) + "\n", encoding="utf-8")
    record = extract(text, published="2015-07-25")
    record.article.id = "a"
    out = io.StringIO()
    report_errors(_scorer(shared), tmp_path, [record], out)
    report = out.getvalue()
    assert "reports merged): 1" in report and "a e2 ASSAULT" in report
