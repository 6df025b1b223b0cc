"""Compile the named-actor table from `resources/ar/actors.yaml`.

Output (`compiled/actors.json`):

    {"entities": [{"id", "name", "country", "sector", "kind"}, ...],
     "forms": {"<normalized Arabic form>": <index into entities>},
     "max_words": <words in the longest form>}

Entities keep the YAML order; a form that two entities claim is an error, so
an ambiguous surface must be removed or given to one entity in the YAML.
Wikidata ids are not kept here but in `wikidata.yaml`, one table for every title hadath names.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from hadath.lexicon.resources import source
from hadath.text.normalize import normalize_key

SECTORS = frozenset("GOV MIL REB PTY COP SPY JUD LEG CVL MED IGO NGO REL BUS REF".split())
KINDS = frozenset({"org", "person", "group", "state"})
_ISO3 = re.compile(r"[A-Z]{3}")


def slug(name: str) -> str:
    """A stable ASCII id from an English title: "Kata'ib Hezbollah" -> "kataib_hezbollah"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_name.replace("'", "").lower()).strip("_")


def check_entry(entry: dict[str, Any]) -> None:
    """Raise ValueError when one YAML entry breaks the schema."""
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"entry without a name: {entry!r}")
    if "wikidata" in entry:
        raise ValueError(f"{name}: Wikidata ids belong in wikidata.yaml, keyed by the title")
    extra = set(entry) - {"name", "country", "sector", "kind", "ar"}
    if extra:
        raise ValueError(f"{name}: unknown keys {sorted(extra)}")
    country = entry.get("country")
    if country is not None and not (isinstance(country, str) and _ISO3.fullmatch(country)):
        raise ValueError(f"{name}: bad country {country!r}")
    if entry.get("sector") not in SECTORS:
        raise ValueError(f"{name}: bad sector {entry.get('sector')!r}")
    if entry.get("kind") not in KINDS:
        raise ValueError(f"{name}: bad kind {entry.get('kind')!r}")
    forms = entry.get("ar")
    if not isinstance(forms, list) or not forms or not all(isinstance(f, str) and f.strip() for f in forms):
        raise ValueError(f"{name}: `ar` must be a non-empty list of strings")


def compile_actors(entries: list[dict[str, Any]]) -> dict[str, Any]:
    """The compiled table from the parsed YAML list (kept apart from I/O for tests)."""
    entities: list[dict[str, Any]] = []
    forms: dict[str, int] = {}
    ids: set[str] = set()
    max_words = 0
    for entry in entries:
        check_entry(entry)
        ident = slug(entry["name"])
        if ident in ids:
            raise ValueError(f"duplicate entity {entry['name']!r}")
        ids.add(ident)
        index = len(entities)
        entities.append({
            "id": ident,
            "name": entry["name"],
            "country": entry.get("country"),
            "sector": entry["sector"],
            "kind": entry["kind"],
        })
        for form in entry["ar"]:
            key = normalize_key(form)
            owner = forms.get(key)
            if owner is not None and owner != index:
                first = entities[owner]["name"]
                raise ValueError(f"form {form!r} claimed by {first!r} and {entry['name']!r}")
            forms[key] = index
            max_words = max(max_words, len(key.split()))
    return {"entities": entities, "forms": dict(sorted(forms.items())), "max_words": max_words}


def build() -> dict[str, Any]:
    return compile_actors(source("actors.yaml"))
