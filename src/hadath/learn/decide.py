"""The learned decisions, applied to the frames the rules propose.

For every trigger the rules find (those they would drop too: negated, planned, a demand's
content), a multinomial logistic model says whether it tells an event here and of which type;
for every actor of its sentence (and those the rules carried to it), two logistic models say
whether it is the source and whether it is the target. Weights ship as JSON
(`resources/model/events.json`, fitted by `hadath train events`) and are scored here in plain
Python over sparse features: no learning library is needed at run time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

from hadath.doc import Doc
from hadath.extract.frames import Frame
from hadath.learn.features import (
    PREPOSITIONS,
    Candidate,
    role_candidates,
    role_features,
    sentence_view,
    stem,
    trigger_features,
)
from hadath.lexicon.resources import compiled_model

NONE = "NONE"
# CAMEO root of each PLOVER type, for a trigger the model gives another type than its lexicon entry
_CAMEO_ROOT = {"AGREE": "03", "CONSULT": "04", "SUPPORT": "05", "COOPERATE": "06", "AID": "07",
               "CONCEDE": "08", "RETREAT": "087", "REQUEST": "10", "ACCUSE": "11", "REJECT": "12",
               "THREATEN": "13", "PROTEST": "14", "SANCTION": "16", "MOBILIZE": "15", "COERCE": "17",
               "ASSAULT": "18"}
# acts whose content («إلى …», «بـ…», «أن …») is wished, not done
_GOVERNING = {"REQUEST", "THREATEN", "AGREE", "REJECT"}
_CONTENT_MARKS = {"الي", "ان"}
# types whose two sides may hold the same actors (talks, accords, clashes)
SYMMETRIC = {"CONSULT", "AGREE", "COOPERATE"}


@dataclass(slots=True)
class LinearModel:
    """A logistic model over named binary features: one weight row per class (one class: binary)."""

    classes: list[str]
    weights: dict[str, list[float]]
    bias: list[float]

    def scores(self, feats: list[str]) -> list[float]:
        weights = self.weights
        rows = [row for name in set(feats) if (row := weights.get(name)) is not None]
        if not rows:
            return list(self.bias)
        # per class: the bias, then each weight in turn (zip(*rows) gives a class's weights)
        return [sum(column, start) for start, column in zip(self.bias, zip(*rows, strict=True), strict=True)]

    def proba(self, feats: list[str]) -> dict[str, float]:
        z = self.scores(feats)
        if len(self.classes) == 1:  # binary: the probability of the one class
            return {self.classes[0]: 1 / (1 + math.exp(-max(-30.0, min(30.0, z[0]))))}
        top = max(z)
        e = [math.exp(v - top) for v in z]
        total = sum(e)
        return {c: v / total for c, v in zip(self.classes, e, strict=True)}

    def top_features(self, feats: list[str], cls: str, n: int = 3) -> list[str]:
        """The features that pushed most towards `cls`, for `hadath explain`."""
        k = self.classes.index(cls)
        pushed = sorted(((self.weights[f][k], f) for f in set(feats) if f in self.weights), reverse=True)
        return [f"{f} {w:+.2f}" for w, f in pushed[:n] if w > 0]

    @classmethod
    def from_json(cls, d: dict) -> LinearModel:
        return cls(d["classes"], d["weights"], d["bias"])


@dataclass(slots=True)
class EventModels:
    trigger: LinearModel
    source: LinearModel
    target: LinearModel
    min_event: float  # the least probability of the best type for a candidate to be an event
    min_side: float  # the least probability for the best candidate of a side when none passes 0.5
    min_retype: float  # the least probability to give a trigger another type than its lexicon entry's
    min_add: float  # the least side probability to add an actor to a side of a frame the rules coded
    min_joint: float  # the least product of the type's and the two best sides' probabilities


def models_from_json(d: dict) -> EventModels:
    return EventModels(LinearModel.from_json(d["trigger"]), LinearModel.from_json(d["source"]),
                       LinearModel.from_json(d["target"]), d["min_event"], d["min_side"], d["min_retype"],
                       d.get("min_add", 1.1), d["min_joint"])


def model_available() -> bool:
    return (resources.files("hadath") / "resources" / "model" / "events.json").is_file()


@cache
def default_models() -> EventModels | None:
    return models_from_json(compiled_model("events")) if model_available() else None


def read_frames(doc: Doc, frames: list[Frame]) -> None:
    """Each frame's trigger features, read as the rules found it: before assembly, which changes frames
    (the model learned from frames as FrameFinder gives them)."""
    by_sentence: dict[int, list[Frame]] = {}
    for f in frames:
        by_sentence.setdefault(f.sentence, []).append(f)
    views = {k: sentence_view(doc, k, group) for k, group in by_sentence.items()}
    for f in frames:
        f.features = trigger_features(doc, f, views[f.sentence])


def decide(doc: Doc, frames: list[Frame], models: EventModels, context: list[Frame]) -> list[Frame]:
    """The frames the models keep, typed and with their sides as the models read them; `context`
    holds every frame of the article (those the rules coded too). Their features are read first
    (`read_frames`)."""
    governing: dict[int, list[Frame]] = {}
    for g in context:
        if g.type in _GOVERNING and not g.dropped:
            governing.setdefault(g.sentence, []).append(g)
    kept: list[Frame] = []
    for f in frames:
        if "anniversary" in f.features:
            continue  # «في الذكرى الـ53 لإحراق المسجد الأقصى»: history recalled, no news
        if _content_of(doc, f, governing.get(f.sentence, [])):
            continue  # «ودعت الحركتان السلطة … إلى وقف التعاون الأمني»: what is asked is not done
        probs = models.trigger.proba(f.features)
        best = max(probs, key=probs.__getitem__)
        if best == NONE or probs[best] < models.min_event:
            continue
        if best != f.type and probs[best] < models.min_retype:
            continue  # another type than its lexicon entry's wants a surer model
        if best != f.type:
            f.entry = {**f.entry, "type": best, "mode": None, "acled": None, "cameo": _CAMEO_ROOT[best]}
            f.rules.append(f"type:model:{best}")
        f.rules.append(f"event:model:{probs[best]:.2f}:" + ";".join(models.trigger.top_features(f.features, best)))
        sides = _choose_sides(doc, f, models)
        f.model_p = probs[best] * sides
        if f.model_p < models.min_joint:
            continue
        kept.append(f)
    return kept


def add_sure_sides(doc: Doc, models: EventModels, f: Frame, source: list, target: list) -> None:
    """A side the rules missed, added where the side models are sure of it: an event the rules coded
    keeps every actor they gave it and gains the candidates of its first frame scored `models.min_add` or
    more on a side (after merging, so that merging is the rules' own)."""
    cands = role_candidates(doc, f)
    have = {a.name for a in source + target}
    added = []
    for c, feats in zip(cands, role_features(doc, f, cands), strict=True):
        if c.actor.name in have:
            continue
        ps, pt = models.source.proba(feats)["source"], models.target.proba(feats)["target"]
        if max(ps, pt) >= models.min_add:
            (source if ps >= pt else target).append(c.actor)
            have.add(c.actor.name)
            added.append(f"{'source' if ps >= pt else 'target'} {c.actor.name} {max(ps, pt):.2f}")
    if added:
        f.rules.append("sides:model-added:" + "; ".join(added))


def _content_of(doc: Doc, f: Frame, governing: list[Frame]) -> bool:
    """Is the frame what a demand, threat, accord or refusal before it in its sentence is about: a noun,
    or a verb told after «إلى» or «أن» or with «بـ/لـ» on it («طالب بوقف», «دعا إلى وقف»)?"""
    if not any(g.match.last <= f.match.first for g in governing):
        return False
    before = stem(doc.tokens[f.match.first - 1].text) if f.match.first else ""
    if f.pos == "noun" or before in PREPOSITIONS:
        # as the rules read the nouns after such a verb («دعت إلى … والإفراج عن المعتقلين»); a «verb»
        # right after a preposition is a noun written alike («في سجن أريحا»: the prison, not jailed)
        return True
    return before in _CONTENT_MARKS or f.match.proclitic[-1:] in ("ب", "ل")


def _choose_sides(doc: Doc, f: Frame, models: EventModels) -> float:
    cands = role_candidates(doc, f)
    scored: list[tuple[Candidate, float, float]] = []
    for c, feats in zip(cands, role_features(doc, f, cands), strict=True):
        scored.append((c, models.source.proba(feats)["source"], models.target.proba(feats)["target"]))
    source = _pick(scored, 1, models.min_side)
    target = _pick(scored, 2, models.min_side)
    if f.type not in SYMMETRIC:
        # one actor is not both sides of a one-way act: it stays on the side it is likelier on
        best_s = {c.actor.name: ps for c, ps, _ in source}
        best_t = {c.actor.name: pt for c, _, pt in target}
        both = best_s.keys() & best_t.keys()
        source = [x for x in source if _on_side(x, both, best_s, best_t, True)]
        target = [x for x in target if _on_side(x, both, best_s, best_t, False)]
    source, target = _distinct(source), _distinct(target)
    f.source = [c.actor for c, _, _ in source]
    f.target = [c.actor for c, _, _ in target]
    f.rules.append("sides:model:" + "; ".join([f"source {c.actor.name} {ps:.2f}" for c, ps, _ in source] +
                                              [f"target {c.actor.name} {pt:.2f}" for c, _, pt in target]))
    return max((s[1] for s in scored), default=0.0) * max((s[2] for s in scored), default=0.0)


def _pick(scored: list[tuple[Candidate, float, float]], k: int, floor: float):
    sure = [s for s in scored if s[k] >= 0.5]
    if sure:
        return sorted(sure, key=lambda s: s[0].actor.first)
    best = max(scored, key=lambda s: s[k], default=None)
    return [best] if best is not None and best[k] >= floor else []


def _on_side(x: tuple[Candidate, float, float], both: set[str], p_source: dict[str, float],
             p_target: dict[str, float], source: bool) -> bool:
    """Does a name picked for both sides stay on this one (the side it is likelier on; a tie: the source)?"""
    name = x[0].actor.name
    if name not in both:
        return True
    return p_source[name] >= p_target[name] if source else p_target[name] > p_source[name]


def _distinct(picked: list[tuple[Candidate, float, float]]) -> list[tuple[Candidate, float, float]]:
    """One mention a name: «Israel» told three times is one side."""
    seen: set[str] = set()
    return [x for x in picked if not (x[0].actor.name in seen or seen.add(x[0].actor.name))]
