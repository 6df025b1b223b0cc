"""Word clusters learned from unlabelled news, for the NER features.

Names the labelled corpora never show still occur in plain news next to the
same words as names that they do show («الرئيس ...», «في مدينة ...»). Each
frequent word of the SaudiNewsNet corpus gets a vector from its neighbours
(positive PMI over a window of ±2, reduced by truncated SVD) and the vectors
are grouped by k-means at three granularities; the model sees the three
cluster ids. The table (word → ids, a few hundred KB) ships in the package.

Needs numpy and scipy (`pip install -e '.[train]'`); run with
`hadath train ner-clusters`, which is deterministic for a given corpus.
"""

from __future__ import annotations

import gzip
import json
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from hadath.text.normalize import normalize_ar
from hadath.text.segment import tokenize

VOCAB = 80_000  # words that get a cluster (by frequency)
CONTEXTS = 8_000  # words whose co-occurrence makes the vectors
DIMENSIONS = 100
GRANULARITIES = (64, 256, 1024)
SEED = 7


def corpus_sentences(path: Path) -> Iterator[list[str]]:
    """Normalized word tokens of every article body (and title), one list an article."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            article = json.loads(line)
            text = (article.get("title") or "") + "\n" + (article.get("body") or "")
            yield [t.text for t in tokenize(normalize_ar(text).text)]


def learn(corpus: Path, out: Path, *, verbose: bool = False) -> dict[str, int]:
    import numpy as np
    from scipy import sparse
    from scipy.sparse.linalg import svds

    began = time.perf_counter()
    docs = list(corpus_sentences(corpus))
    counts = Counter(w for d in docs for w in d)
    # ties broken by the word itself, so the vocabulary does not depend on dict order
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    vocab = [w for w, c in ranked[:VOCAB] if c >= 3]
    index = {w: i for i, w in enumerate(vocab)}
    ids = np.fromiter((index.get(w, -1) for d in docs for w in (*d, None)), dtype=np.int64)  # None: article break
    if verbose:
        print(f"{len(ids):,} tokens, {len(vocab):,} words ({time.perf_counter() - began:.0f} s)")

    # co-occurrence of each word with the CONTEXTS most frequent words, ±2, nearer counting more
    rows, cols, vals = [], [], []
    for d, weight in ((1, 1.0), (2, 0.5)):
        for a, b in ((ids[:-d], ids[d:]), (ids[d:], ids[:-d])):
            keep = (a >= 0) & (b >= 0) & (b < CONTEXTS)
            rows.append(a[keep])
            cols.append(b[keep])
            vals.append(np.full(int(keep.sum()), weight, dtype=np.float64))
    m = sparse.coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                          shape=(len(vocab), CONTEXTS)).tocsr()
    m.sum_duplicates()
    # positive PMI, with context counts smoothed (^0.75) as is usual
    total = m.sum()
    row_sum = np.asarray(m.sum(axis=1)).ravel()
    col_sum = np.asarray(m.sum(axis=0)).ravel() ** 0.75
    col_sum = col_sum / col_sum.sum() * total
    coo = m.tocoo()
    pmi = np.log(coo.data * total / (row_sum[coo.row] * col_sum[coo.col]))
    keep = pmi > 0
    ppmi = sparse.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=m.shape)
    rng = np.random.default_rng(SEED)
    v0 = rng.standard_normal(min(ppmi.shape))
    u, s, _ = svds(ppmi, k=DIMENSIONS, v0=v0, random_state=SEED)
    vectors = u * np.sqrt(s)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
    if verbose:
        print(f"vectors {vectors.shape} ({time.perf_counter() - began:.0f} s)")

    labels = [_kmeans(vectors, k, rng) for k in GRANULARITIES]
    out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(out, "wb", mtime=0) as raw:  # mtime 0: the same corpus gives the same bytes
        for i, w in enumerate(vocab):
            raw.write(("\t".join([w, *(str(int(lab[i])) for lab in labels)]) + "\n").encode("utf-8"))
    if verbose:
        print(f"wrote {out} ({time.perf_counter() - began:.0f} s)")
    return {"words": len(vocab), "tokens": int((ids >= 0).sum())}


def _kmeans(x, k: int, rng, iterations: int = 25):
    """Plain Lloyd's k-means on unit vectors (cosine), k-means++ start, fixed generator."""
    import numpy as np

    n = len(x)
    sample = x[rng.choice(n, size=min(n, 20_000), replace=False)]
    centres = [sample[rng.integers(len(sample))]]
    nearest = np.full(len(sample), np.inf)
    for _ in range(1, k):
        d = 1.0 - sample @ centres[-1]
        nearest = np.minimum(nearest, d)
        p = np.maximum(nearest, 0) ** 2
        centres.append(sample[rng.choice(len(sample), p=p / p.sum())])
    c = np.array(centres)
    labels = np.zeros(n, dtype=np.int64)
    for _ in range(iterations):
        labels = np.concatenate([np.argmax(x[i:i + 8192] @ c.T, axis=1) for i in range(0, n, 8192)])
        sums = np.zeros_like(c)
        np.add.at(sums, labels, x)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        filled = norms[:, 0] > 0  # an empty cluster keeps its centre
        c[filled] = sums[filled] / norms[filled]
    return labels
