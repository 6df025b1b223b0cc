"""Speed of the shipped NER model on one core: load time, tokens per second, size on disk.

    python benchmarks/ner_speed.py                    # dev split of ANERcorp (needs ../shared/data/ner)
    python benchmarks/ner_speed.py --corpus 300       # also `entities()` over 300 SaudiNewsNet articles

Load time is measured in a fresh interpreter (what a user pays once per process).
Tokens per second counts everything from tokens to tags (normalization, CRF
features and marginals, the network, Viterbi), the second pass over the same
sentences (the first warms the per-word caches, as a long-running process would
be): `tag_many()` over all dev sentences at once, and `tag()` one sentence at a
time (the network then runs one sentence a batch: slower). On a shared machine the wall-clock figure
suffers from other work on the core; the per-CPU-second figure does not.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    ap.add_argument("--corpus", type=int, default=0, help="also time entities() over this many news articles")
    ap.add_argument("--core", type=int, default=None, help="pin to this core (default: the first one allowed)")
    args = ap.parse_args()

    core = args.core if args.core is not None else min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})

    from hadath.ner.model import default_model, entities, model_path, neural_path, tag, tag_many
    from hadath.ner.train import dev_split, read_anercorp

    load_code = ("import time; t = time.perf_counter(); from hadath.ner.model import default_model; default_model(); "
                 "print(time.perf_counter() - t)")
    loads = [float(subprocess.run([sys.executable, "-c", load_code], capture_output=True, text=True,
                                  check=True).stdout) for _ in range(3)]
    files = [p for p in (model_path(), neural_path(), model_path().with_name("clusters.tsv.gz")) if p.is_file()]
    print("model files: " + ", ".join(f"{p.name} {p.stat().st_size / 1e6:.2f} MB" for p in files)
          + f" (together {sum(p.stat().st_size for p in files) / 1e6:.2f} MB)")
    print(f"load (import + model, fresh process, best of 3): {min(loads):.3f} s")

    aner = args.data / "ner" / "anercorp-train.txt"
    if not aner.is_file():
        print(f"{aner} not found: no throughput figures", file=sys.stderr)
        return 1
    _, dev = dev_split(read_anercorp(aner))
    sentences = [[t for t, _ in s] for s in dev]
    n = sum(len(s) for s in sentences)
    default_model()
    tag_many(sentences)  # warm-up pass
    began, cpu = time.perf_counter(), time.process_time()
    tag_many(sentences)
    took, cpu = time.perf_counter() - began, time.process_time() - cpu
    print(f"tag_many(): {n:,} dev tokens in {took:.3f} s = {n / took:,.0f} tokens/s on core {core} "
          f"({n / cpu:,.0f} per CPU second)")
    began, cpu = time.perf_counter(), time.process_time()
    for s in sentences:
        tag(s)
    took, cpu = time.perf_counter() - began, time.process_time() - cpu
    print(f"tag(), one sentence a call: {n / took:,.0f} tokens/s ({n / cpu:,.0f} per CPU second)")

    if args.corpus:
        from hadath.text.normalize import normalize_ar
        from hadath.text.segment import tokenize

        path = args.data / "saudinewsnet" / "articles.jsonl.gz"
        with gzip.open(path, "rt", encoding="utf-8") as f:
            texts = [json.loads(line)["body"] or "" for line in itertools.islice(f, args.corpus)]
        words = sum(len(tokenize(normalize_ar(t).text)) for t in texts)
        for t in texts[:20]:
            entities(t)
        began, cpu = time.perf_counter(), time.process_time()
        found = sum(len(entities(t)) for t in texts)
        took, cpu = time.perf_counter() - began, time.process_time() - cpu
        print(f"entities(): {len(texts)} articles, {words:,} words, {found:,} entities in {took:.2f} s "
              f"= {words / took:,.0f} words/s on core {core} ({words / cpu:,.0f} per CPU second)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
