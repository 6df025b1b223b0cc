#!/usr/bin/env python3
"""Scaling: the SaudiNewsNet corpus (and replicas of it) on a process pool and on Dask.

    python benchmarks/scale.py                                   # ×1 and ×10, local 1 and 2 workers, dask 2
    python benchmarks/scale.py --replicas 1 --configs local1 local2 dask2
    python benchmarks/scale.py --replicas 10 --configs dask2 --json results.json

For each size and engine: articles/s (wall, from the first partition sent to the
last one finished), CPU seconds per article summed over the workers (the cost
measure, which does not move when other programs share the machine), how evenly
the work was split (the speed-up the split allows when each worker has a core),
the share of a core each worker actually got, start-up
(partition plan, worker processes started and warmed), peak memory per worker
(its maximum resident set, and psutil's samples of every child process), output
size, and the machine's load average while it ran.

Replicas (×N) are written on the fly to a temporary folder as N gzip shards, each
a copy of the corpus with new ids; nothing is kept.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "saudinewsnet" / "articles.jsonl.gz"
CONFIGS = {"local1": ("local", 1), "local2": ("local", 2), "dask2": ("dask", 2)}


def make_replicas(corpus: Path, n: int, folder: Path, limit: int = 0) -> list[str]:
    """n shards, each the corpus (or its first `limit` lines) with ids suffixed -r0 … -r{n-1}."""
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        lines = [line for i, line in enumerate(fh) if not limit or i < limit]
    paths = []
    for k in range(n):
        path = folder / f"shard-{k:03d}.jsonl.gz"
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as out:
            for line in lines:
                obj = json.loads(line)
                obj["id"] = f"{obj.get('id')}-r{k}"
                out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        paths.append(str(path))
    return paths


class MemorySampler(threading.Thread):
    """Largest resident set of every child process (pool workers, Dask nannies and workers), sampled."""

    def __init__(self, every: float = 0.5):
        super().__init__(daemon=True)
        import psutil

        self.me, self.every, self.peak, self.stop = psutil.Process(), every, {}, threading.Event()

    def run(self) -> None:
        import psutil

        while not self.stop.is_set():
            for child in self.me.children(recursive=True):
                try:
                    rss = child.memory_info().rss / 2**20
                except psutil.Error:
                    continue
                self.peak[child.pid] = max(self.peak.get(child.pid, 0.0), rss)
            self.stop.wait(self.every)


def folder_size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def measure(paths: list[str], config: str, out: Path, partition_size: int) -> dict:
    from hadath.scale import run

    engine, workers = CONFIGS[config]
    sampler = MemorySampler()
    sampler.start()
    load0 = os.getloadavg()[0]
    summary = run(paths, engine=engine, workers=workers, out=out, progress=sys.stderr.isatty(),
                  partition_size=partition_size)
    sampler.stop.set()
    sampler.join()
    cpu = sum(r.cpu_s for r in summary.results)
    busiest = max((w.cpu_s for w in summary.per_worker.values()), default=0.0)
    return {
        "config": config, "engine": engine, "workers": summary.workers,
        "articles": summary.coded, "events": summary.events, "failures": summary.failures,
        "partitions": summary.partitions,
        "startup_s": round(summary.startup_s, 2), "coding_s": round(summary.coding_s, 1),
        "total_s": round(summary.seconds, 1),
        "articles_per_s": round(summary.articles_per_s, 1),
        "cpu_ms_per_article": round(1000 * cpu / max(summary.coded, 1), 2),
        # how evenly the work was split: the speed-up over one worker if every worker had a core of its own
        "balance_speedup": round(cpu / busiest, 2) if busiest else 0.0,
        # share of a core each worker got while coding (below 1: other programs took the rest)
        "core_share": round(cpu / (summary.coding_s * summary.workers), 2) if summary.coding_s else 0.0,
        "warmup_s": round(max((w.warmup_s for w in summary.per_worker.values()), default=0.0), 2),
        "peak_rss_mb_per_worker": round(max((w.peak_rss_mb for w in summary.per_worker.values()), default=0.0)),
        "peak_rss_mb_sampled": round(max(sampler.peak.values(), default=0.0)),
        "lexicon_loads_per_worker": sorted({w.lexicon_loads for w in summary.per_worker.values()}),
        "output_mb": round(folder_size_mb(out), 1),
        "load_before": round(load0, 2), "load_after": round(os.getloadavg()[0], 2),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--replicas", type=int, nargs="+", default=[1, 10], help="sizes, in copies of the corpus")
    ap.add_argument("--configs", nargs="+", choices=sorted(CONFIGS), default=["local1", "local2", "dask2"])
    ap.add_argument("--partition-size", type=int, default=1000)
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles of the corpus (a quick try)")
    ap.add_argument("--json", type=Path, help="also write the results here")
    args = ap.parse_args()
    if not args.corpus.is_file():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    print(f"machine: {os.cpu_count()} cores; load average now {os.getloadavg()[0]:.2f}", file=sys.stderr)
    results = []
    for n in args.replicas:
        work = Path(tempfile.mkdtemp(prefix="hadath-bench-"))
        try:
            t0 = time.perf_counter()
            paths = [str(args.corpus)] if n == 1 and not args.limit else make_replicas(args.corpus, n, work,
                                                                                      args.limit)
            print(f"×{n}: inputs ready in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
            for config in args.configs:
                r = measure(paths, config, work / f"out-{config}", args.partition_size)
                r["replicas"] = n
                results.append(r)
                print(json.dumps(r), file=sys.stderr)
                shutil.rmtree(work / f"out-{config}", ignore_errors=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    print_table(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


def print_table(results: list[dict]) -> None:
    cols = ["replicas", "config", "articles", "articles_per_s", "cpu_ms_per_article", "balance_speedup", "core_share",
            "startup_s", "coding_s",
            "peak_rss_mb_per_worker", "peak_rss_mb_sampled", "output_mb", "load_before", "load_after"]
    print(" | ".join(cols))
    for r in results:
        print(" | ".join(str(r[c]) for c in cols))
    base = {r["replicas"]: r for r in results if r["config"] == "local1"}
    for r in results:
        b = base.get(r["replicas"])
        if b and r["config"] != "local1":
            speedup = r["articles_per_s"] / b["articles_per_s"]
            print(f"×{r['replicas']} {r['config']}: speed-up over local1 {speedup:.2f}×")


if __name__ == "__main__":
    sys.exit(main())
