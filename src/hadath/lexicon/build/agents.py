"""Compile the generic agent nouns from `resources/ar/agents.yaml`.

Agents are nouns such as الجيش, الشرطة, مسلحون that name an actor only
together with a country (الجيش السوري, الشرطة التركية) or as an unnamed party
(مسلحون مجهولون). Output (`compiled/agents.json`):

    {"agents": [{"id", "sector", "en", "air", "navy", "security", "needs_country"?}, ...],
     "forms": {"<normalized form>": <index>}, "max_words": N}

Forms are expanded by two rules so the YAML lists each word once:
* `stems` are masculine singulars taking sound endings (مسلح -> مسلحة مسلحان
  مسلحتان مسلحتين مسلحون مسلحين مسلحات);
* every form gets its definite / indefinite twin when all its words agree
  (المسلحون <-> مسلحون, مسلحون مجهولون <-> المسلحون المجهولون); a construct
  phrase (رجال الأمن) has mixed definiteness and stays as written.
"""

from __future__ import annotations

from typing import Any

from hadath.lexicon.resources import source
from hadath.text.normalize import normalize_key

SECTORS = frozenset("GOV MIL REB PTY COP SPY JUD LEG CVL MED IGO NGO REL BUS REF".split())
_SOUND_SUFFIXES = ("", "ة", "ان", "تان", "تين", "ون", "ين", "ات")
_KEYS = {"id", "sector", "en", "forms", "stems", "air", "navy", "security", "fixed", "needs_country"}


def sound_forms(stem: str) -> list[str]:
    """Gender and number forms of a singular that takes sound endings (each word alike)."""
    words = stem.split()
    return [" ".join(w + suffix for w in words) for suffix in _SOUND_SUFFIXES]


def definiteness_twins(form: str) -> list[str]:
    """The form and, when all its words agree in definiteness, its opposite."""
    words = form.split()
    if all(w.startswith("ال") and len(w) > 3 for w in words):
        return [form, " ".join(w[2:] for w in words)]
    if not any(w.startswith("ال") for w in words):
        return [form, " ".join("ال" + w for w in words)]
    return [form]


def expand(entry: dict[str, Any]) -> list[str]:
    """Every surface form of one agent entry, in a stable order."""
    base = list(entry.get("forms") or [])
    for stem in entry.get("stems") or []:
        base.extend(sound_forms(stem))
    if entry.get("fixed"):
        return base
    out: list[str] = []
    for form in base:
        out.extend(definiteness_twins(form))
    return out


def compile_agents(entries: list[dict[str, Any]]) -> dict[str, Any]:
    agents: list[dict[str, Any]] = []
    forms: dict[str, int] = {}
    max_words = 0
    for entry in entries:
        ident = entry.get("id")
        extra = set(entry) - _KEYS
        if extra:
            raise ValueError(f"{ident}: unknown keys {sorted(extra)}")
        if entry.get("sector") not in SECTORS:
            raise ValueError(f"{ident}: bad sector {entry.get('sector')!r}")
        if not entry.get("en") or not (entry.get("forms") or entry.get("stems")):
            raise ValueError(f"{ident}: needs `en` and some forms")
        if any(a["id"] == ident for a in agents):
            raise ValueError(f"duplicate agent id {ident!r}")
        index = len(agents)
        agents.append({
            "id": ident,
            "sector": entry["sector"],
            "en": entry["en"],
            "air": bool(entry.get("air", False)),
            "navy": bool(entry.get("navy", False)),
            "security": bool(entry.get("security", False)),
        })
        if entry.get("needs_country"):
            agents[-1]["needs_country"] = True
        for form in expand(entry):
            key = normalize_key(form)
            owner = forms.get(key)
            if owner is not None and owner != index:
                raise ValueError(f"form {form!r} claimed by agents {agents[owner]['id']!r} and {ident!r}")
            forms[key] = index
            max_words = max(max_words, len(key.split()))
    return {"agents": agents, "forms": dict(sorted(forms.items())), "max_words": max_words}


def build() -> dict[str, Any]:
    return compile_agents(source("agents.yaml"))
