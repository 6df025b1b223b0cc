"""The REST API and the dashboard, one FastAPI app over the event store.

    hadath serve --db hadath.db            # then open http://127.0.0.1:8000/ (dashboard), /docs (OpenAPI)

Reads are open unless the app is started with `require_read_key`; writes
(`POST /v1/articles`) always need a key made with `hadath apikey create`, sent as
`X-API-Key: …` or `Authorization: Bearer …`. Every error is JSON:
`{"error": {"status": 404, "message": "…"}}`.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field, field_validator
from sqlalchemy import func, select
from starlette.exceptions import HTTPException as StarletteHTTPException

from hadath import __version__
from hadath.ingest.readers import clean_text
from hadath.pipeline import DEFAULT_OPTIONS
from hadath.records import ArticleRecord, EventType
from hadath.serve.limits import Limits, install_limits
from hadath.store.query import EventFilter

STATIC = Path(__file__).parent / "static"


class ArticleIn(BaseModel):
    """One article to code."""

    text: str = Field(max_length=DEFAULT_OPTIONS.max_chars, description="the article body, Arabic")
    published: str | None = Field(None, description="publication date YYYY-MM-DD (resolves relative dates)")
    title: str | None = None
    id: str | None = Field(None, description="stable id; default: sha256 of the normalized body, first 16 hex")
    url: str | None = None
    source: str | None = Field(None, description="outlet name")

    @field_validator("text", "published", "title", "id", "url", "source")
    @classmethod
    def _storable(cls, value: str | None) -> str | None:
        # NUL as U+FFFD, as the readers do: PostgreSQL text cannot hold it, and offsets stay the same
        return None if value is None else clean_text(value)


class ExtractIn(BaseModel):
    articles: list[ArticleIn] = Field(min_length=1, max_length=100)
    min_confidence: float = Field(0.0, ge=0.0, le=1.0)


class ExtractOut(BaseModel):
    records: list[ArticleRecord]


class StoreOut(BaseModel):
    coded: int
    failed: int
    skipped: int
    events: int
    records: list[ArticleRecord]


# -- filters shared by the list, the timeline and the exports ----------------------------------------------
def event_filter(
    type: Annotated[list[EventType] | None, Query(description="PLOVER type; repeat for several")] = None,
    actor: Annotated[str | None, Query(description="part of an actor's English name or Arabic words")] = None,
    country: Annotated[str | None, Query(min_length=3, max_length=3, description="ISO 3166-1 alpha-3")] = None,
    date_from: Annotated[date | None, Query(description="YYYY-MM-DD")] = None,
    date_to: Annotated[date | None, Query(description="YYYY-MM-DD")] = None,
    bbox: Annotated[str | None, Query(description="min_lon,min_lat,max_lon,max_lat")] = None,
    q: Annotated[str | None, Query(description="free text, Arabic or English: every word must occur")] = None,
    outlet: Annotated[str | None, Query(description="news outlet of a source article")] = None,
    min_sources: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
):
    box = None
    if bbox:
        try:
            box = tuple(float(v) for v in bbox.split(","))
        except ValueError:
            box = ()
        if len(box) != 4 or not (-180 <= box[0] <= box[2] <= 180 and -90 <= box[1] <= box[3] <= 90):
            raise HTTPException(422, "bbox must be min_lon,min_lat,max_lon,max_lat with min ≤ max, in degrees")
    if date_from and date_to and date_from > date_to:
        raise HTTPException(422, "date_from is after date_to")
    return EventFilter(event_type=list(type) if type else None, actor=actor or None, country=country,
                       date_from=date_from, date_to=date_to, bbox=box, q=q or None, outlet=outlet or None,
                       min_sources=min_sources, limit=limit, offset=offset)


Filter = Annotated[EventFilter, Depends(event_filter)]


def create_app(db: str | None = None, *, require_read_key: bool | None = None) -> FastAPI:
    from hadath.store.db import get_engine, resolve_url

    if require_read_key is None:
        require_read_key = os.environ.get("HADATH_READ_KEY_REQUIRED", "") not in ("", "0", "false")
    url = resolve_url(db)
    engine = get_engine(url)
    app = FastAPI(title="hadath", version=__version__,
                  description="Arabic news coded into political and conflict events: canonical events merged "
                              "across articles, their sources and the evidence in each article.")
    limits = install_limits(app)  # body size and upload time, rate per client; the coding budgets below

    # -- errors: always JSON with a status and a message -------------------------------------------------------
    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException):
        return JSONResponse({"error": {"status": exc.status_code, "message": exc.detail}}, status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError):
        details = [{"where": ".".join(str(p) for p in e.get("loc", ())), "problem": e.get("msg")}
                   for e in exc.errors()]
        return JSONResponse({"error": {"status": 422, "message": "invalid request: " + "; ".join(
            f"{d['where']}: {d['problem']}" for d in details), "details": details}}, status_code=422)

    # -- keys ---------------------------------------------------------------------------------------------------
    def presented_key(x_api_key: str | None, authorization: str | None) -> str | None:
        if x_api_key:
            return x_api_key
        if authorization and authorization.lower().startswith("bearer "):
            return authorization[7:].strip()
        return None

    def check(key: str | None) -> None:
        from hadath.serve.keys import verify_key

        if key is None:
            raise HTTPException(401, "an API key is required: send it as 'X-API-Key: …' "
                                     "(make one with `hadath apikey create`)", headers={"WWW-Authenticate": "Bearer"})
        if not verify_key(engine, key):
            raise HTTPException(403, "this API key is not valid (unknown or revoked)")

    def write_key(x_api_key: Annotated[str | None, Header()] = None,
                  authorization: Annotated[str | None, Header()] = None) -> None:
        check(presented_key(x_api_key, authorization))

    def read_key(x_api_key: Annotated[str | None, Header()] = None,
                 authorization: Annotated[str | None, Header()] = None) -> None:
        if require_read_key:
            check(presented_key(x_api_key, authorization))

    reads = [Depends(read_key)]


    # -- routes -------------------------------------------------------------------------------------------------
    @app.get("/v1/health", dependencies=reads, tags=["meta"])
    def health() -> dict:
        from hadath.store.schema import SCHEMA_VERSION, articles, canonical_events, events, failures

        with engine.connect() as conn:
            counts = {t.name: conn.execute(select(func.count()).select_from(t)).scalar()
                      for t in (articles, events, canonical_events, failures)}
        return {"status": "ok", "version": __version__, "database": engine.dialect.name,
                "schema_version": SCHEMA_VERSION, "counts": counts, "read_key_required": require_read_key}

    @app.post("/v1/extract", dependencies=reads, response_model=ExtractOut, tags=["coding"])
    def extract(body: ExtractIn) -> dict:
        """Code articles and return their records; nothing is stored."""
        return {"records": _code(body, limits)}

    @app.post("/v1/articles", dependencies=[Depends(write_key)], response_model=StoreOut, tags=["coding"])
    def store_articles(body: ExtractIn) -> dict:
        """Code articles and store them (needs an API key). Articles already stored are skipped."""
        from hadath.store.write import write_records

        records = _code(body, limits)
        bodies = {r.article.id: a.text for r, a in zip(records, body.articles, strict=True)}
        out = write_records(url, records, bodies)
        return {"coded": out.coded, "failed": out.failed, "skipped": out.skipped, "events": out.events,
                "records": records}

    @app.get("/v1/events", dependencies=reads, tags=["events"])
    def list_events(f: Filter) -> dict:
        """Canonical events (one per real-world happening, merged across articles), newest first."""
        from hadath.store.query import list_events as query

        with engine.connect() as conn:
            total, rows = query(conn, f)
        return {"total": total, "limit": f.limit, "offset": f.offset, "events": rows}

    @app.get("/v1/timeline", dependencies=reads, tags=["events"])
    def timeline(f: Filter) -> dict:
        """How many canonical events of the filter happened on each day."""
        from hadath.store.query import timeline as query

        with engine.connect() as conn:
            return {"days": query(conn, f)}

    @app.get("/v1/export/{fmt}", dependencies=reads, tags=["exports"],
             responses={200: {"content": {"text/csv": {}, "application/x-ndjson": {}, "application/geo+json": {},
                                          "application/vnd.apache.parquet": {}}}})
    def export(fmt: Literal["acled", "plover", "geojson", "parquet"], f: Filter):
        """Every event of the filter (paging ignored): ACLED-style CSV, PLOVER JSON lines, GeoJSON or Parquet."""
        from hadath.serve import exports

        if fmt == "parquet":
            with engine.connect() as conn:
                data = exports.parquet(conn, f)
            return Response(data, media_type="application/vnd.apache.parquet",
                            headers={"Content-Disposition": 'attachment; filename="hadath-events.parquet"'})
        producer, media, name = {"acled": (exports.acled_csv, "text/csv; charset=utf-8", "hadath-acled.csv"),
                                 "plover": (exports.plover_jsonl, "application/x-ndjson", "hadath-plover.jsonl"),
                                 "geojson": (exports.geojson, "application/geo+json", "hadath-events.geojson")}[fmt]

        def stream():
            with engine.connect() as conn:
                yield from producer(conn, f)

        return StreamingResponse(stream(), media_type=media,
                                 headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @app.get("/v1/events/{event_id}", dependencies=reads, tags=["events"])
    def get_event(event_id: str) -> dict:
        """A canonical event (or the one an article-level event id belongs to), every source and its evidence."""
        from hadath.store.query import event_detail

        with engine.connect() as conn:
            ev = event_detail(conn, event_id)
        if ev is None:
            raise HTTPException(404, f"no event {event_id!r}")
        return ev

    @app.get("/v1/articles", dependencies=reads, tags=["articles"])
    def search_articles(q: Annotated[str, Query(min_length=1, description="free text, Arabic or English")],
                        limit: Annotated[int, Query(ge=1, le=1000)] = 50,
                        offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0) -> dict:
        from hadath.store.query import find_articles

        with engine.connect() as conn:
            return {"articles": find_articles(conn, q, limit, offset)}

    @app.get("/v1/articles/{article_id}", dependencies=reads, tags=["articles"])
    def get_article(article_id: str) -> dict:
        """An article's text, its events and every evidence span (offsets into the text, in characters)."""
        from hadath.store.query import article_detail

        with engine.connect() as conn:
            art = article_detail(conn, article_id)
        if art is None:
            raise HTTPException(404, f"no article {article_id!r}")
        return art

    # -- dashboard ----------------------------------------------------------------------------------------------
    @app.get("/", include_in_schema=False)
    def dashboard():
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def _code(body: ExtractIn, limits: Limits) -> list[ArticleRecord]:
    import time

    from hadath.batch import code_one, failure_record
    from hadath.errors import ArticleTimeout
    from hadath.ingest.readers import ArticleInput
    from hadath.pipeline import Options

    # each article has its own time limit, and the request a budget: what is left when it is spent gets
    # an error record instead of holding the connection (and a worker thread) for minutes
    deadline = time.monotonic() + limits.request_seconds
    records = []
    for a in body.articles:
        item = ArticleInput(a.text, a.id, a.title, a.published, a.url, a.source, "request")
        left = deadline - time.monotonic()
        if left <= 0:
            records.append(failure_record(a.id or "request", ArticleTimeout(
                f"the request's coding budget of {limits.request_seconds:g} s was spent before this article"), item))
            continue
        options = Options(min_confidence=body.min_confidence, time_limit_s=min(limits.article_seconds, left))
        records.append(code_one(item, options))
    return records
