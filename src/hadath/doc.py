"""The document that flows through the stages: raw text, normalized text, tokens, findings."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from hadath.lexicon.matcher import Match
from hadath.text.normalize import Normalized
from hadath.text.segment import Sentence, Token


@dataclass(slots=True)
class ActorMention:
    name: str
    country: str | None
    sector: str | None
    first: int  # token span
    last: int
    start: int  # normalized-text span
    end: int
    rule: str  # lexicon:<id>, agent+country, adjective, country, …
    named: bool  # a specific entity (lexicon), not a description ("civilians")
    from_adjective: bool = False
    conj_before: bool = False  # the mention starts with the conjunction و: "… وحماس"
    air: bool = False  # an agent meaning the air force («الطيران الحربي»): named by the country's air arm
    security: bool = False  # «القوات الأمنية»: named by the country's security forces as a whole, where it has such
    person: bool = False  # one person, by name (lexicon or NER), not a body or a group


@dataclass(slots=True)
class PlaceMention:
    index: int  # into compiled places
    first: int
    last: int
    start: int
    end: int
    preposition: str | None  # the word or clitic before it: في، ب، على …


@dataclass(slots=True)
class Doc:
    norm: Normalized
    published: date | None
    tokens: list[Token]
    sentences: list[Sentence]
    matches: list[Match] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    sentence_of_token: list[int] = field(default_factory=list)
    home: str | None = None  # the country the article is mostly about (extract.places.home_country)
    countries: Counter = field(default_factory=Counter)  # how often each country is named (article_countries)

    @property
    def raw(self) -> str:
        return self.norm.raw

    @property
    def text(self) -> str:
        return self.norm.text

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        return self.norm.offsets.span_to_raw(start, end)

    def raw_text(self, start: int, end: int) -> str:
        s, e = self.raw_span(start, end)
        return self.raw[s:e]
