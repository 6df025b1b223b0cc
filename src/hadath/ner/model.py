"""The shipped Arabic named-entity tagger: BIO tags over PERS, LOC, ORG, MISC.

The shipped model is a linear-chain CRF trained by CRFsuite (`resources/ner/model.crfsuite`, over the
features of `features.py`), loaded once per process, offline; at run time its weights are summed per word
and its best path found in numpy (`crf.py`: the same tags, several times faster). A BiLSTM-CRF run in numpy
(`neural.npz`, see `neural.py`; built by `hadath train ner --neural`, not shipped) is run too when it
lies beside the CRF: joined with the CRF's log marginals, or stacked on them, its Viterbi path is then
the answer. `tag` labels a list of tokens, `tag_many` a batch of sentences at once (the network runs
them together); `entities` finds names in plain text and returns spans into the text exactly as given.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import pycrfsuite

from hadath.errors import ResourceError
from hadath.ner.crf import read_crfsuite, viterbi
from hadath.ner.features import FEATURE_VERSION, FeatureExtractor
from hadath.text.normalize import normalize_ar
from hadath.text.segment import split_sentences, tokenize

if TYPE_CHECKING:
    import numpy as np

MODEL_FILE = "model.crfsuite"
NEURAL_FILE = "neural.npz"


@dataclass(frozen=True, slots=True)
class Entity:
    start: int  # offsets into the raw text, half-open
    end: int
    type: str  # PERS | LOC | ORG | MISC
    text: str


def model_path() -> Path:
    """Where the packaged model lives (a real file: the package is installed unzipped)."""
    return Path(str(resources.files("hadath") / "resources" / "ner" / MODEL_FILE))


class Model:
    """The CRF tagger, the feature extractor it was trained with and, when given, the network stacked on it."""

    def __init__(self, path: Path, extractor: FeatureExtractor | None = None, neural: Path | None = None):
        if not path.is_file():
            raise ResourceError(f"NER model {path} is missing: rebuild it with `hadath train ner`")
        meta = path.with_suffix(".json")
        if meta.is_file():
            version = json.loads(meta.read_text(encoding="utf-8")).get("feature_version")
            if version != FEATURE_VERSION:
                raise ResourceError(f"NER model {path} was trained on features v{version}, this code makes "
                                    f"v{FEATURE_VERSION}: retrain it with `hadath train ner`")
        self.extractor = extractor or FeatureExtractor()
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path))
        self.weights = read_crfsuite(path)
        self.neural = None
        self._labels: list[tuple[str, int]] = []
        if neural is not None:  # numpy and the network are loaded only when a network is given
            from hadath.ner.neural import NeuralTagger

            self.neural = NeuralTagger(neural, self.extractor.lexicon)

    def marginals(self, attributes: list[list[str]]) -> np.ndarray:
        """The CRF's marginal probability of each tag (in the network's tag order) at each token."""
        import numpy as np

        from hadath.ner.neural import TAGS

        if not self._labels:
            index = {t: i for i, t in enumerate(TAGS)}
            self._labels = [(label, index[label]) for label in self._tagger.labels()]
        tagger = self._tagger
        tagger.set(attributes)
        n = len(attributes)
        out = np.zeros((n, len(TAGS)), dtype=np.float32)
        marginal = tagger.marginal
        for label, j in self._labels:
            out[:, j] = [marginal(label, i) for i in range(n)]
        return out

    def tag_many(self, sentences: Sequence[Sequence[str]], normalized: bool = False) -> list[list[str]]:
        """BIO tags of each sentence; `normalized` says the tokens already went through `normalize_ar`."""
        words = [list(s) if normalized else [normalize_ar(t).text for t in s] for s in sentences]
        if self.neural is None:
            # CRFsuite's own path, decoded in numpy from word-level sums of its weights (see crf.py)
            weights = self.weights
            paths = viterbi(self.extractor.state_scores_many(words, weights), weights.transition)
            return [[weights.labels[k] for k in path] for path in paths]
        attributes = [self.extractor.sentence(w, normalized=True) if w else [] for w in words]
        marginals = [self.marginals(a) if a else None for a in attributes]
        if self.neural.meta.get("stack"):
            return self.neural.tag_many(words, normalized=True, extra=marginals)
        import numpy as np

        # the two models' votes joined: the network's scores plus the CRF's log marginals, weighted
        weight = self.neural.meta.get("crf_weight", 1.0)
        prior = [None if m is None else weight * np.log(m + 1e-4) for m in marginals]
        return self.neural.tag_many(words, normalized=True, prior=prior)

    def tag(self, tokens: Sequence[str], normalized: bool = False) -> list[str]:
        """BIO tags of one sentence; `normalized` says the tokens already went through `normalize_ar`."""
        if not tokens:
            return []
        return self.tag_many([tokens], normalized)[0]


def neural_path() -> Path:
    """Where the packaged network lives, beside the CRF."""
    return model_path().with_name(NEURAL_FILE)


@cache
def default_model() -> Model:
    """The packaged models, loaded on first use and kept for the life of the process."""
    neural = neural_path()
    return Model(model_path(), neural=neural if neural.is_file() else None)


def tag(tokens: list[str]) -> list[str]:
    """BIO tags (B-PERS, I-LOC, …, O) for one sentence of tokens."""
    return default_model().tag(tokens)


def tag_many(sentences: Sequence[Sequence[str]]) -> list[list[str]]:
    """BIO tags of many sentences at once: the same tags as `tag` on each, in a fraction of the time."""
    return default_model().tag_many(sentences)


def entities(text: str) -> list[Entity]:
    """Named entities in plain text, as spans into `text` as given.

    The text is normalized and tokenized the pipeline's way; punctuation between
    the words is kept as tokens too, since the model was trained on text that
    has it. Each sentence is tagged on its own.
    """
    norm = normalize_ar(text)
    model = default_model()
    found: list[Entity] = []
    sentences = [p for s_start, s_end in split_sentences(norm.text) if (p := _pieces(norm.text, s_start, s_end))]
    tagged = model.tag_many([[t for t, _, _, _ in pieces] for pieces in sentences], normalized=True)
    for pieces, tags in zip(sentences, tagged, strict=True):
        for first, last, typ in sorted(bio_spans(tags)):
            # an entity begins and ends on a word, never on punctuation
            while first < last and not pieces[first][3]:
                first += 1
            while last > first and not pieces[last - 1][3]:
                last -= 1
            if first == last:
                continue
            start, end = norm.offsets.span_to_raw(pieces[first][1], pieces[last - 1][2])
            found.append(Entity(start, end, typ, text[start:end]))
    return found


def _pieces(norm: str, start: int, end: int) -> list[tuple[str, int, int, bool]]:
    """Words from `tokenize` plus the punctuation between them: (text, start, end, is_word)."""
    pieces: list[tuple[str, int, int, bool]] = []
    pos = start
    for tok in tokenize(norm[start:end]):
        t_start, t_end = tok.start + start, tok.end + start
        _gap(norm, pos, t_start, pieces)
        pieces.append((tok.text, t_start, t_end, True))
        pos = t_end
    _gap(norm, pos, end, pieces)
    return pieces


def _gap(norm: str, start: int, end: int, pieces: list[tuple[str, int, int, bool]]) -> None:
    # each run of non-space characters between two words is one punctuation token, as in the corpora
    i = start
    while i < end:
        if norm[i].isspace():
            i += 1
            continue
        j = i
        while j < end and not norm[j].isspace():
            j += 1
        pieces.append((norm[i:j], i, j, False))
        i = j


def bio_spans(tags: Sequence[str]) -> set[tuple[int, int, str]]:
    """Entity spans (start, end, type) of a BIO sequence, read the CoNLL way: an I- after O or
    after another type starts an entity."""
    found: set[tuple[int, int, str]] = set()
    start, kind = -1, ""
    for i, tag in enumerate((*tags, "O")):
        prefix, typ = tag[:1], tag[2:]
        if kind and (prefix != "I" or typ != kind):
            found.add((start, i, kind))
            kind = ""
        if prefix == "B" or (prefix == "I" and not kind):
            start, kind = i, typ
    return found
