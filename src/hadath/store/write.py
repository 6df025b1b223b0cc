"""Writing records into the store: idempotent, one transaction per small batch.

An article is new unless its id, or its normalized body, is already stored —
then it is skipped. Every input ends in `articles` (coded) or in `failures`
(why not), so a batch of N inputs always accounts for N rows across the two
tables, and re-running the same input adds nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from itertools import islice
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from hadath import __version__
from hadath.pipeline import article_id
from hadath.records import ArticleRecord, Event
from hadath.store.schema import articles, event_actors, events, evidence, failures
from hadath.store.search import search_text

BATCH = 200


@dataclass(slots=True)
class Entry:
    """One input on its way into the store: the key facts known before coding, the record after."""

    id: str  # the article id: given, else the body key
    body: str | None
    body_key: str | None
    origin: str | None = None
    record: ArticleRecord | None = None
    failure: str | None = None  # set when the input cannot be coded (reading failed, duplicate…)
    item: Any = None  # the ArticleInput to code
    search: str | None = None  # the full-text index's words, when the coder computed them
    kind: str = "input"  # input | article | failure (what `hadath recode` is redoing)
    stored_key: str | None = None  # key of the failure row being retried


@dataclass(slots=True)
class Outcome:
    coded: int = 0
    failed: int = 0
    skipped: int = 0
    events: int = 0
    new_event_ids: list[str] = field(default_factory=list)

    def add(self, other: Outcome) -> None:
        self.coded += other.coded
        self.failed += other.failed
        self.skipped += other.skipped
        self.events += other.events
        self.new_event_ids += other.new_event_ids


def body_key(body: str | None) -> str | None:
    return article_id(body) if body and body.strip() else None


def failure_key(entry: Entry) -> str:
    return entry.id or entry.origin or "?"


def classify(conn: Connection, entries: list[Entry]) -> tuple[list[Entry], int]:
    """Drop what is already stored; mark duplicates as failures. Returns (to handle, skipped)."""
    ids = {e.id for e in entries}
    keys = {e.body_key for e in entries if e.body_key}
    have_ids = set(conn.execute(select(articles.c.id).where(articles.c.id.in_(ids))).scalars())
    have_keys = dict(conn.execute(select(articles.c.body_key, articles.c.id)
                                  .where(articles.c.body_key.in_(keys))).all())
    fkeys = {failure_key(e) for e in entries} | {f"{e.id}#{e.body_key}" for e in entries}
    have_failures = set(conn.execute(select(failures.c.key).where(failures.c.key.in_(fkeys))).scalars())
    todo: list[Entry] = []
    skipped = 0
    for e in entries:
        if e.failure is None and e.id in have_ids:
            if e.body_key is None or have_keys.get(e.body_key) == e.id:
                skipped += 1  # already coded: the same article again
                continue
            # same id, other text: keep the first, say so once
            e.failure = f"DuplicateId: article id {e.id!r} is already stored with a different text"
            e.id = f"{e.id}#{e.body_key}"
        elif e.failure is None and e.body_key in have_keys:
            e.failure = f"DuplicateArticle: same text as article {have_keys[e.body_key]!r}"
        if failure_key(e) in have_failures:
            skipped += 1
            continue
        todo.append(e)
        if e.failure is None:  # later entries of this batch see this one
            have_ids.add(e.id)
            if e.body_key:
                have_keys[e.body_key] = e.id
        have_failures.add(failure_key(e))
    return todo, skipped


def store(conn: Connection, entries: list[Entry]) -> Outcome:
    """Insert classified entries (coded or failed) in the caller's transaction."""
    now = _now()
    out = Outcome()
    art_rows, ev_rows, actor_rows, span_rows, fail_rows = [], [], [], [], []
    for e in entries:
        rec = e.record
        reason = e.failure or (rec.error if rec is not None else "not coded")
        if e.failure is not None or rec is None or rec.error:
            fail_rows.append({"key": failure_key(e), "article_id": rec.article.id if rec else e.id,
                              "origin": e.origin, "reason": reason, "body": e.body, "failed_at": now})
            out.failed += 1
            continue
        art_rows.append(article_row(rec, e.body, e.body_key, now, e.search))
        for ev in rec.events:
            row, actors, spans = event_rows(rec.article.id, ev)
            ev_rows.append(row)
            actor_rows += actors
            span_rows += spans
            out.new_event_ids.append(row["id"])
        out.coded += 1
        out.events += len(rec.events)
    for table, rows in ((articles, art_rows), (events, ev_rows), (event_actors, actor_rows),
                        (evidence, span_rows), (failures, fail_rows)):
        if rows:
            conn.execute(table.insert(), rows)
    return out


def article_row(rec: ArticleRecord, body: str | None, key: str | None, now: datetime,
                search: str | None = None) -> dict:
    a = rec.article
    if search is None:
        search = search_text(body, a.title, labels(rec))
    return {"id": a.id, "body_key": key, "url": a.url, "source": a.source, "title": a.title,
            "published": _date(a.published), "language": a.language, "body": body, "warnings": list(rec.warnings),
            "n_events": len(rec.events), "search_text": search,
            "coder_version": __version__, "coded_at": now}


def labels(rec: ArticleRecord) -> Iterator[str]:
    """English words an English query may use: actor and place names, event types and modes."""
    for ev in rec.events:
        yield ev.event_type
        if ev.mode:
            yield ev.mode
        for actor in ev.source + ev.target:
            yield actor.name
        if ev.location:
            yield ev.location.name
            if ev.location.admin1:
                yield ev.location.admin1


def event_rows(art_id: str, ev: Event) -> tuple[dict, list[dict], list[dict]]:
    eid = f"{art_id}:{ev.id}"
    loc, when, cas = ev.location, ev.date, ev.casualties
    row = {
        "id": eid, "article_id": art_id, "local_id": ev.id, "event_type": ev.event_type, "mode": ev.mode,
        "cameo": ev.cameo, "acled_event_type": ev.acled.event_type if ev.acled else None,
        "acled_sub_event_type": ev.acled.sub_event_type if ev.acled else None,
        "place_name": loc.name if loc else None, "place_text": loc.text if loc else None,
        "geonameid": loc.geonameid if loc else None, "lat": loc.lat if loc else None,
        "lon": loc.lon if loc else None, "country": loc.country if loc else None,
        "admin1": loc.admin1 if loc else None, "place_precision": loc.precision if loc else None,
        "date_start": _date(when.start) if when else None, "date_end": _date(when.end) if when else None,
        "date_precision": when.precision if when else None,
        "confidence": ev.confidence, "sentence": ev.evidence.sentence, "trigger": ev.evidence.trigger,
        "attribution_channel": ev.attribution.channel if ev.attribution else None,
        "record": ev.model_dump(mode="json"),
    }
    for kind in ("killed", "injured", "arrested", "missing", "displaced"):
        count = getattr(cas, kind)
        row[kind] = count.value if count else None

    actors: list[dict] = []
    roles = [("source", ev.source), ("target", ev.target)]
    if ev.attribution and ev.attribution.speaker:
        roles.append(("speaker", [ev.attribution.speaker]))
    for role, group in roles:
        for k, a in enumerate(group):
            actors.append({"event_id": eid, "role": role, "position": k, "name": a.name, "text": a.text,
                           "country": a.country, "sector": a.sector, "wikidata": a.wikidata})

    spans = [("sentence", None, ev.evidence.span, ev.evidence.sentence),
             ("trigger", ev.event_type + (f"/{ev.mode}" if ev.mode else ""), ev.evidence.trigger_span,
              ev.evidence.trigger)]
    for role, group in roles:
        spans += [(role, a.name, a.span, a.text) for a in group]
    if loc:
        spans.append(("place", loc.name, loc.span, loc.text))
    if when:
        spans.append(("date", when.start if when.start == when.end else f"{when.start}/{when.end}", when.span,
                      when.text))
    for kind in ("killed", "injured", "arrested", "missing", "displaced"):
        count = getattr(cas, kind)
        if count:
            spans.append((kind, f"{kind} {count.value}", count.span, count.text))
    span_rows = [{"event_id": eid, "position": k, "kind": kind, "label": label, "start": s[0], "end": s[1],
                  "text": text} for k, (kind, label, s, text) in enumerate(spans)]
    return row, actors, span_rows


def write_records(db_url: str | None, records: Iterable[ArticleRecord], bodies: dict[str, str] | None = None,
                  *, merge: bool = True) -> Outcome:
    """Store coded records (idempotent): the public entry point for other code.

    `bodies` maps article id → text; without it the article is stored without its
    text (it cannot then be recoded, and duplicates are found by id only).
    """
    from hadath.store.db import get_engine
    from hadath.store.merge import merge_new

    engine = get_engine(db_url)
    total = Outcome()
    it = iter(records)
    while chunk := list(islice(it, BATCH)):
        entries = []
        for rec in chunk:
            body = (bodies or {}).get(rec.article.id)
            entries.append(Entry(rec.article.id, body, body_key(body), None, rec))
        with engine.begin() as conn:
            todo, skipped = classify(conn, entries)
            out = store(conn, todo)
            out.skipped += skipped
        total.add(out)
    if merge and total.new_event_ids:
        merge_new(engine)
    return total


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
