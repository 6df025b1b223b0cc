"""Request limits for the API: body size, body upload time, rate per client, coding time per request.

Every refusal is a 4xx with the API's JSON error body
(`{"error": {"status": …, "message": …}}`):

| what | default | env | status |
|---|---|---|---|
| request body | 10,000,000 bytes | HADATH_MAX_BODY_BYTES | 413 |
| time to send the body | 30 s | HADATH_BODY_SECONDS | 408 |
| requests per client | 600 a minute, bursts of 120 | HADATH_RATE_PER_MIN (0: off), HADATH_RATE_BURST | 429 |
| coding one article | 10 s | HADATH_ARTICLE_SECONDS | error record (ArticleTimeout) |
| coding one request | 60 s | HADATH_REQUEST_SECONDS | error records for the rest |
| NUL in the path or query | — | — | 400 |

A client is its API key when it sends one (counted by the key's sha256, the key
itself is never kept), else its IP address. Article size and page size are
checked by the request models (422).
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import os
import time
from collections import OrderedDict
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass(frozen=True, slots=True)
class Limits:
    max_body_bytes: int = 10_000_000
    body_seconds: float = 30.0
    rate_per_minute: int = 600
    burst: int = 120
    article_seconds: float = 10.0
    request_seconds: float = 60.0

    @classmethod
    def from_env(cls) -> Limits:
        d = cls()
        return cls(max_body_bytes=int(os.environ.get("HADATH_MAX_BODY_BYTES", d.max_body_bytes)),
                   body_seconds=float(os.environ.get("HADATH_BODY_SECONDS", d.body_seconds)),
                   rate_per_minute=int(os.environ.get("HADATH_RATE_PER_MIN", d.rate_per_minute)),
                   burst=int(os.environ.get("HADATH_RATE_BURST", d.burst)),
                   article_seconds=float(os.environ.get("HADATH_ARTICLE_SECONDS", d.article_seconds)),
                   request_seconds=float(os.environ.get("HADATH_REQUEST_SECONDS", d.request_seconds)))


class RateLimiter:
    """Token buckets, one per client, refilled continuously; the least recently seen are forgotten
    past `max_clients` so that made-up keys cannot fill the memory."""

    def __init__(self, per_minute: int, burst: int, max_clients: int = 100_000) -> None:
        self.rate = per_minute / 60.0
        self.burst = max(1, burst)
        self.max_clients = max_clients
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, client: str, now: float | None = None) -> float:
        """0 when the request may go on, else the seconds until it could."""
        now = time.monotonic() if now is None else now
        tokens, last = self.buckets.pop(client, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        wait = 0.0
        if tokens >= 1.0:
            tokens -= 1.0
        else:
            wait = (1.0 - tokens) / self.rate
        self.buckets[client] = (tokens, now)
        while len(self.buckets) > self.max_clients:
            self.buckets.popitem(last=False)
        return wait


def client_of(scope: Scope) -> str:
    headers = dict(scope.get("headers") or [])
    key = headers.get(b"x-api-key")
    auth = headers.get(b"authorization", b"")
    if not key and auth[:7].lower() == b"bearer ":
        key = auth[7:].strip()
    if key:
        return "key:" + hashlib.sha256(key).hexdigest()[:32]
    client = scope.get("client")
    return "ip:" + (client[0] if client else "unknown")


class LimitsMiddleware:
    """Pure ASGI (the body is counted as it arrives, never buffered here)."""

    def __init__(self, app: ASGIApp, limits: Limits) -> None:
        self.app = app
        self.limits = limits
        self.rates = RateLimiter(limits.rate_per_minute, limits.burst) if limits.rate_per_minute > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.rates is not None:
            wait = self.rates.take(client_of(scope))
            if wait > 0:
                await _json_error(send, 429, f"too many requests: at most {self.limits.rate_per_minute} a minute "
                                             f"per client; try again in {math.ceil(wait)} s",
                                  {"retry-after": str(math.ceil(wait))})
                return
        if b"%00" in scope.get("query_string", b"") or "\x00" in scope.get("path", ""):
            # no text column takes NUL (PostgreSQL refuses it, SQLite cuts the string there): refuse it here
            await _json_error(send, 400, "NUL characters are not allowed in the URL")
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                size = int(declared)
            except ValueError:
                await _json_error(send, 400, "Content-Length is not a number")
                return
            if size > self.limits.max_body_bytes:
                await _json_error(send, 413, f"the request body has {size:,} bytes, over the limit of "
                                             f"{self.limits.max_body_bytes:,}")
                return
        await self.app(scope, self._bounded(receive), send)

    def _bounded(self, receive: Receive) -> Receive:
        """`receive` that stops a body over the size limit (chunked uploads declare none) or too slow to come."""
        limits = self.limits
        received = 0
        deadline: float | None = time.monotonic() + limits.body_seconds

        async def bounded() -> Message:
            nonlocal received, deadline
            if deadline is None:  # the body is in: `receive` now only waits for a disconnect
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), timeout=max(0.001, deadline - time.monotonic()))
            except asyncio.TimeoutError:
                raise HTTPException(408, f"the request body took longer than {limits.body_seconds:g} s "
                                         "to arrive") from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limits.max_body_bytes:
                    raise HTTPException(413, f"the request body is over the limit of {limits.max_body_bytes:,} "
                                             "bytes")
                if not message.get("more_body", False):
                    deadline = None
            return message

        return bounded


async def _json_error(send: Send, status: int, message: str, headers: dict[str, str] | None = None) -> None:
    import json

    body = json.dumps({"error": {"status": status, "message": message}}, ensure_ascii=False).encode("utf-8")
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def install_limits(app, limits: Limits | None = None) -> Limits:
    """Add the limits to a FastAPI app; returns them (the coding routes read the time budgets)."""
    limits = limits or Limits.from_env()
    app.add_middleware(LimitsMiddleware, limits=limits)
    app.state.limits = limits
    return limits
