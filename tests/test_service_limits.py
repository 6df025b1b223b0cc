"""The API under abuse, against a real `hadath serve`: limits, keys, injection, traversal, fuzzing.

Every bad request gets a 4xx with the JSON error body, never a 5xx; the
database is the same afterwards. Servers run on 127.0.0.1 (see test_api.Server),
on SQLite and, where PostgreSQL is installed, on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import time
from contextlib import contextmanager
from urllib.parse import quote

import httpx
import pytest
from test_api import PY, Server, api_key, db_url, ingest, postgres_url  # noqa: F401 (fixtures)

ARTICLE = "قتل ثلاثة مدنيين وأصيب عشرة آخرون في غارة جوية على مدينة حلب أمس."


@contextmanager
def env(**values: str):
    """Environment for a server started inside the block (the server reads its limits from it)."""
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.fixture(scope="module")
def small_db(tmp_path_factory) -> str:
    tmp = tmp_path_factory.mktemp("limits")
    url = f"sqlite:///{tmp / 'limits.db'}"
    ingest(url, tmp)
    return url


@contextmanager
def serving(db: str, **limits: str):
    with env(**limits):
        s = Server(db)
    try:
        yield s
    finally:
        s.stop()


@pytest.fixture(scope="module")
def server(db_url):  # noqa: F811
    """test_api's database (SQLite, PostgreSQL) served without the rate limit: these tests send hundreds."""
    with serving(db_url, HADATH_RATE_PER_MIN="0") as s:
        yield s


def error_of(r: httpx.Response, status: int) -> str:
    assert r.status_code == status, (r.status_code, r.text[:500])
    body = r.json()
    assert body["error"]["status"] == status and body["error"]["message"], body
    return body["error"]["message"]


def raw_http(port: int, request: bytes, wait: float = 10.0) -> tuple[int, bytes]:
    """Send bytes as they are (no client normalizing paths or fixing headers); the status and body back."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as s:
        s.sendall(request)
        data = b""
        while True:
            try:
                chunk = s.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body


# ------------------------------------------------------------------ sizes


def test_body_size_limit_declared_and_chunked(small_db):
    with serving(small_db, HADATH_MAX_BODY_BYTES="50000") as s:
        big = {"articles": [{"text": ARTICLE * 600}]}  # ~80 KB of JSON
        msg = error_of(httpx.post(s.url + "/v1/extract", json=big, timeout=30), 413)
        assert "50,000" in msg

        def chunks():  # no Content-Length: the limit is counted as the body arrives
            data = json.dumps(big).encode()
            for k in range(0, len(data), 4096):
                yield data[k:k + 4096]

        error_of(httpx.post(s.url + "/v1/extract", content=chunks(), headers={"content-type": "application/json"},
                            timeout=30), 413)
        ok = httpx.post(s.url + "/v1/extract", json={"articles": [{"text": ARTICLE}]}, timeout=30)
        assert ok.status_code == 200 and ok.json()["records"][0]["events"]


def test_article_and_page_size(server):
    r = httpx.post(server.url + "/v1/extract", json={"articles": [{"text": "ا" * 1_000_001}]}, timeout=60)
    assert "text" in error_of(r, 422)
    error_of(httpx.post(server.url + "/v1/extract", json={"articles": [{"text": ARTICLE}] * 101}, timeout=60), 422)
    error_of(httpx.post(server.url + "/v1/extract", json={"articles": []}, timeout=60), 422)
    for params in ({"limit": 1001}, {"limit": 0}, {"offset": -1}, {"limit": "many"}):
        error_of(httpx.get(server.url + "/v1/events", params=params, timeout=30), 422)
    assert httpx.get(server.url + "/v1/events", params={"limit": 1000}, timeout=30).status_code == 200


def test_malformed_json_is_a_4xx(server):
    bad_bodies = [b"{", b"", b"null", b"[]", b'{"articles": "x"}', b'{"articles": [{"text": 5}]}',
                  b"\xff\xfe\x00garbage", b'{"articles": [{"text": "' + "ا".encode() * 10 + b'"}]} trailing',
                  b"[" * 100_000 + b"]" * 100_000, b'{"articles": [{"text": "x", "published": 1e999999}]}',
                  json.dumps({"articles": [{"text": ARTICLE, "published": "not a date"}]}).encode()]
    for body in bad_bodies:
        r = httpx.post(server.url + "/v1/extract", content=body, headers={"content-type": "application/json"},
                       timeout=60)
        if r.status_code == 200:  # a bad date is the article's error, not the request's
            assert r.json()["records"][0]["error"], body[:60]
            continue
        assert 400 <= r.status_code < 500 and r.json()["error"]["message"], (body[:60], r.status_code, r.text[:300])
    # lone surrogates are JSON escapes no UTF-8 text can hold: refused with a message, or coded as U+FFFD
    r = httpx.post(server.url + "/v1/extract", content=b'{"articles": [{"text": "\\ud800' + ARTICLE.encode() +
                   b'", "title": "\\udfff"}]}', headers={"content-type": "application/json"}, timeout=60)
    if r.status_code != 200:
        assert "articles.0.text" in error_of(r, 422)
    r = httpx.post(server.url + "/v1/extract", content=b"text=1", headers={"content-type": "text/plain"}, timeout=60)
    assert 400 <= r.status_code < 500


# ------------------------------------------------------------------ rate and time


def test_rate_limit_per_client_with_retry_after(small_db):
    with serving(small_db, HADATH_RATE_PER_MIN="60", HADATH_RATE_BURST="5") as s:
        codes = [httpx.get(s.url + "/v1/events", timeout=30).status_code for _ in range(8)]
        assert codes[:4] == [200] * 4 and 429 in codes[4:], codes  # the health probe of startup took one
        r = httpx.get(s.url + "/v1/events", timeout=30)
        assert "too many requests" in error_of(r, 429) and int(r.headers["retry-after"]) >= 1
        # another client (a key) has its own bucket
        assert httpx.get(s.url + "/v1/events", headers={"X-API-Key": "hdk_other"}, timeout=30).status_code == 200


def test_slow_body_gets_408(small_db):
    with serving(small_db, HADATH_BODY_SECONDS="1") as s:
        head = (b"POST /v1/extract HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                b"Content-Length: 1000\r\nConnection: close\r\n\r\n{\"articles\": [")
        status, body = raw_http(s.port, head, wait=15)  # sends 15 of the 1000 bytes, then nothing
        assert status == 408 and json.loads(body)["error"]["status"] == 408


def test_coding_time_limits_give_error_records(small_db):
    with serving(small_db, HADATH_ARTICLE_SECONDS="0.2", HADATH_REQUEST_SECONDS="1") as s:
        slow = "قتل ثلاثة مدنيين وأصيب عشرة آخرون في غارة جوية على مدينة حلب أمس. " * 2500  # seconds of work
        t0 = time.monotonic()
        r = httpx.post(s.url + "/v1/extract", json={"articles": [{"text": slow}] * 8 + [{"text": ARTICLE}]},
                       timeout=120)
        took = time.monotonic() - t0
        assert r.status_code == 200
        errors = [rec["error"] or "" for rec in r.json()["records"]]
        assert errors[0].startswith("ArticleTimeout") and any("budget" in e for e in errors), errors
        assert took < 30, f"the request took {took:.1f} s despite a 1 s budget"


# ------------------------------------------------------------------ keys


def test_keys_are_stored_hashed_and_never_logged(tmp_path):
    db = tmp_path / "keys.db"
    url = f"sqlite:///{db}"
    ingest(url, tmp_path)
    made = subprocess.run([*PY, "apikey", "create", "--name", "ci", "--db", url], capture_output=True, text=True,
                          timeout=120)
    key = made.stdout.strip()
    assert made.returncode == 0 and key.startswith("hdk_") and key not in made.stderr
    s = Server(url)
    try:
        body = {"articles": [{"text": ARTICLE, "id": "k1"}]}
        assert error_of(httpx.post(s.url + "/v1/articles", json=body, timeout=60), 401)
        assert error_of(httpx.post(s.url + "/v1/articles", json=body, headers={"X-API-Key": key + "x"},
                                   timeout=60), 403)
        assert error_of(httpx.post(s.url + "/v1/articles", json=body, headers={"Authorization": "Basic " + key},
                                   timeout=60), 401)
        r = httpx.post(s.url + "/v1/articles", json=body, headers={"Authorization": "Bearer " + key}, timeout=60)
        assert r.status_code == 200 and r.json()["coded"] == 1
        assert key not in r.text
    finally:
        s.stop()
    con = sqlite3.connect(db)
    rows = con.execute("SELECT * FROM api_keys").fetchall()
    con.close()
    assert rows and all(key not in str(row) for row in rows)
    assert key.encode() not in db.read_bytes() and not any(
        key.encode() in p.read_bytes() for p in tmp_path.glob("keys.db*"))


def test_no_secret_in_server_output(tmp_path):
    url = f"sqlite:///{tmp_path / 'log.db'}"
    ingest(url, tmp_path)
    key = subprocess.run([*PY, "apikey", "create", "--db", url], capture_output=True, text=True,
                         timeout=120).stdout.strip()
    log = tmp_path / "server.log"
    port = _free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen([*PY, "serve", "--db", url, "--port", str(port)], stdout=out, stderr=out)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_up(base)
            for headers in ({"X-API-Key": key}, {"Authorization": f"Bearer {key}"}, {"X-API-Key": key[:-1]}):
                httpx.post(base + "/v1/articles", json={"articles": [{"text": ARTICLE}]}, headers=headers, timeout=60)
                httpx.get(base + "/v1/events", headers=headers, timeout=60)
            httpx.post(base + "/v1/articles", content=b"{", headers={"X-API-Key": key}, timeout=60)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    text = log.read_text(errors="replace")
    assert key not in text and key[:-1] not in text, text[-2000:]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_up(base: str) -> None:
    for _ in range(300):
        try:
            if httpx.get(base + "/v1/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


# ------------------------------------------------------------------ injection and traversal

INJECTIONS = ["' OR '1'='1", "' OR 1=1 --", "'; DROP TABLE events; --", '" OR ""="', "%' OR '%'='",
              "1) UNION SELECT id, body FROM articles --", "\\'; SELECT pg_sleep(5); --", "abc' || (SELECT 1) || '",
              "%", "_", "%%%", "*", "\x00", "ش' OR 'ش'='ش"]
STRING_FILTERS = ["actor", "q", "outlet"]
OTHER_FILTERS = ["type", "country", "date_from", "date_to", "bbox", "min_sources", "limit", "offset"]


def _counts(server_url: str) -> dict:
    return httpx.get(server_url + "/v1/health", timeout=30).json()["counts"]


def test_sql_injection_through_every_filter(server):
    before = _counts(server.url)
    total = httpx.get(server.url + "/v1/events", timeout=30).json()["total"]
    assert total > 0
    for payload in INJECTIONS:
        for name in STRING_FILTERS:
            r = httpx.get(server.url + "/v1/events", params={name: payload}, timeout=30)
            assert r.status_code in (200, 400, 422), (name, payload, r.status_code, r.text[:300])
            if r.status_code == 200 and (name != "q" or any(c.isalnum() for c in payload)):
                # read as words to match, never as SQL: no filter that matches everything
                # (a q of punctuation alone has no word to look for, and filters nothing)
                assert r.json()["total"] < total, (name, payload)
        for name in OTHER_FILTERS:
            r = httpx.get(server.url + "/v1/events", params={name: payload}, timeout=30)
            if name == "country" and len(payload) == 3:  # the right length for a code: compared, matching none
                assert r.status_code == 200 and r.json()["total"] == 0, (payload, r.text[:300])
                continue
            assert r.status_code in (400, 422) and r.json()["error"]["message"], (name, payload, r.status_code)
        r = httpx.get(server.url + "/v1/articles", params={"q": payload}, timeout=30)
        assert r.status_code in (200, 400, 422) and (r.status_code != 200 or len(r.json()["articles"]) < 5)
        for path in ("/v1/events/", "/v1/articles/"):
            r = httpx.get(server.url + path + quote(payload, safe=""), timeout=30)
            assert r.status_code in (400, 404, 422), (path, payload, r.status_code)
        for fmt in ("acled", "plover", "geojson"):
            r = httpx.get(server.url + f"/v1/export/{fmt}", params={"actor": payload}, timeout=60)
            assert r.status_code in (200, 400, 422), (fmt, payload, r.status_code)
    assert _counts(server.url) == before, "an injection changed the database"


TRAVERSALS = ["/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
              "/static/..%2f..%2f..%2f..%2fetc%2fpasswd", "/static/%252e%252e/%252e%252e/etc/passwd",
              "/static/....//....//etc/passwd", "/static//etc/passwd", "/static/..\\..\\..\\etc\\passwd",
              "/v1/articles/..%2f..%2f..%2fetc%2fpasswd", "/v1/events/../../etc/passwd",
              "/v1/export/..%2f..%2fetc%2fpasswd", "/../../../../etc/passwd", "/static/%00../../etc/passwd"]


def test_path_traversal_reads_nothing_outside(server):
    for path in TRAVERSALS:
        status, body = raw_http(server.port, f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        assert status in (400, 404, 405, 422), (path, status)
        assert b"root:" not in body, path


# ------------------------------------------------------------------ schemathesis


@pytest.mark.skipif(shutil.which("schemathesis") is None, reason="schemathesis is not installed")
def test_schemathesis_finds_no_server_error(db_url, api_key, tmp_path):  # noqa: F811
    n = os.environ.get("HADATH_SCHEMATHESIS_EXAMPLES", "25")
    with serving(db_url, HADATH_RATE_PER_MIN="0") as s:  # every generated request reaches the routes
        r = subprocess.run(["schemathesis", "run", s.url + "/openapi.json", "--checks", "not_a_server_error",
                            "--max-examples", n, "--seed", "7", "--request-timeout", "60", "--workers", "1",
                            "-H", f"X-API-Key: {api_key}"],
                           capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert r.returncode == 0, r.stdout[-5000:] + r.stderr[-2000:]


def test_nul_in_a_json_line_is_stored_on_every_database(db_url, tmp_path):  # noqa: F811
    # found by schemathesis on PostgreSQL: text columns there cannot hold NUL
    src = tmp_path / "nul.jsonl"
    src.write_text(json.dumps({"id": "nul-1", "source": "x\u0000y", "title": "a\u0000",
                               "body": ARTICLE + "\u0000" + ARTICLE}) + "\n", encoding="utf-8")
    r = subprocess.run([*PY, "ingest", str(src), "--db", db_url, "--no-progress"], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    with serving(db_url) as s:
        art = httpx.get(s.url + "/v1/articles/nul-1", timeout=30)
        assert art.status_code == 200 and "\x00" not in art.text and "\\u0000" not in art.text
        r = httpx.get(s.url + "/v1/events", params={"min_sources": 10**13}, timeout=30)
        assert r.status_code == 422
