"""The REST API against a running server (`hadath serve` in a subprocess), on SQLite and on PostgreSQL.

PostgreSQL: a private server is made with `initdb` and `pg_ctl` in a temporary
folder (as the `postgres` user when the tests run as root); the tests skip with
the reason when PostgreSQL is not installed.
"""

from __future__ import annotations

import csv
import glob
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from test_store import ARTICLES, SAADA, write_jsonl

PY = [sys.executable, "-m", "hadath.cli"]
# the store tests' articles (two reports of the Abha bombing, air strikes on Saada) and a meeting in Doha
API_ARTICLES = ARTICLES + [{"id": "doha", "source": "alyaum", "published": "2015-08-07",
                            "body": "التقى وزير الخارجية السعودي عادل الجبير نظيره الأمريكي جون كيري في الدوحة أمس."}]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`hadath serve` on a free 127.0.0.1 port, stopped on exit."""

    def __init__(self, db: str, *extra: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([*PY, "serve", "--db", db, "--port", str(self.port), *extra],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise RuntimeError("hadath serve exited: " + self.log.read().decode(errors="replace"))
            try:
                if httpx.get(self.url + "/v1/health", timeout=2).status_code in (200, 401):
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("hadath serve did not answer within 60 s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


# ---- databases ----------------------------------------------------------------------------------------------


def _pg_bin() -> Path | None:
    exe = shutil.which("initdb") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)),
                                         None)
    return Path(exe).resolve().parent if exe else None


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (no initdb): apt-get install postgresql to run these tests")
    as_user: list[str] = []
    tmp = Path(tempfile.mkdtemp(prefix="hadath-pg-"))
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        import pwd

        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' user to run PostgreSQL as")
        shutil.chown(tmp, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    data = tmp / "data"
    init = subprocess.run([*as_user, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                           "-E", "UTF8", "--no-sync"], capture_output=True, text=True)
    assert init.returncode == 0, init.stderr
    start = subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-w", "-l", str(tmp / "log"), "-o",
                            f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
                           capture_output=True, text=True)
    assert start.returncode == 0, start.stderr + (tmp / "log").read_text(errors="replace")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)


def ingest(db: str, tmp: Path) -> None:
    src = write_jsonl(tmp / "articles.jsonl", API_ARTICLES)
    r = subprocess.run([*PY, "ingest", str(src), "--db", db, "--no-progress"], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db_url(request, tmp_path_factory) -> str:
    tmp = tmp_path_factory.mktemp(request.param)
    if request.param == "sqlite":
        url = f"sqlite:///{tmp / 'api.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
        from sqlalchemy import create_engine, text

        from hadath.store.db import resolve_url

        # each module starts from an empty database
        name = f"hadath_{os.getpid()}_{int(time.time() * 1000) % 10**8}"
        with create_engine(resolve_url(url), isolation_level="AUTOCOMMIT").connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
        url = url.rsplit("/", 1)[0] + "/" + name
    ingest(url, tmp)
    return url


@pytest.fixture(scope="module")
def server(db_url) -> Iterator[Server]:
    s = Server(db_url)
    yield s
    s.stop()


@pytest.fixture(scope="module")
def api_key(db_url) -> str:
    r = subprocess.run([*PY, "apikey", "create", "--name", "tests", "--db", db_url], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    key = r.stdout.strip()
    assert key.startswith("hdk_") and len(key) > 30
    return key


def get(server: Server, path: str, **params) -> httpx.Response:
    return httpx.get(server.url + path, params=params, timeout=60)


# ---- reads --------------------------------------------------------------------------------------------------


def test_health_counts_what_was_ingested(server, db_url):
    h = get(server, "/v1/health").json()
    assert h["status"] == "ok" and h["database"] == ("sqlite" if db_url.startswith("sqlite") else "postgresql")
    assert h["counts"]["articles"] == len(API_ARTICLES)
    assert 0 < h["counts"]["canonical_events"] < h["counts"]["events"]  # the two Abha reports are one event


def test_filters(server):
    every = get(server, "/v1/events", limit=1000).json()
    assert every["total"] == len(every["events"]) > 0
    assaults = get(server, "/v1/events", type="ASSAULT").json()["events"]
    assert assaults and all(e["event_type"] == "ASSAULT" for e in assaults)
    assert len(assaults) < every["total"]

    yemen = get(server, "/v1/events", country="YEM", type="ASSAULT").json()["events"]
    assert yemen and all(e["country"] == "YEM" for e in yemen)
    # bounding box around Abha only
    abha = get(server, "/v1/events", bbox="42,17.5,43,18.8").json()["events"]
    assert [e["place_name"] for e in abha] == ["Abha"] and abha[0]["n_sources"] == 2
    by_actor = get(server, "/v1/events", actor="houthi").json()["events"]
    assert by_actor and all(e["place_name"] == "Saada" for e in by_actor)
    assert get(server, "/v1/events", actor="الحوثيين").json()["total"] == len(by_actor)  # Arabic words too
    consult = get(server, "/v1/events", type=["CONSULT", "AGREE"]).json()["events"]
    assert [e["place_name"] for e in consult] == ["Doha"]
    # free text in Arabic (folded: «الحكومة» finds «والحكومة») and in English
    arabic = get(server, "/v1/events", q="الحكومة").json()["events"]
    assert arabic and all(e["place_name"] == "Saada" for e in arabic)
    english = get(server, "/v1/events", q="abha").json()["events"]
    assert [e["place_name"] for e in english] == ["Abha"]
    # dates: the Abha bombing happened on 6 August, the strikes on the 7th
    day6 = get(server, "/v1/events", date_from="2015-08-06", date_to="2015-08-06").json()["events"]
    assert {e["place_name"] for e in day6} == {"Abha", "Doha"}
    # paging
    page = get(server, "/v1/events", limit=1, offset=1).json()
    assert page["total"] == every["total"] and page["events"][0]["id"] == every["events"][1]["id"]


def test_event_has_every_source_with_evidence(server):
    (abha,) = get(server, "/v1/events", bbox="42,17.5,43,18.8").json()["events"]
    ev = get(server, f"/v1/events/{abha['id']}").json()
    assert {s["article_id"] for s in ev["sources"]} == {"abha-1", "abha-2"}
    assert {s["source"] for s in ev["sources"]} == {"alriyadh", "okaz"}
    assert ev["killed"] == 17 and ev["provenance"]["killed"].startswith("abha-2:")
    for s in ev["sources"]:
        art = get(server, f"/v1/articles/{s['article_id']}").json()
        kinds = set()
        for span in s["evidence"]:
            assert art["body"][span["start"]:span["end"]] == span["text"]
            kinds.add(span["kind"])
        assert {"trigger", "place", "killed"} <= kinds
    # an article-level event id leads to its canonical event
    assert get(server, f"/v1/events/{ev['sources'][1]['id']}").json()["id"] == ev["id"]


def test_article_search(server):
    found = get(server, "/v1/articles", q="والحكومة").json()["articles"]
    assert [a["id"] for a in found] == ["gov"]


def test_extract_codes_without_storing(server):
    before = get(server, "/v1/health").json()["counts"]
    r = httpx.post(server.url + "/v1/extract", json={"articles": [{"text": SAADA, "published": "2015-08-07"}]},
                   timeout=60)
    assert r.status_code == 200, r.text
    (record,) = r.json()["records"]
    assert record["events"][0]["event_type"] == "ASSAULT"
    assert get(server, "/v1/health").json()["counts"] == before


# ---- writes need a key ------------------------------------------------------------------------------------


def test_writes_need_a_valid_key(server, api_key):
    new = {"articles": [{"id": "new-1", "text": "تظاهر مئات الطلاب في عمان أمس احتجاجا على رفع الأسعار.",
                         "published": "2015-08-09", "source": "test"}]}
    r = httpx.post(server.url + "/v1/articles", json=new, timeout=60)
    assert r.status_code == 401 and "API key" in r.json()["error"]["message"]
    r = httpx.post(server.url + "/v1/articles", json=new, headers={"X-API-Key": "hdk_wrong"}, timeout=60)
    assert r.status_code == 403 and r.json()["error"]["status"] == 403
    before = get(server, "/v1/health").json()["counts"]["articles"]
    r = httpx.post(server.url + "/v1/articles", json=new, headers={"Authorization": f"Bearer {api_key}"}, timeout=60)
    assert r.status_code == 200, r.text
    assert r.json()["coded"] == 1
    assert get(server, "/v1/health").json()["counts"]["articles"] == before + 1
    assert get(server, "/v1/articles/new-1").json()["body"] == new["articles"][0]["text"]
    again = httpx.post(server.url + "/v1/articles", json=new, headers={"X-API-Key": api_key}, timeout=60).json()
    assert again["coded"] == 0 and again["skipped"] == 1


# ---- exports ----------------------------------------------------------------------------------------------


def test_exports(server):
    from hadath.serve.exports import ACLED_COLUMNS

    total = get(server, "/v1/events", type="ASSAULT").json()["total"]
    r = get(server, "/v1/export/acled", type="ASSAULT")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(ACLED_COLUMNS) == 31 and list(rows[0]) == ACLED_COLUMNS and len(rows) == total
    abha = next(row for row in rows if row["location"] == "Abha")
    assert abha["fatalities"] == "17" and abha["event_date"] == "2015-08-06" and abha["country"] == "Saudi Arabia"
    assert abha["event_type"] == "Explosions/Remote violence"
    assert set(abha["source"].split("; ")) == {"alriyadh", "okaz"}

    lines = get(server, "/v1/export/plover", type="ASSAULT").text.splitlines()
    plover = [json.loads(line) for line in lines]
    assert len(plover) == total and all(p["event"] == "ASSAULT" for p in plover)
    assert any(len(p["reports"]) == 2 for p in plover)

    geo = get(server, "/v1/export/geojson").json()
    assert geo["type"] == "FeatureCollection" and geo["features"]
    lon, lat = geo["features"][0]["geometry"]["coordinates"]
    assert -180 <= lon <= 180 and -90 <= lat <= 90

    import pyarrow.parquet as pq

    r = get(server, "/v1/export/parquet", type="ASSAULT")
    table = pq.read_table(io.BytesIO(r.content))
    assert table.num_rows == total and table.column_names[:31] == ACLED_COLUMNS


# ---- errors -----------------------------------------------------------------------------------------------


def test_errors_are_json(server):
    r = get(server, "/v1/events/no-such-event")
    assert r.status_code == 404 and r.json()["error"]["status"] == 404
    assert get(server, "/v1/articles/nope").status_code == 404
    r = get(server, "/v1/events", bbox="1,2,3")
    assert r.status_code == 422 and "bbox" in r.json()["error"]["message"]
    r = get(server, "/v1/events", type="EXPLODE")
    assert r.status_code == 422 and "type" in r.json()["error"]["message"]
    assert get(server, "/v1/events", date_from="2015-08-09", date_to="2015-08-01").status_code == 422
    assert get(server, "/v1/events", limit=5000).status_code == 422
    r = httpx.post(server.url + "/v1/extract", json={"articles": []}, timeout=30)
    assert r.status_code == 422 and r.json()["error"]["details"]
    assert get(server, "/openapi.json").json()["paths"]["/v1/events"]


def test_reads_can_require_a_key(db_url, api_key):
    if not db_url.startswith("sqlite"):
        pytest.skip("the read-key setting does not depend on the database")
    s = Server(db_url, "--require-key-for-reads")
    try:
        assert httpx.get(s.url + "/v1/events", timeout=30).status_code == 401
        assert httpx.get(s.url + "/v1/events", headers={"X-API-Key": api_key}, timeout=30).status_code == 200
    finally:
        s.stop()
