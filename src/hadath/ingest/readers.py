"""Readers: files of any supported kind in, one `ArticleInput` (or a failure) per article out.

Supported: plain text (.txt and anything unknown, one article a file), JSON
lines (.jsonl, .jsonl.gz; `-` is standard input), HTML pages (.html, .htm,
through trafilatura). A reader never raises for bad content: it yields an
`ArticleFailure` naming the article and the reason, and goes on.

Memory is bounded before decoding: a file, or one JSON line, over `max_bytes`
(default `MAX_BYTES`, 10 MB) is refused with `ArticleTooLarge` without being read
whole — a JSON line is read in pieces and the rest of an overlong line skipped.
The character limit (`Options.max_chars`) applies later, to the decoded body.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from hadath.errors import ArticleTooLarge, BinaryInput, InputError, MalformedRecord, UndecodableInput

# Largest file or JSON line read (bytes). 1,000,000 Arabic characters (Options.max_chars) take 2 MB in
# UTF-8 and up to 6 MB as JSON \u escapes; scraped HTML pages are a few times their text.
MAX_BYTES = 10_000_000

# encodings Arabic sites have used, tried in this order after UTF-8
_ARABIC_ENCODINGS = ("cp1256", "iso8859_6")


@dataclass(slots=True)
class ArticleInput:
    body: str
    id: str | None = None
    title: str | None = None
    published: str | None = None
    url: str | None = None
    source: str | None = None
    origin: str = ""  # file and line, for messages


@dataclass(slots=True)
class ArticleFailure:
    origin: str
    error: InputError
    id: str | None = None


Item = ArticleInput | ArticleFailure


def read_paths(paths: list[str], max_bytes: int = MAX_BYTES) -> Iterator[Item]:
    for p in paths:
        yield from read_path(p, max_bytes)


def read_path(path: str, max_bytes: int = MAX_BYTES) -> Iterator[Item]:
    if path == "-":
        yield from read_jsonl_lines(bounded_lines(sys.stdin.buffer, max_bytes), "<stdin>", max_bytes)
        return
    p = Path(path)
    if not p.is_file():
        yield ArticleFailure(path, InputError(f"{path}: no such file"))
        return
    name = p.name.lower()
    if name.endswith((".jsonl", ".ndjson")):
        with p.open("rb") as fh:
            yield from read_jsonl_lines(bounded_lines(fh, max_bytes), path, max_bytes)
    elif name.endswith((".jsonl.gz", ".ndjson.gz")):
        try:
            # read in bounded lines too: a gzip bomb never inflates past one line of max_bytes
            with gzip.open(p, "rb") as fh:
                yield from read_jsonl_lines(bounded_lines(fh, max_bytes), path, max_bytes)
        except (OSError, EOFError, zlib.error) as e:
            yield ArticleFailure(path, MalformedRecord(f"{path}: the gzip stream is broken ({e}); "
                                                       "articles before the break were read"))
    elif name.endswith((".html", ".htm", ".xhtml")):
        yield read_html(p, max_bytes)
    else:
        yield read_text_file(p, max_bytes)


class LineTooLong(str):
    """Stands for a line over the byte limit; its text is a prefix, only for the message."""

    size: int = 0


def bounded_lines(fh: BinaryIO, max_bytes: int = MAX_BYTES) -> Iterator[str]:
    """Lines of a binary stream as UTF-8 text, never holding more than `max_bytes` of one line;
    an overlong line comes out once as a `LineTooLong`, its rest read and dropped."""
    while True:
        line = fh.readline(max_bytes + 1)
        if not line:
            return
        if len(line) > max_bytes and not line.endswith(b"\n"):
            size = len(line)
            while True:  # skip to the end of the line in pieces
                rest = fh.readline(1 << 20)
                size += len(rest)
                if not rest or rest.endswith(b"\n"):
                    break
            marker = LineTooLong(line[:60].decode("utf-8", errors="replace"))
            marker.size = size
            yield marker
            continue
        yield line.decode("utf-8", errors="replace")


def read_jsonl_lines(lines: Iterable[str], origin: str, max_bytes: int = MAX_BYTES) -> Iterator[Item]:
    for n, line in enumerate(lines, 1):
        where = f"{origin}:{n}"
        if isinstance(line, LineTooLong) or _over(line, max_bytes):
            size = line.size if isinstance(line, LineTooLong) else len(line.encode("utf-8", "surrogatepass"))
            yield ArticleFailure(where, ArticleTooLarge(f"{where}: the JSON line has {size:,} bytes, over the "
                                                        f"reader's limit of {max_bytes:,}"))
            continue
        if n == 1:
            line = line.lstrip("\ufeff")  # a UTF-8 byte order mark before the first object
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            yield ArticleFailure(where, MalformedRecord(f"{where}: not a JSON object ({e.msg})"))
            continue
        except RecursionError:  # [[[[…]]]] nested deeper than the parser's stack
            yield ArticleFailure(where, MalformedRecord(f"{where}: JSON nested too deeply"))
            continue
        if not isinstance(obj, dict):
            yield ArticleFailure(where, MalformedRecord(f"{where}: a JSON {type(obj).__name__}, not an object"))
            continue
        body = obj.get("body", obj.get("text"))
        art_id = _str_or_none(obj.get("id"))
        if not isinstance(body, str):
            yield ArticleFailure(where, MalformedRecord(f"{where}: no 'body' or 'text' string"), art_id)
            continue
        yield ArticleInput(clean_text(body), art_id, _str_or_none(obj.get("title")), _str_or_none(obj.get("published")),
                           _str_or_none(obj.get("url")), _str_or_none(obj.get("source")), where)


def _over(line: str, max_bytes: int) -> bool:
    # a character takes 1 to 4 bytes: encode only when the length alone cannot tell
    return len(line) > max_bytes or (len(line) * 4 > max_bytes
                                     and len(line.encode("utf-8", "surrogatepass")) > max_bytes)


def read_bytes_bounded(p: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes, refusing before reading one over `max_bytes`."""
    with p.open("rb") as fh:
        data = fh.read(max_bytes + 1)  # the size a stat reports can lie (pipes, /proc); the read cannot
    if len(data) > max_bytes:
        size = max(p.stat().st_size, len(data))
        raise ArticleTooLarge(f"{p}: the file has {size:,} bytes, over the reader's limit of {max_bytes:,}")
    return data


def read_text_file(p: Path, max_bytes: int = MAX_BYTES) -> Item:
    try:
        body = decode_bytes(read_bytes_bounded(p, max_bytes), str(p), max_bytes)
    except InputError as e:
        return ArticleFailure(str(p), e, p.stem)
    except OSError as e:  # unreadable: permissions, a directory behind a link, I/O error
        return ArticleFailure(str(p), InputError(f"{p}: cannot be read ({e.strerror or e})"), p.stem)
    return ArticleInput(body, None, None, None, None, None, str(p))


def read_html(p: Path, max_bytes: int = MAX_BYTES) -> Item:
    import trafilatura  # imported late: it is only needed for HTML

    try:
        html = decode_bytes(read_bytes_bounded(p, max_bytes), str(p), max_bytes)
    except InputError as e:
        return ArticleFailure(str(p), e, p.stem)
    except OSError as e:
        return ArticleFailure(str(p), InputError(f"{p}: cannot be read ({e.strerror or e})"), p.stem)
    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    except Exception as e:  # trafilatura can fail deep in lxml on broken markup
        return ArticleFailure(str(p), MalformedRecord(f"{p}: the HTML could not be parsed ({e})"), p.stem)
    if doc is None or not getattr(doc, "text", None):
        return ArticleFailure(str(p), MalformedRecord(f"{p}: no main text found in the HTML page"), p.stem)
    return ArticleInput(doc.text, None, doc.title, doc.date, doc.url, doc.sitename, str(p))


def decode_bytes(data: bytes, origin: str, max_bytes: int = MAX_BYTES) -> str:
    """UTF-8 first (with or without BOM), UTF-16 by its BOM, then the Arabic code pages."""
    if len(data) > max_bytes:
        raise ArticleTooLarge(f"{origin}: {len(data):,} bytes, over the reader's limit of {max_bytes:,}")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise UndecodableInput(f"{origin}: UTF-16 byte order mark but invalid UTF-16 ({e.reason})") from e
    if b"\x00" in data[:4096]:
        raise BinaryInput(f"{origin}: binary data (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # both code pages decode most bytes; the right one yields Arabic letters, the wrong one Latin ones
    readings = []
    for enc in _ARABIC_ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        readings.append((_arabic_share(text), text))
    if readings:
        share, text = max(readings, key=lambda r: r[0])
        if share > 0.5:
            return text
    raise UndecodableInput(f"{origin}: not UTF-8, and not Arabic text in windows-1256 or ISO-8859-6")


def _arabic_share(text: str) -> float:
    letters = [c for c in text[:4000] if c.isalpha()]
    return sum("\u0621" <= c <= "\u064a" for c in letters) / len(letters) if letters else 0.0


def _str_or_none(value) -> str | None:
    if value is None:
        return None
    return clean_text(str(value))


# NUL (no database text column takes it) and lone UTF-16 surrogates (JSON "\\ud800"; no UTF-8 writer takes them)
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Each NUL and lone surrogate as U+FFFD: one character for one, so offsets into the text still hold."""
    return _UNSTORABLE.sub("\ufffd", text) if _UNSTORABLE.search(text) else text
