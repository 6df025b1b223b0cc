"""The CRF's decoding in numpy, from the weights of the CRFsuite model file.

CRFsuite trains the tagger and stays the reference. At run time, though, handing it each token's
hundred attribute strings costs more than the rest of the tagging: most of those attributes belong
to a word (its form, affixes, clusters, what it tells its neighbours), and their weights can be
summed once per word and cached (`FeatureExtractor.state_scores`). What is left is the Viterbi
search over those scores, done here for all sentences of an article at once. It finds the path
CRFsuite finds: the same weights (read exactly from the file, not from its rounded text dump), the
same sums up to the last bits of a double, the same first-best rule on ties.

The model file (CRFsuite's `crf1d` format): a 48-byte header of little-endian uint32 — magic `lCRF`,
size, type `FOMC`, version, then the counts and offsets of its parts — the features chunk (`FEAT`,
size, count, then per feature: type, source, destination as uint32 and the weight as float64; type 0
is attribute→label, type 1 label→label), and the label and attribute names, each in a constant
quark database (`CQDB`) whose backward array gives the record of each id: uint32 id, uint32 length,
the UTF-8 name and a NUL.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from hadath.errors import ResourceError

_FEATURE = np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("weight", "<f8")])


@dataclass(frozen=True)
class CrfWeights:
    labels: list[str]  # in the model's own order, which decides ties as CRFsuite does
    attributes: dict[str, int]  # attribute name → row of `state`
    state: np.ndarray  # (attributes + 1, labels) float64; the last row is zeros
    transition: np.ndarray  # (labels, labels) float64: from → to
    zero: int  # the row of no weight, to sum with

    def total(self, attributes: list[str]) -> np.ndarray:
        """The summed weights of a list of attributes, per label (those the model lacks weigh nothing)."""
        rows = [k for a in attributes if (k := self.attributes.get(a)) is not None]
        if not rows:
            return np.zeros(len(self.labels))
        return self.state[rows].sum(axis=0)


def read_crfsuite(path: Path) -> CrfWeights:
    """The weights of a CRFsuite model file."""
    data = path.read_bytes()
    try:
        magic, _, kind, _, _, n_labels, n_attrs, off_features, off_labels, off_attrs = struct.unpack_from(
            "<4sI4sIIIIIII", data, 0)
        if magic != b"lCRF" or kind != b"FOMC":
            raise ValueError("not a CRFsuite crf1d model")
        chunk, _, n_features = struct.unpack_from("<4sII", data, off_features)
        if chunk != b"FEAT":
            raise ValueError("no feature chunk")
        features = np.frombuffer(data, dtype=_FEATURE, count=n_features, offset=off_features + 12)
        labels = _quarks(data, off_labels)
        names = _quarks(data, off_attrs)
    except (struct.error, ValueError, UnicodeDecodeError) as e:
        raise ResourceError(f"NER model {path} cannot be read: {e}") from e
    if len(labels) != n_labels or len(names) != n_attrs:
        raise ResourceError(f"NER model {path} cannot be read: its counts do not match its names")
    state = np.zeros((n_attrs + 1, n_labels))
    transition = np.zeros((n_labels, n_labels))
    kinds = features["type"]
    attr = features[kinds == 0]
    state[attr["src"], attr["dst"]] = attr["weight"]
    trans = features[kinds == 1]
    transition[trans["src"], trans["dst"]] = trans["weight"]
    return CrfWeights(labels, {name: k for k, name in enumerate(names)}, state, transition, n_attrs)


def _quarks(data: bytes, offset: int) -> list[str]:
    magic, _, _, _, n, backward = struct.unpack_from("<4sIIIII", data, offset)
    if magic != b"CQDB":
        raise ValueError("no name table")
    names = []
    for k, at in enumerate(struct.unpack_from(f"<{n}I", data, offset + backward)):
        ident, size = struct.unpack_from("<II", data, offset + at)
        if ident != k:
            raise ValueError("name table out of order")
        names.append(data[offset + at + 8: offset + at + 8 + size - 1].decode("utf-8"))
    return names


def viterbi(scores: list[np.ndarray], transition: np.ndarray) -> list[list[int]]:
    """The best label path of each sentence (its state scores: tokens × labels), all sentences at once."""
    out: list[list[int]] = [[] for _ in scores]
    live = [k for k, s in enumerate(scores) if len(s)]
    if not live:
        return out
    lengths = np.array([len(scores[k]) for k in live])
    steps, n_labels = int(lengths.max()), transition.shape[0]
    padded = np.zeros((steps, len(live), n_labels))
    for b, k in enumerate(live):
        padded[: lengths[b], b] = scores[k]
    best = np.empty((steps, len(live), n_labels))  # the best score of a path ending in each label
    best[0] = padded[0]
    back = np.zeros((steps, len(live), n_labels), dtype=np.intp)
    for t in range(1, steps):
        # rows: the label before, columns: the label now; argmax keeps the first best, as CRFsuite does
        moves = best[t - 1][:, :, None] + transition[None, :, :]
        back[t] = moves.argmax(axis=1)
        best[t] = moves.max(axis=1) + padded[t]
    at_end = best[lengths - 1, np.arange(len(live))]
    for b, k in enumerate(live):
        label = int(at_end[b].argmax())
        path = [label]
        for t in range(lengths[b] - 1, 0, -1):
            label = int(back[t, b, label])
            path.append(label)
        out[k] = path[::-1]
    return out
