"""Compile triggers.yaml: event trigger lemmas → every inflected surface form.

Output:
  entries: id → {type, mode, cameo, acled, subject, needs, lemma}
  forms:   normalized surface form → sorted [[id, pos], …], pos "verb" | "noun"

`needs` in the YAML lists noun lemmas (expanded here to their definite,
accusative, plural and possessive forms) and `needs_words` literal words
(particles, prepositions); the compiled `needs` is their normalized union: the
matcher keeps a trigger only when one of them follows within three tokens.
`exclude` drops generated forms that collide with common non-event words;
`verb_literal` adds single verb forms as written (to gate one homograph).
"""

from __future__ import annotations

from typing import Any

from hadath.coding.plover import coding
from hadath.lexicon.inflect import noun_forms, participle_forms, plural_forms, verb_forms
from hadath.lexicon.resources import source
from hadath.text.normalize import normalize_key

SUBJECTS = ("source", "target")


class TriggerError(ValueError):
    """A triggers.yaml entry that does not validate."""


def _check(entry: dict[str, Any]) -> None:
    c = coding()
    eid = entry.get("id")
    if entry.get("type") not in c.types:
        raise TriggerError(f"{eid}: unknown type {entry.get('type')!r}")
    if not c.valid_mode(entry["type"], entry.get("mode")):
        raise TriggerError(f"{eid}: mode {entry.get('mode')!r} not allowed for {entry['type']}")
    cameo = entry.get("cameo")
    if not (isinstance(cameo, str) and cameo.isdigit() and 2 <= len(cameo) <= 4):
        raise TriggerError(f"{eid}: CAMEO code must be a 2-4 digit string, got {cameo!r}")
    acled = entry.get("acled")
    if acled is not None and (len(acled) != 2 or not c.valid_acled(*acled)):
        raise TriggerError(f"{eid}: unknown ACLED pair {acled!r}")
    if entry.get("subject", "source") not in SUBJECTS:
        raise TriggerError(f"{eid}: subject must be one of {SUBJECTS}")
    if not (entry.get("verb") or entry.get("nouns") or entry.get("verb_literal")):
        raise TriggerError(f"{eid}: needs a verb or a noun")


def _needs(entry: dict[str, Any]) -> list[str] | None:
    words: set[str] = set()
    for lemma in entry.get("needs") or []:
        words.update(normalize_key(f) for f in noun_forms(lemma))
    for word in entry.get("needs_words") or []:
        words.add(normalize_key(word))
    return sorted(words) or None


def entry_forms(entry: dict[str, Any]) -> list[tuple[str, str]]:
    """(normalized form, pos) pairs of one YAML entry, exclusions applied."""
    exclude = {normalize_key(w) for w in entry.get("exclude") or []}
    out: list[tuple[str, str]] = []
    verb = entry.get("verb") or {}
    if verb:
        out += [(normalize_key(f), "verb") for f in verb_forms(verb.get("past"), verb.get("present"))]
    out += [(normalize_key(f), "verb") for f in entry.get("verb_literal") or []]
    # active participles as circumstantial accusative (قال … مستنكرا): they carry the
    # main clause's subject, so they are read like verbs
    out += [(normalize_key(f), "verb") for p in entry.get("participles") or [] for f in participle_forms(p)]
    for noun in entry.get("nouns") or []:
        out += [(normalize_key(f), "noun") for f in noun_forms(noun)]
    for plural in entry.get("plurals") or []:
        out += [(normalize_key(f), "noun") for f in plural_forms(plural)]
    return [(f, pos) for f, pos in dict.fromkeys(out) if f and f not in exclude]


def compile_entries(data: list[dict[str, Any]]) -> dict[str, Any]:
    entries: dict[str, Any] = {}
    forms: dict[str, set[tuple[str, str]]] = {}
    for entry in data:
        _check(entry)
        eid = entry["id"]
        if eid in entries:
            raise TriggerError(f"duplicate id {eid}")
        verb = entry.get("verb") or {}
        acled = entry.get("acled")
        entries[eid] = {
            "type": entry["type"],
            "mode": entry.get("mode"),
            "cameo": entry["cameo"],
            "acled": {"event_type": acled[0], "sub_event_type": acled[1]} if acled else None,
            "subject": entry.get("subject", "source"),
            "needs": _needs(entry),
            "lemma": verb.get("past") or (entry.get("nouns") or entry["verb_literal"])[0],
        }
        for flag in ("intransitive", "predicate", "object_pronoun_suffices", "needs_count", "candidate_only"):
            if entry.get(flag):
                entries[eid][flag] = True
        for form, pos in entry_forms(entry):
            forms.setdefault(form, set()).add((eid, pos))
    return {
        "entries": entries,
        "forms": {f: [list(r) for r in sorted(readings)] for f, readings in sorted(forms.items())},
    }


def build() -> dict[str, Any]:
    return compile_entries(source("triggers.yaml"))
