"""`hadath ingest` and `hadath recode`: code articles into the store, resumably.

Each batch of articles is coded, then written in one transaction with all its
events, evidence and failures. A run that is killed loses at most the batch in
flight; the next run skips what was committed (by id and by normalized body)
and ends with the same rows as a run that was never interrupted. Merging into
canonical events runs once at the end, over every event not yet linked, so an
interrupted run's events are merged by the run that completes it.
"""

from __future__ import annotations

import gzip
import multiprocessing
import sys
import time
from collections.abc import Iterator
from datetime import date
from itertools import islice

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import InterfaceError, OperationalError
from tqdm import tqdm

from hadath import __version__
from hadath.batch import code_one
from hadath.errors import StoreUnavailable
from hadath.ingest.readers import ArticleFailure, ArticleInput, Item, read_paths
from hadath.pipeline import DEFAULT_OPTIONS, Options
from hadath.records import ArticleRecord
from hadath.store.db import get_engine
from hadath.store.merge import MergeStats, merge_new
from hadath.store.schema import articles, canonical_links, event_actors, events, evidence, failures
from hadath.store.search import search_text
from hadath.store.write import (
    BATCH,
    Entry,
    Outcome,
    _now,
    body_key,
    classify,
    event_rows,
    labels,
    store,
)


def ingest(paths: list[str], db: str | None = None, *, options: Options = DEFAULT_OPTIONS,
           published: str | None = None, workers: int = 1, batch: int = BATCH, progress: bool | None = None,
           merge: bool = True) -> tuple[Outcome, MergeStats | None]:
    engine = retrying("opening the database", get_engine, db)
    total = Outcome()
    items = iter(read_paths(paths))
    with _coder(workers, options, published) as code, \
            tqdm(total=count_inputs(paths), unit=" articles", disable=_quiet(progress), file=sys.stderr,
                 smoothing=0.05, dynamic_ncols=True) as bar:
        while chunk := list(islice(items, batch)):
            entries = [_entry(item) for item in chunk]
            todo, skipped = retrying("reading what is stored", _classify, engine, entries)
            coding = [e for e in todo if e.failure is None]
            for e, (record, text) in zip(coding, code(coding), strict=True):
                e.record, e.search = record, text
            out = retrying("writing a batch", _write, engine, todo)
            out.skipped += skipped
            total.add(out)
            bar.update(len(chunk))
            bar.set_postfix(coded=total.coded, failed=total.failed, skipped=total.skipped, refresh=False)
    stats = retrying("merging events", merge_new, engine) if merge else None
    return total, stats


# Waits before each new try when the database stops answering (a server restart, a cut connection, SQLite
# busy): about 15 s in all, then the run stops with a message. Each try is one whole transaction, rolled
# back by the server when the connection dropped, so doing it again cannot write anything twice.
RETRY_WAITS = (0.5, 1.0, 2.0, 4.0, 8.0)


_TRANSIENT = ("connection", "server", "shutting down", "starting up", "terminat", "timeout", "locked", "busy")


def retrying(what: str, fn, *args):
    for wait in (*RETRY_WAITS, None):
        try:
            return fn(*args)
        except (OperationalError, InterfaceError) as e:
            reason = str(getattr(e, "orig", None) or e).strip().splitlines()[0]
            transient = e.connection_invalidated or any(w in reason.lower() for w in _TRANSIENT)
            if not transient:  # a missing file, a bad path: waiting will not help
                raise StoreUnavailable(f"the database refused {what} ({reason})") from e
            if wait is None:
                raise StoreUnavailable(f"the database stopped answering while {what} ({reason}); every batch "
                                       "before was committed: run the same command again to resume") from e
            time.sleep(wait)


def _classify(engine, entries: list[Entry]) -> tuple[list[Entry], int]:
    with engine.connect() as conn:
        return classify(conn, entries)


def _write(engine, entries: list[Entry]) -> Outcome:
    with engine.begin() as conn:  # the batch, its events and its failures: all or nothing
        todo, again = classify(conn, entries)
        out = store(conn, todo)
    out.skipped += again
    return out


def _entry(item: Item) -> Entry:
    if isinstance(item, ArticleFailure):
        return Entry(item.id or item.origin, None, None, item.origin,
                     failure=f"{type(item.error).__name__}: {item.error}")
    key = body_key(item.body)
    entry = Entry(item.id or key or item.origin, item.body, key, item.origin)
    entry.item = item
    return entry


def _code_entry(e: Entry, options: Options, published: str | None) -> tuple[ArticleRecord, str | None]:
    item: ArticleInput = e.item
    if item.id is None and e.body_key:
        item.id = e.body_key  # the id code_one would compute; saves normalizing the body twice
    record = code_one(item, options, published)
    text = None if record.error else search_text(item.body, record.article.title, labels(record))
    return record, text


# worker processes: the options are set once, each article travels alone
_WORKER: dict = {}


def _init_worker(options: Options, published: str | None) -> None:
    from hadath.lexicon.matcher import default_lexicon

    _WORKER.update(options=options, published=published)
    default_lexicon()


def _code_in_worker(e: Entry) -> tuple[ArticleRecord, str | None]:
    return _code_entry(e, _WORKER["options"], _WORKER["published"])


class _coder:
    """A function from entries to (record, search text), in this process or a pool of `workers`."""

    def __init__(self, workers: int, options: Options, published: str | None):
        self.workers, self.options, self.published = workers, options, published
        self.pool = None

    def __enter__(self):
        if self.workers > 1:
            self.pool = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn").Pool(
                self.workers, _init_worker, (self.options, self.published))
            return lambda entries: self.pool.imap(_code_in_worker, entries, chunksize=4)
        return lambda entries: (_code_entry(e, self.options, self.published) for e in entries)

    def __exit__(self, *exc):
        if self.pool is not None:
            self.pool.terminate()
        return False


def count_inputs(paths: list[str]) -> int | None:
    """How many articles the paths hold, for the progress bar's ETA (None when unknowable: stdin)."""
    n = 0
    for p in paths:
        if p == "-":
            return None
        name = p.lower()
        if name.endswith((".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")):
            try:
                opener = gzip.open if name.endswith(".gz") else open
                with opener(p, "rb") as fh:
                    n += sum(1 for line in fh if line.strip())
            except OSError:
                n += 1
        else:
            n += 1
    return n


def _quiet(progress: bool | None) -> bool | None:
    return None if progress is None else not progress  # None: tqdm shows the bar only on a terminal


# recode -------------------------------------------------------------------------------------------------------


def recode(db: str | None = None, *, options: Options = DEFAULT_OPTIONS, batch: int = BATCH,
           workers: int = 1, progress: bool | None = None) -> tuple[Outcome, MergeStats]:
    """Code every stored article again from its stored text (after the lexicons or the coder changed).

    Failures whose text is known are tried again too. The canonical events are
    then rebuilt from scratch, since events may have appeared or gone.
    """
    engine = get_engine(db)
    total = Outcome()
    with engine.connect() as conn:
        n = (conn.execute(select(func.count()).select_from(articles).where(articles.c.body.is_not(None))).scalar()
             + conn.execute(select(func.count()).select_from(failures).where(failures.c.body.is_not(None))).scalar())
    with _coder(workers, options, None) as code, \
            tqdm(total=n, unit=" articles", disable=_quiet(progress), file=sys.stderr) as bar:
        for chunk in _stored_batches(engine, batch):
            for e, (record, text) in zip(chunk, code(chunk), strict=True):
                e.record, e.search = record, text
            with engine.begin() as conn:
                total.add(_replace(conn, chunk))
            bar.update(len(chunk))
    stats = merge_new(engine, rebuild=True)
    return total, stats


def _stored_batches(engine, batch: int) -> Iterator[list[Entry]]:
    last = 0
    while True:  # keyset pagination: stable while rows are replaced in place
        with engine.connect() as conn:
            rows = conn.execute(select(articles.c.pk, articles.c.id, articles.c.body, articles.c.body_key,
                                       articles.c.title, articles.c.published, articles.c.url, articles.c.source)
                                .where(articles.c.pk > last, articles.c.body.is_not(None))
                                .order_by(articles.c.pk).limit(batch)).all()
        if not rows:
            break
        last = rows[-1].pk
        yield [_stored_entry(r.id, r.body, r.body_key, r.title, r.published, r.url, r.source, "article")
               for r in rows]
    offset = 0
    while True:
        with engine.connect() as conn:
            rows = conn.execute(select(failures.c.key, failures.c.article_id, failures.c.body, failures.c.origin)
                                .where(failures.c.body.is_not(None)).order_by(failures.c.key)
                                .offset(offset).limit(batch)).all()
        if not rows:
            break
        offset += len(rows)
        chunk = [_stored_entry(r.article_id or r.key, r.body, body_key(r.body), None, None, None, None, "failure")
                 for r in rows]
        for e, r in zip(chunk, rows, strict=True):
            e.origin, e.stored_key = r.origin, r.key
        yield chunk


def _stored_entry(art_id, body, key, title, published, url, source, kind) -> Entry:
    e = Entry(art_id, body, key)
    e.item = ArticleInput(body, art_id, title, published.isoformat() if isinstance(published, date) else published,
                          url, source)
    e.kind = kind
    return e


def _replace(conn, chunk: list[Entry]) -> Outcome:
    out = Outcome()
    now = _now()
    ids = [e.id for e in chunk if e.kind == "article"]
    if ids:
        ev_ids = select(events.c.id).where(events.c.article_id.in_(ids))
        # by hand as well as by cascade: not every SQLite connection enforces foreign keys
        conn.execute(delete(evidence).where(evidence.c.event_id.in_(ev_ids)))
        conn.execute(delete(event_actors).where(event_actors.c.event_id.in_(ev_ids)))
        conn.execute(delete(canonical_links).where(canonical_links.c.event_id.in_(ev_ids)))
        conn.execute(delete(events).where(events.c.article_id.in_(ids)))
    ev_rows, actor_rows, span_rows = [], [], []
    for e in chunk:
        rec = e.record
        if e.kind == "article":
            if rec.error:  # a coder change made it fail: it moves to failures, with the reason
                conn.execute(delete(articles).where(articles.c.id == e.id))
                conn.execute(failures.insert().values(key=e.id, article_id=e.id, origin=None, reason=rec.error,
                                                      body=e.body, failed_at=now))
                out.failed += 1
                continue
            conn.execute(update(articles).where(articles.c.id == e.id).values(
                n_events=len(rec.events), warnings=list(rec.warnings), search_text=e.search,
                coder_version=__version__, coded_at=now))
        else:
            if rec.error:
                conn.execute(update(failures).where(failures.c.key == e.stored_key).values(reason=rec.error))
                out.failed += 1
                continue
            taken = conn.execute(select(articles.c.id).where((articles.c.id == rec.article.id)
                                                             | (articles.c.body_key == e.body_key))).first()
            if taken:  # a duplicate stays a failure
                continue
            conn.execute(delete(failures).where(failures.c.key == e.stored_key))
            e.record = rec
            store_one = store(conn, [e])
            out.add(store_one)
            continue
        for ev in rec.events:
            row, acts, spans = event_rows(rec.article.id, ev)
            ev_rows.append(row)
            actor_rows += acts
            span_rows += spans
        out.coded += 1
        out.events += len(rec.events)
    for table, rows in ((events, ev_rows), (event_actors, actor_rows), (evidence, span_rows)):
        if rows:
            conn.execute(table.insert(), rows)
    return out


def summary(out: Outcome, stats: MergeStats | None, db_label: str) -> str:
    parts = [f"{out.coded} coded ({out.events} events)", f"{out.failed} failed",
             f"{out.skipped} already stored"]
    if stats is not None:
        parts.append(f"{stats.events} events merged into {stats.canonical_total} canonical events in all")
    return "hadath: " + " · ".join(parts) + f" → {db_label}"
