"""Reading the store: filtered canonical events, one event with its sources, one article with its spans.

The API, the exports and the dashboard all go through here, so a filter means
the same thing everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, exists, func, or_, select, text
from sqlalchemy.engine import Connection

from hadath.store.schema import articles, canonical_events, canonical_links, event_actors, events, evidence
from hadath.store.search import fts5_query, query_terms


@dataclass(slots=True)
class EventFilter:
    event_type: list[str] | None = None
    actor: str | None = None  # part of an actor's English name or Arabic words
    country: str | None = None  # ISO3 of the place
    date_from: date | None = None
    date_to: date | None = None
    bbox: tuple[float, float, float, float] | None = None  # min lon, min lat, max lon, max lat
    q: str | None = None  # free text, Arabic or English
    outlet: str | None = None
    min_sources: int | None = None
    limit: int = 50
    offset: int = 0


def filtered(conn: Connection, f: EventFilter):
    """The WHERE clauses of a filter over canonical_events."""
    ce = canonical_events
    where = []
    if f.event_type:
        where.append(ce.c.event_type.in_(f.event_type))
    if f.country:
        where.append(ce.c.country == f.country.upper())
    if f.date_from:
        where.append(func.coalesce(ce.c.date_end, ce.c.date_start) >= f.date_from)
    if f.date_to:
        where.append(ce.c.date_start <= f.date_to)
    if f.bbox:
        w, s, e, n = f.bbox
        where += [ce.c.lon >= w, ce.c.lon <= e, ce.c.lat >= s, ce.c.lat <= n]
    if f.min_sources:
        where.append(ce.c.n_sources >= f.min_sources)
    if f.actor:
        # the words as words: % and _ in them match themselves, not any text
        words = f.actor.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where.append(exists(
            select(1).select_from(canonical_links.join(event_actors,
                                                       event_actors.c.event_id == canonical_links.c.event_id))
            .where(canonical_links.c.canonical_id == ce.c.id,
                   or_(func.lower(event_actors.c.name).like(f"%{words.lower()}%", escape="\\"),
                       event_actors.c.text.like(f"%{words}%", escape="\\")))))
    member_article = []
    if f.outlet:
        member_article.append(articles.c.source == f.outlet)
    if f.q:
        match = text_match(conn, f.q)
        if match is not None:
            member_article.append(match)
    if member_article:
        # uncorrelated: the canonical ids whose sources match are found once, not once per canonical event
        where.append(ce.c.id.in_(
            select(canonical_links.c.canonical_id).select_from(
                canonical_links.join(events, events.c.id == canonical_links.c.event_id)
                .join(articles, articles.c.id == events.c.article_id))
            .where(*member_article)))
    return and_(*where) if where else and_(True)


def text_match(conn: Connection, q: str):
    """A condition on `articles`: its text (normalized, stems too) or its events' English labels hold every word."""
    terms = query_terms(q)
    if not terms:
        return None
    if conn.dialect.name == "sqlite":
        return articles.c.pk.in_(select(text("rowid")).select_from(text("articles_fts"))
                                 .where(text("articles_fts MATCH :fts").bindparams(fts=fts5_query(terms))))
    if conn.dialect.name == "postgresql":
        return text("to_tsvector('simple', articles.search_text) @@ plainto_tsquery('simple', :tsq)").bindparams(
            tsq=" ".join(terms))
    return and_(*[articles.c.search_text.like(f"%{t}%") for t in terms])  # any other database: slow but right


def find_articles(conn: Connection, q: str, limit: int = 50, offset: int = 0) -> list[dict]:
    """Articles whose text holds every word of `q` (folded as the index is), newest first."""
    match = text_match(conn, q)
    if match is None:
        return []
    rows = conn.execute(select(articles.c.id, articles.c.title, articles.c.source, articles.c.published,
                               articles.c.url, articles.c.n_events).where(match)
                        .order_by(articles.c.published.desc(), articles.c.id).limit(limit).offset(offset)).mappings()
    return [dict(r, published=r["published"].isoformat() if r["published"] else None) for r in rows]


def list_events(conn: Connection, f: EventFilter) -> tuple[int, list[dict]]:
    where = filtered(conn, f)
    total = conn.execute(select(func.count()).select_from(canonical_events).where(where)).scalar() or 0
    ce = canonical_events
    rows = conn.execute(select(ce).where(where)
                        .order_by(ce.c.date_start.is_(None), ce.c.date_start.desc(), ce.c.n_sources.desc(), ce.c.id)
                        .limit(f.limit).offset(f.offset)).mappings().all()
    return total, [canonical_dict(r) for r in rows]


def iter_events(conn: Connection, f: EventFilter, chunk: int = 2000):
    """Every event of the filter (no paging), for exports."""
    where = filtered(conn, f)
    ce = canonical_events
    offset = 0
    while True:
        rows = conn.execute(select(ce).where(where).order_by(ce.c.date_start.is_(None), ce.c.date_start, ce.c.id)
                            .limit(chunk).offset(offset)).mappings().all()
        if not rows:
            return
        yield from (canonical_dict(r) for r in rows)
        offset += len(rows)


def timeline(conn: Connection, f: EventFilter) -> list[dict]:
    where = filtered(conn, f)
    ce = canonical_events
    rows = conn.execute(select(ce.c.date_start, func.count()).where(where, ce.c.date_start.is_not(None))
                        .group_by(ce.c.date_start).order_by(ce.c.date_start)).all()
    return [{"date": d.isoformat(), "count": n} for d, n in rows]


def canonical_dict(r) -> dict:
    d = dict(r)
    d.pop("geom", None)  # PostGIS column: the lat/lon carry the same
    for k in ("date_start", "date_end"):
        if d.get(k) is not None:
            d[k] = d[k].isoformat()
    return d


def sources_of(conn: Connection, canonical_ids: list[str]) -> dict[str, list[dict]]:
    """The member events of canonical events, with their article's outlet, title, url and date."""
    rows = conn.execute(
        select(canonical_links.c.canonical_id, canonical_links.c.score, events.c.id, events.c.article_id,
               events.c.event_type, events.c.confidence, events.c.sentence, events.c.trigger, events.c.record,
               articles.c.source, articles.c.title, articles.c.url, articles.c.published)
        .join(events, events.c.id == canonical_links.c.event_id).join(articles, articles.c.id == events.c.article_id)
        .where(canonical_links.c.canonical_id.in_(canonical_ids))
        .order_by(canonical_links.c.canonical_id, articles.c.published, events.c.id)).mappings().all()
    out: dict[str, list[dict]] = {c: [] for c in canonical_ids}
    for r in rows:
        d = dict(r)
        cid = d.pop("canonical_id")
        d["published"] = d["published"].isoformat() if d["published"] else None
        out[cid].append(d)
    return out


def event_detail(conn: Connection, event_id: str) -> dict | None:
    """A canonical event (or the canonical event of an article-level event id) with every source and its evidence."""
    row = conn.execute(select(canonical_events).where(canonical_events.c.id == event_id)).mappings().first()
    if row is None:
        cid = conn.execute(select(canonical_links.c.canonical_id)
                           .where(canonical_links.c.event_id == event_id)).scalar()
        if cid is None:
            return None
        row = conn.execute(select(canonical_events).where(canonical_events.c.id == cid)).mappings().first()
    d = canonical_dict(row)
    srcs = sources_of(conn, [d["id"]])[d["id"]]
    spans = spans_of(conn, [s["id"] for s in srcs])
    for s in srcs:
        s["evidence"] = spans.get(s["id"], [])
    d["sources"] = srcs
    return d


def spans_of(conn: Connection, event_ids: list[str]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    if not event_ids:
        return out
    for r in conn.execute(select(evidence).where(evidence.c.event_id.in_(event_ids))
                          .order_by(evidence.c.event_id, evidence.c.position)).mappings():
        d = dict(r)
        out.setdefault(d.pop("event_id"), []).append(d)
    return out


def article_detail(conn: Connection, article_id: str) -> dict | None:
    a = conn.execute(select(articles).where(articles.c.id == article_id)).mappings().first()
    if a is None:
        return None
    d = {k: v for k, v in a.items() if k not in ("pk", "search_text", "body_key")}
    d["published"] = d["published"].isoformat() if d["published"] else None
    d["coded_at"] = d["coded_at"].isoformat() if d["coded_at"] else None
    evs = conn.execute(select(events.c.id, events.c.record, canonical_links.c.canonical_id)
                       .outerjoin(canonical_links, canonical_links.c.event_id == events.c.id)
                       .where(events.c.article_id == article_id).order_by(events.c.id)).mappings().all()
    spans = spans_of(conn, [e["id"] for e in evs])
    d["events"] = [{"id": e["id"], "canonical_id": e["canonical_id"], "record": e["record"],
                    "evidence": spans.get(e["id"], [])} for e in evs]
    return d
