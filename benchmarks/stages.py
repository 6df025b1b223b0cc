#!/usr/bin/env python3
"""Where the time of `hadath extract` goes: seconds per pipeline stage over a corpus slice.

    python benchmarks/stages.py [--corpus PATH] [--limit N]

One process pinned to one core, every stage on (as `hadath extract`). The pipeline
checks its time limit between stages (`Deadline.check`); this script times the span
that ends at each check, plus language identification and the writing of the
records, and prints each stage's share. Start-up (imports, lexicons, models) is
excluded: the first article is coded once before the clock starts.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "saudinewsnet" / "articles.jsonl.gz"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--limit", type=int, default=1000)
    args = ap.parse_args()
    if not args.corpus.is_file():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    import hadath.pipeline as pipeline
    from hadath.batch import code_one
    from hadath.ingest.readers import read_path

    spent: dict[str, float] = defaultdict(float)
    last = [time.perf_counter()]

    def timed_check(self, stage: str) -> None:
        now = time.perf_counter()
        spent[stage] += now - last[0]
        last[0] = now

    items = list(itertools.islice(read_path(str(args.corpus)), args.limit))
    code_one(items[0])  # start-up: lexicons and models load on first use
    pipeline.Deadline.check = timed_check
    language = pipeline.detect_language

    def timed_language(text: str) -> str:
        t = time.perf_counter()
        try:
            return language(text)
        finally:
            spent["language"] += time.perf_counter() - t
            last[0] = time.perf_counter()

    pipeline.detect_language = timed_language
    total = 0.0
    sink = open(os.devnull, "w", encoding="utf-8")
    for item in items:
        t0 = time.perf_counter()
        last[0] = t0
        record = code_one(item)
        t1 = time.perf_counter()
        sink.write(record.to_json_line())
        t2 = time.perf_counter()
        spent["writing"] += t2 - t1
        total += t2 - t0
    stages = sorted(spent.items(), key=lambda kv: -kv[1])
    print(f"{len(items)} articles in {total:.2f} s: {len(items) / total:.0f} articles/s")
    for stage, s in stages:
        print(f"  {stage:<20} {s:7.2f} s  {100 * s / total:5.1f}%")
    print(f"  {'(between checks)':<20} {total - sum(spent.values()):7.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
