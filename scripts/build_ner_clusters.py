"""Build the NER model's word-cluster table from the SaudiNewsNet corpus.

    pip install -e '.[train]'      # gensim and scikit-learn, needed here only
    python scripts/build_ner_clusters.py                     # reads ../shared/data/saudinewsnet/articles.jsonl.gz
    hadath train ner                                         # then retrain the tagger on the new table

Every article (title and body) is normalized with `normalize_ar` and tokenized
the pipeline's way, so the table's keys are the spellings the tagger's features
see. Skip-gram word2vec vectors (window 2, which groups words by use more than
by topic and gave better dev figures than 5) are learned on one thread with a
fixed seed and a fixed hash (the same table every run on one machine), then the
unit-length vectors of the words seen 3 times or more (121,553) are grouped by k-means
into 64, 256 and 1024 clusters (2048 was no better). The table
`src/hadath/resources/ner/clusters.tsv.gz` holds one line a word,
`word<TAB>id<TAB>id…`, coarsest first, most frequent word first; its first line,
`#k<TAB>64<TAB>256<TAB>1024`, names the granularities. The run time reads only this table:
neither gensim nor scikit-learn is needed to tag.

SaudiNewsNet is M. Alhagri's corpus (CC BY-NC-SA 4.0): it does not ship with
hadath; only the cluster ids learned from it do.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
import zlib
from pathlib import Path

# one core, the same result every run: set before numpy and its BLAS are loaded
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "saudinewsnet" / "articles.jsonl.gz"
OUT = ROOT / "src" / "hadath" / "resources" / "ner" / "clusters.tsv.gz"
SEED = 20240517


def sentences(path: Path, cache: Path | None) -> list[list[str]]:
    """The corpus as lists of normalized tokens, one list a paragraph (cached as text if `cache` is given)."""
    if cache is not None and cache.is_file():
        with gzip.open(cache, "rt", encoding="utf-8") as f:
            return [line.split() for line in f]
    from hadath.text.normalize import normalize_ar
    from hadath.text.segment import tokenize

    out: list[list[str]] = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            article = json.loads(line)
            for text in (article.get("title") or "", article.get("body") or ""):
                for para in text.split("\n"):
                    words = [t.text for t in tokenize(normalize_ar(para).text)]
                    if words:
                        out.append(words)
    if cache is not None:
        with gzip.open(cache, "wt", encoding="utf-8", compresslevel=1) as f:
            for s in out:
                f.write(" ".join(s) + "\n")
    return out


def _hash(text: str) -> int:
    # gensim seeds each word's starting vector with hash(word + seed): Python's str hash changes per process
    return zlib.crc32(text.encode("utf-8"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--cache", type=Path, default=None, help="keep the tokenized corpus here between runs")
    ap.add_argument("--vectors", type=Path, default=None, help="keep (or reuse) the word2vec vectors here")
    ap.add_argument("--words", type=int, default=150_000, help="how many of the most frequent words the table keeps")
    ap.add_argument("--min-count", type=int, default=3)
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--window", type=int, default=2, help="a narrow window groups words by use more than by topic")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--k", type=int, nargs="+", default=[64, 256, 1024], help="cluster counts, coarsest first")
    args = ap.parse_args()

    import numpy as np
    from gensim.models import KeyedVectors, Word2Vec
    from sklearn.cluster import KMeans

    began = time.perf_counter()
    if not args.corpus.is_file():
        print(f"{args.corpus} not found: the corpus lives in ../shared/data/saudinewsnet", file=sys.stderr)
        return 2
    if args.vectors is not None and args.vectors.is_file():
        kv = KeyedVectors.load(str(args.vectors))
    else:
        corpus = sentences(args.corpus, args.cache)
        print(f"corpus: {len(corpus):,} paragraphs, {sum(map(len, corpus)):,} tokens "
              f"({time.perf_counter() - began:.0f} s)", flush=True)
        model = Word2Vec(corpus, vector_size=args.dim, window=args.window, min_count=args.min_count, sg=1,
                         negative=5, sample=1e-4, epochs=args.epochs, workers=1, seed=SEED, hashfxn=_hash)
        kv = model.wv
        if args.vectors is not None:
            kv.save(str(args.vectors))
        print(f"word2vec: {len(kv):,} words ({time.perf_counter() - began:.0f} s)", flush=True)

    words = kv.index_to_key[: args.words]  # gensim sorts its vocabulary by frequency
    vectors = kv.vectors[: len(words)].astype(np.float64)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    columns = []
    for k in args.k:
        km = KMeans(n_clusters=k, n_init=1, max_iter=100, random_state=SEED).fit(vectors)
        columns.append(km.labels_)
        print(f"k-means {k}: done ({time.perf_counter() - began:.0f} s)", flush=True)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    # no name, no time in the gzip header: the same table gives the same bytes wherever it is written
    with open(args.out, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0,
                                                      compresslevel=9) as gz:
        gz.write(("#k\t" + "\t".join(map(str, args.k)) + "\n").encode("utf-8"))
        for i, w in enumerate(words):
            gz.write((w + "\t" + "\t".join(str(c[i]) for c in columns) + "\n").encode("utf-8"))
    print(f"{args.out}: {len(words):,} words, {args.out.stat().st_size / 1e6:.2f} MB "
          f"({time.perf_counter() - began:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
