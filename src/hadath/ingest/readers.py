"""Readers: files of any supported kind in, one `ArticleInput` (or a failure) per article out.

Supported: plain text (.txt and anything unknown, one article a file), JSON
lines (.jsonl, .jsonl.gz; `-` is standard input), HTML pages (.html, .htm,
through trafilatura). A reader never raises for bad content: it yields an
`ArticleFailure` naming the article and the reason, and goes on.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from hadath.errors import BinaryInput, InputError, MalformedRecord, UndecodableInput

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


def read_paths(paths: list[str]) -> Iterator[Item]:
    for p in paths:
        yield from read_path(p)


def read_path(path: str) -> Iterator[Item]:
    if path == "-":
        yield from read_jsonl_lines(io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace"), "<stdin>")
        return
    p = Path(path)
    if not p.is_file():
        yield ArticleFailure(path, InputError(f"{path}: no such file"))
        return
    name = p.name.lower()
    if name.endswith((".jsonl", ".ndjson")):
        with p.open(encoding="utf-8", errors="replace") as fh:
            yield from read_jsonl_lines(fh, path)
    elif name.endswith((".jsonl.gz", ".ndjson.gz")):
        try:
            with gzip.open(p, "rt", encoding="utf-8", errors="replace") as fh:
                yield from read_jsonl_lines(fh, path)
        except (OSError, EOFError) as e:
            yield ArticleFailure(path, MalformedRecord(f"{path}: the gzip stream is broken ({e}); "
                                                       "articles before the break were read"))
    elif name.endswith((".html", ".htm", ".xhtml")):
        yield read_html(p)
    else:
        yield read_text_file(p)


def read_jsonl_lines(lines, origin: str) -> Iterator[Item]:
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{origin}:{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            yield ArticleFailure(where, MalformedRecord(f"{where}: not a JSON object ({e.msg})"))
            continue
        if not isinstance(obj, dict):
            yield ArticleFailure(where, MalformedRecord(f"{where}: a JSON {type(obj).__name__}, not an object"))
            continue
        body = obj.get("body", obj.get("text"))
        art_id = _str_or_none(obj.get("id"))
        if not isinstance(body, str):
            yield ArticleFailure(where, MalformedRecord(f"{where}: no 'body' or 'text' string"), art_id)
            continue
        yield ArticleInput(body, art_id, _str_or_none(obj.get("title")), _str_or_none(obj.get("published")),
                           _str_or_none(obj.get("url")), _str_or_none(obj.get("source")), where)


def read_text_file(p: Path) -> Item:
    try:
        body = decode_bytes(p.read_bytes(), str(p))
    except InputError as e:
        return ArticleFailure(str(p), e, p.stem)
    return ArticleInput(body, None, None, None, None, None, str(p))


def read_html(p: Path) -> Item:
    import trafilatura  # imported late: it is only needed for HTML

    try:
        html = decode_bytes(p.read_bytes(), str(p))
    except InputError as e:
        return ArticleFailure(str(p), e, p.stem)
    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    except Exception as e:  # trafilatura can fail deep in lxml on broken markup
        return ArticleFailure(str(p), MalformedRecord(f"{p}: the HTML could not be parsed ({e})"), p.stem)
    if doc is None or not getattr(doc, "text", None):
        return ArticleFailure(str(p), MalformedRecord(f"{p}: no main text found in the HTML page"), p.stem)
    return ArticleInput(doc.text, None, doc.title, doc.date, doc.url, doc.sitename, str(p))


def decode_bytes(data: bytes, origin: str) -> str:
    """UTF-8 first (with or without BOM), UTF-16 by its BOM, then the Arabic code pages."""
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
    return str(value)
