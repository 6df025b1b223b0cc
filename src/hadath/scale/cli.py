"""`hadath scale-run`: the many-file run from the command line (the flags `hadath ingest` will share).

    hadath scale-run 'news/*.jsonl.gz' --engine dask --out events.parquet
    hadath scale-run 'news/*.jsonl.gz' --engine dask --scheduler tcp://host:8786 --out s3://bucket/events
    hadath scale-run corpus.jsonl --engine local --workers 2 --out events.parquet
"""

from __future__ import annotations

import argparse
import sys

from hadath.scale.inputs import DEFAULT_PARTITION_SIZE


def register(subparsers) -> None:
    p = subparsers.add_parser("scale-run", help="code many files on a process pool or Dask, into partitioned Parquet",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(p)
    p.set_defaults(func=cmd_scale_run)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", help="files, folders or glob patterns (quote them); fsspec URLs such as s3://…; "
                   ".jsonl, .jsonl.gz, .parquet (id/body/title/published columns), .warc(.gz), .txt, .html")
    p.add_argument("--engine", choices=["local", "dask"], default="local",
                   help="local: a process pool on this machine; dask: Dask distributed (default: local)")
    p.add_argument("--workers", type=int, help="worker processes (default: one per core); ignored with --scheduler")
    p.add_argument("--scheduler", help="address of a running Dask scheduler, e.g. tcp://host:8786 "
                   "(default with --engine dask: a LocalCluster on all cores)")
    p.add_argument("--out", help="output folder of Parquet tables articles/, events/, failures/ (local or URL)")
    p.add_argument("--db", help="also write the records into this database (needs hadath.store)")
    p.add_argument("--partition-size", type=int, default=DEFAULT_PARTITION_SIZE,
                   help=f"articles per partition (default {DEFAULT_PARTITION_SIZE})")
    p.add_argument("--min-confidence", type=float, default=0.0, help="drop events scored below this")
    p.add_argument("--max-chars", type=int, default=1_000_000, help="refuse longer articles")
    p.add_argument("--no-why", action="store_true", help="leave out the explanation of each field")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")


def cmd_scale_run(args: argparse.Namespace) -> int:
    from hadath.cli import options_from_args
    from hadath.scale.runner import RunError, run

    try:
        summary = run(args.paths, engine=args.engine, workers=args.workers, scheduler=args.scheduler, out=args.out,
                      db=args.db, options=options_from_args(args), progress=not args.no_progress,
                      partition_size=args.partition_size)
    except RunError as e:
        print(f"hadath scale-run: {e}", file=sys.stderr)
        return 2
    print(summary.describe(), file=sys.stderr)
    return 0
