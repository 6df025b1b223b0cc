"""The neural NER tagger run in numpy: a BiLSTM over word, stem and character inputs with a CRF on top.

Each token is read as
* its word vector from a table learned on the SaudiNewsNet corpus (word2vec, kept frozen in training),
  looked up as written, else behind its proclitics, else an unknown-word vector;
* the word vector of its stem (the word behind «و ف ب ك ل ال», as `features.py` reads it);
* a character CNN over its letters (max-pooled), which covers words the table lacks;
* a few marks: the gazetteer matches of `features.gazetteer()` (place, country adjective, person,
  organisation; first word or inside), its shape, and the corpus it is read as.

A bidirectional LSTM reads the sentence, a linear layer scores the nine BIO tags and Viterbi
decoding with the learned transition scores picks the best sequence. Training (torch, in
`hadath.ner.train_neural`) exports every weight into one `.npz` archive; this module needs numpy
only. Sentences are tagged in batches: the per-step work of the recurrence is done for all
sentences of a batch at once, so Python's overhead per step is shared; what depends on the word
alone (its vector ids, its character CNN output) is cached per word.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from hadath.errors import ResourceError
from hadath.lexicon.matcher import Lexicon, proclitic_readings
from hadath.ner.features import word_shape
from hadath.text.normalize import normalize_ar
from hadath.text.segment import Token

FORMAT_VERSION = 1
TAGS = ("O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC")  # the network's order
GAZ_KINDS = ("loc", "adj", "per", "org")
SHAPES = ("num", "pun", "lat", "mix", "ar")
N_FEATS = 2 * len(GAZ_KINDS) + len(SHAPES) + 1  # gazetteer B/I marks, shape, corpus mark
PAD, UNK = 0, 1  # ids of the padding and unknown entries in the word and character tables
BATCH = 256  # sentences tagged together


def stem_of(word: str) -> tuple[str, str]:
    """(the word behind its proclitics, that without a leading «ال») as `features.py` reads it."""
    if word_shape(word) != "ar":
        return word, word
    bare = proclitic_readings(word)[-1][0]
    stem = bare[2:] if bare.startswith("ال") and len(bare) > 4 else bare
    return bare, stem


class Encoder:
    """Turns normalized words into the network's integer and 0/1 inputs; cached per word."""

    def __init__(self, vocab: Sequence[str], chars: Sequence[str], lexicon: Lexicon, max_chars: int = 20):
        self.vocab = {w: i for i, w in enumerate(vocab)}  # rows PAD and UNK hold placeholders
        self.chars = {c: i + 2 for i, c in enumerate(chars)}  # after PAD and UNK
        self.lexicon = lexicon
        self.max_chars = max_chars
        self._cache: dict[str, tuple[int, int, tuple[int, ...], int]] = {}

    def word(self, word: str) -> tuple[int, int, tuple[int, ...], int]:
        """(word id, stem id, character ids, shape index) of one normalized word."""
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        vocab = self.vocab
        bare, stem = stem_of(word)
        wid = vocab.get(word) or vocab.get(bare) or UNK
        sid = vocab.get(stem) or vocab.get(bare) or wid
        cid = tuple(self.chars.get(c, UNK) for c in word[: self.max_chars]) or (UNK,)
        hit = (wid, sid, cid, SHAPES.index(word_shape(word)))
        if len(self._cache) < 300_000:
            self._cache[word] = hit
        return hit

    def feats(self, words: list[str], info: list[tuple[int, int, tuple[int, ...], int]], domain: int) -> np.ndarray:
        """The 0/1 marks of each word of one sentence: gazetteer, shape, corpus."""
        f = np.zeros((len(words), N_FEATS), dtype=np.float32)
        for m in self.lexicon.match([Token(w, 0, 0) for w in words]):
            if m.kind in GAZ_KINDS:
                k = GAZ_KINDS.index(m.kind)
                f[m.first, 2 * k] = 1.0
                f[m.first + 1 : m.last, 2 * k + 1] = 1.0
        base = 2 * len(GAZ_KINDS)
        for i, (_, _, _, s) in enumerate(info):
            f[i, base + s] = 1.0
        f[:, -1] = float(domain)
        return f


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (np.tanh(0.5 * x) + 1.0)  # no overflow warnings, and as fast as exp


class NeuralTagger:
    """The exported network (an `.npz` archive from `train_neural.export`), run in numpy."""

    def __init__(self, path: Path, lexicon: Lexicon | None = None):
        if not path.is_file():
            raise ResourceError(f"NER model {path} is missing: rebuild it with `hadath train ner`")
        with np.load(path, allow_pickle=False) as z:
            w = {k: z[k] for k in z.files}
        meta = json.loads(str(w.pop("meta")))
        if meta.get("format") != FORMAT_VERSION:
            raise ResourceError(f"NER model {path} has format {meta.get('format')}, this code reads {FORMAT_VERSION}: "
                                "retrain it with `hadath train ner`")
        self.meta = meta
        self.tags: list[str] = meta["tags"]
        vocab = str(w.pop("vocab")).split("\n")
        chars = list(str(w.pop("chars")))
        if lexicon is None:
            from hadath.ner.features import gazetteer

            lexicon = gazetteer()
        self.encoder = Encoder(vocab, chars, lexicon, meta["max_chars"])
        f32 = np.float32
        self.emb = w["emb"]  # float16: memory and file size; rows are cast when used
        self.char_emb = w["char_emb"].astype(f32)
        self.conv_w = w["conv_w"].astype(f32)  # (out, in, width) as torch stores it
        self.conv_b = w["conv_b"].astype(f32)
        width = self.conv_w.shape[2]
        # the convolution as one matrix over the window of `width` character vectors, laid side by side
        self._conv = self.conv_w.transpose(2, 1, 0).reshape(width * self.conv_w.shape[1], -1)
        self.width = width
        # the two directions stacked: W_ih (2, in, 4H), W_hh (2, H, 4H), b (2, 4H)
        self.w_ih = np.stack([w["w_ih_f"].T, w["w_ih_b"].T]).astype(f32)
        self.w_hh = np.stack([w["w_hh_f"].T, w["w_hh_b"].T]).astype(f32)
        self.b = np.stack([w["b_ih_f"] + w["b_hh_f"], w["b_ih_b"] + w["b_hh_b"]]).astype(f32)
        self.hidden = self.w_hh.shape[1]
        self.out_w = w["out_w"].T.astype(f32)
        self.out_b = w["out_b"].astype(f32)
        self.trans = w["trans"].astype(f32)  # trans[i, j]: score of tag j after tag i
        self.start = w["start"].astype(f32)
        self.end = w["end"].astype(f32)
        self._chars_cache: dict[tuple[int, ...], np.ndarray] = {}

    # ------------------------------------------------------------------------------------------ layers

    def char_vector(self, ids: tuple[int, ...]) -> np.ndarray:
        """Max-pooled character CNN output of one word (zero padding at both ends, as in training)."""
        hit = self._chars_cache.get(ids)
        if hit is not None:
            return hit
        x = self.char_emb[list(ids)]
        pad = self.width // 2
        x = np.concatenate([np.zeros((pad, x.shape[1]), np.float32), x, np.zeros((pad, x.shape[1]), np.float32)])
        windows = np.concatenate([x[k : k + len(ids)] for k in range(self.width)], axis=1)
        hit = np.maximum(windows @ self._conv + self.conv_b, 0.0).max(axis=0)
        if len(self._chars_cache) < 300_000:
            self._chars_cache[ids] = hit
        return hit

    def inputs(self, words: list[str], domain: int = 0, extra: np.ndarray | None = None) -> np.ndarray:
        """The LSTM's input rows of one sentence of normalized words (+ the CRF's marginals when stacked)."""
        enc = self.encoder
        info = [enc.word(w) for w in words]
        wid = [i[0] for i in info]
        sid = [i[1] for i in info]
        chars = np.stack([self.char_vector(i[2]) for i in info])
        parts = [self.emb[wid].astype(np.float32), self.emb[sid].astype(np.float32), chars,
                 enc.feats(words, info, domain)]
        if extra is not None:
            parts.append(extra.astype(np.float32))
        return np.concatenate(parts, axis=1)

    def emissions(self, sentences: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """Tag scores (b, t, tags) of a batch of sentences, from their input rows, and their lengths."""
        lengths = np.array([len(s) for s in sentences])
        b, t_max, h = len(sentences), int(lengths.max()), self.hidden
        x = np.zeros((b, t_max, sentences[0].shape[1]), np.float32)
        for k, s in enumerate(sentences):
            x[k, : len(s)] = s
        # the backward direction reads each sentence reversed within its own length
        rev = np.where(np.arange(t_max)[None, :] < lengths[:, None],
                       lengths[:, None] - 1 - np.arange(t_max)[None, :], np.arange(t_max)[None, :])
        xr = np.take_along_axis(x, rev[:, :, None], axis=1)
        gx = (np.stack([x, xr]).reshape(2, b * t_max, -1) @ self.w_ih + self.b[:, None, :]).reshape(2, b, t_max, -1)
        hs = np.zeros((2, b, t_max, h), np.float32)
        hh = np.zeros((2, b, h), np.float32)
        c = np.zeros((2, b, h), np.float32)
        for t in range(t_max):
            g = gx[:, :, t] + hh @ self.w_hh
            i = sigmoid(g[..., :h])
            f = sigmoid(g[..., h : 2 * h])
            gg = np.tanh(g[..., 2 * h : 3 * h])
            o = sigmoid(g[..., 3 * h :])
            c = f * c + i * gg
            hh = o * np.tanh(c)
            hs[:, :, t] = hh
        back = np.take_along_axis(hs[1], rev[:, :, None], axis=1)
        return np.concatenate([hs[0], back], axis=2) @ self.out_w + self.out_b, lengths

    def viterbi(self, scores: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Best tag sequences (b, t) of a batch of emission scores (b, t, tags) under the learned transitions;
        past a sentence's end its best scores stay as they were and its tag is carried back unchanged."""
        b, t_max, n_tags = scores.shape
        best = self.start + scores[:, 0]
        back = np.broadcast_to(np.arange(n_tags), (t_max, b, n_tags)).copy()
        for t in range(1, t_max):
            cand = best[:, :, None] + self.trans  # (b, from, to)
            arg = cand.argmax(axis=1)
            live = (t < lengths)[:, None]
            back[t] = np.where(live, arg, back[t])
            best = np.where(live, np.take_along_axis(cand, arg[:, None, :], axis=1)[:, 0] + scores[:, t], best)
        path = np.zeros((b, t_max), dtype=np.intp)
        path[:, -1] = (best + self.end).argmax(axis=1)
        rows = np.arange(b)
        for t in range(t_max - 1, 0, -1):
            path[:, t - 1] = back[t, rows, path[:, t]]
        return path

    # --------------------------------------------------------------------------------------------- API

    def tag_many(self, sentences: Sequence[Sequence[str]], normalized: bool = False, domain: int = 0,
                 extra: Sequence[np.ndarray | None] | None = None,
                 prior: Sequence[np.ndarray | None] | None = None) -> list[list[str]]:
        """BIO tags of each sentence of tokens; sentences are run through the network in batches.
        A stacked network also reads `extra`, the CRF's tag marginals (n, tags) of each sentence;
        `prior` (n, tags) scores of each sentence are added to the network's before decoding."""
        out: list[list[str]] = [[] for _ in sentences]
        order = sorted((k for k, s in enumerate(sentences) if s), key=lambda k: len(sentences[k]))
        for lo in range(0, len(order), BATCH):
            chunk = order[lo : lo + BATCH]
            rows = []
            for k in chunk:
                words = list(sentences[k]) if normalized else [normalize_ar(t).text for t in sentences[k]]
                rows.append(self.inputs(words, domain, None if extra is None else extra[k]))
            scores, lengths = self.emissions(rows)
            if prior is not None:
                for r, k in enumerate(chunk):
                    scores[r, : lengths[r]] += prior[k]
            paths = self.viterbi(scores, lengths)
            for r, k in enumerate(chunk):
                out[k] = [self.tags[j] for j in paths[r, : lengths[r]]]
        return out

    def tag(self, tokens: Sequence[str], normalized: bool = False) -> list[str]:
        return self.tag_many([tokens], normalized)[0]
