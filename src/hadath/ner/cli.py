"""`hadath ner` (tag tokens or find names in text) and `hadath train ner` (rebuild the shipped model)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO


def register(subparsers: argparse._SubParsersAction) -> None:
    ner = subparsers.add_parser("ner", help="named entities (PERS, LOC, ORG, MISC) with the shipped tagger")
    ner.add_argument("file", help="one token a line, blank lines between sentences (a second column is ignored); "
                                  "- reads standard input")
    ner.add_argument("--text", action="store_true",
                     help="the input is plain text: print `start end TYPE text` for each name, offsets into the input")
    ner.set_defaults(func=cmd_ner)

    from hadath.cli import train_commands  # `hadath train` is shared by the modules that train a model

    what = train_commands(subparsers)
    tn = what.add_parser("ner", help="train the NER model (fixed seed) and print its dev-split scores")
    tn.add_argument("--data", type=Path, default=None,
                    help="folder with anercorp-train.txt and newsfane-gold-2014.txt (default ../shared/data/ner)")
    tn.add_argument("--out", type=Path, default=None, help="model file (default: the packaged model)")
    tn.add_argument("--no-newsfane", action="store_true", help="train on ANERcorp alone")
    tn.add_argument("--with-dev", action="store_true",
                    help="train on the dev split too (its printed scores are then not held out)")
    tn.add_argument("--iterations", type=int, default=None, help="L-BFGS iterations (default: the shipped setting)")
    tn.add_argument("--neural", action="store_true",
                    help="also train the BiLSTM-CRF (torch, ≈ 22 min on one core) saved beside the CRF as "
                         "neural.npz, which then tags together with it (needs `pip install -e '.[train]'` and "
                         "scripts/build_ner_vectors.py); not shipped: dev macro F1 0.818 against the CRF's 0.810")
    tn.add_argument("--vectors", type=Path, default=None,
                    help="with --neural: word vectors of scripts/build_ner_vectors.py (default build/ner_vectors.npz)")
    tn.add_argument("--verbose", action="store_true", help="show CRFsuite's progress")
    tn.set_defaults(func=cmd_train_ner)


def _sentences(lines: TextIO) -> Iterator[list[str] | None]:
    """Token lists, with None for each blank line after a sentence (kept in the output)."""
    tokens: list[str] = []
    for line in lines:
        line = line.rstrip("\r\n").lstrip("\ufeff")
        if not line.strip():
            if tokens:
                yield tokens
                tokens = []
            yield None
            continue
        tokens.append(line.split()[0])
    if tokens:
        yield tokens


def cmd_ner(args: argparse.Namespace) -> int:
    from hadath.ner.model import entities, tag

    source = sys.stdin if args.file == "-" else open(args.file, encoding="utf-8-sig")
    out = sys.stdout
    try:
        if args.text:
            for e in entities(source.read()):
                out.write(f"{e.start}\t{e.end}\t{e.type}\t{e.text}\n")
            return 0
        for tokens in _sentences(source):
            if tokens is None:
                out.write("\n")
                continue
            for token, label in zip(tokens, tag(tokens), strict=True):
                out.write(f"{token}\t{label}\n")
    finally:
        if source is not sys.stdin:
            source.close()
    return 0


def cmd_train_ner(args: argparse.Namespace) -> int:
    from hadath.ner.model import model_path
    from hadath.ner.train import TrainingDataError, default_data_dir, format_scores, train

    data = args.data or default_data_dir()
    out = args.out or model_path()
    params = {"max_iterations": args.iterations} if args.iterations else None
    began = time.perf_counter()
    try:
        summary = train(data, out, params=params, use_newsfane=not args.no_newsfane, include_dev=args.with_dev,
                        verbose=args.verbose, neural=args.neural, vectors=args.vectors,
                        log=lambda m: print(m, flush=True))
    except TrainingDataError as e:
        print(f"hadath train ner: {e}", file=sys.stderr)
        return 2
    print(f"model {out} ({summary['model_bytes'] / 1e6:.1f} MB), trained on {summary['train_tokens']:,} tokens "
          f"in {time.perf_counter() - began:.0f} s")
    held = "held out" if not args.with_dev else "NOT held out: trained on"
    print(f"dev split (last {summary['dev_sentences']} ANERcorp sentences, {summary['dev_tokens']:,} tokens, {held}):")
    print(format_scores(summary["scores"]))
    if "joined_scores" in summary:
        print(f"CRF + network ({out.with_name('neural.npz')}, {summary['neural_bytes'] / 1e6:.1f} MB, "
              f"best epoch {summary['neural']['best_epoch']}), tagging together:")
        print(format_scores(summary["joined_scores"]))
    return 0
