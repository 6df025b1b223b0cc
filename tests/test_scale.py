"""`hadath.scale`: many files on a process pool and on a real Dask LocalCluster, into Parquet.

Every engine must give the very records `hadath extract` gives; a rerun after a
partial run, or a run that loses a worker midway, must end complete and without
duplicates; the lexicons must load once per worker process.
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from hadath.batch import code_items
from hadath.ingest.readers import read_paths
from hadath.scale import RunError, read_records, run
from hadath.scale.inputs import Source, expand, inspect, plan, read_partition

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "saudinewsnet" / "articles.jsonl.gz"
EXAMPLE = Path(__file__).resolve().parents[1] / "src" / "hadath" / "examples" / "example.txt"

# sentences written for these tests: attacks, meetings, condemnations, with varying numbers and places
_CITIES = ["تعز", "صنعاء", "حلب", "بغداد", "الموصل", "عدن", "درعا", "الرمادي"]
_ADJ = ["المصري", "الأردني", "التركي", "الفرنسي", "الروسي"]
_TEMPLATES = [
    "قتل {n} مدنيين وأصيب {m} آخرون في قصف استهدف سوقا شعبيا في مدينة {city} أمس، حسب مصادر طبية.",
    "التقى وزير الخارجية السعودي نظيره {adj} في {city} يوم الأحد، وبحثا تطورات الأوضاع في المنطقة.",
    "أدانت الحكومة اليمنية الهجوم الذي نفذته ميليشيات الحوثي على أحياء سكنية في {city}.",
    "اعتقلت قوات الأمن {n} أشخاص يشتبه في انتمائهم إلى تنظيم داعش في {city}.",
    "تظاهر آلاف المواطنين في {city} احتجاجا على ارتفاع الأسعار.",
]


def _synthetic_articles(n: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        sentences = [rng.choice(_TEMPLATES).format(n=rng.randint(2, 40), m=rng.randint(2, 60), city=rng.choice(_CITIES),
                                                   adj=rng.choice(_ADJ)) for _ in range(rng.randint(2, 5))]
        out.append({"id": f"syn-{i:05d}", "title": "خبر", "published": f"2016-0{1 + i % 9}-1{i % 10}",
                    "source": "test", "body": "\n\n".join(sentences)})
    return out


def _write_jsonl(path: Path, rows: list, newline: str = "\n") -> Path:
    text = "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + newline for r in rows)
    if path.name.endswith(".gz"):
        with gzip.open(path, "wb") as fh:
            fh.write(text.encode("utf-8"))
    else:
        path.write_bytes(text.encode("utf-8"))
    return path


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> list[str]:
    """A few files of every JSONL flavour, bad lines and a broken gzip stream included."""
    d = tmp_path_factory.mktemp("synthetic")
    rows = _synthetic_articles(60)
    bad = ["not json", "[1, 2]", json.dumps({"id": "no-body", "title": "x"}), json.dumps({"id": "empty", "body": " "}),
           json.dumps({"id": "english", "body": "The minister met his counterpart in Paris on Sunday."}), ""]
    a = _write_jsonl(d / "a.jsonl", rows[:20] + bad + [{"body": EXAMPLE.read_text(encoding="utf-8"),
                                                         "published": "2015-08-06"}])
    b = _write_jsonl(d / "b.jsonl.gz", rows[20:45])
    c = _write_jsonl(d / "c.jsonl", rows[45:55], newline="\r\n")  # Windows line ends
    broken = d / "d.jsonl.gz"
    _write_jsonl(broken, rows[55:])
    data = broken.read_bytes()
    broken.write_bytes(data[: len(data) * 2 // 3])  # cut short: some articles, then a broken stream
    return [str(p) for p in (a, b, c, broken)]


@pytest.fixture(scope="module")
def corpus_slice(tmp_path_factory) -> list[str]:
    if not CORPUS.is_file():
        pytest.skip(f"the SaudiNewsNet corpus is not beside this checkout: {CORPUS} not found")
    d = tmp_path_factory.mktemp("corpus")
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        lines = [next(fh) for _ in range(200)]
    path = d / "slice.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.writelines(lines)
    return [str(path)]


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  silence_logs=logging.ERROR) as c:
        yield c


def _direct(paths: list[str]) -> list[str]:
    """What `hadath extract` writes for these files, one JSON per record, sorted."""
    return sorted(r.model_dump_json() for r in code_items(read_paths(paths)))


def _written(out: Path) -> list[str]:
    return sorted(r.model_dump_json() for r in read_records(out))


def _assert_no_duplicates(out: Path) -> None:
    import pyarrow.parquet as pq

    for name in ("articles", "failures", "events"):
        t = pq.read_table(out / name)
        cols = ["partition", "seq"] + (["event_index"] if name == "events" else [])
        keys = list(zip(*(t.column(c).to_pylist() for c in cols), strict=True))
        assert len(keys) == len(set(keys)), f"duplicate rows in {name}"


# ---------------------------------------------------------------- planning and reading

def test_plan_is_deterministic_and_reading_by_offset_equals_reading_by_skipping(synthetic):
    sources = expand(synthetic)
    assert [s.kind for s in sources] == ["jsonl", "jsonl.gz", "jsonl", "jsonl.gz"]
    first, again = plan(sources, 7), plan(expand(list(reversed(synthetic))), 7)
    assert [p.key for p in first] == [p.key for p in again]
    jsonl = [p for p in first if p.path == synthetic[0]]
    assert len(jsonl) == 4 and all(p.offset is not None for p in jsonl)  # 27 lines, 7 a partition
    assert all(p.offset is None for p in first if p.kind == "jsonl.gz")  # gzip cannot seek
    assert all(p.offset is None for p in first if p.path == synthetic[2])  # CR line ends: counted as text
    by_offset = [it for p in jsonl for it in read_partition(p)]
    by_skipping = [it for p in jsonl for it in read_partition(type(p)(p.path, p.url, p.kind, p.start, p.stop,
                                                                    None, end=p.end))]
    whole = list(read_paths([synthetic[0]]))
    assert [_item(i) for i in by_offset] == [_item(i) for i in by_skipping] == [_item(i) for i in whole]
    assert len(whole) == 26  # 27 lines, one blank


def _item(item) -> tuple:
    """An input or a failure as plain values (exceptions do not compare equal)."""
    from dataclasses import astuple

    return tuple(f"{type(v).__name__}: {v}" if isinstance(v, Exception) else v for v in astuple(item))


def test_glob_and_directory_inputs(synthetic, tmp_path):
    folder = str(Path(synthetic[0]).parent)
    assert [s.path for s in expand([f"{folder}/*.jsonl"])] == [synthetic[0], synthetic[2]]
    assert len(expand([folder])) == 4
    with pytest.raises(RunError, match="no input file matches"):
        run([f"{folder}/*.nothing"], out=tmp_path / "o", progress=False)


def test_fsspec_urls_for_inputs_and_output(synthetic, tmp_path):
    """The fsspec path (as for s3:// or gs://) on file:// URLs: glob, read, write, skip on rerun."""
    folder = Path(synthetic[0]).parent
    inputs, out = [f"file://{folder}/*.jsonl", f"file://{folder}/*.gz"], f"file://{tmp_path}/o"
    assert [s.url for s in expand(inputs)] == [f"file://{p}" for p in sorted(synthetic)]
    first = run(inputs, workers=1, out=out, progress=False, partition_size=9)
    # the same records; only the origin of bad lines names the file by its URL
    assert sorted(r.replace("file://", "") for r in _written(tmp_path / "o")) == _direct(synthetic)
    again = run(inputs, workers=1, out=out, progress=False, partition_size=9)
    assert again.skipped == first.partitions and again.articles == first.articles


def test_parquet_input_by_row_groups(tmp_path):
    import datetime

    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = _synthetic_articles(23, seed=3)
    table = pa.table({"id": [r["id"] for r in rows], "body": [r["body"] for r in rows],
                      "title": [r["title"] for r in rows], "source": [r["source"] for r in rows],
                      "published": pa.array([datetime.date.fromisoformat(r["published"]) for r in rows])})
    pq.write_table(table, tmp_path / "in.parquet", row_group_size=5)
    parts = inspect(Source("in.parquet", str(tmp_path / "in.parquet"), "parquet"), 8)
    assert [(p.start, p.stop, p.row_groups) for p in parts] == [(0, 10, (0, 2)), (10, 20, (2, 4)), (20, 23, (4, 5))]
    jsonl = _write_jsonl(tmp_path / "same.jsonl", rows)
    summary = run([str(tmp_path / "in.parquet")], workers=1, out=tmp_path / "o", progress=False, partition_size=8)
    assert summary.articles == 23 and summary.partitions == 3
    assert _written(tmp_path / "o") == _direct([str(jsonl)])


def test_warc_html_records(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    body = EXAMPLE.read_text(encoding="utf-8")
    page = ("<html><head><title>مقتل 12 مدنيا في تعز</title></head><body><article>"
            + "".join(f"<p>{p}</p>" for p in body.split("\n\n")) + "</article></body></html>").encode("utf-8")
    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for n, (ctype, payload) in enumerate([("text/html; charset=utf-8", page), ("image/png", b"\x89PNG"),
                                              ("text/html", b"<html><body></body></html>")]):
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://news.example/{n}", "response",
                                                          payload=io.BytesIO(payload),
                                                          http_headers=headers))
    summary = run([str(path)], workers=1, out=tmp_path / "o", progress=False)
    records = read_records(tmp_path / "o")
    assert summary.articles == 1 and summary.failures == 1  # the image is not an article; the empty page fails
    coded = [r for r in records if not r.error][0]
    assert coded.article.url == "https://news.example/0"
    assert "ASSAULT" in {e.event_type for e in coded.events}
    assert "no main text" in [r for r in records if r.error][0].error


# ---------------------------------------------------------------- identity across engines

def test_engines_agree_record_for_record_and_load_lexicons_once_per_worker(synthetic, cluster, tmp_path):
    import pyarrow.parquet as pq

    expected = _direct(synthetic)
    one = run(synthetic, engine="local", workers=1, out=tmp_path / "l1", progress=False, partition_size=3)
    two = run(synthetic, engine="local", workers=2, out=tmp_path / "l2", progress=False, partition_size=3)
    dsk = run(synthetic, engine="dask", scheduler=cluster.scheduler_address, out=tmp_path / "d", progress=False,
              partition_size=3)
    assert (one.workers, two.workers, dsk.workers) == (1, 2, 2)
    for out in ("l1", "l2", "d"):
        assert _written(tmp_path / out) == expected, out  # the records of `hadath extract`, on every engine
    assert one.articles + one.failures == len(expected)
    failures = pq.read_table(tmp_path / "l1" / "failures").to_pylist()
    assert {f["error_kind"] for f in failures} >= {"MalformedRecord", "EmptyArticle"}
    events = pq.read_table(tmp_path / "l1" / "events")
    assert events.num_rows == one.events > 0
    assert set(events.column("event_type").to_pylist()) >= {"ASSAULT", "PROTEST"}
    for summary in (two, dsk):
        assert summary.partitions >= 20 and len(summary.per_worker) == 2, summary.engine  # both workers took part
        assert max(w.partitions for w in summary.per_worker.values()) >= 5, summary.engine
        for name, w in summary.per_worker.items():
            assert w.lexicon_loads == 1, (summary.engine, name, w)  # the merged lexicon was built once there
            assert w.resource_loads == w.resources_loaded > 0, (summary.engine, name, w)  # each table read once


def test_engines_agree_on_the_corpus(corpus_slice, cluster, tmp_path):
    expected = _direct(corpus_slice)
    run(corpus_slice, engine="local", workers=1, out=tmp_path / "l1", progress=False, partition_size=40)
    run(corpus_slice, engine="local", workers=2, out=tmp_path / "l2", progress=False, partition_size=40)
    dsk = run(corpus_slice, engine="dask", scheduler=cluster.scheduler_address, out=tmp_path / "d", progress=False,
              partition_size=40)
    assert dsk.articles + dsk.failures == 200
    for out in ("l1", "l2", "d"):
        assert _written(tmp_path / out) == expected, out


# ---------------------------------------------------------------- reruns and failures

def test_rerun_after_a_partial_run_completes_without_duplicates(synthetic, tmp_path):
    out = tmp_path / "o"
    first = run(synthetic, workers=1, out=out, progress=False, partition_size=5)
    markers = sorted((out / "_done").glob("*.json"))
    # a crash: half the partitions lost their marker, one of them left a torn data file and a temporary
    lost = markers[::2]
    lost_articles = sum(json.loads(m.read_text())["articles"] + json.loads(m.read_text())["failures"] for m in lost)
    for m in lost:
        m.unlink()
    torn = out / "events" / f"{lost[0].stem}.parquet"
    torn.write_bytes(torn.read_bytes()[:100])
    (out / "articles" / f".{lost[0].stem}.parquet.1234.tmp").write_bytes(b"half")
    second = run(synthetic, workers=1, out=out, progress=False, partition_size=5)
    assert second.skipped == first.partitions - len(lost)
    assert second.coded == lost_articles  # only the lost partitions were coded again
    assert len(second.results) == len(lost)
    assert (second.articles, second.events, second.failures) == (first.articles, first.events, first.failures)
    assert _written(out) == _direct(synthetic)
    _assert_no_duplicates(out)
    assert not list((out / "articles").glob(".*.tmp"))
    third = run(synthetic, workers=1, out=out, progress=False, partition_size=5)
    assert third.skipped == third.partitions and not third.results


def test_output_folder_refuses_other_settings_or_inputs(synthetic, tmp_path):
    out = tmp_path / "o"
    run(synthetic[:1], workers=1, out=out, progress=False, partition_size=5)
    with pytest.raises(RunError, match="other settings"):
        run(synthetic[:1], workers=1, out=out, progress=False, partition_size=6)
    with pytest.raises(RunError, match="other inputs"):
        run(synthetic[1:2], workers=1, out=out, progress=False, partition_size=5)
    run(synthetic[:2], workers=1, out=out, progress=False, partition_size=5)  # more inputs: fine


def test_records_into_the_database_once_even_when_run_twice(synthetic, tmp_path):
    store = pytest.importorskip("hadath.store", reason="hadath.store (the database) is not in this installation")
    from sqlalchemy import func, select

    from hadath.store.schema import articles, events

    def counts() -> tuple[int, int]:
        with store.get_engine(db).connect() as conn:
            return tuple(conn.execute(select(func.count()).select_from(t)).scalar() for t in (articles, events))

    db = str(tmp_path / "h.db")
    summary = run(synthetic, workers=1, out=tmp_path / "o", db=db, progress=False, partition_size=9)
    coded = {r.article.id for r in read_records(tmp_path / "o") if not r.error}
    assert counts() == (len(coded), summary.events)
    run(synthetic, workers=1, out=tmp_path / "o", db=db, progress=False, partition_size=9)  # all skipped, reloaded
    assert counts() == (len(coded), summary.events)


def test_cli_scale_run(synthetic, tmp_path):
    out = tmp_path / "o"
    cmd = [sys.executable, "-m", "hadath.cli", "scale-run", *synthetic, "--workers", "1", "--out", str(out),
           "--partition-size", "9", "--no-progress"]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "articles coded" in r.stderr
    assert _written(out) == _direct(synthetic)
    r = subprocess.run(cmd[:-2] + ["4", "--no-progress"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "other settings" in r.stderr


def test_killed_worker_midway_still_ends_complete(cluster, tmp_path):
    """SIGKILL one worker process while it codes a partition: Dask reruns its task, the output stays exact."""
    from distributed import Client

    paths = [str(_write_jsonl(tmp_path / "many.jsonl", _synthetic_articles(400, seed=11)))]
    out = tmp_path / "o"
    with Client(cluster) as client:
        pids = client.run(os.getpid)
        result: dict = {}

        def go():
            try:
                result["summary"] = run(paths, engine="dask", scheduler=cluster.scheduler_address, out=out,
                                        progress=False, partition_size=10)
            except BaseException as e:  # noqa: B036 - handed to the test thread
                result["error"] = e

        thread = threading.Thread(target=go)
        thread.start()
        deadline = time.monotonic() + 120
        victim = None
        while time.monotonic() < deadline and victim is None:
            done = list((out / "_done").glob("*.json")) if (out / "_done").is_dir() else []
            busy = [w for w, keys in client.processing().items() if any("hadath-code" in str(k) for k in keys)]
            if done and busy:
                victim = busy[0]
                finished_before = len(done)
            time.sleep(0.05)
        assert victim is not None, "the run never got going"
        os.kill(pids[victim], signal.SIGKILL)
        thread.join(timeout=180)
        assert not thread.is_alive()
        assert "error" not in result, result.get("error")
        summary = result["summary"]
        assert finished_before < summary.partitions == 40  # it was killed midway
        assert summary.articles + summary.failures == 400
        assert _written(out) == _direct(paths)
        _assert_no_duplicates(out)
        client.wait_for_workers(2, timeout=60)  # the nanny brought the worker back
