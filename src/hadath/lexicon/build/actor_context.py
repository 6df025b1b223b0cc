"""Compile actor_context.yaml: entity id → {home country: entity id it becomes there}, and the
forms that name an actor only in news about some countries (or, for some, in news that names
the actor's country and none of a list of others)."""

from __future__ import annotations

from hadath.lexicon.resources import source
from hadath.text.normalize import normalize_key


def build() -> dict:
    table: dict[str, dict[str, str]] = {}
    only: dict[str, list[str]] = {}
    named: dict[str, list[str]] = {}
    for rule in source("actor_context.yaml"):
        if "form" in rule:
            only[normalize_key(rule["form"])] = sorted(rule["only_home"])
            if "or_named_unless" in rule:
                named[normalize_key(rule["form"])] = sorted(rule["or_named_unless"])
            continue
        for iso3 in rule["home"]:
            table.setdefault(rule["entity"], {})[iso3] = rule["becomes"]
    return {"rules": table, "forms_only_in": only, "forms_named_unless": named}
