"""`hadath ingest`, `hadath recode`, `hadath merge`: the store's sub-commands."""

from __future__ import annotations

import argparse
import importlib
import sys

_DB_HELP = ("database URL: sqlite:///path.db, postgresql://user@host/db, or a file path "
            "(default $HADATH_DB or ./hadath.db)")


def register(sub) -> None:
    ing = sub.add_parser("ingest", help="code articles into the event database (idempotent, resumable)")
    ing.add_argument("paths", nargs="+", help="article files (.txt, .jsonl, .jsonl.gz, .html) or - for JSONL on stdin")
    ing.add_argument("--db", help=_DB_HELP)
    ing.add_argument("--published", help="publication date YYYY-MM-DD for articles that do not give one")
    ing.add_argument("--min-confidence", type=float, default=0.0, help="drop events scored below this")
    ing.add_argument("--max-chars", type=int, default=1_000_000, help="refuse longer articles")
    ing.add_argument("--engine", choices=["local", "dask"], default="local",
                     help="local: this machine (default); dask: the distributed engine (hadath.scale)")
    ing.add_argument("--workers", type=int, default=1, help="coding processes (local) or workers (dask)")
    ing.add_argument("--scheduler", help="dask scheduler address (--engine dask)")
    ing.add_argument("--out", help="also write the records as files in this folder (distributed engine)")
    ing.add_argument("--batch", type=int, default=200, help="articles per transaction")
    ing.add_argument("--no-merge", action="store_true", help="do not merge events into canonical events now")
    ing.add_argument("--no-progress", action="store_true", help="no progress bar")
    ing.set_defaults(func=cmd_ingest)

    rc = sub.add_parser("recode", help="code the stored articles again (after lexicon or model changes)")
    rc.add_argument("--db", help=_DB_HELP)
    rc.add_argument("--min-confidence", type=float, default=0.0)
    rc.add_argument("--workers", type=int, default=1)
    rc.add_argument("--no-progress", action="store_true")
    rc.set_defaults(func=cmd_recode)

    mg = sub.add_parser("merge", help="merge stored events into canonical events (across articles)")
    mg.add_argument("--db", help=_DB_HELP)
    mg.add_argument("--rebuild", action="store_true", help="forget the existing canonical events and redo them all")
    mg.set_defaults(func=cmd_merge)


def _options(args: argparse.Namespace):
    from hadath.cli import options_from_args

    return options_from_args(args)


def cmd_ingest(args: argparse.Namespace) -> int:
    if args.engine == "dask" or args.out:
        try:
            runner = importlib.import_module("hadath.scale.runner")
        except ModuleNotFoundError as e:
            if e.name and e.name.startswith("hadath.scale"):
                print("hadath ingest: the distributed engine (hadath.scale) is not installed in this hadath; "
                      "use --engine local without --out", file=sys.stderr)
                return 2
            raise
        from hadath.errors import HadathError

        try:
            runner.run(paths=args.paths, engine=args.engine, workers=args.workers, scheduler=args.scheduler,
                       out=args.out, db=args.db, options=_options(args))
        except HadathError as e:
            print(f"hadath ingest: {e}", file=sys.stderr)
            return 2
        return 0

    from hadath.errors import HadathError
    from hadath.store.db import describe, resolve_url
    from hadath.store.ingest import ingest, summary

    try:
        out, stats = ingest(args.paths, args.db, options=_options(args), published=args.published,
                            workers=max(1, args.workers), batch=max(1, args.batch),
                            progress=False if args.no_progress else None, merge=not args.no_merge)
    except HadathError as e:
        print(f"hadath ingest: {e}", file=sys.stderr)
        return 2
    print(summary(out, stats, describe(resolve_url(args.db))), file=sys.stderr)
    return 0


def cmd_recode(args: argparse.Namespace) -> int:
    from hadath.store.db import describe, resolve_url
    from hadath.store.ingest import recode, summary

    out, stats = recode(args.db, options=_options(args), workers=max(1, args.workers),
                        progress=False if args.no_progress else None)
    print(summary(out, stats, describe(resolve_url(args.db))), file=sys.stderr)
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from hadath.store.db import get_engine
    from hadath.store.merge import merge_new

    stats = merge_new(get_engine(args.db), rebuild=args.rebuild)
    print(f"hadath merge: {stats.events} events → {stats.founded} new canonical events, {stats.joined} joined "
          f"existing ones; {stats.canonical_total} canonical events in all", file=sys.stderr)
    return 0
