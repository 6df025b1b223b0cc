"""Faults during `hadath ingest`: nothing lost, nothing doubled.

* The real command killed with SIGKILL at random moments, again and again, then
  run to the end: the database holds exactly the rows of a run never
  interrupted (SQLite always; PostgreSQL where `initdb` is installed).
* PostgreSQL restarted in the middle of an ingest: the run retries or stops
  with a clear message; a rerun completes, with nothing half-written.
* A distributed run that loses a worker: see tests/test_scale.py (the issue-6
  engineer's worker-kill test), not repeated here.

Articles: the first 300 of the SaudiNewsNet corpus where ../shared is present,
and a synthetic file generated here in every case.
"""

from __future__ import annotations

import glob
import gzip
import json
import os
import pwd
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

import pytest
from sqlalchemy import DateTime, create_engine, func, select

from hadath.store.db import resolve_url
from hadath.store.schema import articles, events, failures, metadata

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "saudinewsnet" / "articles.jsonl.gz"
SKIP_COLUMNS = {"pk"}  # surrogate keys differ with insertion order; wall-clock columns are skipped by type

SENTENCES = [
    "قتل {n} مدنيين وأصيب عشرة آخرون في غارة جوية على مدينة {town} أمس.",
    "اعتقلت قوات الأمن {n} شخصا في {town} يوم الخميس.",
    "أدان الاتحاد الأوروبي الهجوم الذي استهدف مسجدا في {town}.",
    "شنت طائرات التحالف العربي غارات على مواقع الحوثيين في {town} ما أسفر عن مقتل {n} مسلحين.",
    "تظاهر آلاف الأشخاص في {town} ضد الحكومة.",
    "وقعت المملكة ومصر اتفاقية للتعاون الأمني في {town}.",
]
TOWNS = ["حلب", "صعدة", "تعز", "أبها", "الرياض", "عدن", "الموصل", "بنغازي", "القاهرة", "دمشق"]


def synthetic_articles(n: int, seed: int = 7) -> list[dict]:
    rnd = random.Random(seed)
    rows: list[dict] = []
    for k in range(n):
        body = " ".join(rnd.choice(SENTENCES).format(n=rnd.randint(2, 90), town=rnd.choice(TOWNS))
                        for _ in range(rnd.randint(4, 14)))
        rows.append({"id": f"s{k:04d}", "source": rnd.choice(["okaz", "alriyadh", "aawsat"]),
                     "published": f"2015-0{rnd.randint(1, 9)}-1{rnd.randint(0, 9)}", "body": body})
    return rows


def write_input(path: Path, rows: list[dict]) -> Path:
    # bad lines among the good ones: their failures must survive the kills too, once each
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    lines[len(lines) // 3:len(lines) // 3] = ["{broken json", json.dumps({"id": "nobody", "title": "x"}), "[1, 2]"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(params=["corpus", "synthetic"])
def articles_file(request, tmp_path) -> tuple[Path, int]:
    """A JSONL input and how many lines it has (each must end as an article or a failure)."""
    if request.param == "corpus":
        if not CORPUS.is_file():
            pytest.skip(f"../shared corpus not beside this checkout: {CORPUS} not found")
        with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
            rows = [json.loads(line) for line in islice(fh, 300)]
    else:
        rows = synthetic_articles(600)
    return write_input(tmp_path / f"{request.param}.jsonl", rows), len(rows) + 3


# ------------------------------------------------------------------ PostgreSQL, started for the test


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return versions[-1] if versions else None


class Postgres:
    """A throw-away PostgreSQL cluster on 127.0.0.1 (run as `postgres` when we are root: it refuses root)."""

    def __init__(self) -> None:
        self.dir = tempfile.mkdtemp(prefix="hadath-pg-")
        self.data = os.path.join(self.dir, "data")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.account = pwd.getpwnam("postgres") if os.geteuid() == 0 else None
        if self.account:
            os.chown(self.dir, self.account.pw_uid, self.account.pw_gid)

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        account = self.account

        def demote() -> None:
            if account:
                os.setgid(account.pw_gid)
                os.setuid(account.pw_uid)

        return subprocess.run(list(args), preexec_fn=demote, capture_output=True, text=True, timeout=120)

    def init(self) -> None:
        r = self._run(_pg_bin("initdb"), "-D", self.data, "-U", "hadath", "--auth=trust", "-E", "UTF8",
                      "--locale=C.UTF-8", "--no-sync")
        assert r.returncode == 0, r.stderr

    def start(self) -> None:
        r = self._run(_pg_bin("pg_ctl"), "-D", self.data, "-w", "-l", os.path.join(self.dir, "log"), "-o",
                      f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
        assert r.returncode == 0, r.stdout + r.stderr

    def stop(self, mode: str = "fast") -> None:
        self._run(_pg_bin("pg_ctl"), "-D", self.data, "-w", "-m", mode, "stop")

    def create_db(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def url(self, name: str) -> str:
        return f"postgresql://hadath@127.0.0.1:{self.port}/{name}"


@pytest.fixture(scope="module")
def postgres() -> Iterator[Postgres]:
    if _pg_bin("initdb") is None or _pg_bin("pg_ctl") is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' account to run the server as")
    pg = Postgres()
    pg.init()
    pg.start()
    yield pg
    pg.stop("immediate")
    shutil.rmtree(pg.dir, ignore_errors=True)


# ------------------------------------------------------------------ helpers


def ingest_cmd(src: Path, db: str, batch: int = 10) -> list[str]:
    return [sys.executable, "-m", "hadath.cli", "ingest", str(src), "--db", db, "--batch", str(batch), "--no-progress"]


def dump(db: str) -> dict[str, list[tuple]]:
    """Every row of every table, sorted, without surrogate keys and wall-clock columns."""
    engine = create_engine(resolve_url(db))
    out: dict[str, list[tuple]] = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            if table.name in ("schema_version", "api_keys"):
                continue
            cols = [c for c in table.columns if c.name not in SKIP_COLUMNS and not isinstance(c.type, DateTime)]
            rows = conn.execute(select(*cols)).all()
            out[table.name] = sorted(tuple(json.dumps(v, sort_keys=True, default=str) for v in r) for r in rows)
    engine.dispose()
    return out


def counts(db: str) -> tuple[int, int, int]:
    engine = create_engine(resolve_url(db))
    try:
        with engine.connect() as conn:
            return tuple(conn.execute(select(func.count()).select_from(t)).scalar()
                         for t in (articles, failures, events))
    except Exception:  # not created yet, or locked by the writer
        return (-1, -1, -1)
    finally:
        engine.dispose()


def run_with_kills(src: Path, db: str, kills: int, rnd: random.Random, total: int) -> list[int]:
    """Start the ingest and SIGKILL it, `kills` times, then let one run finish.

    The kill points are random: the first a random time into start-up (imports, schema); the others once
    a random number of articles is stored, plus a random fraction of a second (mid-batch, between batches);
    the last once every article is stored (the merge at the end). Returns the article count at each kill."""
    seen: list[int] = []
    targets = sorted(rnd.sample(range(1, total), kills - 2)) + [total]
    for k in range(kills):
        proc = subprocess.Popen(ingest_cmd(src, db), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                start_new_session=True)
        if k == 0:
            time.sleep(rnd.uniform(0.1, 0.8))  # within start-up: imports, opening the database, the schema
        else:
            goal = targets[k - 1]
            deadline = time.monotonic() + 300
            while proc.poll() is None and counts(db)[0] < goal and time.monotonic() < deadline:
                time.sleep(0.02)
            time.sleep(rnd.uniform(0.0, 0.05))  # mid-batch or between batches
        if proc.poll() is not None:  # it finished before its kill: the later runs find everything stored
            assert proc.returncode == 0, proc.stderr.read().decode()
            continue
        os.killpg(proc.pid, signal.SIGKILL)  # the whole group: coder pool workers die with it
        proc.wait(timeout=30)
        seen.append(counts(db)[0])
    r = subprocess.run(ingest_cmd(src, db, batch=7), capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    print(f"\n{src.name} → {db.rsplit('/', 1)[-1]}: {len(seen)} runs SIGKILLed (articles stored at each kill: "
          f"{seen}; -1: before the schema existed), then one run to the end")
    return seen


def check_complete(db: str, clean: str, n_lines: int) -> None:
    a, f, _ = counts(db)
    assert a + f == n_lines, f"{n_lines} input lines but {a} articles + {f} failures stored"
    got, want = dump(db), dump(clean)
    for table in want:
        if got[table] != want[table]:
            extra, missing = set(got[table]) - set(want[table]), set(want[table]) - set(got[table])
            cols = [c.name for c in metadata.tables[table].columns if c.name not in SKIP_COLUMNS
                    and not isinstance(c.type, DateTime)]
            hint = ""
            if extra and missing:
                a, b = min(extra), min(missing)
                hint = "; first row differs in " + ", ".join(f"{c}: {x[:80]} vs {y[:80]}"
                                                            for c, x, y in zip(cols, a, b, strict=True) if x != y)
            raise AssertionError(f"table {table} differs from the uninterrupted run: {len(extra)} rows more, "
                                 f"{len(missing)} rows fewer{hint}")


def clean_run(src: Path, db: str) -> float:
    t0 = time.monotonic()
    r = subprocess.run(ingest_cmd(src, db), capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return time.monotonic() - t0


# ------------------------------------------------------------------ tests


def test_sigkill_at_random_points_sqlite(articles_file, tmp_path):
    src, n_lines = articles_file
    clean = str(tmp_path / "clean.db")
    clean_run(src, clean)
    a, f, e = counts(clean)
    assert a + f == n_lines and f >= 3 and e > 0

    db = str(tmp_path / "killed.db")
    seen = run_with_kills(src, db, kills=6, rnd=random.Random(11), total=a)
    assert any(0 < s < a for s in seen), f"no kill landed in the middle of the run (articles at kills: {seen})"
    check_complete(db, clean, n_lines)


def test_sigkill_at_random_points_postgres(postgres, tmp_path):
    src = write_input(tmp_path / "in.jsonl", synthetic_articles(160, seed=3))
    clean = postgres.create_db("clean_kill")
    clean_run(src, clean)
    a, _, _ = counts(clean)
    db = postgres.create_db("killed")
    seen = run_with_kills(src, db, kills=5, rnd=random.Random(5), total=a)
    assert any(0 < s < a for s in seen), f"no kill landed in the middle of the run (articles at kills: {seen})"
    check_complete(db, clean, 163)


def test_postgres_restarted_during_ingest(postgres, tmp_path):
    src = write_input(tmp_path / "in.jsonl", synthetic_articles(200, seed=9))
    clean = postgres.create_db("clean_restart")
    clean_run(src, clean)
    total = counts(clean)[0]

    db = postgres.create_db("restarted")
    proc = subprocess.Popen(ingest_cmd(src, db, batch=5), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and counts(db)[0] < 30:
        time.sleep(0.05)
    assert proc.poll() is None, "the ingest ended before the server could be restarted"
    at_restart = counts(db)[0]
    postgres.stop("fast")  # every connection cut, the in-flight transaction rolled back
    time.sleep(1.0)
    postgres.start()
    out, err = proc.communicate(timeout=300)
    # the server was back within the retry window: the same run carries on to the end
    assert proc.returncode == 0, err
    assert 0 < at_restart < total
    check_complete(db, clean, 203)


def test_postgres_down_stops_with_a_message_and_a_rerun_completes(postgres, tmp_path):
    src = write_input(tmp_path / "in.jsonl", synthetic_articles(40, seed=4))
    clean = postgres.create_db("clean_down")
    clean_run(src, clean)
    db = postgres.create_db("down")
    postgres.stop("fast")
    try:
        r = subprocess.run(ingest_cmd(src, db), capture_output=True, text=True, timeout=300)
    finally:
        postgres.start()
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr, r.stderr
    assert "hadath ingest: the database stopped answering" in r.stderr and "run the same command again" in r.stderr
    r = subprocess.run(ingest_cmd(src, db), capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    check_complete(db, clean, 43)
