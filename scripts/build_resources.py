#!/usr/bin/env python3
"""Rebuild every compiled resource table from the reviewed sources.

    python scripts/build_resources.py [--check]

Runs `build()` of each module in `hadath.lexicon.build` and writes
`src/hadath/resources/compiled/<module>.json`. With --check, writes nothing
and exits 1 if any committed table differs from a fresh build.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import hadath.lexicon.build as builders  # noqa: E402

OUT = ROOT / "src" / "hadath" / "resources" / "compiled"


def render(table: dict) -> str:
    return json.dumps(table, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("kinds", nargs="*", help="only these builders")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    stale = []
    for info in pkgutil.iter_modules(builders.__path__):
        if args.kinds and info.name not in args.kinds:
            continue
        module = importlib.import_module(f"hadath.lexicon.build.{info.name}")
        text = render(module.build())
        target = OUT / f"{info.name}.json"
        if args.check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                stale.append(info.name)
        else:
            target.write_text(text, encoding="utf-8")
            print(f"{target.relative_to(ROOT)}: {len(text):,} bytes")
    if stale:
        print("stale compiled tables (run scripts/build_resources.py):", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
