"""The contract: typed event records mirroring ../shared/spec/event-record.md.

These models are the single source of truth: the JSONL that `hadath extract`
writes, the JSON schema (`hadath schema`), and later the API and database all
derive from them. Fields may be added; none may change meaning.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

EventType = Literal[
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
]
Sector = Literal[
    "GOV", "MIL", "REB", "PTY", "COP", "SPY", "JUD", "LEG", "CVL", "MED", "IGO", "NGO", "REL", "BUS", "REF",
]
Span = tuple[int, int]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Why(_Record):
    """Where a field came from: the rule or lexicon entry, and the words it saw."""

    rule: str
    entry: str | None = None
    text: str | None = None


class Actor(_Record):
    name: str = Field(description="English Wikipedia title of the entity, or a descriptive name")
    text: str = Field(description="the Arabic words as written")
    span: Span
    country: str | None = Field(None, description="ISO 3166-1 alpha-3")
    sector: Sector | None = None
    wikidata: str | None = None
    why: Why | None = None


class Place(_Record):
    name: str
    text: str
    span: Span
    geonameid: int | None = None
    lat: float
    lon: float
    country: str | None = None
    admin1: str | None = None
    precision: Literal["point", "city", "admin1", "country", "region"]
    why: Why | None = None


class EventDate(_Record):
    start: str
    end: str
    precision: Literal["day", "week", "month", "year"]
    text: str
    span: Span
    why: Why | None = None


class Count(_Record):
    value: int
    qualifier: Literal["exact", "at_least", "at_most", "approx"]
    children: int | None = None
    women: int | None = None
    text: str
    span: Span


class Casualties(_Record):
    killed: Count | None = None
    injured: Count | None = None
    arrested: Count | None = None
    missing: Count | None = None
    displaced: Count | None = None


class Acled(_Record):
    event_type: str
    sub_event_type: str | None = None


class Attribution(_Record):
    speaker: Actor | None = None
    channel: str
    span: Span


class Evidence(_Record):
    sentence: str
    span: Span
    trigger: str
    trigger_span: Span


class Event(_Record):
    id: str
    event_type: EventType
    mode: str | None = None
    cameo: str | None = None
    acled: Acled | None = None
    source: list[Actor] = Field(default_factory=list)
    target: list[Actor] = Field(default_factory=list)
    location: Place | None = None
    date: EventDate | None = None
    casualties: Casualties = Field(default_factory=Casualties)
    attribution: Attribution | None = None
    evidence: Evidence
    confidence: float = Field(ge=0.0, le=1.0)
    why: list[Why] = Field(default_factory=list, description="the trigger entry and rules behind the event")


class ArticleInfo(_Record):
    id: str
    url: str | None = None
    source: str | None = None
    title: str | None = None
    published: str | None = None
    language: str = "ar"


class ArticleRecord(_Record):
    article: ArticleInfo
    events: list[Event] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    error: str | None = Field(None, description="why the article could not be coded, if it could not")

    def to_json_line(self) -> str:
        return self.model_dump_json(exclude_none=False) + "\n"


def json_schema() -> dict:
    return ArticleRecord.model_json_schema()
