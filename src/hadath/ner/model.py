"""The shipped Arabic named-entity tagger: BIO tags over PERS, LOC, ORG, MISC.

The model (a linear-chain CRF run by CRFsuite) ships in `resources/ner/` and is
loaded once per process, offline. `tag` labels a list of tokens; `entities`
finds names in plain text and returns spans into the text exactly as given.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import pycrfsuite

from hadath.errors import ResourceError
from hadath.ner.features import FEATURE_VERSION, FeatureExtractor
from hadath.text.normalize import normalize_ar
from hadath.text.segment import split_sentences, tokenize

MODEL_FILE = "model.crfsuite"


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
    """A CRF tagger and the feature extractor it was trained with."""

    def __init__(self, path: Path, extractor: FeatureExtractor | None = None):
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

    def tag(self, tokens: list[str], normalized: bool = False) -> list[str]:
        """BIO tags of one sentence; `normalized` says the tokens already went through `normalize_ar`."""
        if not tokens:
            return []
        return list(self._tagger.tag(self.extractor.sentence(tokens, normalized=normalized)))


@cache
def default_model() -> Model:
    """The packaged model, loaded on first use and kept for the life of the process."""
    return Model(model_path())


def tag(tokens: list[str]) -> list[str]:
    """BIO tags (B-PERS, I-LOC, …, O) for one sentence of tokens."""
    return default_model().tag(tokens)


def entities(text: str) -> list[Entity]:
    """Named entities in plain text, as spans into `text` as given.

    The text is normalized and tokenized the pipeline's way; punctuation between
    the words is kept as tokens too, since the model was trained on text that
    has it. Each sentence is tagged on its own.
    """
    norm = normalize_ar(text)
    model = default_model()
    found: list[Entity] = []
    for s_start, s_end in split_sentences(norm.text):
        pieces = _pieces(norm.text, s_start, s_end)
        if not pieces:
            continue
        tags = model.tag([t for t, _, _, _ in pieces], normalized=True)
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
