"""Compile the Wikidata id table from `resources/ar/wikidata.yaml`.

Output (`compiled/wikidata.json`): {"ids": {"<English Wikipedia title>": "Q<digits>"}}.

One id belongs to one title: two titles with the same id are one entity written twice, an error
to settle in the YAML.
"""

from __future__ import annotations

import re
from typing import Any

from hadath.lexicon.resources import source

_QID = re.compile(r"Q[1-9]\d*")


def compile_wikidata(table: dict[str, Any]) -> dict[str, Any]:
    """The compiled table from the parsed YAML mapping (kept apart from I/O for tests)."""
    if not isinstance(table, dict):
        raise ValueError("wikidata.yaml must map English Wikipedia titles to Q-ids")
    owners: dict[str, str] = {}
    for title, qid in table.items():
        if not (isinstance(title, str) and title.strip()):
            raise ValueError(f"bad title {title!r}")
        if not (isinstance(qid, str) and _QID.fullmatch(qid)):
            raise ValueError(f"{title}: bad wikidata id {qid!r}")
        if qid in owners:
            raise ValueError(f"{qid} is the id of both {owners[qid]!r} and {title!r}")
        owners[qid] = title
    return {"ids": dict(sorted(table.items()))}


def build() -> dict[str, Any]:
    return compile_wikidata(source("wikidata.yaml"))
