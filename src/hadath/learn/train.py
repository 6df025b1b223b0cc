"""Fit the event models on gold sets, and measure them by k-fold over articles.

Training examples come from the rules' own candidates on the gold articles:
- a trigger is an event of type T when a quote of a gold event of type T covers it (see
  `hadath.learn.gold`); a trigger no quote covers is no event, unless its type is one of the
  article's gold types (another telling of an event, or one the note did not quote: left out,
  being unknown either way);
- for a trigger tied to a gold event, each candidate actor is a source (target) when it matches
  one of the gold sources (targets) as the official scorer matches actors (unnamed ones too:
  «protesters» is the doer of a protest even where the scorer does not check it).

`kfold` codes each article with models fitted without it and scores the lot with the official
scorer: the figure that says how the learned parts do on articles they have not seen.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import ModuleType

from hadath.evaluation import gold_rows
from hadath.extract.frames import FrameFinder
from hadath.learn.decide import NONE, EventModels, LinearModel, read_frames
from hadath.learn.features import role_candidates, role_features
from hadath.learn.gold import GoldArticle, actor_matches, load_gold
from hadath.pipeline import build_doc, code_events

DEFAULT_C = {"trigger": 2.0, "role": 8.0}  # inverse L2 strengths, chosen by 5-fold on train + dev
MIN_EVENT = 0.35
MIN_SIDE = 0.2
MIN_JOINT = 0.15
MIN_RETYPE = 0.6
MIN_ADD = 0.9


@dataclass(slots=True)
class Examples:
    article: str
    trigger: list[tuple[list[str], str]] = field(default_factory=list)
    source: list[tuple[list[str], int]] = field(default_factory=list)
    target: list[tuple[list[str], int]] = field(default_factory=list)


def _published(a: GoldArticle) -> date | None:
    return date.fromisoformat(a.published[:10]) if a.published else None


def article_examples(a: GoldArticle, scorer: ModuleType, ner: bool = True) -> Examples:
    doc = build_doc(a.text, _published(a), ner=ner)
    frames = FrameFinder(doc, keep_dropped=True).find()
    read_frames(doc, frames)
    article_types = {t for e in a.events for t in e.types}
    ex = Examples(a.id)
    for f in frames:
        feats = f.features
        tied = [e for e in a.events if any(s < f.match.end and f.match.start < t for s, t in e.spans)]
        if not tied:
            if f.type not in article_types:
                ex.trigger.append((feats, NONE))
            continue
        tied.sort(key=lambda e: (f.type not in e.types, not e.required))
        gold = tied[0]
        ex.trigger.append((feats, f.type if f.type in gold.types else gold.types[0]))
        cands = role_candidates(doc, f)
        for c, rf in zip(cands, role_features(doc, f, cands), strict=True):
            a_ = c.actor
            # unnamed gold actors («protesters», «gunmen») teach too: the scorer does not check such a
            # side, but a record still needs its doer
            if gold.source:
                ex.source.append((rf, int(any(actor_matches(scorer, a_.name, a_.country, a_.sector, g)
                                              for g in gold.source))))
            if gold.target:
                ex.target.append((rf, int(any(actor_matches(scorer, a_.name, a_.country, a_.sector, g)
                                              for g in gold.target))))
    return ex


def _fit(rows: list[tuple[list[str], object]], c: float, binary_class: str | None = None) -> LinearModel:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer(sort=True)
    x = vec.fit_transform([{f: 1 for f in feats} for feats, _ in rows])
    y = [label for _, label in rows]
    names = vec.get_feature_names_out()
    if binary_class is not None:
        if len(set(y)) < 2:  # nothing to learn: a constant model at the observed rate
            rate = min(max(sum(y) / max(len(y), 1), 1e-3), 1 - 1e-3)
            import math

            return LinearModel([binary_class], {}, [round(math.log(rate / (1 - rate)), 5)])
        model = LogisticRegression(C=c, max_iter=3000, random_state=0).fit(x, y)
        coef = model.coef_  # one row: the positive class
        classes = [binary_class]
        bias = [round(float(model.intercept_[0]), 5)]
    else:
        model = LogisticRegression(C=c, max_iter=3000, random_state=0).fit(x, y)
        classes = [str(k) for k in model.classes_]
        coef = model.coef_
        bias = [round(float(b), 5) for b in model.intercept_]
        if len(classes) == 2:  # sklearn keeps one row for two classes: write both out
            import numpy as np

            coef = np.vstack([-coef[0] / 2, coef[0] / 2])
            bias = [round(-float(model.intercept_[0]) / 2, 5), round(float(model.intercept_[0]) / 2, 5)]
    weights: dict[str, list[float]] = {}
    for j, name in enumerate(names):
        row = [round(float(coef[k, j]), 5) for k in range(len(classes))]
        if any(abs(w) >= 1e-4 for w in row):
            weights[str(name)] = row
    return LinearModel(classes, weights, bias)


def fit(examples: list[Examples], c: dict[str, float] = DEFAULT_C) -> EventModels:
    trig = [r for e in examples for r in e.trigger]
    src = [r for e in examples for r in e.source]
    tgt = [r for e in examples for r in e.target]
    return EventModels(_fit(trig, c["trigger"]), _fit(src, c["role"], "source"), _fit(tgt, c["role"], "target"),
                       MIN_EVENT, MIN_SIDE, MIN_RETYPE, MIN_ADD, MIN_JOINT)


def to_json(models: EventModels, meta: dict) -> str:
    def lm(m: LinearModel) -> dict:
        return {"classes": m.classes, "bias": m.bias, "weights": dict(sorted(m.weights.items()))}

    body = {"meta": meta, "min_event": models.min_event, "min_side": models.min_side,
            "min_retype": models.min_retype, "min_add": models.min_add, "min_joint": models.min_joint,
            "trigger": lm(models.trigger), "source": lm(models.source), "target": lm(models.target)}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def folds_of(ids: list[str], k: int, seed: int = 13) -> list[set[str]]:
    order = sorted(ids)
    random.Random(seed).shuffle(order)
    return [set(order[i::k]) for i in range(k)]


def code_gold(articles: list[GoldArticle], models: EventModels | None, ner: bool = True) -> dict[str, list[dict]]:
    """Each article's predicted events (as the scorer reads them)."""
    out = {}
    for a in articles:
        doc = build_doc(a.text, _published(a), ner=ner)
        out[a.id] = [e.model_dump(mode="json") for e in code_events(doc, models=models)]
    return out


def score(scorer: ModuleType, gold_dir: Path, preds: dict[str, list[dict]]) -> dict[str, dict]:
    """The official scorer's relaxed and strict figures over the articles predicted."""
    rows = gold_rows(gold_dir)
    out = {}
    for mode in ("relaxed", "strict"):
        tot = {"pred": 0, "pred_ok": 0, "required": 0, "found": 0}
        for g in rows:
            if g["id"] not in preds:
                continue
            s = scorer.score_article(g, preds[g["id"]], relaxed=mode == "relaxed")
            for key in tot:
                tot[key] += s[key]
        out[mode] = {**scorer.prf(tot["pred_ok"], tot["pred"], tot["found"], tot["required"]), **tot}
    return out


def load_sets(gold_dirs: list[Path]) -> list[tuple[Path, GoldArticle]]:
    return [(d, a) for d in gold_dirs for a in load_gold(d)]
