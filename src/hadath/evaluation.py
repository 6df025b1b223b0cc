"""Error analysis against a gold set, by the official scorer's own matching rules.

`hadath eval GOLD --errors` codes the gold articles, scores them with
../shared/eval/score.py (imported from its path, so the rules cannot drift),
and then explains every miss: each required gold event not found, each
prediction that matched nothing, each wrong field — grouped by likely cause.
"""

from __future__ import annotations

import importlib.util
import json
from collections import defaultdict
from pathlib import Path
from types import ModuleType
from typing import TextIO

from hadath.records import ArticleRecord


def load_scorer(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("hadath_official_score", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def scorer_beside(gold_dir: Path) -> Path:
    """Where the official scorer lies for a gold set: `../eval/score.py` from the folder of gold sets."""
    return gold_dir.resolve().parent.parent / "eval" / "score.py"


def gold_rows(gold_dir: Path) -> list[dict]:
    """The articles of a gold set as `gold.jsonl` gives them (one object a line)."""
    return [json.loads(line) for line in (gold_dir / "gold.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]


def _describe_gold(g: dict) -> str:
    def side(actors: list[dict]) -> str:
        return ", ".join(f"{a['names'][0]}/{a.get('country')}" for a in actors) or "-"

    return f"{g['id']} {'|'.join(g['type'])} {side(g['source'])} -> {side(g['target'])}: {g.get('note', '')[:90]}"


def _describe_pred(p: dict) -> str:
    def side(actors: list[dict]) -> str:
        return ", ".join(f"{a['name']}/{a.get('country')}/{a.get('sector')}" for a in actors) or "-"

    return (f"{p['id']} {p['event_type']} {side(p['source'])} -> {side(p['target'])} "
            f"«{p['evidence']['trigger']}»")


def miss_cause(score: ModuleType, gold: dict, preds: list[dict]) -> str:
    """Why a required gold event was not matched, judged from the closest prediction."""
    same_type = [p for p in preds if p["event_type"] in gold["type"]]
    if not same_type:
        return "trigger missing (no prediction of this type)"
    src_ok = [p for p in same_type if score.side_match(p.get("source"), gold.get("source"), True)]
    tgt_ok = [p for p in same_type if score.side_match(p.get("target"), gold.get("target"), True)]
    if not src_ok and not tgt_ok:
        return "actors not resolved (neither side matches)"
    if not src_ok:
        return "wrong or missing source"
    return "wrong or missing target"


def false_cause(score: ModuleType, pred: dict, golds: list[dict]) -> str:
    same_type = [g for g in golds if pred["event_type"] in g["type"]]
    if not same_type:
        return "no gold event of this type (spurious trigger or not an event)"
    if any(score.side_match(pred.get("source"), g.get("source"), True) for g in same_type):
        return "right type and source, wrong target"
    if any(score.side_match(pred.get("target"), g.get("target"), True) for g in same_type):
        return "right type and target, wrong source"
    return "right type, actors unlike any gold event"


def report_errors(score: ModuleType, gold_dir: Path, records: list[ArticleRecord], out: TextIO) -> None:
    preds_by_article = {r.article.id: [e.model_dump(mode="json") for e in r.events] for r in records}
    misses: dict[str, list[str]] = defaultdict(list)
    false: dict[str, list[str]] = defaultdict(list)
    fields: dict[str, list[str]] = defaultdict(list)
    for g in gold_rows(gold_dir):
        preds = preds_by_article.get(g["id"], [])
        first_credited: dict[str, dict] = {}
        for p, gid in zip(preds, assign_predictions(score, g, preds), strict=True):
            if gid is not None:
                first_credited.setdefault(gid, p)
        for ge in g["events"]:
            if not any(score.event_match(p, ge, True) for p in preds):
                if ge.get("required", True):
                    misses[miss_cause(score, ge, preds)].append(f"{g['id']} {_describe_gold(ge)}")
                continue
            credited = first_credited.get(ge["id"])
            if ge.get("required", True) and credited is None:
                # a prediction could be this event, but the scorer gave each such prediction to another
                misses["matched only by predictions credited to other gold events (reports merged)"].append(
                    f"{g['id']} {_describe_gold(ge)}")
            if ge.get("required", True) and credited is not None:
                for name, ok in score.field_checks(credited, ge).items():
                    if not ok:
                        fields[name].append(f"{g['id']} {_describe_gold(ge)} | predicted "
                                            f"{_field_value(credited, name)} «{_trigger_text(credited)}»")
        for p in preds:
            if not any(score.event_match(p, ge, True) for ge in g["events"]):
                false[false_cause(score, p, g["events"])].append(f"{g['id']} {_describe_pred(p)}")
    _section(out, "Missed required gold events", misses)
    _section(out, "Predictions that match no gold event", false)
    _section(out, "Wrong fields on matched events", fields)


def _trigger_text(pred: dict) -> str:
    return str((pred.get("evidence") or {}).get("trigger"))


def _field_value(pred: dict, name: str) -> str:
    if name == "location":
        loc = pred.get("location") or {}
        return f"{loc.get('name')} ({loc.get('lat')}, {loc.get('lon')})" if loc else "none"
    if name == "date":
        return str((pred.get("date") or {}).get("start"))
    kind, _, part = name.partition("_")
    count = (pred.get("casualties") or {}).get(kind) or {}
    return str(count.get(part or "value"))


def _section(out: TextIO, title: str, groups: dict[str, list[str]]) -> None:
    total = sum(len(v) for v in groups.values())
    out.write(f"\n== {title}: {total} ==\n")
    for cause, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        out.write(f"-- {cause}: {len(items)}\n")
        for item in items:
            out.write(f"   {item}\n")


def reliability_table(scores: list[float], right: list[int], bins: int = 10) -> str:
    """Predicted confidence against the share of predictions that were right, in equal-width bins."""
    rows = ["  bin        n   mean conf   right"]
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        members = [(s, r) for s, r in zip(scores, right, strict=True) if lo <= s < hi or (b == bins - 1 and s == 1.0)]
        if not members:
            rows.append(f"  {lo:.1f}-{hi:.1f}  {0:>4}")
            continue
        mean = sum(s for s, _ in members) / len(members)
        acc = sum(r for _, r in members) / len(members)
        rows.append(f"  {lo:.1f}-{hi:.1f}  {len(members):>4}   {mean:9.3f}   {acc:5.3f}")
    return "\n".join(rows)


def assign_predictions(score: ModuleType, gold_article: dict, events: list[dict]) -> list[str | None]:
    """The gold event id each prediction is credited to, as the scorer assigns them, in order.

    None for a prediction that matches no gold event or repeats one already credited (a duplicate).
    The scorer checks the fields of a gold event on the first prediction credited to it, so the
    wrong-field report must follow this same assignment, not just any matching prediction.
    """
    seen: dict[str, set] = {}
    out: list[str | None] = []
    for e in events:
        hits = sorted((x for x in gold_article["events"] if score.event_match(e, x, True)),
                      key=lambda x: (not x.get("required", True), x["id"] in seen))
        key = (e["event_type"], tuple(sorted(score.fold(a["name"]) for a in e["source"])),
               tuple(sorted(score.fold(a["name"]) for a in e["target"])))
        ok = bool(hits) and key not in seen.setdefault(hits[0]["id"], set())
        if ok:
            seen[hits[0]["id"]].add(key)
        out.append(hits[0]["id"] if ok else None)
    return out


def judge_predictions(score: ModuleType, gold_article: dict, events: list[dict]) -> list[int]:
    """1 for each predicted event the scorer counts as right (relaxed), 0 for a miss or a duplicate."""
    return [int(g is not None) for g in assign_predictions(score, gold_article, events)]


def reliability_report(score: ModuleType, gold_dir: Path, records: list[ArticleRecord]) -> str:
    """The reliability table of coded gold articles, each prediction judged as the scorer does."""
    scores: list[float] = []
    right: list[int] = []
    gold = {g["id"]: g for g in gold_rows(gold_dir)}
    for r in records:
        if r.article.id in gold:
            events = [x.model_dump(mode="json") for x in r.events]
            right.extend(judge_predictions(score, gold[r.article.id], events))
            scores.extend(e["confidence"] for e in events)
    return "reliability (relaxed matching):\n" + reliability_table(scores, right)


def by_type_report(score: ModuleType, gold_dir: Path, records: list[ArticleRecord]) -> str:
    """Precision, recall and F1 per PLOVER type (relaxed matching; a gold event with several
    accepted types counts under its first)."""
    preds_by_article = {r.article.id: [e.model_dump(mode="json") for e in r.events] for r in records}
    stats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # pred, pred ok, gold, gold found
    for g in gold_rows(gold_dir):
        preds = preds_by_article.get(g["id"], [])
        right = judge_predictions(score, g, preds)
        for p, ok in zip(preds, right, strict=True):
            stats[p["event_type"]][0] += 1
            stats[p["event_type"]][1] += ok
        missed = set(score.score_article(g, preds, True)["missed"])  # the scorer's own assignment
        for ge in g["events"]:
            if ge.get("required", True):
                stats[ge["type"][0]][2] += 1
                stats[ge["type"][0]][3] += ge["id"] not in missed
    rows = ["type         pred  right  gold  found   P      R      F1"]
    for t, (n_pred, ok, n_gold, found) in sorted(stats.items(), key=lambda kv: -kv[1][2]):
        p = ok / n_pred if n_pred else 0.0
        r = found / n_gold if n_gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        rows.append(f"{t:<12} {n_pred:>4}  {ok:>5}  {n_gold:>4}  {found:>5}  {p:.3f}  {r:.3f}  {f:.3f}")
    return "\n".join(rows)
