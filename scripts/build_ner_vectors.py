"""Build the word vectors the neural NER tagger starts from: word2vec on the SaudiNewsNet corpus.

    pip install -e '.[train]'                      # gensim, torch: needed to train only
    python scripts/build_ner_vectors.py             # reads ../shared/data/saudinewsnet/articles.jsonl.gz
    hadath train ner                                # then train the taggers on them

The corpus is read exactly as `scripts/build_ner_clusters.py` reads it (title and body, normalized
with `normalize_ar`, tokenized the pipeline's way; `--cache` shares its tokenized copy). Skip-gram
vectors, 100 dimensions, window 5 (wider than the clusters' 2: the network sees the word's own
vector, where topic helps), on one thread with a fixed seed and a fixed hash, so a run gives the
same vectors on one machine. The most frequent `--words` words and their vectors go to an `.npz`
(`words`: newline-joined, `vectors`: float16), by default `build/ner_vectors.npz`, which `hadath
train ner` reads; only the rows the tagger keeps ship, inside `resources/ner/neural.npz`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_ner_clusters as clusters  # noqa: E402  (the corpus reader, seed and hash are shared)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "build" / "ner_vectors.npz"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=clusters.CORPUS)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--cache", type=Path, default=None, help="keep the tokenized corpus here between runs")
    ap.add_argument("--words", type=int, default=100_000)
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--window", type=int, default=5)
    ap.add_argument("--epochs", type=int, default=5)
    args = ap.parse_args()

    import numpy as np
    from gensim.models import Word2Vec

    began = time.perf_counter()
    if not args.corpus.is_file():
        print(f"{args.corpus} not found: the corpus lives in ../shared/data/saudinewsnet", file=sys.stderr)
        return 2
    corpus = clusters.sentences(args.corpus, args.cache)
    print(f"corpus: {len(corpus):,} paragraphs, {sum(map(len, corpus)):,} tokens "
          f"({time.perf_counter() - began:.0f} s)", flush=True)
    model = Word2Vec(corpus, vector_size=args.dim, window=args.window, min_count=3, sg=1, negative=5,
                     sample=1e-4, epochs=args.epochs, workers=1, seed=clusters.SEED, hashfxn=clusters._hash)
    kv = model.wv
    words = kv.index_to_key[: args.words]  # gensim sorts its vocabulary by frequency
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez(args.out, words=np.array("\n".join(words)), vectors=kv.vectors[: len(words)].astype(np.float16))
    print(f"{args.out}: {len(words):,} words x {args.dim} ({time.perf_counter() - began:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
