"""Coding many articles: every input ends as a record, coded or carrying its error.

Time limit. `Options.time_limit_s` bounds one article two ways:

* `extract` checks a `Deadline` between its stages. That works in every thread
  (a Dask worker's task thread, a web server's thread pool) but cannot stop a
  stage that is itself running long.
* `code_one`, when it runs in the main thread of a process on a system with
  `setitimer`, also arms a one-shot SIGALRM whose handler raises
  `ArticleTimeout` inside the running stage. Signals can only be handled in the
  main thread, so elsewhere the timer is skipped and the between-stage checks
  stand alone. It is also skipped when someone else already owns SIGALRM or the
  real-time timer (pytest-timeout, an embedding application): we never take a
  handler away from its owner.

Neither can interrupt one C call (a single regex search) — the size limits
(`Options.max_chars`, the readers' `max_bytes`) and linear-time stages keep
those short. Either way the article gets an `ArticleTimeout` error record and
the batch goes on.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import signal
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from hadath.errors import ArticleTimeout, InputError
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


# NUL (no database text column takes it) and lone UTF-16 surrogates (JSON "\\ud800"; no UTF-8 writer takes them)
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def code_one(item: ArticleInput, options: Options = DEFAULT_OPTIONS, published: str | None = None) -> ArticleRecord:
    item, cleaned = _without_surrogates(item)
    art_id = item.id or _id_of(item.body, options) or item.origin
    try:
        # inside the try: a timer that fires while the `with` closes is still caught below
        with timer_signal(options.time_limit_s):
            record = extract(item.body, published=item.published or published, title=item.title, id=art_id,
                             url=item.url, source=item.source, options=options)
        if cleaned:
            record.warnings.append("NUL characters or lone UTF-16 surrogates in the input were read as U+FFFD")
        return record
    except InputError as e:
        return failure_record(art_id, e, item)
    except Exception as e:  # a bug must not cost the rest of the batch
        return failure_record(art_id, InputError(f"internal error while coding ({type(e).__name__}: {e})"), item)


def _without_surrogates(item: ArticleInput) -> tuple[ArticleInput, bool]:
    """The item with each NUL and lone surrogate replaced by U+FFFD, one character for one, so spans still hold."""
    changes = {f: _UNSTORABLE.sub("\ufffd", v) for f in ("body", "id", "title", "published", "url", "source")
               if isinstance(v := getattr(item, f), str) and _UNSTORABLE.search(v)}
    return (dataclasses.replace(item, **changes), True) if changes else (item, False)


def _id_of(body: str | None, options: Options) -> str | None:
    if not body or not body.strip():
        return None
    if len(body) > options.max_chars:
        # too large to normalize (it will be refused): a hash of the raw text still names it stably
        return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return article_id(body)


def _timer_usable(seconds: float | None) -> bool:
    if seconds is None or seconds <= 0 or not hasattr(signal, "setitimer"):
        return False
    if threading.current_thread() is not threading.main_thread():
        return False
    return signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN, None) \
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0


@contextmanager
def timer_signal(seconds: float | None) -> Iterator[None]:
    """Raise `ArticleTimeout` in the block after `seconds`, where a timer signal can be used (see above)."""
    if not _timer_usable(seconds):
        yield
        return

    def on_alarm(signum, frame):
        raise ArticleTimeout(f"coding took longer than the limit of {seconds:g} s "
                             "(stopped by the timer; set Options.time_limit_s to raise it)")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        # a signal caught but not yet handled is dropped once the default handler is back
        signal.signal(signal.SIGALRM, previous)


def failure_record(art_id: str, error: InputError, item: ArticleInput | None = None) -> ArticleRecord:
    info = ArticleInfo(id=art_id, url=item.url if item else None, source=item.source if item else None,
                       title=item.title if item else None, published=None)
    return ArticleRecord(article=info, events=[], warnings=[], error=f"{type(error).__name__}: {error}")
