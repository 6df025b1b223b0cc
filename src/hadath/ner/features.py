"""Features of each token for the CRF tagger.

Every token is first normalized with `normalize_ar` (the same folding the
pipeline applies to article text), so training tokens and run-time tokens meet
in one spelling. A token's own features (form, affixes, the stem left after its
proclitics, shape) depend on the word alone and are cached; the features that
look at neighbours (words ±2, their stems, shapes and gazetteer marks ±1) are
joined on per sentence. `sentence` lists them as strings, for training with
CRFsuite; at run time `state_scores_many` sums their weights instead, once per
word for what belongs to one word, so the strings are built once a word, not
once a token. Gazetteer marks come from the project's
compiled lexicons (places, countries, named actors) matched over the sentence
with the pipeline's own matcher, so multi-word names and names behind «و», «ب»,
«ل» are found the same way the pipeline finds them.

Word clusters carry what unlabelled news text knows about a word: the packaged
table `resources/ner/clusters.tsv.gz` (built from the SaudiNewsNet corpus by
`scripts/build_ner_clusters.py`: word2vec vectors grouped by k-means at several
granularities) gives each frequent word its cluster ids. A word the table lacks
takes the clusters of the word behind its proclitics; the word's neighbours ±1
contribute theirs too.
"""

from __future__ import annotations

import gzip
import hashlib
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from hadath.errors import ResourceError
from hadath.lexicon.matcher import Lexicon, proclitic_readings
from hadath.lexicon.resources import compiled
from hadath.text.normalize import normalize_ar
from hadath.text.segment import Token

if TYPE_CHECKING:
    import numpy as np

    from hadath.ner.crf import CrfWeights

# Bump when features change: a model trained on other features must not be loaded with these.
FEATURE_VERSION = 3

CLUSTERS_FILE = "clusters.tsv.gz"

# the corpus that run-time text is read as, and the attributes (by first letter) that get a per-corpus copy
DOMAIN = "a"
AUGMENTED = ("b", "w=", "st=", "g=", "w-1=", "w1=", "sh=")


def gazetteer() -> Lexicon:
    """Places, countries and named actors from the compiled tables, by the kind the NER model cares for."""
    return Lexicon([(form, kind, 0) for form, kind in _gazetteer_entries()])


def gazetteer_digest() -> str:
    """A fingerprint of the gazetteer marks: the model is trained on one; another means retrain."""
    lines = sorted(f"{kind}\t{form}" for form, kind in _gazetteer_entries())
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _gazetteer_entries() -> list[tuple[str, str]]:
    entries: list[tuple[str, str]] = [(form, "loc") for form in compiled("places")["forms"]]
    countries = compiled("countries")
    entries += [(form, "loc") for form in countries["names"]]
    entries += [(form, "adj") for form in countries["adjectives"]]
    actors = compiled("actors")
    kinds = [e["kind"] for e in actors["entities"]]
    entries += [(form, "per" if kinds[index] == "person" else "org") for form, index in actors["forms"].items()]
    return entries


def clusters_path() -> Path:
    """The packaged word-cluster table (built by scripts/build_ner_clusters.py)."""
    return Path(str(resources.files("hadath") / "resources" / "ner" / CLUSTERS_FILE))


class ClusterTable:
    """Word → its cluster attributes (`c64=17`, `c256=201`, …, coarsest first).

    The ids of a word are split into attributes only when the word is looked up, which keeps
    loading the table (one line a word) under a tenth of a second.
    """

    def __init__(self, names: list[str], rows: dict[str, str]):
        self.names = names  # attribute prefixes, `c64=` …
        self._rows = rows  # word → its ids, tab-separated

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, word: object) -> bool:
        return word in self._rows

    def get(self, word: str, default: list[str] | None = None) -> list[str] | None:
        ids = self._rows.get(word)
        if ids is None:
            return default
        return [n + i for n, i in zip(self.names, ids.split("\t"), strict=True)]

    def __getitem__(self, word: str) -> list[str]:
        found = self.get(word)
        if found is None:
            raise KeyError(word)
        return found


def load_clusters(path: Path | None = None) -> ClusterTable:
    """The word-cluster table: `word<TAB>id<TAB>id…` a line, gzipped, most frequent words first,
    after a `#k<TAB>64<TAB>256…` line that names the granularities. A missing table is an error:
    the shipped model was trained with it."""
    path = clusters_path() if path is None else path
    if not path.is_file():
        raise ResourceError(f"NER word-cluster table {path} is missing: rebuild it with "
                            "scripts/build_ner_clusters.py")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        lines = f.read().split("\n")
    head = lines[0].split("\t")
    if head[0] != "#k" or len(head) < 3:
        raise ResourceError(f"{path}: not a cluster table (no #k line naming two granularities or more)")
    rows = dict(line.split("\t", 1) for line in lines[1:] if line)
    return ClusterTable([f"c{k}=" for k in head[1:]], rows)


def word_shape(word: str) -> str:
    """num, pun (punctuation), lat (Latin letters), mix (digits among letters) or ar."""
    if word.isdigit():
        return "num"
    if not any(ch.isalnum() for ch in word):
        return "pun"
    if any("a" <= ch <= "z" for ch in word):
        return "lat"
    if any(ch.isdigit() for ch in word):
        return "mix"
    return "ar"


class FeatureExtractor:
    """Turns a sentence of raw tokens into CRF attribute lists; one per process is enough."""

    def __init__(self, lexicon: Lexicon | None = None, clusters: ClusterTable | dict[str, list[str]] | None = None):
        self.lexicon = gazetteer() if lexicon is None else lexicon
        self.clusters = load_clusters() if clusters is None else clusters
        self._cache: dict[str, tuple[list[str], str, str, list[str]]] = {}
        self._marked: dict[str, dict[str, list[str]]] = {}
        self._sums: dict[str, _WordSums] = {}  # per corpus mark, for one model's weights

    def _word(self, word: str) -> tuple[list[str], str, str, list[str]]:
        """(own features, stem, shape, cluster attributes) of one normalized word, cached."""
        hit = self._cache.get(word)
        if hit is None:
            hit = self._read_word(word)
            if len(self._cache) < 500_000:
                self._cache[word] = hit
        return hit

    def _read_word(self, word: str) -> tuple[list[str], str, str, list[str]]:
        feats = ["w=" + word]
        n = len(word)
        for k in (1, 2, 3, 4):
            if n > k:
                feats.append(f"p{k}={word[:k]}")
                feats.append(f"s{k}={word[-k:]}")
        shape = word_shape(word)
        feats.append("sh=" + shape)
        feats.append(f"len={min(n, 8)}")
        # the stem behind «و ف ب ك ل ال»: names are mostly seen bare, and often read behind clitics
        readings = proclitic_readings(word) if shape == "ar" else [(word, "")]
        stem = readings[-1][0]
        if stem.startswith("ال") and len(stem) > 4:
            stem = stem[2:]
        if stem != word:
            feats.append("st=" + stem)
            feats.append("cl=" + word[: len(word) - len(stem)])
        # word clusters learned from news text: the word's own, else those of the word behind its proclitics
        table = self.clusters
        bare = readings[-1][0]
        cls = table.get(word) or table.get(bare) or table.get(stem) or []
        feats += cls
        if not cls:
            feats.append("c=?")
        if bare != word:
            feats += ["s" + c for c in table.get(bare, ())]
        return feats, stem, shape, cls

    def sentence(self, tokens: list[str], domain: str = DOMAIN, normalized: bool = False) -> list[list[str]]:
        """Attribute lists of one sentence.

        Attributes named in AUGMENTED also come in a copy marked with the corpus the sentence is
        read from (Daumé's feature augmentation): the shared copy learns what both corpora agree
        on, the marked copy each corpus's own conventions (ANERcorp tags «دولار» MISC and «غزة»
        without «قطاع»; NewsFANE does neither). Run time reads as ANERcorp (`DOMAIN`).
        """
        words = tokens if normalized else [normalize_ar(t).text for t in tokens]
        mark = domain + "~" if domain else ""
        n = len(words)
        info = [self._word(w) for w in words]
        owns = [self._own(w, info[i][0], mark) for i, w in enumerate(words)]
        gaz = self._gazetteer_marks(words)
        out = []
        for i, own in enumerate(owns):
            feats, marked = list(gaz[i]), _marked(gaz[i], mark)
            for d in (-2, -1, 1, 2):
                j = i + d
                plain, copies = self._beside(words[j] if 0 <= j < n else None, d, mark)
                feats += plain
                marked += copies
                if d in (-1, 1) and 0 <= j < n and gaz[j]:
                    near = [f"{g}{d}" for g in gaz[j]]
                    feats += near
                    marked += _marked(near, mark)
            pairs = _pairs(words, info, i)
            out.append(own + feats + pairs + marked + _marked(pairs, mark))
        return out

    def state_scores(self, words: list[str], weights: CrfWeights, domain: str = DOMAIN) -> np.ndarray:
        """The CRF's score of each label at each token of a normalized sentence (see `state_scores_many`)."""
        return self.state_scores_many([words], weights, domain)[0]

    def state_scores_many(self, sentences: list[list[str]], weights: CrfWeights,
                          domain: str = DOMAIN) -> list[np.ndarray]:
        """The CRF's score of each label at each token of each normalized sentence: the summed weights
        of the attributes `sentence` gives. What belongs to one word (its own attributes, what it tells
        a neighbour at each offset) is summed once and kept; the sentences are scored together."""
        import numpy as np

        if not sentences:
            return []
        mark = domain + "~" if domain else ""
        words = [w for s in sentences for w in s]
        n = len(words)
        sums = self._sums.get(mark)
        if sums is None or sums.weights is not weights:
            sums = self._sums[mark] = _WordSums(weights)
        sums.make_room(5 * n + 4)
        index = sums.index
        # a word's rows: its own attributes, and what it tells the word two after, one after, one before,
        # two before it (its neighbours at -2, -1, 1, 2); and its middle-grained cluster, for the pairs.
        # Read afresh, not through the training caches: once summed, a word's attribute strings are not
        # needed again
        per_word = []
        for w in words:
            entry = index.get(w)
            if entry is None:
                read = self._read_word(w)
                rows = sums.add([_own_attributes(read[0], mark),
                                 *(sum(self._beside(w, d, mark, read), []) for d in (-2, -1, 1, 2))])
                entry = index[w] = (*rows, read[3][1] if read[3] else None)
            per_word.append(entry)
        edges = index.get(None)
        if edges is None:
            edges = index[None] = sums.add([sum(self._beside(None, d, mark), []) for d in (-2, -1, 1, 2)])
        lengths = np.array([len(s) for s in sentences], dtype=np.intp)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.intp)
        position = np.arange(n) - np.repeat(starts, lengths)  # of each token in its sentence
        length = np.repeat(lengths, lengths)
        ids = np.array([entry[:5] for entry in per_word], dtype=np.intp).reshape(n, 5)
        rows = np.empty((n, 5), dtype=np.intp)
        rows[:, 0] = ids[:, 0]
        for col, d in enumerate((-2, -1, 1, 2), start=1):
            # token i hears word i+d, or the edge where i+d is outside its sentence
            heard = np.clip(np.arange(n) + d, 0, max(n - 1, 0))
            outside = (position + d < 0) | (position + d >= length)
            rows[:, col] = np.where(outside, edges[col - 1], ids[heard, col] if n else heard)
        scores = sums.matrix[rows].sum(axis=1)
        # each sentence's own attributes: its pairs of words (few are in the model, and a cache of
        # every pair would grow without bound) and the gazetteer's marks
        extra_token, extra_row = [], []
        attributes = weights.attributes
        sentence_starts = set(starts.tolist())
        middle = [entry[5] for entry in per_word]
        for k in range(1, n):
            if k in sentence_starts:
                continue
            for hit in (sums.word_pairs.get((words[k - 1], words[k])),
                        sums.cluster_pairs.get((middle[k - 1], middle[k])) if middle[k - 1] and middle[k] else None):
                if hit:
                    for offset, r in hit:  # offset 0: the attribute of word k-1, 1: of word k
                        extra_token.append(k - 1 + offset)
                        extra_row.append(r)
        at = 0
        for sentence in sentences:
            for j, marks in enumerate(self._gazetteer_marks(sentence)):
                if not marks:
                    continue
                for i, found in ((j, marks), (j + 1, [f"{g}-1" for g in marks]), (j - 1, [f"{g}1" for g in marks])):
                    if 0 <= i < len(sentence):
                        for a in found + _marked(found, mark):
                            if (r := attributes.get(a)) is not None:
                                extra_token.append(at + i)
                                extra_row.append(r)
            at += len(sentence)
        if extra_row:
            np.add.at(scores, np.array(extra_token), weights.state[np.array(extra_row)])
        return np.split(scores, np.cumsum(lengths)[:-1])

    def _gazetteer_marks(self, words: list[str]) -> list[list[str]]:
        gaz: list[list[str]] = [[] for _ in words]
        for m in self.lexicon.match([Token(w, 0, 0) for w in words]):
            gaz[m.first].append(f"g={m.kind}B")
            for j in range(m.first + 1, m.last):
                gaz[j].append(f"g={m.kind}I")
        return gaz

    def _beside(self, word: str | None, d: int, mark: str,
                read: tuple[list[str], str, str, list[str]] | None = None) -> tuple[list[str], list[str]]:
        """What a word (`read` by `_word`) tells its neighbour at offset `d` (None: the sentence's edge),
        and the marked copies."""
        if word is None:
            plain = [f"w{d}=<s>" if d < 0 else f"w{d}=</s>"]
        else:
            _, stem, shape, cls = read or self._word(word)
            if d in (-1, 1):
                plain = [f"w{d}={word}", f"st{d}={stem}", f"sh{d}={shape}", *(f"{c}{d:+d}" for c in cls)]
            else:  # the two coarsest clusters of the words ±2
                plain = [f"w{d}={word}", *(f"{c}{d:+d}" for c in cls[:2])]
        return plain, _marked(plain, mark)

    def _own(self, word: str, own: list[str], mark: str) -> list[str]:
        """The word's own attributes with their marked copies, cached per corpus mark."""
        cache = self._marked.setdefault(mark, {})
        hit = cache.get(word)
        if hit is None:
            hit = _own_attributes(own, mark)
            if len(cache) < 500_000:
                cache[word] = hit
        return hit


class _WordSums:
    """The summed weights of the attributes that belong to one word (its own, or what it tells a
    neighbour at some offset), one row each, computed once."""

    LIMIT = 500_000  # rows: 36 MB, the words of a few thousand articles

    def __init__(self, weights: CrfWeights):
        import numpy as np

        self.weights = weights
        self.index: dict[str | None, tuple] = {}  # a word (None: the edges) → the rows of its sums, …
        self.matrix = np.zeros((1024, len(weights.labels)))
        self.rows = 0
        # (left, right) → the attributes the pair gives: (0, row) for the left word, (1, row) for the right
        self.word_pairs = _pair_rows(weights, _WORD_PAIRS)
        self.cluster_pairs = _pair_rows(weights, _CLUSTER_PAIRS)

    def make_room(self, rows: int) -> None:
        """Before an article's words are summed: a bound on memory, by starting over rather than growing
        forever (never in the middle of an article, whose rows are in use)."""
        if self.rows + rows > self.LIMIT:
            self.index.clear()
            self.rows = 0

    def add(self, groups: list[list[str]]) -> tuple[int, ...]:
        """New rows, one a group of attributes: the summed weights of each."""
        import numpy as np

        known, zero = self.weights.attributes, self.weights.zero
        flat, starts = [], []
        for attributes in groups:
            starts.append(len(flat))
            flat.append(zero)  # never empty: reduceat reads an empty group as its next row
            flat += [k for a in attributes if (k := known.get(a)) is not None]
        first = self.rows
        while first + len(groups) > len(self.matrix):
            self.matrix = np.concatenate([self.matrix, np.zeros_like(self.matrix)])
        self.matrix[first:first + len(groups)] = np.add.reduceat(self.weights.state[flat], starts, axis=0)
        self.rows += len(groups)
        return tuple(range(first, self.rows))


# the attributes of two words side by side (see `_pairs`), by the word each is given to (0: the left,
# 1: the right); none of them is given a marked copy
_WORD_PAIRS = {"w|w+1=": 0, "w-1|w=": 1}
_CLUSTER_PAIRS = {"cc+1=": 0, "cc-1=": 1}
assert not any(p.startswith(a) or a.startswith(p) for p in {**_WORD_PAIRS, **_CLUSTER_PAIRS} for a in AUGMENTED)


def _pair_rows(weights: CrfWeights, prefixes: dict[str, int]) -> dict[tuple[str, str], tuple[tuple[int, int], ...]]:
    """(left, right) → (which word, row) of each attribute `prefix + left|right` the model knows, the word
    being the one the prefix gives it to. A name with more than one «|» is filed under every split:
    whichever pair of words spells it, it is that attribute."""
    rows: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for name, row in weights.attributes.items():
        for prefix, side in prefixes.items():
            if name.startswith(prefix):
                rest = name[len(prefix):]
                for k, ch in enumerate(rest):
                    if ch == "|":
                        rows.setdefault((rest[:k], rest[k + 1:]), []).append((side, row))
    return {key: tuple(found) for key, found in rows.items()}


def _pairs(words: list[str], info: list[tuple[list[str], str, str, list[str]]], i: int) -> list[str]:
    """The attributes of a word with its neighbour: their middle-grained clusters (a name's kind shows
    in the kind of word beside it) and the two words together."""
    pairs = []
    cls = info[i][3]
    if cls and i > 0 and info[i - 1][3]:
        pairs.append(f"cc-1={info[i - 1][3][1]}|{cls[1]}")
    if cls and i + 1 < len(words) and info[i + 1][3]:
        pairs.append(f"cc+1={cls[1]}|{info[i + 1][3][1]}")
    if i > 0:
        pairs.append(f"w-1|w={words[i - 1]}|{words[i]}")
    if i + 1 < len(words):
        pairs.append(f"w|w+1={words[i]}|{words[i + 1]}")
    return pairs


def _own_attributes(own: list[str], mark: str) -> list[str]:
    attributes = ["b", *own]
    return attributes + _marked(attributes, mark)


def _marked(attributes: list[str], mark: str) -> list[str]:
    """The copies, marked with the corpus, of the attributes that get one (none when unmarked)."""
    return [mark + a for a in attributes if a.startswith(AUGMENTED)] if mark else []
