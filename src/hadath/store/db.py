"""Opening a store: a URL (or nothing, or a file path) in, a ready SQLAlchemy engine out."""

from __future__ import annotations

import os
from functools import cache

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine

from hadath.store.schema import ensure_schema

DEFAULT_DB = "hadath.db"  # embedded SQLite file in the working directory: no set-up
ENV_DB = "HADATH_DB"


def resolve_url(db: str | None) -> str:
    """`None` → $HADATH_DB or ./hadath.db; a bare path → SQLite; postgresql:// → psycopg 3."""
    db = db or os.environ.get(ENV_DB) or DEFAULT_DB
    if "://" not in db:
        return f"sqlite:///{db}"
    if db.startswith(("postgresql://", "postgres://")):
        # SQLAlchemy's default PostgreSQL driver is psycopg2; we ship psycopg 3
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    return db


def describe(url: str) -> str:
    """The URL without a password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@cache
def get_engine(db: str | None = None) -> Engine:
    """One engine per URL per process, schema created or checked on first use."""
    url = resolve_url(db)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 60})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    ensure_schema(engine)
    return engine


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")  # ON DELETE CASCADE from articles to events and below
    cur.execute("PRAGMA journal_mode=WAL")  # readers (the API) do not block the writer (ingest)
    cur.execute("PRAGMA synchronous=NORMAL")  # WAL keeps committed batches across a crash
    cur.close()
