"""One happening told by many articles → one canonical event with all its sources.

Each article-level event keeps its own row and evidence; `canonical_links` ties
it to a `canonical_events` row whose fields are chosen from its members, with
`provenance` naming the member each field came from.

When two reports are the same happening (all must hold, none may conflict):
  * the same PLOVER type;
  * dates overlap within ±2 days (the event's own date when the article gives a
    day or week, else the few days before publication);
  * places agree: ≤ 50 km apart for towns and points, the same admin area or
    country for coarser places; a place on only one side does not conflict;
  * death tolls are compatible with the cluster's median toll (reports grow: up to 3× + 5 apart);
  * for types defined by where they happen (attacks, protests, arrests,
    mobilizations, retreats) the places must agree at town or admin-area level,
    or a named actor must be shared on the same day; for the others (meetings,
    statements, aid…) named actors must be shared (two when both name two).

Incremental and deterministic: new events are taken in (date, id) order and each
joins the best-scoring existing cluster (ties → the older cluster id) or founds
a new one; `rebuild=True` redoes every cluster from scratch in the same order.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Connection, Engine

from hadath.store.schema import articles, canonical_events, canonical_links, event_actors, events

DAYS = 2
KM = 50.0
PLACE_TYPES = {"ASSAULT", "PROTEST", "COERCE", "MOBILIZE", "RETREAT"}
_PRECISION = {"point": 0, "city": 1, "admin1": 2, "country": 3, "region": 4}
_DATE_PRECISION = {"day": 0, "week": 1, "month": 2, "year": 3}
_CHUNK = 5000


@dataclass(slots=True)
class Report:
    """An article-level event as the merge sees it."""

    id: str
    article_id: str
    outlet: str | None
    published: date | None
    event_type: str
    mode: str | None
    lo: date | None  # anchor range: when it happened, as far as we can tell
    hi: date | None
    exact_day: bool
    date_start: date | None
    date_end: date | None
    date_precision: str | None
    place_name: str | None
    lat: float | None
    lon: float | None
    country: str | None
    admin1: str | None
    place_precision: str | None
    killed: int | None
    injured: int | None
    arrested: int | None
    confidence: float
    named: frozenset[str] = frozenset()  # named actors (English titles), any role
    sources: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()


@dataclass(slots=True)
class Cluster:
    id: str
    members: list[Report] = field(default_factory=list)
    scores: list[float] = field(default_factory=list)
    named: set[str] = field(default_factory=set)
    lo: date | None = None
    hi: date | None = None
    rep_place: Report | None = None

    def add(self, r: Report, score: float) -> None:
        self.members.append(r)
        self.scores.append(score)
        self.named |= r.named
        if r.lo is not None:
            self.lo = r.lo if self.lo is None else min(self.lo, r.lo)
            self.hi = r.hi if self.hi is None else max(self.hi, r.hi)
        if r.place_precision and (self.rep_place is None or _place_rank(r) < _place_rank(self.rep_place)):
            self.rep_place = r


@dataclass(slots=True)
class MergeStats:
    events: int = 0
    joined: int = 0
    founded: int = 0
    canonical_total: int = 0


def merge_new(engine: Engine, *, rebuild: bool = False) -> MergeStats:
    """Link every event that has no canonical event yet; with `rebuild`, redo all links."""
    stats = MergeStats()
    new: list[Report] = []
    with engine.begin() as conn:
        if rebuild:
            conn.execute(delete(canonical_links))
            conn.execute(delete(canonical_events))
        linked = select(canonical_links.c.event_id)
        new = load_reports(conn, events.c.id.not_in(linked))
        if new:
            clusters = load_clusters(conn, new)
            touched = assign(new, clusters, stats)
            save(conn, [clusters[c] for c in sorted(touched)])
        stats.canonical_total = conn.execute(select(func.count()).select_from(canonical_events)).scalar() or 0
    stats.events = len(new)
    return stats


def load_reports(conn: Connection, where) -> list[Report]:
    q = (select(events.c.id, events.c.article_id, articles.c.source, articles.c.published, events.c.event_type,
                events.c.mode, events.c.date_start, events.c.date_end, events.c.date_precision, events.c.place_name,
                events.c.lat, events.c.lon, events.c.country, events.c.admin1, events.c.place_precision,
                events.c.killed, events.c.injured, events.c.arrested, events.c.confidence)
         .join(articles, articles.c.id == events.c.article_id).where(where))
    rows = conn.execute(q).all()
    actors: dict[str, list[tuple[str, str]]] = defaultdict(list)
    ids = [r.id for r in rows]
    for chunk in _chunks(ids):
        for ev_id, role, name in conn.execute(select(event_actors.c.event_id, event_actors.c.role, event_actors.c.name)
                                              .where(event_actors.c.event_id.in_(chunk))
                                              .order_by(event_actors.c.event_id, event_actors.c.role,
                                                        event_actors.c.position)):
            actors[ev_id].append((role, name))
    reports = [_report(r, actors.get(r.id, [])) for r in rows]
    reports.sort(key=lambda r: (r.lo or date.max, r.id))
    return reports


def _report(r, actors: list[tuple[str, str]]) -> Report:
    exact = r.date_start is not None and r.date_precision in ("day", "week")
    if exact:
        lo, hi = r.date_start, r.date_end or r.date_start
    elif r.published is not None:
        lo, hi = r.published - timedelta(days=DAYS), r.published  # reported within days of happening
    else:
        lo = hi = None
    named = frozenset(n for role, n in actors if _is_named(n) and role != "speaker")
    return Report(r.id, r.article_id, r.source, r.published, r.event_type, r.mode, lo, hi,
                  exact and r.date_precision == "day", r.date_start, r.date_end, r.date_precision, r.place_name,
                  r.lat, r.lon, r.country, r.admin1, r.place_precision, r.killed, r.injured, r.arrested,
                  r.confidence, named, tuple(n for role, n in actors if role == "source"),
                  tuple(n for role, n in actors if role == "target"))


def _is_named(name: str) -> bool:
    # the contract names entities by their Wikipedia title (capitalised); descriptions are lower case
    return name[:1].isupper()


def load_clusters(conn: Connection, new: list[Report]) -> dict[str, Cluster]:
    """Existing clusters that new reports might join: those with a member dated near them."""
    dated = [r for r in new if r.lo is not None]
    if not dated:
        return {}
    lo = min(r.lo for r in dated) - timedelta(days=2 * DAYS + 1)
    hi = max(r.hi for r in dated) + timedelta(days=2 * DAYS + 1)
    near = (select(canonical_links.c.canonical_id).join(events, events.c.id == canonical_links.c.event_id)
            .join(articles, articles.c.id == events.c.article_id)
            .where(((events.c.date_start >= lo) & (events.c.date_start <= hi))
                   | ((articles.c.published >= lo) & (articles.c.published <= hi + timedelta(days=DAYS))))
            .distinct())
    cids = sorted(conn.execute(near).scalars())
    clusters: dict[str, Cluster] = {}
    for chunk in _chunks(cids):
        links = conn.execute(select(canonical_links.c.event_id, canonical_links.c.canonical_id,
                                    canonical_links.c.score).where(canonical_links.c.canonical_id.in_(chunk))).all()
        score_of = {ev: (cid, s) for ev, cid, s in links}
        members = load_reports(conn, events.c.id.in_(list(score_of)))
        # members in their order of joining: the founder first, then by (date, id) as they were assigned
        for r in members:
            cid, s = score_of[r.id]
            clusters.setdefault(cid, Cluster(cid)).add(r, s)
    return clusters


def assign(new: list[Report], clusters: dict[str, Cluster], stats: MergeStats) -> set[str]:
    by_day: dict[tuple[str, date], list[Cluster]] = defaultdict(list)

    def index(c: Cluster, r: Report) -> None:
        if r.lo is None:
            return
        for d in _days(r.lo - timedelta(days=DAYS), r.hi + timedelta(days=DAYS)):
            bucket = by_day[(r.event_type, d)]
            if c not in bucket:
                bucket.append(c)

    for c in clusters.values():
        for m in c.members:
            index(c, m)
    touched: set[str] = set()
    for r in new:
        best, best_score = None, 0.0
        if r.lo is not None:
            seen: set[str] = set()
            for d in _days(r.lo, r.hi):
                for c in by_day.get((r.event_type, d), ()):
                    if c.id in seen:
                        continue
                    seen.add(c.id)
                    s = score(r, c)
                    if s is not None and (s > best_score or (s == best_score and best is not None and c.id < best.id)):
                        best, best_score = c, s
        if best is None:
            best = clusters[f"c-{r.id}"] = Cluster(f"c-{r.id}")
            best_score = 1.0
            stats.founded += 1
        else:
            stats.joined += 1
        best.add(r, round(best_score, 3))
        index(best, r)
        touched.add(best.id)
    return touched


def score(r: Report, c: Cluster) -> float | None:
    """How well report `r` fits cluster `c`; None when they cannot be the same happening."""
    founder = c.members[0]
    if r.event_type != founder.event_type:
        return None
    if c.lo is None or r.lo is None or r.lo > c.hi + timedelta(days=DAYS) or r.hi < c.lo - timedelta(days=DAYS):
        return None
    place = place_score(r, c.rep_place)
    if place is None:
        return None
    # the death toll tells two attacks apart; injury counts vary too much between reports to decide
    if not _figures_agree(r.killed, [m.killed for m in c.members]):
        return None
    shared = r.named & c.named
    need = 2 if len(r.named) >= 2 and len(c.named) >= 2 else 1
    same_day = r.exact_day and any(m.exact_day and m.date_start == r.date_start for m in c.members)
    if r.event_type in PLACE_TYPES:
        # where it happened decides; a report without a place may join by a named actor (not a mere country)
        # on the same day, but two places in one country are two events
        if not (place >= 0.7 or (place == 0.0 and (shared - _countries()) and same_day)):
            return None
    elif len(shared) < need:
        return None
    s = place + 0.5 * min(len(shared), 2) + (0.3 if same_day else 0.0)
    if r.killed is not None and any(m.killed is not None for m in c.members):
        s += 0.3
    if r.mode and founder.mode and r.mode != founder.mode:
        s -= 0.2
    return s


@cache
def _countries() -> frozenset[str]:
    """Country names as actors: too broad to tie two reports of an attack together."""
    from hadath.lexicon.resources import compiled

    return frozenset(c["name"] for c in compiled("countries")["countries"].values())


def place_score(r: Report, p: Report | None) -> float | None:
    """1.0 same town (≤ 50 km), 0.7 same admin area, 0.3 same country, 0 unknown; None when they disagree."""
    if p is None or not r.place_precision:
        return 0.0
    if r.country and p.country and r.country != p.country:
        return None
    fine_r = _PRECISION[r.place_precision] <= 1
    fine_p = _PRECISION[p.place_precision] <= 1
    if fine_r and fine_p:
        return 1.0 if km(r.lat, r.lon, p.lat, p.lon) <= KM else None
    if _PRECISION[r.place_precision] <= 2 and _PRECISION[p.place_precision] <= 2:
        if r.admin1 and p.admin1:
            return 0.7 if r.admin1 == p.admin1 else None
        return 0.3
    return 0.3 if r.country and r.country == p.country else 0.0


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def _figures_agree(value: int | None, others: Iterable[int | None]) -> bool:
    """A figure agrees with the cluster's median one: tolls grow as reports come in, and a big story also
    carries partial counts (the three workers among the dead), so one stray figure must not split it."""
    known = sorted(o for o in others if o is not None)
    if value is None or not known:
        return True
    median = known[len(known) // 2]
    return max(median, value) <= 3 * min(median, value) + 5


def save(conn: Connection, clusters: list[Cluster]) -> None:
    """Replace the rows of these clusters (the links go with them, by cascade and by hand)."""
    ids = [c.id for c in clusters]
    for chunk in _chunks(ids):
        conn.execute(delete(canonical_links).where(canonical_links.c.canonical_id.in_(chunk)))
        conn.execute(delete(canonical_events).where(canonical_events.c.id.in_(chunk)))
    rows = [canonical_row(c) for c in clusters]
    links = [{"event_id": m.id, "canonical_id": c.id, "score": s}
             for c in clusters for m, s in zip(c.members, c.scores, strict=True)]
    for k in range(0, len(rows), _CHUNK):
        conn.execute(canonical_events.insert(), rows[k:k + _CHUNK])
    for k in range(0, len(links), _CHUNK):
        conn.execute(canonical_links.insert(), links[k:k + _CHUNK])


def canonical_row(c: Cluster) -> dict:
    ms = c.members
    founder = ms[0]
    prov: dict[str, str] = {}
    place = min((m for m in ms if m.place_precision), default=None,
                key=lambda m: (_PRECISION[m.place_precision], -m.confidence, m.id))
    when = min((m for m in ms if m.date_start), default=None,
               key=lambda m: (_DATE_PRECISION.get(m.date_precision or "year", 3),
                              (m.date_end - m.date_start).days if m.date_end else 0, -m.confidence, m.id))
    row = {"id": c.id, "event_type": founder.event_type,
           "mode": _most_common([m.mode for m in ms if m.mode]) or None,
           "confidence": max(m.confidence for m in ms), "n_sources": len(ms),
           "n_articles": len({m.article_id for m in ms}), "n_outlets": len({m.outlet for m in ms if m.outlet})}
    if place:
        prov["place"] = place.id
    row.update(place_name=place.place_name if place else None, lat=place.lat if place else None,
               lon=place.lon if place else None, country=place.country if place else None,
               admin1=place.admin1 if place else None, place_precision=place.place_precision if place else None)
    if when:
        prov["date"] = when.id
    row.update(date_start=when.date_start if when else None, date_end=when.date_end if when else None,
               date_precision=when.date_precision if when else None)
    for kind in ("killed", "injured", "arrested"):
        # the latest report, then the most confident: figures grow as the dead are counted
        best = max((m for m in ms if getattr(m, kind) is not None), default=None,
                   key=lambda m: (m.published or date.min, m.confidence, m.id))
        row[kind] = getattr(best, kind) if best else None
        if best:
            prov[kind] = best.id
    row["provenance"] = prov
    row["title"] = title(row, ms)
    return row


def title(row: dict, ms: list[Report]) -> str:
    sources = _top([n for m in ms for n in m.sources])
    targets = _top([n for m in ms for n in m.targets])
    words = [row["event_type"] + (f" ({row['mode']})" if row["mode"] else "")]
    if sources:
        words.append("by " + ", ".join(sources))
    if targets:
        words.append(("on " if row["event_type"] in PLACE_TYPES else "with ") + ", ".join(targets))
    if row["place_name"]:
        words.append("in " + row["place_name"])
    if row["date_start"]:
        words.append(f"— {row['date_start'].isoformat()}")
    if row["killed"]:
        words.append(f"({row['killed']} killed)")
    return " ".join(words)


def _top(names: list[str], k: int = 2) -> list[str]:
    counts = Counter(names)
    return [n for n, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:k]]


def _most_common(values: list[str]) -> str | None:
    top = _top(values, 1)
    return top[0] if top else None


def _place_rank(r: Report) -> tuple:
    return (_PRECISION.get(r.place_precision or "region", 9), -r.confidence, r.id)


def _days(lo: date, hi: date) -> Iterable[date]:
    d = lo
    while d <= hi:
        yield d
        d += timedelta(days=1)


def _chunks(items: list, size: int = _CHUNK) -> Iterable[list]:
    for k in range(0, len(items), size):
        yield items[k:k + size]
