"""`hadath`: the command line. Flags map onto `Options` in one place (`options_from_args`)."""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from tqdm import tqdm

from hadath import __version__
from hadath.batch import code_items
from hadath.ingest.readers import read_paths
from hadath.pipeline import DEFAULT_OPTIONS, Options
from hadath.records import ArticleRecord, json_schema

# Sub-commands that live beside the stage they drive: each module has `register(subparsers)`.
COMMAND_MODULES: list[str] = ["hadath.scale.cli", "hadath.store.cli", "hadath.ner.cli", "hadath.learn.cli",
                              "hadath.serve.cli"]


def train_commands(subparsers: argparse._SubParsersAction) -> argparse._SubParsersAction:
    """The sub-commands of `hadath train`, made by whichever module registers a model first."""
    train = subparsers.choices.get("train")
    if train is None:
        train = subparsers.add_parser("train", help="rebuild a shipped model from the shared training data")
        train.set_defaults(func=lambda a: train.print_help() or 2)
    what = getattr(train, "hadath_models", None)
    if what is None:
        what = train.add_subparsers(dest="model")
        train.hadath_models = what  # type: ignore[attr-defined]
    return what


def options_from_args(args: argparse.Namespace) -> Options:
    return Options(min_confidence=getattr(args, "min_confidence", 0.0) or 0.0,
                   max_chars=getattr(args, "max_chars", DEFAULT_OPTIONS.max_chars),
                   explain=not getattr(args, "no_why", False),
                   ner=not getattr(args, "no_ner", False),
                   model=not getattr(args, "no_model", False))


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    return args.func(args)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="hadath", description="Arabic news in, event records out.")
    p.add_argument("--version", action="version", version=f"hadath {__version__}")
    sub = p.add_subparsers(dest="command")

    ex = sub.add_parser("extract", help="code articles into event records")
    _input_args(ex)
    ex.add_argument("--format", choices=["jsonl", "json", "table"], default=None,
                    help="jsonl (the contract, default when writing a file), json (pretty), table")
    ex.add_argument("-o", "--output", help="write here instead of standard output")
    ex.add_argument("--no-why", action="store_true", help="leave out the explanation of each field")
    ex.set_defaults(func=cmd_extract)

    xp = sub.add_parser("explain", help="show, for each event and field, the words and the rule behind it")
    _input_args(xp)
    xp.set_defaults(func=cmd_explain)

    ev = sub.add_parser("eval", help="code a gold set and score it with the official scorer")
    ev.add_argument("gold_dir", type=Path)
    ev.add_argument("--scorer", type=Path, help="score.py (default: ../eval/score.py beside the gold sets)")
    ev.add_argument("--min-confidence", type=float, default=0.0)
    ev.add_argument("--no-ner", action="store_true", help="lexicons only, without the NER model")
    ev.add_argument("--no-model", action="store_true",
                    help="the hand rules alone, without the learned event models (hadath train events)")
    ev.add_argument("-o", "--output", type=Path, help="keep the predictions here")
    ev.add_argument("--by-type", action="store_true", help="after the scores, precision and recall per event type")
    ev.add_argument("--reliability", action="store_true",
                    help="after the scores, a reliability table: confidence bins against the share right")
    ev.add_argument("--errors", action="store_true",
                    help="after the scores, list every missed, false and wrong-field event, grouped by cause")
    ev.set_defaults(func=cmd_eval)

    sc = sub.add_parser("schema", help="print the JSON schema of the records")
    sc.set_defaults(func=lambda a: print(json.dumps(json_schema(), indent=2)) or 0)

    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            # a sub-command package not present in this installation is skipped; a module that is
            # present but fails to import (a missing dependency) still raises
            if e.name is not None and name.startswith(e.name):
                continue
            raise
        module.register(sub)
    return p


def _input_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", help="article files (.txt, .jsonl, .jsonl.gz, .html) or - for JSONL on stdin")
    p.add_argument("--published", help="publication date YYYY-MM-DD for articles that do not give one")
    p.add_argument("--min-confidence", type=float, default=0.0, help="drop events scored below this")
    p.add_argument("--max-chars", type=int, default=DEFAULT_OPTIONS.max_chars, help="refuse longer articles")
    p.add_argument("--no-ner", action="store_true",
                   help="lexicons only: about 2.5x faster, without the names only the NER model finds")
    p.add_argument("--no-model", action="store_true",
                   help="the hand rules alone, without the learned event models (hadath train events)")


def _records(args: argparse.Namespace):
    options = options_from_args(args)
    items = read_paths(args.paths)
    many = any(p == "-" or ".jsonl" in p for p in args.paths)
    records = code_items(items, options, args.published)
    return tqdm(records, unit=" articles", disable=not many or None, file=sys.stderr, leave=False)


def cmd_extract(args: argparse.Namespace) -> int:
    fmt = args.format or "jsonl"
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    failures = 0
    try:
        if fmt == "json":
            rows = [r.model_dump(mode="json") for r in _records(args)]
            failures = sum(1 for r in rows if r.get("error"))
            out.write(json.dumps(rows if len(rows) != 1 else rows[0], ensure_ascii=False, indent=2) + "\n")
        elif fmt == "table":
            from hadath.display import print_table

            for r in _records(args):
                failures += bool(r.error)
                print_table(r, out)
        else:
            for r in _records(args):
                failures += bool(r.error)
                out.write(r.to_json_line())
    finally:
        if args.output:
            out.close()
    _report_failures(failures)
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    from hadath.display import print_explanation

    for r in _records(args):
        print_explanation(r, sys.stdout)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    gold_dir: Path = args.gold_dir
    gold_file = gold_dir / "gold.jsonl"
    if not gold_file.is_file():
        print(f"hadath eval: {gold_file} not found", file=sys.stderr)
        return 2
    from hadath.evaluation import scorer_beside

    scorer = args.scorer or scorer_beside(gold_dir)
    if not scorer.is_file():
        print(f"hadath eval: the official scorer {scorer} is not there; give it with --scorer", file=sys.stderr)
        return 2
    predictions = predict_gold(gold_dir, options_from_args(args))
    out = args.output or Path(tempfile.mkstemp(suffix=".jsonl")[1])
    out.write_text("".join(r.to_json_line() for r in predictions), encoding="utf-8")
    status = subprocess.call([sys.executable, str(scorer), str(gold_dir), str(out)])
    if args.errors or args.reliability or args.by_type:
        from hadath.evaluation import by_type_report, load_scorer, reliability_report, report_errors

        sys.stdout.flush()
        official = load_scorer(scorer)
        if args.by_type:
            print(by_type_report(official, gold_dir, predictions))
        if args.reliability:
            print(reliability_report(official, gold_dir, predictions))
        if args.errors:
            report_errors(official, gold_dir, predictions, sys.stdout)
    return status


def predict_gold(gold_dir: Path, options: Options) -> list[ArticleRecord]:
    """Code every article of a gold set, with the gold's ids and publication dates."""
    from hadath.batch import code_one
    from hadath.evaluation import gold_rows
    from hadath.ingest.readers import ArticleInput

    records = []
    for g in gold_rows(gold_dir):
        body = (gold_dir / g["text_file"]).read_text(encoding="utf-8")
        item = ArticleInput(body, g["id"], None, g.get("published"), None, g.get("source"), g["text_file"])
        records.append(code_one(item, options))
    return records


def _report_failures(n: int) -> None:
    if n:
        print(f"hadath: {n} article(s) could not be coded; each record says why in its 'error' field",
              file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
