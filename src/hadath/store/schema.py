"""The database schema, one for SQLite and PostgreSQL, derived from the record contract (records.py).

Versioning: a create-all with a `schema_version` table rather than Alembic — the
schema is young and small, and a store must work with no set-up. `SCHEMA_VERSION`
is bumped whenever a table changes; `ensure_schema` refuses a database written by
another version with a clear message instead of guessing a migration.

Tables (one row per …):
  articles          article read and coded (body kept so `hadath recode` can redo it)
  events            article-level event: the record's scalar fields flattened, the whole record as JSON
  event_actors      source / target / speaker actor of an event
  evidence          span of the article behind a field (sentence, trigger, actor, place, date, figure)
  failures          input article that could not be coded, with the reason
  canonical_events  real-world happening, merged across articles
  canonical_links   article-level event → its canonical event
  api_keys          key allowed to write through the API (sha256 only)
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    select,
    text,
)
from sqlalchemy.engine import Connection, Engine

from hadath.errors import HadathError

SCHEMA_VERSION = 1

metadata = MetaData()

schema_version = Table(
    "schema_version", metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", DateTime, nullable=False),
)

articles = Table(
    "articles", metadata,
    # integer key: the SQLite full-text index is keyed by it (a rowid can move on VACUUM; this cannot)
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("id", String(200), nullable=False, unique=True),
    Column("body_key", String(32), unique=True),  # sha256 of the normalized body (pipeline.article_id)
    Column("url", Text),
    Column("source", String(200), index=True),
    Column("title", Text),
    Column("published", Date, index=True),
    Column("language", String(8), nullable=False, default="ar"),
    Column("body", Text),
    Column("warnings", JSON, nullable=False, default=list),
    Column("n_events", Integer, nullable=False, default=0),
    Column("search_text", Text, nullable=False, default=""),  # normalized words, their stems, English labels
    Column("coder_version", String(32), nullable=False),
    Column("coded_at", DateTime, nullable=False),
)

events = Table(
    "events", metadata,
    Column("id", String(220), primary_key=True),  # article id + ":" + the record's own id (e1, e2…)
    Column("article_id", String(200), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("local_id", String(20), nullable=False),
    Column("event_type", String(12), nullable=False, index=True),
    Column("mode", String(32)),
    Column("cameo", String(8)),
    Column("acled_event_type", String(64)),
    Column("acled_sub_event_type", String(64)),
    Column("place_name", String(200)),
    Column("place_text", Text),
    Column("geonameid", Integer),
    Column("lat", Float),
    Column("lon", Float),
    Column("country", String(3), index=True),
    Column("admin1", String(200)),
    Column("place_precision", String(8)),
    Column("date_start", Date, index=True),
    Column("date_end", Date),
    Column("date_precision", String(8)),
    Column("killed", Integer),
    Column("injured", Integer),
    Column("arrested", Integer),
    Column("missing", Integer),
    Column("displaced", Integer),
    Column("confidence", Float, nullable=False),
    Column("sentence", Text, nullable=False),
    Column("trigger", Text, nullable=False),
    Column("attribution_channel", String(32)),
    Column("record", JSON, nullable=False),  # the Event exactly as the contract gives it
)

event_actors = Table(
    "event_actors", metadata,
    Column("event_id", String(220), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(8), primary_key=True),  # source | target | speaker
    Column("position", Integer, primary_key=True),
    Column("name", String(300), nullable=False, index=True),
    Column("text", Text, nullable=False),
    Column("country", String(3)),
    Column("sector", String(4)),
    Column("wikidata", String(20)),
)

evidence = Table(
    "evidence", metadata,
    Column("event_id", String(220), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    # sentence | trigger | source | target | speaker | place | date | killed | injured | arrested | missing | displaced
    Column("kind", String(12), nullable=False),
    Column("label", String(300)),  # the English name or value shown beside the Arabic words
    Column("start", Integer, nullable=False),  # offsets into articles.body, as the contract gives them
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
)

failures = Table(
    "failures", metadata,
    Column("key", String(300), primary_key=True),  # the article id, else where it was read (file:line)
    Column("article_id", String(200)),
    Column("origin", Text),
    Column("reason", Text, nullable=False),
    Column("body", Text),  # kept when known, so `hadath recode` can try again
    Column("failed_at", DateTime, nullable=False),
)

canonical_events = Table(
    "canonical_events", metadata,
    Column("id", String(230), primary_key=True),  # "c-" + the id of the event that founded it
    Column("event_type", String(12), nullable=False, index=True),
    Column("mode", String(32)),
    Column("title", Text, nullable=False),
    Column("place_name", String(200)),
    Column("lat", Float),
    Column("lon", Float),
    Column("country", String(3), index=True),
    Column("admin1", String(200)),
    Column("place_precision", String(8)),
    Column("date_start", Date, index=True),
    Column("date_end", Date),
    Column("date_precision", String(8)),
    Column("killed", Integer),
    Column("injured", Integer),
    Column("arrested", Integer),
    Column("confidence", Float, nullable=False),
    Column("n_sources", Integer, nullable=False),  # article-level events merged here
    Column("n_articles", Integer, nullable=False),
    Column("n_outlets", Integer, nullable=False),
    Column("provenance", JSON, nullable=False),  # field → id of the event it was taken from
)

canonical_links = Table(
    "canonical_links", metadata,
    Column("event_id", String(220), ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("canonical_id", String(230), ForeignKey("canonical_events.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("score", Float, nullable=False),  # how well it matched when it joined (1.0 for the founder)
)

api_keys = Table(
    "api_keys", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False),
    Column("key_sha256", String(64), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
    Column("revoked_at", DateTime),
)

Index("ix_canonical_lat_lon", canonical_events.c.lat, canonical_events.c.lon)
Index("ix_events_lat_lon", events.c.lat, events.c.lon)


class SchemaError(HadathError):
    """The database was written by another schema version."""


_SQLITE_FTS = [
    # external-content FTS5 over articles.search_text, kept in step by triggers
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(search_text, content='articles', "
    "content_rowid='pk', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS articles_fts_ai AFTER INSERT ON articles BEGIN "
    "INSERT INTO articles_fts(rowid, search_text) VALUES (new.pk, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS articles_fts_ad AFTER DELETE ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, search_text) VALUES ('delete', old.pk, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS articles_fts_au AFTER UPDATE OF search_text ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, search_text) VALUES ('delete', old.pk, old.search_text); "
    "INSERT INTO articles_fts(rowid, search_text) VALUES (new.pk, new.search_text); END",
]

_POSTGRES_FTS = [
    "CREATE INDEX IF NOT EXISTS ix_articles_search ON articles USING gin (to_tsvector('simple', search_text))",
]


def ensure_schema(engine: Engine) -> None:
    """Create the tables on a new database; check the version of an existing one."""
    with engine.begin() as conn:
        existing = _stored_version(conn)
        if existing is not None and existing != SCHEMA_VERSION:
            raise SchemaError(f"the database has schema version {existing}, this hadath writes version "
                              f"{SCHEMA_VERSION}; ingest into a new database (or export and re-ingest)")
        metadata.create_all(conn)
        if engine.dialect.name == "sqlite":
            for stmt in _SQLITE_FTS:
                conn.exec_driver_sql(stmt)
        elif engine.dialect.name == "postgresql":
            for stmt in _POSTGRES_FTS:
                conn.exec_driver_sql(stmt)
            _try_postgis(conn)
        if existing is None:
            from datetime import datetime, timezone

            conn.execute(schema_version.insert().values(version=SCHEMA_VERSION,
                                                        applied_at=datetime.now(timezone.utc).replace(tzinfo=None)))


def _stored_version(conn: Connection) -> int | None:
    from sqlalchemy import inspect

    if not inspect(conn).has_table("schema_version"):
        return None
    return conn.execute(select(schema_version.c.version).order_by(schema_version.c.version.desc())).scalar()


def _try_postgis(conn: Connection) -> None:
    """With PostGIS installed, canonical events get a generated geography column and a GiST index."""
    available = conn.execute(text("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")).scalar()
    if not available:
        return
    conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS postgis")
    conn.exec_driver_sql(
        "ALTER TABLE canonical_events ADD COLUMN IF NOT EXISTS geom geography(Point, 4326) GENERATED ALWAYS AS "
        "(CASE WHEN lat IS NULL OR lon IS NULL THEN NULL "
        "ELSE ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography END) STORED")
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_canonical_geom ON canonical_events USING gist (geom)")
