#!/usr/bin/env python3
"""Mine the news corpus for place names the gazetteer does not know.

    PYTHONPATH=src python scripts/mine_places.py [--corpus ../shared/data/saudinewsnet/articles.jsonl.gz]
        [--top 300] [--out /tmp/mine_places.tsv]

Reads article bodies (JSON lines with `body`, gzipped) and collects the one- and
two-word names that follow a place classifier — «في مدينة X», «في محافظة X»,
«بلدة X», «قرية X», «ولاية X», «مديرية X» … — normalized with `normalize_key`.
A name is *known* when the compiled gazetteer (`compiled("places")`) has it,
with or without its classifier. The unknown ones are written, most frequent
first, as a TSV report: count, name, the classifiers seen before it, and one
short context. Nothing from the corpus is written but these short snippets, and
the report goes only where --out says (a scratch path, not the repository).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

from hadath.lexicon.resources import compiled
from hadath.text.normalize import normalize_key

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "saudinewsnet" / "articles.jsonl.gz"

CLASSIFIERS = [normalize_key(w) for w in (
    "مدينة", "بلدة", "قرية", "محافظة", "ولاية", "مديرية", "منطقة", "ناحية", "قضاء", "حي", "ريف",
    "إقليم", "مقاطعة", "مخيم", "مدينتي", "بلدتي", "قريتي", "محافظتي", "ولايتي", "منطقتي")]
# the classifier may carry a proclitic: «بمدينة», «وبلدة», «لمحافظة»
_PROCLITIC = ("وب", "فب", "ول", "وف", "ب", "ل", "و", "ف", "ك")
# words after a classifier that are no name: adjectives, demonstratives, particles
_NOT_NAME = {normalize_key(w) for w in (
    "التي", "الذي", "التابعة", "التابع", "الواقعة", "الواقع", "المحاذية", "الحدودية", "الجنوبية",
    "الشمالية", "الشرقية", "الغربية", "الوسطى", "المحتلة", "القديمة", "الساحلية", "الصناعية",
    "السكنية", "المجاورة", "المذكورة", "نفسها", "ذاتها", "هذه", "تلك", "في", "من", "على", "الى",
    "إلى", "عن", "مع", "بعد", "قبل", "حيث", "او", "أو", "ثم", "كما", "لا", "ما", "وقد", "قد", "كل",
    "المنطقة", "المدينة", "البلدة", "القرية", "المحافظة", "الحدود", "شمال", "جنوب", "شرق", "غرب",
    "وسط", "شمالي", "جنوبي", "شرقي", "غربي", "أخرى", "اخرى", "واحدة", "عسكرية", "سكنية", "حدودية",
    "صناعية", "تجارية", "آمنة", "امنة", "عازلة", "جديدة", "كبيرة", "صغيرة", "مكة", "المكرمة",
)}
_TOKEN = re.compile(r"[\u0621-\u063A\u0641-\u064A\u064B-\u0652\u0670]+")


def _strip_proclitic(word: str) -> str:
    for p in _PROCLITIC:
        if word.startswith(p) and word[len(p):] in _CLASSIFIER_SET:
            return word[len(p):]
    return word


_CLASSIFIER_SET = set(CLASSIFIERS)


def mine(corpus: Path) -> tuple[Counter, dict[str, Counter], dict[str, str]]:
    forms = compiled("places")["forms"]
    counts: Counter = Counter()
    heads: dict[str, Counter] = defaultdict(Counter)
    context: dict[str, str] = {}
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            body = json.loads(line).get("body") or ""
            words = [normalize_key(w) for w in _TOKEN.findall(body)]
            for i, w in enumerate(words[:-1]):
                head = _strip_proclitic(w)
                if head not in _CLASSIFIER_SET:
                    continue
                one = words[i + 1]
                if one in _NOT_NAME or one in _CLASSIFIER_SET or len(one) < 3:
                    continue
                two = f"{one} {words[i + 2]}" if i + 2 < len(words) else None
                if one in forms or f"{head} {one}" in forms or (two and (two in forms or f"{head} {two}" in forms)):
                    continue
                counts[one] += 1
                heads[one][head] += 1
                if two:
                    counts[two] += 1
                    heads[two][head] += 1
                if one not in context:
                    context[one] = " ".join(words[max(0, i - 4): i + 6])
    return counts, heads, context


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--top", type=int, default=300)
    ap.add_argument("--out", type=Path, default=Path("/tmp/mine_places.tsv"))
    args = ap.parse_args()
    counts, heads, context = mine(args.corpus)
    singles = [(n, c) for n, c in counts.most_common() if " " not in n][: args.top]
    # a two-word name is worth a look when it is frequent next to its first word
    pairs = [(n, c) for n, c in counts.most_common() if " " in n and c >= max(3, counts[n.split()[0]] // 2)]
    with args.out.open("w", encoding="utf-8") as out:
        for n, c in singles + pairs[: args.top]:
            hs = ",".join(h for h, _ in heads[n].most_common(3))
            out.write(f"{c}\t{n}\t{hs}\t{context.get(n, '')}\n")
    print(f"{len(singles)} single and {min(len(pairs), args.top)} two-word candidates → {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
