#!/usr/bin/env python3
"""Ingest the SaudiNewsNet corpus into a store and report the cross-article merge.

    python benchmarks/merge_report.py [--db /tmp/snn.db] [--corpus PATH] [--limit N] [--workers N] [--samples 12]

Prints: the ingest rate (articles/s, wall clock, including the full-text index
and the merge), how many article-level events became how many canonical events,
the sizes of the clusters, then a seeded sample of merged clusters (title, and
each source's outlet, date, headline and evidence sentence) for a person to
check, and every cluster of the Abha mosque bombing (6 August 2015).
With an existing --db that already holds the corpus, the ingest is a no-op
(every article is skipped) and only the report is printed.
"""

from __future__ import annotations

import argparse
import gzip
import random
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "saudinewsnet" / "articles.jsonl.gz"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--db", help="store to fill (default: a new SQLite file in a temporary folder)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--samples", type=int, default=12)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--rebuild", action="store_true", help="redo the merge from scratch before reporting")
    args = ap.parse_args()
    if not args.corpus.is_file():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    db = args.db or str(Path(tempfile.mkdtemp(prefix="hadath-merge-")) / "snn.db")
    path = str(args.corpus)
    if args.limit:
        part = Path(tempfile.mkdtemp(prefix="hadath-part-")) / "part.jsonl"
        with gzip.open(args.corpus, "rt", encoding="utf-8") as src, part.open("w", encoding="utf-8") as dst:
            for k, line in enumerate(src):
                if k >= args.limit:
                    break
                dst.write(line)
        path = str(part)

    from hadath.store.db import get_engine
    from hadath.store.ingest import ingest
    from hadath.store.merge import merge_new

    get_engine(db)
    t0, cpu0 = time.perf_counter(), _cpu()
    out, stats = ingest([path], db, workers=args.workers, progress=None)
    wall, cpu = time.perf_counter() - t0, _cpu() - cpu0
    n = out.coded + out.failed + out.skipped
    print(f"store: {db}")
    print(f"ingest: {n} articles in {wall:.1f} s wall = {n / wall:.0f} articles/s with {args.workers} worker(s) "
          f"({out.coded} coded, {out.failed} failed, {out.skipped} already stored; {out.events} events)")
    # on a shared machine the wall clock depends on the neighbours; the CPU time does not
    print(f"  CPU time (this process and its workers): {cpu:.1f} s = {n / cpu:.0f} articles per CPU-second")
    engine = get_engine(db)
    if args.rebuild:
        t1 = time.perf_counter()
        merge_new(engine, rebuild=True)
        print(f"merge rebuilt in {time.perf_counter() - t1:.1f} s")
    report(engine, args.samples, args.seed)
    return 0


def _cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def report(engine, samples: int, seed: int) -> None:
    from sqlalchemy import func, select

    from hadath.store.query import event_detail
    from hadath.store.schema import canonical_events, canonical_links, events

    with engine.connect() as conn:
        n_events = conn.execute(select(func.count()).select_from(events)).scalar()
        n_canon = conn.execute(select(func.count()).select_from(canonical_events)).scalar()
        sizes = Counter(conn.execute(select(canonical_events.c.n_articles)).scalars())
        multi = conn.execute(select(canonical_events.c.id).where(canonical_events.c.n_articles > 1)
                             .order_by(canonical_events.c.id)).scalars().all()
        merged_events = conn.execute(select(func.count()).select_from(canonical_links)
                                     .join(canonical_events, canonical_events.c.id == canonical_links.c.canonical_id)
                                     .where(canonical_events.c.n_articles > 1)).scalar()
        by_type = conn.execute(select(canonical_events.c.event_type, func.count())
                               .where(canonical_events.c.n_articles > 1)
                               .group_by(canonical_events.c.event_type).order_by(func.count().desc())).all()
        print(f"\nmerge: {n_events} article-level events → {n_canon} canonical events "
              f"({n_events - n_canon} fewer, {1 - n_canon / max(1, n_events):.1%})")
        print(f"  {len(multi)} canonical events have reports from 2+ articles; they hold {merged_events} events")
        print("  articles per canonical event: " + ", ".join(f"{k}: {v}" for k, v in sorted(sizes.items())[:12])
              + (" …" if len(sizes) > 12 else ""))
        print("  merged events by type: " + ", ".join(f"{t} {c}" for t, c in by_type))

        rng = random.Random(seed)
        picked = rng.sample(multi, min(samples, len(multi)))
        print(f"\nsample of {len(picked)} merged events (seed {seed}):")
        for cid in sorted(picked):
            show(event_detail(conn, cid))

        abha = conn.execute(select(canonical_events.c.id).where(canonical_events.c.place_name == "Abha",
                                                                canonical_events.c.event_type == "ASSAULT")
                            .order_by(canonical_events.c.n_sources.desc(), canonical_events.c.id)).scalars().all()
        print(f"\nAbha, ASSAULT: {len(abha)} canonical events")
        for cid in abha[:3]:
            show(event_detail(conn, cid), max_sources=8)


def show(ev: dict, max_sources: int = 5) -> None:
    print(f"\n  [{ev['id']}] {ev['title']}  — {ev['n_sources']} reports, {ev['n_articles']} articles, "
          f"{ev['n_outlets']} outlets")
    for s in ev["sources"][:max_sources]:
        sentence = " ".join(s["sentence"].split())
        print(f"    · {s['source'] or '?':<10} {s['published'] or '?':<10} {(s['title'] or '')[:70]}")
        print(f"      «{sentence[:150]}»")
    if len(ev["sources"]) > max_sources:
        print(f"    … and {len(ev['sources']) - max_sources} more")


if __name__ == "__main__":
    sys.exit(main())
