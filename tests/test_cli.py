"""The `hadath` command end to end: real files, the real pipeline, bad input in the batch."""

import json
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "src" / "hadath" / "examples" / "example.txt"


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "hadath.cli", *args], input=stdin, capture_output=True,
                          text=True, timeout=120)


def test_extract_example_writes_contract_jsonl(tmp_path):
    out = tmp_path / "e.jsonl"
    r = run("extract", str(EXAMPLE), "--published", "2015-08-06", "-o", str(out))
    assert r.returncode == 0, r.stderr
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert record["article"]["published"] == "2015-08-06"
    assert len(record["article"]["id"]) == 16
    types = {e["event_type"] for e in record["events"]}
    assert "ASSAULT" in types
    text = EXAMPLE.read_text(encoding="utf-8")
    for e in record["events"]:
        s, t = e["evidence"]["trigger_span"]
        assert text[s:t] == e["evidence"]["trigger"]
        for a in e["source"] + e["target"]:
            assert text[a["span"][0]:a["span"][1]] == a["text"]


def test_table_and_explain_run(tmp_path):
    r = run("extract", str(EXAMPLE), "--published", "2015-08-06", "--format", "table")
    assert r.returncode == 0 and "ASSAULT" in r.stdout, r.stderr
    r = run("explain", str(EXAMPLE), "--published", "2015-08-06")
    assert r.returncode == 0 and "trigger" in r.stdout and "roles by" in r.stdout, r.stderr


def test_bad_inputs_in_one_batch_each_get_a_specific_record(tmp_path):
    files = {
        "empty.txt": b"",
        "binary.bin": bytes(range(256)) * 4,
        "latin1.txt": "caf\xe9 na\xefve r\xe9sum\xe9".encode("latin-1"),
        "english.txt": b"The army shelled the city yesterday, killing five people." * 3,
        "huge.txt": ("قصف الجيش المدينة. " * 300_000).encode("utf-8"),  # about 5.4 MB
        "good.txt": EXAMPLE.read_bytes(),
    }
    paths = []
    for name, data in files.items():
        p = tmp_path / name
        p.write_bytes(data)
        paths.append(str(p))
    out = tmp_path / "out.jsonl"
    r = run("extract", *paths, "--published", "2015-08-06", "-o", str(out))
    assert r.returncode == 0, r.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(files)
    by_name = dict(zip(files, records, strict=True))
    assert "EmptyArticle" in by_name["empty.txt"]["error"]
    assert "BinaryInput" in by_name["binary.bin"]["error"]
    assert "UndecodableInput" in by_name["latin1.txt"]["error"]
    assert by_name["english.txt"]["error"] is None and by_name["english.txt"]["events"] == []
    assert "not in Arabic" in by_name["english.txt"]["warnings"][0]
    assert "ArticleTooLarge" in by_name["huge.txt"]["error"]
    assert by_name["good.txt"]["error"] is None and by_name["good.txt"]["events"]
    assert "could not be coded" in r.stderr


def test_jsonl_from_stdin_keeps_ids():
    lines = "\n".join(json.dumps({"id": f"x{k}", "body": "قصفت الطائرات الإسرائيلية غزة أمس.",
                                  "published": "2022-08-06"}, ensure_ascii=False) for k in range(3))
    r = run("extract", "-", stdin=lines + "\n{broken\n")
    assert r.returncode == 0, r.stderr
    records = [json.loads(line) for line in r.stdout.splitlines()]
    assert [x["article"]["id"] for x in records[:3]] == ["x0", "x1", "x2"]
    assert "MalformedRecord" in records[3]["error"]
