"""The Parquet tables: `ArticleRecord`s flattened into articles, events and failures, and back.

Three tables, one row per thing:
- articles: every article that was coded (error is null), with its event count;
- failures: every article that could not be coded, with the reason;
- events: one row per event, the fields analysts filter on as plain columns, and
  the whole event as the contract's JSON in `event_json`, so nothing is lost.

Articles plus failures hold every input exactly once. `records_from_tables`
rebuilds the very `ArticleRecord`s that were written (events in their order).
"""

from __future__ import annotations

from datetime import date

import pyarrow as pa

from hadath.records import ArticleInfo, ArticleRecord, Event

_STR_LIST = pa.list_(pa.string())

ARTICLES = pa.schema([
    ("article_id", pa.string()),
    ("url", pa.string()),
    ("source", pa.string()),
    ("title", pa.string()),
    ("published", pa.date32()),
    ("language", pa.string()),
    ("n_events", pa.int32()),
    ("warnings", _STR_LIST),
    ("error", pa.string()),
    ("error_kind", pa.string()),  # the error's class, e.g. EmptyArticle (failures only)
    ("partition", pa.string()),
    ("seq", pa.int32()),  # position in the partition's input: ids may repeat, (partition, seq) does not
])
FAILURES = ARTICLES

EVENTS = pa.schema([
    ("article_id", pa.string()),
    ("event_index", pa.int32()),  # position in the article's record
    ("partition", pa.string()),
    ("seq", pa.int32()),  # the article's (partition, seq)
    ("event_id", pa.string()),
    ("event_type", pa.string()),
    ("mode", pa.string()),
    ("cameo", pa.string()),
    ("acled_event_type", pa.string()),
    ("acled_sub_event_type", pa.string()),
    ("source_names", _STR_LIST),
    ("source_countries", _STR_LIST),
    ("source_sectors", _STR_LIST),
    ("target_names", _STR_LIST),
    ("target_countries", _STR_LIST),
    ("target_sectors", _STR_LIST),
    ("place", pa.string()),
    ("country", pa.string()),
    ("admin1", pa.string()),
    ("geonameid", pa.int64()),
    ("lat", pa.float64()),
    ("lon", pa.float64()),
    ("place_precision", pa.string()),
    ("date_start", pa.date32()),
    ("date_end", pa.date32()),
    ("date_precision", pa.string()),
    ("killed", pa.int64()),
    ("injured", pa.int64()),
    ("arrested", pa.int64()),
    ("speaker", pa.string()),
    ("confidence", pa.float64()),
    ("evidence_start", pa.int64()),
    ("evidence_end", pa.int64()),
    ("trigger", pa.string()),
    ("published", pa.date32()),  # the article's, repeated: events are mostly queried by time
    ("event_json", pa.string()),
])


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None  # not a plain day; the exact value stays in event_json


def article_row(record: ArticleRecord, partition: str, seq: int) -> dict:
    a = record.article
    kind = record.error.split(":", 1)[0] if record.error else None
    return {"article_id": a.id, "url": a.url, "source": a.source, "title": a.title, "published": _day(a.published),
            "language": a.language, "n_events": len(record.events), "warnings": list(record.warnings),
            "error": record.error, "error_kind": kind, "partition": partition, "seq": seq}


def event_row(article: ArticleInfo, partition: str, seq: int, index: int, e: Event) -> dict:
    loc, when, cas = e.location, e.date, e.casualties
    return {
        "article_id": article.id, "event_index": index, "partition": partition, "seq": seq, "event_id": e.id,
        "event_type": e.event_type, "mode": e.mode, "cameo": e.cameo,
        "acled_event_type": e.acled.event_type if e.acled else None,
        "acled_sub_event_type": e.acled.sub_event_type if e.acled else None,
        "source_names": [a.name for a in e.source], "source_countries": [a.country for a in e.source],
        "source_sectors": [a.sector for a in e.source],
        "target_names": [a.name for a in e.target], "target_countries": [a.country for a in e.target],
        "target_sectors": [a.sector for a in e.target],
        "place": loc.name if loc else None, "country": loc.country if loc else None,
        "admin1": loc.admin1 if loc else None, "geonameid": loc.geonameid if loc else None,
        "lat": loc.lat if loc else None, "lon": loc.lon if loc else None,
        "place_precision": loc.precision if loc else None,
        "date_start": _day(when.start) if when else None, "date_end": _day(when.end) if when else None,
        "date_precision": when.precision if when else None,
        "killed": cas.killed.value if cas.killed else None, "injured": cas.injured.value if cas.injured else None,
        "arrested": cas.arrested.value if cas.arrested else None,
        "speaker": e.attribution.speaker.name if e.attribution and e.attribution.speaker else None,
        "confidence": e.confidence, "evidence_start": e.evidence.span[0], "evidence_end": e.evidence.span[1],
        "trigger": e.evidence.trigger, "published": _day(article.published),
        "event_json": e.model_dump_json(),
    }


def tables(records: list[ArticleRecord], partition: str) -> tuple[pa.Table, pa.Table, pa.Table]:
    """(articles, events, failures) of one partition's records."""
    coded = [article_row(r, partition, n) for n, r in enumerate(records) if r.error is None]
    failed = [article_row(r, partition, n) for n, r in enumerate(records) if r.error is not None]
    events = [event_row(r.article, partition, n, i, e) for n, r in enumerate(records) for i, e in enumerate(r.events)]
    return (pa.Table.from_pylist(coded, schema=ARTICLES), pa.Table.from_pylist(events, schema=EVENTS),
            pa.Table.from_pylist(failed, schema=FAILURES))


def records_from_tables(articles: pa.Table, events: pa.Table, failures: pa.Table) -> list[ArticleRecord]:
    """The records written, rebuilt from the three tables, in (partition, input position) order."""
    by_article: dict[tuple[str, int], list[tuple[int, str]]] = {}
    cols = [events.column(c).to_pylist() for c in ("partition", "seq", "event_index", "event_json")]
    for part, seq, idx, js in zip(*cols, strict=True):
        by_article.setdefault((part, seq), []).append((idx, js))
    rows = sorted(articles.to_pylist() + failures.to_pylist(), key=lambda r: (r["partition"], r["seq"]))
    out = []
    for row in rows:
        info = ArticleInfo(id=row["article_id"], url=row["url"], source=row["source"], title=row["title"],
                           published=row["published"].isoformat() if row["published"] else None,
                           language=row["language"])
        evs = [Event.model_validate_json(js) for _, js in sorted(by_article.get((row["partition"], row["seq"]), []))]
        out.append(ArticleRecord(article=info, events=evs, warnings=row["warnings"], error=row["error"]))
    return out
