"""The records of a fixed slice of the corpus, pinned by a digest.

Speed work must not change what is coded: this test codes the first articles of SaudiNewsNet
and the dev gold set with every stage on and compares a SHA-256 of the JSONL records (every
field, the explanations included) with the one stored in `tests/data/records_digest.json`.
A change meant to alter the records refreshes it on purpose:

    python tests/test_records_digest.py --write
"""

from __future__ import annotations

import hashlib
import itertools
import json
import sys
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "data" / "saudinewsnet" / "articles.jsonl.gz"
DEV = SHARED / "gold" / "dev"
STORED = Path(__file__).resolve().parent / "data" / "records_digest.json"
CORPUS_ARTICLES = 300


def records_digest() -> dict[str, object]:
    from hadath.batch import code_items
    from hadath.cli import predict_gold
    from hadath.ingest.readers import read_path
    from hadath.pipeline import Options

    sha = hashlib.sha256()
    n = 0
    for record in code_items(itertools.islice(read_path(str(CORPUS)), CORPUS_ARTICLES)):
        sha.update(record.to_json_line().encode("utf-8"))
        n += 1
    for record in predict_gold(DEV, Options()):
        sha.update(record.to_json_line().encode("utf-8"))
        n += 1
    return {"records": n, "sha256": sha.hexdigest(),
            "slice": f"first {CORPUS_ARTICLES} articles of saudinewsnet/articles.jsonl.gz, then gold/dev"}


def test_records_of_the_fixed_slice_are_unchanged() -> None:
    if not (CORPUS.is_file() and (DEV / "gold.jsonl").is_file()):
        pytest.skip(f"the corpus or the dev gold set is not beside this checkout ({SHARED})")
    stored = json.loads(STORED.read_text(encoding="utf-8"))
    assert records_digest() == stored, "records changed: if on purpose, run python tests/test_records_digest.py --write"


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python tests/test_records_digest.py --write")
    STORED.write_text(json.dumps(records_digest(), indent=1) + "\n", encoding="utf-8")
    print(STORED.read_text(encoding="utf-8"))
