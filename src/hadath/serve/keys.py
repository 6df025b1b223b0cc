"""API keys: made once, shown once, stored as sha256 only."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timezone

from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from hadath.store.schema import api_keys

PREFIX = "hdk_"


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_key(engine: Engine, name: str) -> str:
    """A new key; the caller shows it once — the database keeps only its hash."""
    key = PREFIX + secrets.token_urlsafe(32)
    with engine.begin() as conn:
        conn.execute(api_keys.insert().values(name=name, key_sha256=digest(key), created_at=_now()))
    return key


def verify_key(engine: Engine, key: str | None) -> bool:
    if not key:
        return False
    with engine.connect() as conn:
        row = conn.execute(select(api_keys.c.id).where(api_keys.c.key_sha256 == digest(key),
                                                       api_keys.c.revoked_at.is_(None))).first()
    return row is not None


def list_keys(engine: Engine) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(select(api_keys.c.id, api_keys.c.name, api_keys.c.created_at, api_keys.c.revoked_at)
                            .order_by(api_keys.c.id)).mappings().all()
    return [dict(r) for r in rows]


def revoke_key(engine: Engine, key_id: int) -> bool:
    with engine.begin() as conn:
        n = conn.execute(update(api_keys).where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
                         .values(revoked_at=_now())).rowcount
    return bool(n)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
