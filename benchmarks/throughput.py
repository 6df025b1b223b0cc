#!/usr/bin/env python3
"""Throughput on one core: code the SaudiNewsNet corpus, print articles/s and peak memory.

    python benchmarks/throughput.py [--corpus PATH] [--limit N]

One process, one thread. Start-up (imports, loading the compiled lexicons) is
timed apart from the coding loop. Peak memory is the process's maximum
resident set size.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import sys
import time
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "saudinewsnet" / "articles.jsonl.gz"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles")
    ap.add_argument("--no-ner", action="store_true", help="lexicons only, without the NER model")
    args = ap.parse_args()
    if not args.corpus.is_file():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core

    t0 = time.perf_counter()
    from hadath.batch import code_one
    from hadath.ingest.readers import ArticleInput
    from hadath.lexicon.matcher import default_lexicon
    from hadath.pipeline import Options

    options = Options(ner=not args.no_ner)
    default_lexicon()
    if options.ner:
        from hadath.ner.model import default_model

        default_model()
    startup = time.perf_counter() - t0

    articles = []
    with gzip.open(args.corpus, "rt", encoding="utf-8") as fh:
        for line in fh:
            obj = json.loads(line)
            articles.append(ArticleInput(obj.get("body") or "", obj.get("id"), obj.get("title"),
                                         obj.get("published"), obj.get("url"), obj.get("source")))
            if args.limit and len(articles) >= args.limit:
                break
    chars = sum(len(a.body) for a in articles)

    t1 = time.perf_counter()
    c1 = time.process_time()
    events = errors = 0
    for a in articles:
        record = code_one(a, options)
        events += len(record.events)
        errors += bool(record.error)
    elapsed = time.perf_counter() - t1
    cpu = time.process_time() - c1
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles        {len(articles):,} ({chars / 1e6:.1f} M characters), NER {'on' if options.ner else 'off'}")
    print(f"events          {events:,}   articles with an error record: {errors:,}")
    print(f"start-up        {startup:.2f} s")
    print(f"coding          {elapsed:.1f} s")
    print(f"throughput      {len(articles) / elapsed:,.0f} articles/s on one core (wall clock)")
    # CPU time is what the process itself used: the per-core rate even when other work shares the machine
    print(f"                {len(articles) / cpu:,.0f} articles per CPU-second ({cpu:.1f} s of CPU)")
    print(f"peak memory     {peak_mb:,.0f} MB (max RSS, corpus held in memory)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
