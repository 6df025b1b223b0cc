"""`hadath train events`: fit the event models on gold sets; `--kfold K` measures them first."""

from __future__ import annotations

import argparse
import sys
from importlib import resources
from pathlib import Path

DEFAULT_GOLD = ["../shared/gold/train", "../shared/gold/dev"]


def register(subparsers: argparse._SubParsersAction) -> None:
    from hadath.cli import train_commands  # `hadath train` is shared by the modules that train a model

    what = train_commands(subparsers)
    te = what.add_parser("events", help="fit the event models (type, source, target) on gold sets")
    te.add_argument("gold_dirs", nargs="*", type=Path, default=None,
                    help=f"gold sets to learn from (default: {' '.join(DEFAULT_GOLD)}); never the check set")
    te.add_argument("--kfold", type=int, default=0, metavar="K",
                    help="first code each article with models fitted on the other K-1 folds (folds of articles) "
                         "and print the official scorer's figures per gold set")
    te.add_argument("--out", type=Path, default=None, help="model file (default: the packaged model)")
    te.add_argument("--no-ner", action="store_true", help="build the candidates without the NER model")
    te.set_defaults(func=cmd_train_events)


def default_model_path() -> Path:
    return Path(str(resources.files("hadath") / "resources" / "model" / "events.json"))


def cmd_train_events(args: argparse.Namespace) -> int:
    from hadath.learn.gold import official_scorer
    from hadath.learn.train import article_examples, code_gold, fit, folds_of, load_sets, score, to_json

    dirs = args.gold_dirs or [Path(d) for d in DEFAULT_GOLD]
    for d in dirs:
        if not (d / "gold.jsonl").is_file():
            print(f"hadath train events: {d / 'gold.jsonl'} not found", file=sys.stderr)
            return 2
        if d.resolve().name == "check":
            print("hadath train events: the check set is scored, never learned from", file=sys.stderr)
            return 2
    ner = not args.no_ner
    sets = load_sets(dirs)
    examples = [article_examples(a, official_scorer(d), ner=ner) for d, a in sets]
    print(f"{len(sets)} articles: {sum(len(e.trigger) for e in examples)} trigger, "
          f"{sum(len(e.source) for e in examples)} source and {sum(len(e.target) for e in examples)} "
          f"target examples", file=sys.stderr)
    if args.kfold:
        if args.kfold < 2:
            print("hadath train events: --kfold needs K ≥ 2", file=sys.stderr)
            return 2
        scorer = official_scorer(dirs[0])
        preds: dict[str, list[dict]] = {}
        for fold in folds_of([a.id for _, a in sets], args.kfold):
            models = fit([e for e in examples if e.article not in fold])
            preds.update(code_gold([a for _, a in sets if a.id in fold], models, ner=ner))
        for d in dirs:
            s = score(scorer, d, preds)
            r, st = s["relaxed"], s["strict"]
            print(f"{d.name} ({args.kfold}-fold): relaxed F1 {r['f1']:.3f} (P {r['precision']:.3f} / "
                  f"R {r['recall']:.3f}), strict F1 {st['f1']:.3f}")
    models = fit(examples)
    out = args.out or default_model_path()
    meta = {"gold": sorted(d.resolve().name for d in dirs), "articles": len(sets), "ner": ner}
    out.write_text(to_json(models, meta), encoding="utf-8")
    print(f"wrote {out}", file=sys.stderr)
    return 0
