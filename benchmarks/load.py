"""Load test of the API on loopback: requests/s and latency of GET /v1/events and POST /v1/extract.

    python benchmarks/load.py                          # 2000 GET + 300 POST, 16 at a time
    python benchmarks/load.py --get 5000 --post 500 --concurrency 32

It ingests articles into a fresh SQLite store (the first --articles of the
SaudiNewsNet corpus in ../shared when present, else generated ones), starts
`hadath serve` on 127.0.0.1 as a second process, and sends a bounded number of
requests from this process with httpx (asyncio). Everything stays on 127.0.0.1.
The per-client rate limit is switched off for the run (HADATH_RATE_PER_MIN=0):
one client sending thousands of requests a minute is what it exists to stop.
Any non-2xx answer or failed request counts as an error.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "saudinewsnet" / "articles.jsonl.gz"
TOWNS = ["حلب", "صعدة", "تعز", "أبها", "الرياض", "عدن", "الموصل", "بنغازي"]


def articles(n: int) -> tuple[list[dict], str]:
    if CORPUS.is_file():
        with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
            return [json.loads(line) for line in islice(fh, n)], f"first {n} SaudiNewsNet articles"
    rnd = random.Random(1)
    rows = [{"id": f"g{k}", "published": "2015-08-07", "source": "gen",
             "body": f"قتل {rnd.randint(2, 60)} مدنيا في غارة جوية على مدينة {rnd.choice(TOWNS)} أمس، "
                     f"واعتقلت قوات الأمن {rnd.randint(2, 30)} شخصا في {rnd.choice(TOWNS)}."} for k in range(n)]
    return rows, f"{n} generated articles (../shared absent)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def drive(name: str, make, n: int, concurrency: int) -> dict:
    """Send n requests, `concurrency` at a time; latency of each, errors counted."""
    latencies: list[float] = []
    errors: list[str] = []
    queue = iter(range(n))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=120) as client:
        async def worker() -> None:
            for k in queue:
                t0 = time.perf_counter()
                try:
                    r = await make(client, k)
                    if r.status_code >= 300:
                        errors.append(f"{r.status_code} {r.text[:120]}")
                except httpx.HTTPError as e:
                    errors.append(type(e).__name__)
                latencies.append(time.perf_counter() - t0)

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - t0
    lat = sorted(latencies)
    return {"endpoint": name, "requests": n, "concurrency": concurrency, "seconds": round(wall, 2),
            "requests_per_s": round(n / wall, 1), "p50_ms": round(1000 * statistics.median(lat), 1),
            "p99_ms": round(1000 * lat[min(len(lat) - 1, int(0.99 * len(lat)))], 1), "errors": len(errors),
            "first_errors": errors[:3]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=300, help="articles to ingest first")
    ap.add_argument("--get", type=int, default=2000, help="GET /v1/events requests")
    ap.add_argument("--post", type=int, default=300, help="POST /v1/extract requests (one article each)")
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()

    rows, what = articles(args.articles)
    tmp = Path(tempfile.mkdtemp(prefix="hadath-load-"))
    src = tmp / "in.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    db = f"sqlite:///{tmp / 'load.db'}"
    hadath = [sys.executable, "-m", "hadath.cli"]
    r = subprocess.run([*hadath, "ingest", str(src), "--db", db, "--no-progress"], capture_output=True, text=True)
    if r.returncode:
        print(r.stderr, file=sys.stderr)
        return 1
    port = free_port()
    base = f"http://127.0.0.1:{port}"  # loopback only, by construction
    log = (tmp / "server.log").open("wb")
    server = subprocess.Popen([*hadath, "serve", "--db", db, "--host", "127.0.0.1", "--port", str(port)],
                              stdout=log, stderr=log, env={**os.environ, "HADATH_RATE_PER_MIN": "0"})
    try:
        for _ in range(300):
            try:
                if httpx.get(base + "/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            print("the server did not start", file=sys.stderr)
            return 1
        types = ["ASSAULT", "COERCE", "PROTEST", "CONSULT", None]
        bodies = [r["body"] for r in rows if r.get("body")]

        def get_events(client: httpx.AsyncClient, k: int):
            params = {"limit": 50, "offset": (k * 7) % 100}
            if types[k % len(types)]:
                params["type"] = types[k % len(types)]
            if k % 3 == 0:
                params["date_from"] = "2015-01-01"
            return client.get(base + "/v1/events", params=params)

        def post_extract(client: httpx.AsyncClient, k: int):
            return client.post(base + "/v1/extract", json={"articles": [{"text": bodies[k % len(bodies)],
                                                                         "published": "2015-08-07"}]})

        results = [asyncio.run(drive("GET /v1/events", get_events, args.get, args.concurrency)),
                   asyncio.run(drive("POST /v1/extract", post_extract, args.post, args.concurrency))]
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
    out = {"data": what, "server": "hadath serve (uvicorn, 1 process), SQLite", "cpus": os.cpu_count(),
           "results": results}
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        print(f"{what}; {out['server']}; {out['cpus']} CPUs; client: httpx asyncio in a second process")
        for res in results:
            print(f"{res['endpoint']:18} {res['requests']:6} requests  {res['requests_per_s']:8.1f} req/s  "
                  f"p50 {res['p50_ms']:7.1f} ms  p99 {res['p99_ms']:7.1f} ms  errors {res['errors']}"
                  + (f"  e.g. {res['first_errors']}" if res["errors"] else ""))
    return 0 if all(res["errors"] == 0 for res in results) else 1


if __name__ == "__main__":
    sys.exit(main())
