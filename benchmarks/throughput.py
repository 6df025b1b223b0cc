#!/usr/bin/env python3
"""Throughput on one core: code the SaudiNewsNet corpus, print articles/s and peak memory.

    python benchmarks/throughput.py [--corpus PATH] [--limit N] [--no-ner]
    python benchmarks/throughput.py --against OTHER [--rounds R] [--limit N]

One process, one thread, pinned to one core. Start-up (imports, loading the
compiled lexicons and the models) is timed apart from the coding loop. Peak
memory is the process's maximum resident set size (the corpus slice is held in
memory).

With --against, two versions run side by side: this one (the interpreter and
import path running this script) and OTHER — a Python interpreter with another
hadath installed (a virtual environment's bin/python), or a source tree whose
`src` (or itself) is put first on PYTHONPATH (a git worktree of the previous
release). Each round runs one after the other, alternating which goes first,
each in a fresh process; the machine's drift then weighs on both alike, and the
speed claim is the ratio of the medians, measured at one time on one machine.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "saudinewsnet" / "articles.jsonl.gz"


def measure(corpus: Path, limit: int, ner: bool) -> dict:
    """Code the slice in this process; the figures as a dict."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core

    t0 = time.perf_counter()
    import hadath
    from hadath.batch import code_one
    from hadath.ingest.readers import ArticleInput
    from hadath.lexicon.matcher import default_lexicon
    from hadath.pipeline import Options

    options = Options(ner=ner)
    default_lexicon()
    if options.ner:
        from hadath.ner.model import default_model

        default_model()
    startup = time.perf_counter() - t0

    articles = []
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        for line in fh:
            obj = json.loads(line)
            articles.append(ArticleInput(obj.get("body") or "", obj.get("id"), obj.get("title"),
                                         obj.get("published"), obj.get("url"), obj.get("source")))
            if limit and len(articles) >= limit:
                break

    t1 = time.perf_counter()
    c1 = time.process_time()
    events = errors = 0
    for a in articles:
        record = code_one(a, options)
        events += len(record.events)
        errors += bool(record.error)
    elapsed = time.perf_counter() - t1
    cpu = time.process_time() - c1
    return {
        "version": getattr(hadath, "__version__", "?"), "where": str(Path(hadath.__file__).parent),
        "articles": len(articles), "characters": sum(len(a.body) for a in articles), "ner": options.ner,
        "events": events, "errors": errors, "startup_s": startup, "coding_s": elapsed, "cpu_s": cpu,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def report(r: dict) -> None:
    print(f"articles        {r['articles']:,} ({r['characters'] / 1e6:.1f} M characters), "
          f"NER {'on' if r['ner'] else 'off'}")
    print(f"events          {r['events']:,}   articles with an error record: {r['errors']:,}")
    print(f"start-up        {r['startup_s']:.2f} s")
    print(f"coding          {r['coding_s']:.1f} s")
    print(f"throughput      {r['articles'] / r['coding_s']:,.0f} articles/s on one core (wall clock)")
    # CPU time is what the process itself used: the per-core rate even when other work shares the machine
    print(f"                {r['articles'] / r['cpu_s']:,.0f} articles per CPU-second ({r['cpu_s']:.1f} s of CPU)")
    print(f"peak memory     {r['peak_mb']:,.0f} MB (max RSS, corpus held in memory)")


def _command(other: Path | None) -> tuple[list[str], dict[str, str]]:
    """How to start a measuring process of this version (None) or of OTHER."""
    env = dict(os.environ)
    python = sys.executable
    if other is not None:
        if other.is_file():
            python = str(other)
        else:
            src = other / "src" if (other / "src" / "hadath").is_dir() else other
            env["PYTHONPATH"] = os.pathsep.join([str(src.resolve())] + [p for p in [env.get("PYTHONPATH")] if p])
    return [python, str(Path(__file__).resolve()), "--child"], env


def side_by_side(args: argparse.Namespace) -> int:
    runs: dict[str, list[dict]] = {"this": [], "other": []}
    for k in range(args.rounds):
        order = ("this", "other") if k % 2 == 0 else ("other", "this")
        for name in order:
            cmd, env = _command(None if name == "this" else args.against)
            cmd += ["--corpus", str(args.corpus), "--limit", str(args.limit)] + (["--no-ner"] if args.no_ner else [])
            out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
            if out.returncode != 0:
                print(f"{name}: the measuring process failed:\n{out.stderr}", file=sys.stderr)
                return 1
            r = json.loads(out.stdout.strip().splitlines()[-1])
            runs[name].append(r)
            print(f"round {k + 1} {name:<5} {r['articles'] / r['cpu_s']:7.1f} articles per CPU-second, "
                  f"{r['articles'] / r['coding_s']:7.1f}/s wall, peak {r['peak_mb']:.0f} MB, "
                  f"{r['events']:,} events  ({r['where']})", flush=True)
    rate = {name: statistics.median(r["articles"] / r["cpu_s"] for r in rs) for name, rs in runs.items()}
    print(f"median: this {rate['this']:.1f}, other {rate['other']:.1f} articles per CPU-second: "
          f"this runs {rate['this'] / rate['other']:.2f}x the other")
    if {r["events"] for r in runs["this"]} != {r["events"] for r in runs["other"]}:
        print("note: the two versions code a different number of events on this slice")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles")
    ap.add_argument("--no-ner", action="store_true", help="lexicons only, without the NER model")
    ap.add_argument("--against", type=Path, default=None, metavar="OTHER",
                    help="another version to run side by side: a python interpreter, or a source tree")
    ap.add_argument("--rounds", type=int, default=3, help="with --against: runs of each version (default 3)")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)  # one measuring run, JSON out
    args = ap.parse_args()
    if not args.corpus.is_file():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    if args.against is not None:
        if not args.against.exists():
            print(f"--against: {args.against} not found", file=sys.stderr)
            return 2
        return side_by_side(args)
    result = measure(args.corpus, args.limit, not args.no_ner)
    if args.child:
        print(json.dumps(result))
    else:
        report(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
