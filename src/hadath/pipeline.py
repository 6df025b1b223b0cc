"""The one public call: an article in, an event record out.

    record = hadath.extract(text, published="2022-08-22", title=...)

Stages, each a plain function over the `Doc` (see DESIGN.md):
normalize → segment → match lexicons → actors, places, numbers, dates →
frames → casualties → assemble. `Options` holds every setting; the CLI maps its
flags onto it in one place.
"""

from __future__ import annotations

import hashlib
import time
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from functools import partial

from hadath.doc import Doc
from hadath.errors import ArticleTimeout, ArticleTooLarge, EmptyArticle, InputError
from hadath.extract.actors import find_actors, outside_places
from hadath.extract.assemble import assemble
from hadath.extract.casualties import find_casualties
from hadath.extract.entities import add_named_entities
from hadath.extract.frames import FrameFinder, count_acts
from hadath.extract.places import article_countries, find_places, home_country
from hadath.extract.when import find_dates, find_durations
from hadath.learn.decide import EventModels, add_sure_sides, decide, default_models, read_frames
from hadath.lexicon.matcher import default_lexicon
from hadath.records import ArticleInfo, ArticleRecord, Event
from hadath.text.language import detect_language
from hadath.text.normalize import normalize_ar
from hadath.text.numbers import find_numbers
from hadath.text.segment import segment


@dataclass(frozen=True, slots=True)
class Options:
    min_confidence: float = 0.0
    max_chars: int = 1_000_000  # larger articles are refused with an error, not cut silently
    explain: bool = True  # keep the `why` of every field
    # seconds one article may take; None for no limit. Checked between stages here, and in the main
    # thread also by a timer signal (hadath.batch.code_one) that stops a stage running long.
    time_limit_s: float | None = 30.0
    # names no lexicon knows, from the shipped NER model (hadath.ner), in clauses with an event
    ner: bool = True
    # let the shipped event models (hadath.learn, `hadath train events`) decide which candidates are
    # events, of which type, and their sides; False codes by the hand rules alone
    model: bool = True


DEFAULT_OPTIONS = Options()


class Deadline:
    """The time left to one article, checked between stages.

    A check costs a clock read, and works in any thread; it cannot stop a stage
    already running (that is the timer signal's job where one can be used).
    """

    __slots__ = ("seconds", "at")

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.at = None if seconds is None else time.monotonic() + seconds

    def check(self, stage: str) -> None:
        if self.at is not None and time.monotonic() > self.at:
            raise ArticleTimeout(f"coding took longer than the limit of {self.seconds:g} s "
                                 f"(stopped after {stage}; set Options.time_limit_s to raise it)")


NO_DEADLINE = Deadline(None)


def article_id(body: str) -> str:
    """A stable id: sha256 of the normalized, whitespace-folded body, first 16 hex."""
    key = " ".join(normalize_ar(body).text.split())
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def parse_published(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError as e:
        raise InputError(f"published date {value!r} is not YYYY-MM-DD") from e


def extract(text: str, published: str | date | None = None, title: str | None = None, *,
            id: str | None = None, url: str | None = None, source: str | None = None,
            options: Options = DEFAULT_OPTIONS) -> ArticleRecord:
    """Code one article. Bad input raises an `InputError` with the reason."""
    if text is None or not text.strip():
        raise EmptyArticle("the article has no text")
    if len(text) > options.max_chars:
        raise ArticleTooLarge(f"the article has {len(text):,} characters, over the limit of "
                              f"{options.max_chars:,} (set --max-chars to raise it)")
    deadline = Deadline(options.time_limit_s)
    day = parse_published(published)
    info = ArticleInfo(id=id or article_id(text), url=url, source=source, title=title,
                       published=day.isoformat() if day else None)
    warnings: list[str] = []
    language = detect_language(text)
    if language != "ar":
        info.language = language
        warnings.append(f"the article is not in Arabic (language identified as {language!r}); no events coded")
        return ArticleRecord(article=info, events=[], warnings=warnings)
    if day is None:
        warnings.append("no publication date: relative dates (today, yesterday, weekdays) are not resolved")
    doc = build_doc(text, day, deadline, ner=options.ner)
    models = default_models() if options.model else None
    events = [e for e in code_events(doc, deadline=deadline, models=models)
              if e.confidence >= options.min_confidence]
    if not options.explain:
        events = [_without_why(e) for e in events]
    return ArticleRecord(article=info, events=events, warnings=warnings)


def build_doc(text: str, published: date | None, deadline: Deadline = NO_DEADLINE, ner: bool = True) -> Doc:
    norm = normalize_ar(text)
    deadline.check("normalization")
    tokens, sentences = segment(norm.text)
    deadline.check("segmentation")
    doc = Doc(norm, published, tokens, sentences)
    starts = [s.first_token for s in sentences]
    doc.sentence_of_token = [max(0, bisect_right(starts, k) - 1) for k in range(len(tokens))]
    doc.matches = default_lexicon().match(tokens)
    deadline.check("lexicon matching")
    # from the lexicon matches, which the later stages do not change
    doc.countries = article_countries(doc)
    doc.home = home_country(doc)
    doc.actors = find_actors(doc, doc.home)
    deadline.check("actors")
    doc.places = find_places(doc)
    doc.actors = outside_places(doc.actors, doc.places)
    deadline.check("places")
    if ner:
        add_named_entities(doc, doc.home)
        deadline.check("named entities")
    return doc


def code_events(doc: Doc, features: list[dict[str, float]] | None = None, deadline: Deadline = NO_DEADLINE,
                models: EventModels | None = None):
    """The rules' events, and with `models` also the events the models find among the candidates the
    rules left unused (dropped, or with a side they could not fill)."""
    frames = FrameFinder(doc, keep_dropped=models is not None).find()
    deadline.check("frames")
    numbers = find_numbers(doc.text)
    count_acts(doc, frames, numbers)
    casualties = find_casualties(doc, numbers)
    deadline.check("casualties")
    dates = find_dates(doc.text, doc.published)
    durations = find_durations(doc.text)
    deadline.check("dates")
    used: set[int] = set()
    more_sides = None
    if models is not None:
        read_frames(doc, frames)
        more_sides = partial(add_sure_sides, doc, models)
    events = assemble(doc, [f for f in frames if not f.dropped], casualties, dates, durations, features, used,
                      more_sides=more_sides)
    deadline.check("assembly")
    if models is not None:
        # only what the rules left is scored: a trigger they coded needs no type
        left = decide(doc, [f for f in frames if f.match.first not in used], models, frames)
        more_features: list[dict[str, float]] = []
        more = assemble(doc, left, casualties, dates, durations, more_features, None, len(events) + 1)
        for e, feats in zip(more, more_features, strict=True):
            if not any(_same_event(e, r) for r in events):
                events.append(e)
                if features is not None:
                    features.append(feats)
        deadline.check("learned decisions")
    return events


def _same_event(a: Event, b: Event) -> bool:
    """Is a model's event one the rules already coded (same type, a side shared each way)?"""
    def names(actors):
        return {x.name for x in actors}

    return a.event_type == b.event_type and bool(names(a.source) & names(b.source)) and \
        bool(names(a.target) & names(b.target))


def _without_why(event):
    return event.model_copy(update={"why": []})
