#!/usr/bin/env python3
"""Fit the event confidence model on a gold set, so that scores mean what they say.

    python scripts/calibrate.py [GOLD_DIR] [--scorer PATH] [--kfold K] [--write]

Codes every gold article, labels each predicted event right or wrong by the official scorer's
relaxed matching (a duplicate is wrong, as the scorer counts it), fits an L2-regularized
logistic regression over `confidence_features`, prints the reliability table (10 bins) and,
with --write, stores the weights in src/hadath/resources/model/confidence.json.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from hadath.evaluation import gold_rows, judge_predictions, load_scorer, reliability_table, scorer_beside  # noqa: E402
from hadath.learn.decide import default_models  # noqa: E402
from hadath.pipeline import build_doc, code_events  # noqa: E402

MODEL = ROOT / "src" / "hadath" / "resources" / "model" / "confidence.json"


def labelled_events(gold_dir: Path, score, kfold: int = 0) -> tuple[list[dict[str, float]], list[int], list[float],
                                                                       list[int]]:
    """Each predicted event's confidence features and whether the scorer credits it. With `kfold`, each
    article is coded by event models fitted on the other folds (hadath.learn), so that the events the
    models add are judged as on articles they never saw."""
    rows = gold_rows(gold_dir)
    models_of: dict[str, object] = {}
    if kfold:
        from hadath.learn.train import article_examples, folds_of, load_sets
        from hadath.learn.train import fit as fit_models

        sets = [a for _, a in load_sets([gold_dir])]
        examples = {a.id: article_examples(a, score) for a in sets}
        for fold in folds_of(list(examples), kfold):
            models = fit_models([e for i, e in examples.items() if i not in fold])
            models_of.update({i: models for i in fold})
    feats: list[dict[str, float]] = []
    labels: list[int] = []
    scores: list[float] = []
    folds: list[int] = []
    for n, g in enumerate(rows):
        body = (gold_dir / g["text_file"]).read_text(encoding="utf-8")
        doc = build_doc(body, date.fromisoformat(g["published"]) if g.get("published") else None)
        article_feats: list[dict[str, float]] = []
        models = models_of.get(g["id"], default_models())
        events = [e.model_dump(mode="json") for e in code_events(doc, article_feats, models=models)]
        feats.extend(article_feats)
        labels.extend(judge_predictions(score, g, events))
        scores.extend(e["confidence"] for e in events)
        folds.extend(n % 2 for _ in events)
    return feats, labels, scores, folds


def fit(feats: list[dict[str, float]], labels: list[int], l2: float = 10.0, steps: int = 4000,
        rate: float = 0.1) -> dict[str, float]:
    names = sorted({k for f in feats for k in f})
    w = dict.fromkeys(names, 0.0)
    n = len(labels)
    for _ in range(steps):
        grad = dict.fromkeys(names, 0.0)
        for f, y in zip(feats, labels, strict=True):
            p = 1 / (1 + math.exp(-sum(w[k] * v for k, v in f.items())))
            for k, v in f.items():
                grad[k] += (p - y) * v
        for k in names:
            penalty = 0.0 if k == "bias" else l2 * w[k]
            w[k] -= rate * (grad[k] + penalty) / n
    return {k: round(v, 4) for k, v in w.items()}


def _predict(weights: dict[str, float], f: dict[str, float]) -> float:
    return 1 / (1 + math.exp(-sum(weights.get(k, 0.0) * v for k, v in f.items())))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold_dir", type=Path, nargs="?", default=ROOT.parent / "shared" / "gold" / "dev")
    ap.add_argument("--scorer", type=Path)
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--kfold", type=int, default=0, metavar="K",
                    help="code each article with event models fitted on the other K-1 folds of this gold set")
    args = ap.parse_args()
    score = load_scorer(args.scorer or scorer_beside(args.gold_dir))
    feats, labels, before, folds = labelled_events(args.gold_dir, score, args.kfold)
    print(f"{len(labels)} predicted events, {sum(labels)} right")
    print("before:")
    print(reliability_table(before, labels))
    weights = fit(feats, labels)
    print("after, held out (2-fold by article: each half scored by weights fitted on the other):")
    held = [0.0] * len(labels)
    for fold in (0, 1):
        train = [k for k, f in enumerate(folds) if f != fold]
        w = fit([feats[k] for k in train], [labels[k] for k in train])
        for k, f in enumerate(folds):
            if f == fold:
                held[k] = _predict(w, feats[k])
    print(reliability_table(held, labels))
    print("after, in sample:")
    print(reliability_table([_predict(weights, f) for f in feats], labels))
    if args.write:
        fitted_on = f"{args.gold_dir.name}, {args.kfold}-fold event models" if args.kfold else args.gold_dir.name
        MODEL.write_text(json.dumps({"weights": weights, "fitted_on": fitted_on,
                                     "events": len(labels)}, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {MODEL.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
