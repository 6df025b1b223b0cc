"""One pass over the tokens finds every lexicon entry, whatever its kind.

All compiled tables (actors, agents, countries, places, triggers, cues) are
merged into one dictionary from normalized form to entries. Matching walks the
tokens once; at each token it tries the token as written and without its
proclitics (و ف, then ب ك ل, with لل read as ال), and extends to longer forms
only while the words so far are the start of some multi-word form. Work per
article is thus linear in its length, with a handful of dict look-ups a token.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any, NamedTuple

from hadath.lexicon.resources import compiled
from hadath.text.segment import Token


class Match(NamedTuple):  # a tuple: an article has thousands, and a tuple is made several times faster
    kind: str  # actor | agent | country | adjective | place | trigger | cue:<name> | casualty:<kind>
    value: Any  # index or id into the compiled table of that kind
    first: int  # token index of the first word
    last: int  # token index after the last word
    start: int  # normalized-text offset, after any proclitic
    end: int
    proclitic: str  # what was stripped from the first word: "", "و", "ب", "لل", "وب" …
    form: str  # the lexicon form that matched


class Lexicon:
    def __init__(self, entries: Iterable[tuple[str, str, Any]]):
        self.forms: dict[str, list[tuple[str, Any]]] = {}
        self.prefixes: set[str] = set()
        self._readings: dict[str, tuple[tuple[str, str, tuple[tuple[str, Any], ...], bool], ...]] = {}
        for form, kind, value in entries:
            if not form:
                continue
            self.forms.setdefault(form, []).append((kind, value))
            words = form.split(" ")
            for k in range(1, len(words)):
                self.prefixes.add(" ".join(words[:k]))

    def match(self, tokens: list[Token]) -> list[Match]:
        found: list[Match] = []
        forms, prefixes, readings_of = self.forms, self.prefixes, self._readings
        n = len(tokens)
        for i in range(n):
            tok = tokens[i]
            readings = readings_of.get(tok.text)
            if readings is None:
                readings = self._read(tok.text)
            for head, clitic, hits, longer in readings:
                start = tok.start + len(clitic)
                for kind, value in hits:
                    found.append(Match(kind, value, i, i + 1, start, tok.end, clitic, head))
                if not longer or i + 1 >= n:
                    continue
                # a multi-word form may start here: extend while the words so far begin one
                key = head + " " + tokens[i + 1].text
                j = i + 1
                while True:
                    for kind, value in forms.get(key, ()):
                        found.append(Match(kind, value, i, j + 1, start, tokens[j].end, clitic, key))
                    j += 1
                    if j >= n or key not in prefixes:
                        break
                    key = key + " " + tokens[j].text
        return found

    def _read(self, word: str) -> tuple[tuple[str, str, tuple[tuple[str, Any], ...], bool], ...]:
        """Each reading of a word (its proclitics taken off or not), with the entries it is and whether
        a longer form starts with it; kept, as the same words come back in every article."""
        readings = tuple((head, clitic, tuple(self.forms.get(head, ())), head in self.prefixes)
                         for head, clitic in proclitic_readings(word))
        if len(self._readings) < 50_000:  # the words met first, mostly the frequent ones
            self._readings[word] = readings
        return readings


_CONJ = ("و", "ف")
_PREP = ("ب", "ك", "ل")


@lru_cache(maxsize=1 << 16)
def proclitic_readings(word: str) -> tuple[tuple[str, str], ...]:
    """The word, and what is left when its proclitics are taken off (stem ≥ 2 letters)."""
    readings = [(word, "")]
    rest, conj = word, ""
    if len(word) > 2 and word[0] in _CONJ:
        rest, conj = word[1:], word[0]
        readings.append((rest, conj))
    if len(rest) > 2 and rest[0] in _PREP:
        if rest.startswith("لل") and len(rest) > 3:
            readings.append(("ال" + rest[2:], conj + "لل"))
        else:
            readings.append((rest[1:], conj + rest[0]))
    if len(rest) > 3 and rest[0] == "س" and rest[1] in "يتنا":
        readings.append((rest[1:], conj + "س"))  # future marker on a present verb
    return tuple(readings)


@cache
def default_lexicon() -> Lexicon:
    """Everything the pipeline looks up, merged; built once per process."""
    return Lexicon(_all_entries())


def _all_entries() -> Iterable[tuple[str, str, Any]]:
    actors = compiled("actors")
    for form, index in actors["forms"].items():
        yield form, "actor", index
    agents = compiled("agents")
    for form, index in agents["forms"].items():
        yield form, "agent", index
    countries = compiled("countries")
    for form, iso3 in countries["names"].items():
        yield form, "country", iso3
    for form, iso3 in countries["adjectives"].items():
        yield form, "adjective", iso3
    places = compiled("places")
    for form, indices in places["forms"].items():
        yield form, "place", tuple(indices)
    triggers = compiled("triggers")
    for form, readings in triggers["forms"].items():
        for trigger_id, pos in readings:
            yield form, "trigger", (trigger_id, pos)
    cues = compiled("cues")
    for name, value in cues.items():
        if name == "casualties":
            for kind, words in value.items():
                for w in words:
                    yield w, f"casualty:{kind}", kind
        elif isinstance(value, list):
            for w in value:
                yield w, f"cue:{name}", w
        else:
            for w, label in value.items():
                yield w, f"cue:{name}", label
