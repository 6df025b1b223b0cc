"""Place mentions and their resolution to one gazetteer entry.

A name can denote several places (طرابلس: Libya or Lebanon). Candidates come
best-first from the compiled gazetteer (curated entries, then population); the
country context of the article — countries and places named in it — decides
between them.
"""

from __future__ import annotations

from collections import Counter
from functools import cache

from hadath.doc import Doc, PlaceMention
from hadath.lexicon.matcher import proclitic_readings
from hadath.lexicon.resources import compiled


def find_places(doc: Doc) -> list[PlaceMention]:
    """Longest place names, not overlapping, each resolved to one candidate."""
    matches = sorted((m for m in doc.matches if m.kind == "place"), key=lambda m: (m.first, -(m.last - m.first)))
    context = doc.countries
    places = compiled("places")["places"]
    mentions: list[PlaceMention] = []
    covered = -1
    # «سرايا القدس» is an actor, not Jerusalem: tokens inside a named actor are no place
    in_actor = {k for a in doc.actors if a.named and not a.rule.startswith(("country", "adjective"))
                for k in range(a.first, a.last)}
    for m in matches:
        if m.first < covered or in_actor & set(range(m.first, m.last)):
            continue
        best = max(m.value, key=lambda k: (context.get(places[k]["country"], 0), -m.value.index(k)))
        if _stray(places[best], context):
            continue
        prep = m.proclitic[-1:] if m.proclitic and m.proclitic[-1] in "بل" else None
        k = m.first - 1
        # «في بلدة اليادودة»: the preposition stands before the classifier noun
        while prep is None and k >= 0 and _is_classifier(doc.tokens[k].text):
            k -= 1
        if prep is None and k >= 0:
            prep = doc.tokens[k].text
        mentions.append(PlaceMention(best, m.first, m.last, m.start, m.end, prep))
        covered = m.last
    return mentions


# a town this small, in a country the article never names otherwise, is more likely a word
# that happens to be spelled like it («البريج» in a report from Syria) than the town itself
_STRAY_POPULATION = 100_000


def _stray(place: dict, context: Counter) -> bool:
    if place.get("precision") not in ("city", "point") or (place.get("population") or 0) >= _STRAY_POPULATION:
        return False
    country = place.get("country")
    if not context:
        return False
    home, home_count = context.most_common(1)[0]
    return home != country and home_count >= 3 and context.get(country, 0) <= 1


def _is_classifier(word: str) -> bool:
    return any(r in _classifiers() for r, _ in proclitic_readings(word))


@cache
def _classifiers() -> frozenset[str]:
    return frozenset(compiled("cues")["place_classifiers"])


def article_countries(doc: Doc) -> Counter:
    """How often each country is named in the article (by name, adjective or unambiguous place)."""
    places = compiled("places")["places"]
    named: dict[int, str] = {}  # one vote a word: «السعودية» is both a country name and a place
    for m in doc.matches:
        if m.kind in ("country", "adjective"):
            named[m.first] = m.value
        elif m.kind == "place" and len(m.value) == 1:
            named.setdefault(m.first, places[m.value[0]]["country"])
    return Counter(named.values())


def place_record_fields(index: int) -> dict:
    p = compiled("places")["places"][index]
    return {
        "name": p["name"], "geonameid": p.get("geonameid"), "lat": p["lat"], "lon": p["lon"],
        "country": p.get("country"), "admin1": p.get("admin1"), "precision": p.get("precision", "city"),
    }


def home_country(doc: Doc) -> str | None:
    """The country the article is mostly about: the one named most often."""
    counts = doc.countries
    return counts.most_common(1)[0][0] if counts else None
