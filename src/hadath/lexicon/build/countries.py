"""Compile the country table: names, nationality adjectives and state bodies.

Sources: pycountry's Arabic ISO 3166-1 names (gettext catalogue `iso3166-1`)
and the curated `resources/ar/countries.yaml`. Output (`compiled/countries.json`):

    {"countries": {"SYR": {"name": "Syria", "iso2": "SY", "forces": {...}}},
     "names": {"<key>": "SYR"}, "adjectives": {"<key>": "SYR"}}

A surface form claimed by two countries is an error unless `resolve` in the
YAML names the usual reading, so no collision passes silently.
"""

from __future__ import annotations

import gettext
import re
from typing import Any

from hadath.lexicon.resources import source
from hadath.text.normalize import normalize_key

SECTORS = frozenset("GOV MIL REB PTY COP SPY JUD LEG CVL MED IGO NGO REL BUS REF".split())

# Suffixes of a nisba adjective ending in ي: masc. sg., fem. sg., masc. pl. nom. and
# acc./gen. (also the dual acc./gen.), fem. pl., dual nom. masc. and fem., dual
# acc./gen. fem.
_NISBA_SUFFIXES = ("", "ة", "ون", "ين", "ات", "ان", "تان", "تين")
_ARABIC = re.compile(r"[\u0600-\u06FF]")
_PAREN = re.compile(r"\([^)]*\)")


class CollisionError(ValueError):
    """One surface form read as two countries, with no `resolve` entry."""


def nisba_forms(base: str) -> list[str]:
    """Every gender/number/definiteness form of a nisba adjective such as سوري.

    A multi-word base (كوري جنوبي) inflects each word alike, as Arabic agreement does.
    """
    words = base.split()
    if not words or any(not w.endswith("ي") for w in words):
        raise ValueError(f"nisba base must end in ي: {base!r}")
    forms: list[str] = []
    for suffix in _NISBA_SUFFIXES:
        inflected = [w + suffix for w in words]
        forms.append(" ".join(inflected))
        forms.append(" ".join("ال" + w for w in inflected))
    return forms


def pycountry_forms(text: str) -> list[str]:
    """Usable name forms from one pycountry Arabic string.

    The catalogue writes inverted names ("إيران، الجمهورية الإسلامية الإيرانية"),
    parenthesised glosses and a detached و ("البوسنة و الهرسك"); news does none of that.
    """
    if not _ARABIC.search(text):
        return []  # untranslated entries stay in Latin script
    text = _PAREN.sub(" ", text)
    out: list[str] = []
    for part in text.split("،"):
        part = " ".join(part.split())
        if not part:
            continue
        out.append(part)
        if " و " in part:
            out.append(part.replace(" و ", " و"))
    return out


def _arabic_catalogue() -> tuple[Any, Any]:
    import pycountry  # build-time dependency only

    return pycountry, gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])


def _claim(table: dict[str, set[str]], form: str, code: str) -> None:
    key = normalize_key(form)
    if key:
        table.setdefault(key, set()).add(code)


def _settle(table: dict[str, set[str]], resolve: dict[str, str], what: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, codes in sorted(table.items()):
        if key in resolve and len(codes) > 1:
            if resolve[key] not in codes:
                raise CollisionError(f"{what} {key!r}: resolved to {resolve[key]}, not among {sorted(codes)}")
            out[key] = resolve[key]
        elif len(codes) == 1:
            out[key] = next(iter(codes))
        else:
            raise CollisionError(f"{what} {key!r} claimed by {sorted(codes)}; add it to `resolve`")
    return out


def compile_countries(data: dict[str, Any]) -> dict[str, Any]:
    """The compiled table from parsed countries.yaml (separate from I/O for tests)."""
    pycountry, tr = _arabic_catalogue()
    curated: dict[str, dict[str, Any]] = data.get("countries") or {}
    drop = {normalize_key(f) for f in data.get("drop") or {}}
    resolve = {normalize_key(f): code for f, code in (data.get("resolve") or {}).items()}

    unknown = sorted(set(curated) - {c.alpha_3 for c in pycountry.countries})
    if unknown:
        raise ValueError(f"not ISO 3166-1 alpha-3: {unknown}")

    countries: dict[str, Any] = {}
    names: dict[str, set[str]] = {}
    adjectives: dict[str, set[str]] = {}
    for c in pycountry.countries:
        code = c.alpha_3
        entry = curated.get(code) or {}
        row: dict[str, Any] = {
            "name": entry.get("name") or getattr(c, "common_name", None) or c.name,
            "iso2": c.alpha_2,
            "forces": dict(sorted((entry.get("forces") or {}).items())),
        }
        for extra in ("air", "navy", "security"):
            if entry.get(extra):
                row[extra] = entry[extra]
        countries[code] = row

        for english in {c.name, getattr(c, "official_name", None)} - {None}:
            for form in pycountry_forms(tr.gettext(english)):
                if normalize_key(form) not in drop:
                    _claim(names, form, code)
        for form in entry.get("ar") or []:
            _claim(names, form, code)
        for base in entry.get("adj") or []:
            for form in nisba_forms(base):
                _claim(adjectives, form, code)
        for form in entry.get("adj_forms") or []:
            _claim(adjectives, form, code)

    for code, row in countries.items():
        bad = sorted(set(row["forces"]) - SECTORS)
        if bad:
            raise ValueError(f"{code}: unknown sector keys {bad}")

    stale = sorted(k for k in resolve if len(names.get(k, ())) < 2 and len(adjectives.get(k, ())) < 2)
    if stale:
        raise ValueError(f"`resolve` entries that resolve no collision: {stale}")
    names_out = _settle(names, resolve, "name")
    adjectives_out = _settle(adjectives, resolve, "adjective")
    # a key in both tables must agree, or one lookup would contradict the other
    for key in sorted(names_out.keys() & adjectives_out.keys()):
        if names_out[key] != adjectives_out[key]:
            raise CollisionError(f"{key!r} is a name of {names_out[key]} and an adjective of "
                                 f"{adjectives_out[key]}")
    missing = sorted(set(countries) - set(names_out.values()))
    if missing:
        raise ValueError(f"countries without an Arabic name: {missing}")
    return {"countries": countries, "names": names_out, "adjectives": adjectives_out}


def build() -> dict[str, Any]:
    return compile_countries(source("countries.yaml"))
