"""The store end to end: the real `hadath ingest` command, a real SQLite file, the real pipeline."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hadath.pipeline import extract
from hadath.store.db import get_engine
from hadath.store.query import EventFilter, article_detail, event_detail, find_articles, list_events
from hadath.store.write import write_records

# three reports: two of the Abha mosque bombing (different outlets, days, wording, death tolls), one air strike
ABHA_1 = ("قتل 15 شخصا في تفجير انتحاري استهدف مسجدا لقوات الطوارئ في مدينة أبها أمس الخميس، "
          "وأعلن تنظيم داعش مسؤوليته عن الهجوم.")
ABHA_2 = ("ارتفع عدد قتلى التفجير الانتحاري الذي استهدف مسجد قوات الطوارئ في أبها يوم الخميس إلى 17 قتيلا، "
          "بحسب وزارة الداخلية السعودية.")
SAADA = "شنت طائرات التحالف العربي غارات جوية على مواقع الحوثيين في صعدة اليوم، ما أسفر عن مقتل 8 مسلحين."
GOV = "قالت الحُكُومَة اليمنية إن والحكومة ماضية في خطتها. " + SAADA

ARTICLES = [
    {"id": "abha-1", "source": "alriyadh", "published": "2015-08-07", "title": "تفجير أبها", "body": ABHA_1},
    {"id": "abha-2", "source": "okaz", "published": "2015-08-08", "body": ABHA_2},
    {"id": "saada", "source": "aawsat", "published": "2015-08-07", "body": SAADA},
    {"id": "gov", "source": "aawsat", "published": "2015-08-07", "body": GOV},
]


def hadath(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hadath.cli", *args], capture_output=True, text=True,
                          timeout=timeout)


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows),
                    encoding="utf-8")
    return path


def dump(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table, in key order, without the wall-clock columns and the surrogate key."""
    con = sqlite3.connect(db)
    out = {}
    for table, order in (("articles", "id"), ("events", "id"), ("event_actors", "event_id, role, position"),
                         ("evidence", "event_id, position"), ("failures", "key"), ("canonical_events", "id"),
                         ("canonical_links", "event_id")):
        cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})") if r[1] not in ("pk", "coded_at", "failed_at")]
        out[table] = con.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY {order}").fetchall()
    con.close()
    return out


def test_ingest_stores_every_input_and_is_idempotent(tmp_path):
    bad = ["{not json", json.dumps({"id": "no-body", "title": "x"}),
           json.dumps({"id": "copy-of-saada", "body": SAADA.replace("صعدة", "صَعدة")}),  # same normalized body
           json.dumps({"id": "empty", "body": "   "})]
    src = write_jsonl(tmp_path / "in.jsonl", ARTICLES + bad)
    txt = tmp_path / "note.txt"
    txt.write_text(ABHA_1 + " " + SAADA, encoding="utf-8")
    db = tmp_path / "h.db"
    r = hadath("ingest", str(src), str(txt), "--db", str(db), "--published", "2015-08-07")
    assert r.returncode == 0, r.stderr
    assert "5 coded" in r.stderr and "4 failed" in r.stderr, r.stderr
    first = dump(db)
    ids = {a[0] for a in first["articles"]}
    (txt_id,) = ids - {"abha-1", "abha-2", "saada", "gov"}
    assert len(txt_id) == 16  # a text file's id is its body key
    reasons = {f[0]: f[3] for f in first["failures"]}
    assert len(reasons) == 4  # every input is coded or a failure with its reason
    assert "DuplicateArticle" in reasons["copy-of-saada"] and "'saada'" in reasons["copy-of-saada"]
    assert "EmptyArticle" in reasons["empty"]
    assert "MalformedRecord" in reasons["no-body"]
    assert any("not a JSON object" in v for v in reasons.values())
    assert first["events"] and first["evidence"] and first["event_actors"]

    r = hadath("ingest", str(src), str(txt), "--db", str(db), "--published", "2015-08-07")
    assert r.returncode == 0 and "0 coded" in r.stderr and "9 already stored" in r.stderr, r.stderr
    assert dump(db) == first


def test_evidence_spans_point_into_the_stored_body(tmp_path):
    db = tmp_path / "h.db"
    assert hadath("ingest", str(write_jsonl(tmp_path / "in.jsonl", ARTICLES)), "--db", str(db)).returncode == 0
    with get_engine(str(db)).connect() as conn:
        art = article_detail(conn, "abha-1")
    assert art["body"] == ABHA_1 and art["events"]
    kinds = set()
    for ev in art["events"]:
        for span in ev["evidence"]:
            assert art["body"][span["start"]:span["end"]] == span["text"]
            kinds.add(span["kind"])
    assert {"sentence", "trigger", "place", "killed"} <= kinds


def test_full_text_search_folds_spelling_and_proclitics(tmp_path):
    db = tmp_path / "h.db"
    assert hadath("ingest", str(write_jsonl(tmp_path / "in.jsonl", ARTICLES)), "--db", str(db)).returncode == 0

    def found(q: str) -> set[str]:
        with get_engine(str(db)).connect() as conn:
            return {a["id"] for a in find_articles(conn, q)}

    # «الحكومة» is written «الحُكُومَة» and «والحكومة» in the one article that says it
    assert found("الحكومة") == {"gov"}
    assert found("حكومة") == {"gov"}
    assert found("أبها") == {"abha-1", "abha-2"}
    assert found("Abha") == {"abha-1", "abha-2"}  # English place names are indexed too
    assert found("الحوثيين الحكومة") == {"gov"}  # every word must occur
    assert found("قرطبة") == set()
    with get_engine(str(db)).connect() as conn:  # events are found by the words of their sources' articles
        _, rows = list_events(conn, EventFilter(q="والحكومة", limit=100))
        assert rows and all("gov" in source_articles(conn, r["id"]) for r in rows)


def source_articles(conn, canonical_id: str) -> set[str]:
    return {s["article_id"] for s in event_detail(conn, canonical_id)["sources"]}


def test_reports_of_one_happening_merge_into_one_canonical_event(tmp_path):
    db = tmp_path / "h.db"
    assert hadath("ingest", str(write_jsonl(tmp_path / "in.jsonl", ARTICLES)), "--db", str(db)).returncode == 0
    with get_engine(str(db)).connect() as conn:
        _, rows = list_events(conn, EventFilter(event_type=["ASSAULT"], limit=100))
        by_place = {}
        for r in rows:
            by_place.setdefault(r["place_name"], []).append(r)
        (abha,) = by_place["Abha"]
        assert source_articles(conn, abha["id"]) == {"abha-1", "abha-2"}
        assert abha["n_outlets"] == 2 and abha["date_start"] == "2015-08-06"
        # the latest report's toll, with where it came from
        assert abha["killed"] == 17 and abha["provenance"]["killed"].startswith("abha-2:")
        saada = by_place["Saada"]
        assert all("abha-1" not in source_articles(conn, r["id"]) for r in saada)
        assert {a for r in saada for a in source_articles(conn, r["id"])} == {"saada", "gov"}


def clusters(db: Path) -> set[frozenset[str]]:
    con = sqlite3.connect(db)
    groups: dict[str, set[str]] = {}
    for ev, cid in con.execute("SELECT event_id, canonical_id FROM canonical_links"):
        groups.setdefault(cid, set()).add(ev)
    con.close()
    return {frozenset(g) for g in groups.values()}


def test_merge_is_incremental_and_deterministic(tmp_path):
    records = {a["id"]: extract(a["body"], published=a["published"], id=a["id"], source=a["source"])
               for a in ARTICLES}
    bodies = {a["id"]: a["body"] for a in ARTICLES}
    one, two, three = tmp_path / "one.db", tmp_path / "two.db", tmp_path / "three.db"
    out = write_records(str(one), records.values(), bodies)
    assert out.coded == 4 and out.skipped == 0
    # the same records in two deliveries: the later reports join the events founded by the first ones
    for db in (two, three):
        write_records(str(db), [records["abha-1"], records["saada"]], bodies)
        write_records(str(db), [records["abha-2"], records["gov"]], bodies)
    assert clusters(one) == clusters(two)
    assert any(len(c) == 2 and {e.split(":")[0] for e in c} == {"abha-1", "abha-2"} for c in clusters(two))
    assert dump(two) == dump(three)  # the same deliveries give the same rows, ids included
    again = write_records(str(two), records.values(), bodies)
    assert again.coded == 0 and again.skipped == 4
    assert dump(two) == dump(three)


def many_articles(n: int) -> list[dict]:
    towns = ["أبها", "صعدة", "تعز", "عدن", "حلب", "الموصل", "بنغازي", "الرقة"]
    return [{"id": f"a{k:04d}", "published": "2015-08-07", "source": "test",
             "body": f"قتل {k + 3} مدنيا في قصف على مدينة {towns[k % len(towns)]} أمس. " + SAADA}
            for k in range(n)]


def test_a_killed_ingest_resumes_to_the_same_rows(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", many_articles(150) + ["{broken"])
    clean = tmp_path / "clean.db"
    r = hadath("ingest", str(src), "--db", str(clean), "--batch", "5")
    assert r.returncode == 0, r.stderr

    killed = tmp_path / "killed.db"
    proc = subprocess.Popen([sys.executable, "-m", "hadath.cli", "ingest", str(src), "--db", str(killed),
                             "--batch", "5", "--no-progress"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    stored = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
        if killed.exists():
            try:
                with sqlite3.connect(killed, timeout=1) as con:
                    stored = con.execute("SELECT count(*) FROM articles").fetchone()[0]
            except sqlite3.OperationalError:
                continue
            if stored >= 20:
                os.kill(proc.pid, signal.SIGKILL)
                break
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the ingest ended before it could be killed half-way"
    with sqlite3.connect(killed) as con:
        assert 20 <= con.execute("SELECT count(*) FROM articles").fetchone()[0] < 150

    r = hadath("ingest", str(src), "--db", str(killed), "--batch", "7")
    assert r.returncode == 0, r.stderr
    assert dump(killed) == dump(clean)


def test_worker_processes_store_the_same_rows(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", many_articles(30) + ARTICLES)
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    assert hadath("ingest", str(src), "--db", str(one), "--batch", "8").returncode == 0
    r = hadath("ingest", str(src), "--db", str(two), "--batch", "8", "--workers", "2")
    assert r.returncode == 0, r.stderr
    assert dump(one) == dump(two)


def test_recode_redoes_events_from_stored_texts(tmp_path):
    db = tmp_path / "h.db"
    assert hadath("ingest", str(write_jsonl(tmp_path / "in.jsonl", ARTICLES)), "--db", str(db)).returncode == 0
    before = dump(db)
    # a stricter coder: a threshold between the lowest and the highest confidence stored
    scores = sorted(json.loads(e[-1])["confidence"] for e in before["events"])
    assert scores[0] < scores[-1]
    cut = (scores[0] + scores[-1]) / 2
    r = hadath("recode", "--db", str(db), "--min-confidence", str(cut))
    assert r.returncode == 0, r.stderr
    fewer = dump(db)
    assert 0 < len(fewer["events"]) < len(before["events"])
    assert all(json.loads(e[-1])["confidence"] >= cut for e in fewer["events"])
    assert len(fewer["articles"]) == len(before["articles"])
    r = hadath("recode", "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert dump(db) == before


@pytest.mark.parametrize("url", ["sqlite:///{tmp}/x.db", "{tmp}/x.db"])
def test_db_urls(tmp_path, url):
    engine = get_engine(url.format(tmp=tmp_path))
    assert engine.dialect.name == "sqlite" and (tmp_path / "x.db").exists()
