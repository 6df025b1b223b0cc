"""Coding many articles: every input ends as a record, coded or carrying its error."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from hadath.errors import InputError
from hadath.ingest.readers import ArticleFailure, ArticleInput, Item
from hadath.pipeline import DEFAULT_OPTIONS, Options, article_id, extract
from hadath.records import ArticleInfo, ArticleRecord


def code_items(items: Iterable[Item], options: Options = DEFAULT_OPTIONS,
               published: str | None = None) -> Iterator[ArticleRecord]:
    for item in items:
        if isinstance(item, ArticleFailure):
            yield failure_record(item.id or item.origin, item.error)
            continue
        yield code_one(item, options, published)


def code_one(item: ArticleInput, options: Options = DEFAULT_OPTIONS, published: str | None = None) -> ArticleRecord:
    art_id = item.id or (article_id(item.body) if item.body and item.body.strip() else item.origin)
    try:
        return extract(item.body, published=item.published or published, title=item.title, id=art_id,
                       url=item.url, source=item.source, options=options)
    except InputError as e:
        return failure_record(art_id, e, item)
    except Exception as e:  # a bug must not cost the rest of the batch
        return failure_record(art_id, InputError(f"internal error while coding ({type(e).__name__}: {e})"), item)


def failure_record(art_id: str, error: InputError, item: ArticleInput | None = None) -> ArticleRecord:
    info = ArticleInfo(id=art_id, url=item.url if item else None, source=item.source if item else None,
                       title=item.title if item else None, published=None)
    return ArticleRecord(article=info, events=[], warnings=[], error=f"{type(error).__name__}: {error}")
