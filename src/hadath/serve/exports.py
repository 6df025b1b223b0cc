"""Exports of a filtered set of canonical events: ACLED-style CSV, PLOVER JSON lines, GeoJSON, Parquet.

Each export row is one canonical event (one real-world happening) with its
sources, built from the same `EventFilter` the API lists with.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections import Counter
from collections.abc import Iterator
from functools import cache

from sqlalchemy.engine import Connection

from hadath.store.query import EventFilter, iter_events, sources_of

# ACLED's 31 export columns, in ACLED's order
ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]
# ACLED actor types ("inter" codes) by CAMEO sector
_INTER = {"GOV": 1, "MIL": 1, "COP": 1, "SPY": 1, "JUD": 1, "LEG": 1, "REB": 2, "PTY": 3,
          "CVL": 7, "MED": 7, "REF": 7, "REL": 7, "BUS": 7, "IGO": 8, "NGO": 8}
_DISORDER = {"Battles": "Political violence", "Explosions/Remote violence": "Political violence",
             "Violence against civilians": "Political violence", "Protests": "Demonstrations",
             "Riots": "Political violence; Demonstrations", "Strategic developments": "Strategic developments"}
_TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}
_GEO_PRECISION = {"point": 1, "city": 1, "admin1": 2, "country": 3, "region": 3}


def enriched(conn: Connection, f: EventFilter, chunk: int = 500) -> Iterator[dict]:
    """Canonical events with their member records, in chunks (one query for the members of each chunk)."""
    batch: list[dict] = []
    for ev in iter_events(conn, f):
        batch.append(ev)
        if len(batch) >= chunk:
            yield from _with_sources(conn, batch)
            batch = []
    if batch:
        yield from _with_sources(conn, batch)


def _with_sources(conn: Connection, batch: list[dict]) -> Iterator[dict]:
    srcs = sources_of(conn, [e["id"] for e in batch])
    for e in batch:
        e["sources"] = srcs[e["id"]]
        yield e


def _actors(ev: dict, role: str) -> list[dict]:
    """The event's actors in a role, most often named across its sources first."""
    counts: Counter = Counter()
    first: dict[str, dict] = {}
    for s in ev["sources"]:
        for a in s["record"].get(role, []):
            counts[a["name"]] += 1
            first.setdefault(a["name"], a)
    return [first[n] for n, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _acled(ev: dict) -> tuple[str, str]:
    kinds = Counter((s["record"]["acled"]["event_type"], s["record"]["acled"].get("sub_event_type") or "")
                    for s in ev["sources"] if s["record"].get("acled"))
    return sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if kinds else ("", "")


@cache
def _country_names() -> dict[str, str]:
    from hadath.lexicon.resources import compiled

    return {iso3: c["name"] for iso3, c in compiled("countries")["countries"].items()}


def acled_row(ev: dict) -> dict:
    acled_type, sub_type = _acled(ev)
    sources, targets = _actors(ev, "source"), _actors(ev, "target")
    inter1 = _INTER.get(sources[0].get("sector") or "", "") if sources else ""
    inter2 = _INTER.get(targets[0].get("sector") or "", "") if targets else ""
    if ev["event_type"] == "PROTEST" and sources:
        inter1 = 6  # protesters
    interaction = int("".join(str(i) for i in sorted((inter1, inter2)))) if inter1 and inter2 else inter1 or ""
    tags = [f"{k}={ev[k]}" for k in ("injured", "arrested") if ev.get(k)]
    tags.append(f"sources={ev['n_sources']}")
    return {
        "event_id_cnty": ev["id"], "event_date": ev["date_start"] or "",
        "year": ev["date_start"][:4] if ev["date_start"] else "",
        "time_precision": _TIME_PRECISION.get(ev["date_precision"] or "", ""),
        "disorder_type": _DISORDER.get(acled_type, ""), "event_type": acled_type, "sub_event_type": sub_type,
        "actor1": sources[0]["name"] if sources else "", "assoc_actor_1": "; ".join(a["name"] for a in sources[1:]),
        "inter1": inter1, "actor2": targets[0]["name"] if targets else "",
        "assoc_actor_2": "; ".join(a["name"] for a in targets[1:]), "inter2": inter2, "interaction": interaction,
        "civilian_targeting": "Civilian targeting"
        if ev["event_type"] == "ASSAULT" and any(a.get("sector") == "CVL" for a in targets) else "",
        "iso": "", "region": "", "country": _country_names().get(ev["country"] or "", ev["country"] or ""),
        "admin1": ev["admin1"] or "", "admin2": "", "admin3": "", "location": ev["place_name"] or "",
        "latitude": ev["lat"] if ev["lat"] is not None else "", "longitude": ev["lon"] if ev["lon"] is not None else "",
        "geo_precision": _GEO_PRECISION.get(ev["place_precision"] or "", ""),
        "source": "; ".join(sorted({s["source"] for s in ev["sources"] if s["source"]})), "source_scale": "",
        "notes": ev["title"], "fatalities": ev["killed"] or 0, "tags": "; ".join(tags), "timestamp": int(time.time()),
    }


def acled_csv(conn: Connection, f: EventFilter) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=ACLED_COLUMNS)
    writer.writeheader()
    for ev in enriched(conn, f):
        writer.writerow(acled_row(ev))
        if buf.tell() > 64_000:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def plover_record(ev: dict) -> dict:
    """One happening in PLOVER terms: event, mode, actor and recipient, where, when, with its reports."""
    sources, targets = _actors(ev, "source"), _actors(ev, "target")
    return {
        "id": ev["id"], "date": ev["date_start"], "date_end": ev["date_end"], "event": ev["event_type"],
        "mode": ev["mode"], "context": [],
        "actor": sources[0]["name"] if sources else None,
        "actor_country": sources[0].get("country") if sources else None,
        "actor_sector": sources[0].get("sector") if sources else None,
        "recipient": targets[0]["name"] if targets else None,
        "recipient_country": targets[0].get("country") if targets else None,
        "recipient_sector": targets[0].get("sector") if targets else None,
        "actors": [a["name"] for a in sources], "recipients": [a["name"] for a in targets],
        "geolocation": None if ev["lat"] is None else {
            "placename": ev["place_name"], "lat": ev["lat"], "lon": ev["lon"], "country": ev["country"],
            "admin1": ev["admin1"], "precision": ev["place_precision"]},
        "fatalities": ev["killed"], "injured": ev["injured"], "arrested": ev["arrested"],
        "confidence": ev["confidence"], "title": ev["title"], "provenance": ev["provenance"],
        "reports": [{"event_id": s["id"], "article_id": s["article_id"], "outlet": s["source"], "url": s["url"],
                     "published": s["published"], "text": s["sentence"], "trigger": s["trigger"]}
                    for s in ev["sources"]],
    }


def plover_jsonl(conn: Connection, f: EventFilter) -> Iterator[str]:
    for ev in enriched(conn, f):
        yield json.dumps(plover_record(ev), ensure_ascii=False) + "\n"


def geojson(conn: Connection, f: EventFilter) -> Iterator[str]:
    """A FeatureCollection of the events that have a place (streamed)."""
    yield '{"type": "FeatureCollection", "features": ['
    first = True
    for ev in enriched(conn, f):
        if ev["lat"] is None:
            continue
        props = {k: v for k, v in plover_record(ev).items() if k != "geolocation"}
        props.update(place_name=ev["place_name"], country=ev["country"], n_sources=ev["n_sources"])
        point = {"type": "Point", "coordinates": [ev["lon"], ev["lat"]]}
        feature = {"type": "Feature", "id": ev["id"], "geometry": point, "properties": props}
        yield ("" if first else ",") + json.dumps(feature, ensure_ascii=False)
        first = False
    yield "]}\n"


def parquet(conn: Connection, f: EventFilter) -> bytes:
    """The ACLED columns plus the PLOVER type and mode, one row per event, as a Parquet file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = []
    for ev in enriched(conn, f):
        row = acled_row(ev)
        row.update(plover_event=ev["event_type"], plover_mode=ev["mode"], n_sources=ev["n_sources"],
                   injured=ev["injured"], confidence=ev["confidence"])
        for k in ("latitude", "longitude"):
            row[k] = None if row[k] == "" else float(row[k])
        for k in ("year", "time_precision", "inter1", "inter2", "interaction", "geo_precision"):
            row[k] = None if row[k] == "" else int(row[k])
        rows.append(row)
    schema = pa.schema([(c, pa.string()) for c in ACLED_COLUMNS])
    types = {"year": pa.int32(), "time_precision": pa.int8(), "inter1": pa.int8(), "inter2": pa.int8(),
             "interaction": pa.int16(), "latitude": pa.float64(), "longitude": pa.float64(),
             "geo_precision": pa.int8(), "fatalities": pa.int32(), "timestamp": pa.int64()}
    fields = [pa.field(c, types.get(c, pa.string())) for c in ACLED_COLUMNS]
    fields += [pa.field("plover_event", pa.string()), pa.field("plover_mode", pa.string()),
               pa.field("n_sources", pa.int32()), pa.field("injured", pa.int32()), pa.field("confidence", pa.float64())]
    schema = pa.schema(fields)
    table = pa.Table.from_pylist(rows, schema=schema)
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()
