"""Training data, the development split, CoNLL scoring and training of the shipped NER model.

Two corpora feed the model:

* ANERcorp (`token TAG` a line, BIO over PERS/LOC/ORG/MISC, no sentence breaks:
  a sentence ends after a «.» token);
* NewsFANE (`token<TAB>TAG`, BIO over 45 fine-grained types, CRLF, a BOM and
  U+200E marks before some tokens, sentences end at blank lines); its types are
  mapped onto the four ANERcorp types by `resources/ner/newsfane_types.yaml`.

Neither corpus ships with hadath: `hadath train ner --data DIR` reads them from
DIR (default `../shared/data/ner`). ANERcorp is Benajiba et al. 2007 (free for
research; the CAMeL Lab release, less its test split); NewsFANE gold is Alotaibi
and Lee 2014 (CC BY-SA 3.0).

The development split is the last tenth of ANERcorp's sentences: it is the part
nearest to the standard test split (which follows it in the corpus) and it is
never trained on, so the figures printed after training are held out.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from hadath.errors import HadathError
from hadath.ner.model import bio_spans

TYPES = ("PERS", "LOC", "ORG", "MISC")
DEV_FRACTION = 0.1
SEED = 20240517
NEWSFANE_DOMAIN = "f"  # the mark of NewsFANE's own copy of each feature (see FeatureExtractor.sentence)

# A labelled sentence: (token, BIO tag) pairs.
Sentence = list[tuple[str, str]]

# CRF settings chosen on the development split (see `hadath train ner --help`).
CRF_PARAMS = {"c1": 0.05, "c2": 0.005, "max_iterations": 200, "feature.possible_transitions": True}

_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200e\u200f\u200b\r"), None)
_GLUED_TAG = re.compile(r"^(O|[BI]-[A-Za-z_-]+?)(\S+)$")  # «Oالإصابة»: a tag glued to the next token


class TrainingDataError(HadathError):
    """A training file that cannot be read as the format it claims."""


def _clean(token: str) -> str:
    return token.translate(_INVISIBLE).strip()


def read_anercorp(path: Path) -> list[Sentence]:
    """ANERcorp: `token TAG` a line; a sentence ends after a «.» token."""
    pairs: list[tuple[str, str]] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        fields = _clean(line).split()
        if len(fields) < 2:
            continue  # a tag with an empty token: nothing to learn from
        if len(fields) == 3 and (m := _GLUED_TAG.match(fields[1])):
            # one line that holds two: «. Oالإصابة O»
            pairs += [(fields[0], m.group(1)), (m.group(2), fields[2])]
            continue
        if len(fields) != 2:
            raise TrainingDataError(f"{path}:{lineno}: expected `token TAG`, got {line!r}")
        pairs.append((fields[0], _check_tag(fields[1], TYPES, path, lineno)))
    sentences: list[Sentence] = []
    current: Sentence = []
    for token, tag in pairs:
        current.append((token, tag))
        if token == ".":
            sentences.append(current)
            current = []
    if current:
        sentences.append(current)
    return sentences


def newsfane_type_map() -> dict[str, str]:
    """NewsFANE fine-grained type → PERS, LOC, ORG, MISC or O (the shipped mapping table)."""
    path = resources.files("hadath") / "resources" / "ner" / "newsfane_types.yaml"
    table = yaml.safe_load(path.read_text(encoding="utf-8"))
    bad = {k: v for k, v in table.items() if v not in (*TYPES, "O")}
    if bad:
        raise TrainingDataError(f"newsfane_types.yaml maps onto unknown types: {bad}")
    return table


def read_newsfane(path: Path, type_map: dict[str, str] | None = None) -> list[Sentence]:
    """NewsFANE: `token<TAB>TAG`, blank line between sentences; tags mapped onto the four types."""
    type_map = newsfane_type_map() if type_map is None else type_map
    sentences: list[Sentence] = []
    current: Sentence = []
    previous = "O"  # mapped tag of the previous token, to repair I- after a type mapped to O
    for lineno, line in enumerate(path.read_text(encoding="utf-8-sig").split("\n"), 1):
        line = line.translate(_INVISIBLE)
        if not line.strip():
            if current:
                sentences.append(current)
            current, previous = [], "O"
            continue
        fields = line.split("\t")
        if len(fields) != 2:
            raise TrainingDataError(f"{path}:{lineno}: expected `token<TAB>TAG`, got {line!r}")
        token, tag = _clean(fields[0]), fields[1].strip()
        if not token:
            continue
        if tag != "O":
            prefix, _, fine = tag.partition("-")
            if prefix not in ("B", "I") or fine not in type_map:
                raise TrainingDataError(f"{path}:{lineno}: unknown tag {tag!r} (add its type to newsfane_types.yaml)")
            coarse = type_map[fine]
            if coarse == "O":
                tag = "O"
            elif prefix == "I" and previous[2:] != coarse:
                tag = "B-" + coarse  # an I- that follows another type starts an entity
            else:
                tag = f"{prefix}-{coarse}"
        current.append((token, tag))
        previous = tag
    if current:
        sentences.append(current)
    return sentences


def _check_tag(tag: str, types: Sequence[str], path: Path, lineno: int) -> str:
    if tag == "O" or (tag[:2] in ("B-", "I-") and tag[2:] in types):
        return tag
    raise TrainingDataError(f"{path}:{lineno}: unknown tag {tag!r}")


def dev_split(sentences: list[Sentence], fraction: float = DEV_FRACTION) -> tuple[list[Sentence], list[Sentence]]:
    """The first (1 - fraction) of the sentences for training, the rest (fixed, in corpus order) for development."""
    cut = len(sentences) - round(len(sentences) * fraction)
    return sentences[:cut], sentences[cut:]


# ---------------------------------------------------------------------------------------------- scoring


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def conll_score(gold: Iterable[Sequence[str]], predicted: Iterable[Sequence[str]],
                types: Sequence[str] = TYPES) -> dict[str, Score | float]:
    """Exact-match entity scores: one `Score` per type and "micro"; "macro" is the mean F1 over `types`."""
    scores: dict[str, Score] = {t: Score() for t in types}
    for g_tags, p_tags in zip(gold, predicted, strict=True):
        if len(g_tags) != len(p_tags):
            raise ValueError("gold and predicted sentences differ in length")
        g, p = bio_spans(g_tags), bio_spans(p_tags)
        for _, _, t in g & p:
            scores.setdefault(t, Score()).tp += 1
        for _, _, t in p - g:
            scores.setdefault(t, Score()).fp += 1
        for _, _, t in g - p:
            scores.setdefault(t, Score()).fn += 1
    micro = Score(sum(s.tp for s in scores.values()), sum(s.fp for s in scores.values()),
                  sum(s.fn for s in scores.values()))
    result: dict[str, Score | float] = dict(scores)
    result["micro"] = micro
    result["macro"] = sum(scores[t].f1 for t in types) / len(types)
    return result


def format_scores(scores: dict[str, Score | float], types: Sequence[str] = TYPES) -> str:
    lines = [f"{'type':<6} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}"]
    for t in (*types, "micro"):
        s = scores[t]
        assert isinstance(s, Score)
        lines.append(f"{t:<6} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp + s.fn:6d}")
    lines.append(f"macro F1 {scores['macro']:.4f}")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------- training


def default_data_dir() -> Path:
    return Path("..") / "shared" / "data" / "ner"


def load_corpora(data_dir: Path) -> tuple[list[Sentence], list[Sentence], list[Sentence]]:
    """(ANERcorp training part, ANERcorp development part, NewsFANE)."""
    aner = data_dir / "anercorp-train.txt"
    fane = data_dir / "newsfane-gold-2014.txt"
    for p in (aner, fane):
        if not p.is_file():
            raise TrainingDataError(f"{p} not found: the training data lives in ../shared/data/ner (see its README)")
    train, dev = dev_split(read_anercorp(aner))
    return train, dev, read_newsfane(fane)


def default_vectors() -> Path:
    """Where `scripts/build_ner_vectors.py` leaves the word vectors the network starts from."""
    return Path(__file__).resolve().parents[3] / "build" / "ner_vectors.npz"


def train(data_dir: Path, out: Path, *, params: dict | None = None, use_newsfane: bool = True,
          include_dev: bool = False, verbose: bool = False, neural: bool = False, vectors: Path | None = None,
          log=print) -> dict:
    """Train a CRF on ANERcorp's training part (+ NewsFANE), save it to `out`, score it on the dev split.

    With `neural` (not with `include_dev`: the network stops early on the dev split) the BiLSTM-CRF of
    `train_neural` is trained too and saved beside the CRF as `neural.npz`; the two then tag together
    (the network's scores plus the CRF's log marginals) and that is scored as well.

    Returns a summary (sizes, seconds, dev scores) that is also written beside the model as JSON.
    """
    import pycrfsuite

    from hadath.ner.features import DOMAIN, FEATURE_VERSION, FeatureExtractor, gazetteer_digest
    from hadath.ner.model import NEURAL_FILE, Model

    if neural and include_dev:
        raise TrainingDataError("the network stops early on the dev split: it cannot be trained on it too")
    vectors = default_vectors() if vectors is None else vectors
    if neural and not vectors.is_file():
        raise TrainingDataError(f"{vectors} not found: build the word vectors with scripts/build_ner_vectors.py")
    random.seed(SEED)  # L-BFGS is deterministic; the seed pins anything that samples
    began = time.perf_counter()
    aner_train, dev, fane = load_corpora(data_dir)
    sentences = aner_train + (dev if include_dev else [])
    extra = fane if use_newsfane else []
    extractor = FeatureExtractor()
    trainer = pycrfsuite.Trainer(verbose=verbose)
    for domain, group in ((DOMAIN, sentences), (NEWSFANE_DOMAIN, extra)):
        for sentence in group:
            tokens = [t for t, _ in sentence]
            trainer.append(extractor.sentence(tokens, domain), [tag for _, tag in sentence])
    sentences = sentences + extra
    trainer.set_params({**CRF_PARAMS, **(params or {})})
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").unlink(missing_ok=True)  # the old model's summary: its feature version may be stale
    neural_out = out.with_name(NEURAL_FILE)
    neural_out.unlink(missing_ok=True)  # a network made beside an older CRF is not to be joined with this one
    trainer.train(str(out))
    trained = time.perf_counter() - began

    gold = [[tag for _, tag in s] for s in dev]
    model = Model(out, extractor)
    scores = conll_score(gold, model.tag_many([[t for t, _ in s] for s in dev]))
    summary = {
        "feature_version": FEATURE_VERSION,
        "gazetteer_sha256": gazetteer_digest(),
        "crf_params": {**CRF_PARAMS, **(params or {})},
        "train_sentences": len(sentences),
        "train_tokens": sum(len(s) for s in sentences),
        "newsfane": use_newsfane,
        "dev_included_in_training": include_dev,
        "dev_sentences": len(dev),
        "dev_tokens": sum(len(s) for s in dev),
        "train_seconds": round(trained, 1),
        "dev": {t: round(scores[t].f1, 4) for t in TYPES} | {"macro": round(scores["macro"], 4)},  # type: ignore
        "model_bytes": out.stat().st_size,
    }
    if neural:
        from hadath.ner.train_neural import train_neural

        log(f"CRF trained in {trained:.0f} s, dev macro F1 {scores['macro']:.4f}; now the network")
        net = train_neural(data_dir, vectors, neural_out, hyper={"newsfane": use_newsfane}, log=log)
        joined = conll_score(gold, Model(out, extractor, neural_out).tag_many([[t for t, _ in s] for s in dev]))
        summary["neural"] = {k: net[k] for k in ("hyper", "seed", "best_epoch", "train_seconds")}
        summary["neural_bytes"] = neural_out.stat().st_size
        summary["dev_joined"] = {t: round(joined[t].f1, 4) for t in TYPES} | {"macro": round(joined["macro"], 4)}
        summary["joined_scores"] = joined
    out.with_suffix(".json").write_text(json.dumps({k: v for k, v in summary.items() if k != "joined_scores"},
                                                   indent=2) + "\n", encoding="utf-8")
    summary["scores"] = scores
    return summary
