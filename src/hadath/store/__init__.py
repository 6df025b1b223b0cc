"""The event store: articles, events, evidence, failures and canonical events in SQLite or PostgreSQL.

    from hadath.store import write_records
    write_records("sqlite:///events.db", records, bodies={record.article.id: text})

`write_records` is idempotent: an article already stored (same id or same
normalized text) is skipped.
"""

from __future__ import annotations

__all__ = ["write_records", "get_engine", "resolve_url"]


def __getattr__(name: str):
    # SQLAlchemy is imported on first use, so `import hadath` stays light
    if name == "write_records":
        from hadath.store.write import write_records

        return write_records
    if name in ("get_engine", "resolve_url"):
        from hadath.store import db

        return getattr(db, name)
    raise AttributeError(name)
