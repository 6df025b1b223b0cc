"""Inputs at scale: expand paths into files, cut files into partitions, read one partition.

A partition is a fixed slice of one input (lines of a JSONL file, row groups of a
Parquet file, a whole WARC file, or a group of small text/HTML files). The cut
depends only on the input and the partition size, never on the engine or the
number of workers, so every engine codes the same slices and names their output
the same way: that is what makes reruns skip finished work and never duplicate it.

Reading reuses `hadath.ingest.readers` so that a line gives exactly the record
that `hadath extract` would give it, line numbers in messages included.
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import io
import json
import os
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain, islice, repeat

from hadath.errors import MalformedRecord
from hadath.ingest.readers import ArticleFailure, ArticleInput, Item, decode_bytes, read_jsonl_lines, read_path

DEFAULT_PARTITION_SIZE = 1000  # articles (lines, rows, files) per partition: ~7 s of work on one core

# name endings → kind of input; checked in this order (longest first)
_KINDS = (
    ((".jsonl.gz", ".ndjson.gz"), "jsonl.gz"),
    ((".jsonl", ".ndjson"), "jsonl"),
    ((".parquet", ".pq"), "parquet"),
    ((".warc.gz", ".warc"), "warc"),
    ((".txt", ".html", ".htm", ".xhtml"), "files"),
)
_PARQUET_COLUMNS = ("id", "body", "text", "title", "published", "url", "source")


@dataclass(frozen=True, slots=True)
class Source:
    """One input file: `path` as the user wrote it (for messages), `url` to open it anywhere."""

    path: str
    url: str
    kind: str


@dataclass(frozen=True, slots=True)
class Partition:
    """Lines/rows [start, stop) of one file (stop None: to the end), or a group of small files."""

    path: str
    url: str
    kind: str
    start: int = 0
    stop: int | None = None
    offset: int | None = None  # byte offset of line `start`, where the file can seek to it
    row_groups: tuple[int, int] | None = None  # Parquet row groups [first, last)
    files: tuple[str, ...] = ()  # kind "files": the group's paths
    end: int = 0  # number of the last line/row covered (for the key; `stop` may be None)

    @property
    def key(self) -> str:
        """Stable name of the partition's output: readable file name, range, and a digest of the source."""
        ident = "\0".join([self.url, self.kind, *self.files])
        digest = hashlib.sha1(ident.encode("utf-8")).hexdigest()[:10]
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", os.path.basename(self.url.rstrip("/")))[:40] or "input"
        return f"{stem}-{digest}-{self.start:010d}-{self.end:010d}"


# ---------------------------------------------------------------- discovery

def kind_of(name: str) -> str | None:
    low = name.lower()
    for endings, kind in _KINDS:
        if low.endswith(endings):
            return kind
    return None


def is_url(path: str) -> bool:
    """An fsspec URL (s3://, gs://, file://, …): opened through fsspec rather than as a local path."""
    return "://" in path


def expand(patterns: Iterable[str]) -> list[Source]:
    """Glob patterns, directories and paths (local or fsspec URLs) → input files, sorted, without repeats."""
    found: dict[str, Source] = {}
    for pattern in patterns:
        for path in _expand_one(pattern):
            url = path if is_url(path) else os.path.abspath(path)
            kind = kind_of(path) or "files"  # like `hadath extract`: anything else is one plain-text article
            found.setdefault(url, Source(path, url, kind))
    return sorted(found.values(), key=lambda s: s.url)


def _expand_one(pattern: str) -> list[str]:
    if is_url(pattern):
        import fsspec

        fs, _, paths = fsspec.core.get_fs_token_paths(pattern)
        return sorted(fs.unstrip_protocol(p) for p in paths)
    if any(c in pattern for c in "*?["):
        return sorted(p for p in glob.glob(pattern, recursive=True) if os.path.isfile(p))
    if os.path.isdir(pattern):
        return sorted(os.path.join(root, f) for root, _, files in os.walk(pattern) for f in files
                      if kind_of(f))
    return [pattern] if os.path.isfile(pattern) else []


def plan(sources: list[Source], size: int = DEFAULT_PARTITION_SIZE, map_fn=map) -> list[Partition]:
    """Cut every source into partitions. `map_fn` lets an engine inspect big files in parallel."""
    big = [s for s in sources if s.kind != "files"]
    small = [s for s in sources if s.kind == "files"]
    parts: list[Partition] = []
    for cut in map_fn(inspect, big, [size] * len(big)):
        parts.extend(cut)
    for i in range(0, len(small), size):  # many one-article files: `size` files a partition
        group = small[i:i + size]
        parts.append(Partition(group[0].path, group[0].url, "files", i, i + len(group),
                               files=tuple(s.url for s in group), end=i + len(group)))
    return parts


def inspect(source: Source, size: int) -> list[Partition]:
    """Partitions of one file; reads the file once (counting lines, or Parquet metadata only)."""
    if source.kind == "parquet":
        return _inspect_parquet(source, size)
    if source.kind == "warc":
        return [Partition(source.path, source.url, "warc")]
    return _inspect_jsonl(source, size)


def _inspect_jsonl(source: Source, size: int) -> list[Partition]:
    starts: list[int] = [0]  # line numbers (0-based) where partitions begin
    offsets: list[int | None] = [0]
    n, pos, has_cr = 0, 0, False
    with _open_binary(source) as fh:
        try:
            for line in fh:  # binary lines split at b"\n" only, in C
                n += 1
                pos += len(line)
                has_cr = has_cr or b"\r" in line
                if n % size == 0:
                    starts.append(n)
                    offsets.append(pos)
        except (OSError, EOFError):
            pass  # a broken gzip stream: the last partition reads up to the break and reports it
    if has_cr:
        # a lone CR also ends a line for the text reader (universal newlines): count as it does
        n = _count_text_lines(source)
        starts = list(range(0, n, size)) or [0]
        offsets = [None] * len(starts)
    if source.kind == "jsonl.gz":
        offsets = [None] * len(starts)  # a gzip stream cannot seek: partitions skip lines instead
    if n == 0:
        return [Partition(source.path, source.url, source.kind, 0, None, 0, end=0)]
    if starts[-1] >= n:
        starts.pop()
    parts = []
    for i, first in enumerate(starts):
        last = i == len(starts) - 1
        stop = None if last else starts[i + 1]  # the last partition reads to the end of the file
        parts.append(Partition(source.path, source.url, source.kind, first, stop, offsets[i],
                               end=n if last else starts[i + 1]))
    return parts


def _count_text_lines(source: Source) -> int:
    with _open_text(source) as text:
        n = 0
        try:
            for _ in text:
                n += 1
        except (OSError, EOFError):
            pass
        return n


def _inspect_parquet(source: Source, size: int) -> list[Partition]:
    import pyarrow.parquet as pq

    with _open_raw(source.url) as fh:
        meta = pq.ParquetFile(fh).metadata
    parts, first_rg, first_row, rows = [], 0, 0, 0
    for rg in range(meta.num_row_groups):
        rows += meta.row_group(rg).num_rows
        if rows - first_row >= size or rg == meta.num_row_groups - 1:
            parts.append(Partition(source.path, source.url, "parquet", first_row, rows, row_groups=(first_rg, rg + 1),
                                   end=rows))
            first_rg, first_row = rg + 1, rows
    return parts


# ---------------------------------------------------------------- reading

def read_partition(part: Partition) -> Iterator[Item]:
    """The articles of one partition, as `hadath extract` would read them."""
    if part.kind in ("jsonl", "jsonl.gz"):
        yield from _read_jsonl(part)
    elif part.kind == "parquet":
        yield from _read_parquet(part)
    elif part.kind == "warc":
        yield from _read_warc(part)
    else:
        for f in part.files:
            yield from read_path(f)


def _read_jsonl(part: Partition) -> Iterator[Item]:
    source = Source(part.path, part.url, part.kind)
    try:
        with _open_text(source, part.offset) as text:
            if part.offset is None:
                deque(islice(text, part.start), maxlen=0)  # skip to the partition's first line
            lines = text if part.stop is None else islice(text, part.stop - part.start)
            # blank lines in front keep the reader's line numbers those of the whole file
            yield from read_jsonl_lines(chain(repeat("", part.start), lines), part.path)
    except (OSError, EOFError) as e:
        if part.kind != "jsonl.gz":
            raise
        # the same record as `hadath extract` gives a broken gzip stream
        yield ArticleFailure(part.path, MalformedRecord(f"{part.path}: the gzip stream is broken ({e}); "
                                                        "articles before the break were read"))


def _read_parquet(part: Partition) -> Iterator[Item]:
    import pyarrow.parquet as pq

    assert part.row_groups is not None
    with _open_raw(part.url) as fh:
        pf = pq.ParquetFile(fh)
        columns = [c for c in _PARQUET_COLUMNS if c in pf.schema_arrow.names]
        rows = pf.read_row_groups(list(range(*part.row_groups)), columns=columns).to_pylist()
    # each row as the JSON line it stands for: one reading of id/body/title/published for every format
    lines = (json.dumps(row, ensure_ascii=False, default=_json_value) for row in rows)
    yield from read_jsonl_lines(chain(repeat("", part.start), lines), part.path)


def _json_value(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _read_warc(part: Partition) -> Iterator[Item]:
    from warcio.archiveiterator import ArchiveIterator

    with _open_raw(part.url) as fh:
        for n, record in enumerate(ArchiveIterator(fh), 1):
            if record.rec_type not in ("response", "resource"):
                continue
            if record.rec_type == "response" and record.http_headers is not None:
                ctype = record.http_headers.get_header("Content-Type") or ""
            else:
                ctype = record.rec_headers.get_header("Content-Type") or ""
            if "html" not in ctype.lower():
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            yield html_item(record.content_stream().read(), f"{part.path}#{n}", url)


def html_item(data: bytes, origin: str, url: str | None) -> Item:
    """One HTML page in bytes → article, through trafilatura as `readers.read_html` does for a file."""
    import trafilatura

    try:
        html = decode_bytes(data, origin)
    except Exception as e:
        return ArticleFailure(origin, MalformedRecord(str(e)))
    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    except Exception as e:  # trafilatura can fail deep in lxml on broken markup
        return ArticleFailure(origin, MalformedRecord(f"{origin}: the HTML could not be parsed ({e})"))
    if doc is None or not getattr(doc, "text", None):
        return ArticleFailure(origin, MalformedRecord(f"{origin}: no main text found in the HTML page"))
    return ArticleInput(doc.text, None, doc.title, doc.date, url or doc.url, doc.sitename, origin)


# ---------------------------------------------------------------- opening files

def _open_raw(url: str):
    if is_url(url):
        import fsspec

        return fsspec.open(url, "rb").open()
    return open(url, "rb")


def _open_binary(source: Source):
    gz = source.kind == "jsonl.gz"
    if is_url(source.url):
        import fsspec

        return fsspec.open(source.url, "rb", compression="gzip" if gz else None).open()
    return gzip.open(source.url, "rb") if gz else open(source.url, "rb")


def _open_text(source: Source, offset: int | None = None) -> io.TextIOWrapper:
    binary = _open_binary(source)
    if offset:
        binary.seek(offset)
    # the reader's own settings: UTF-8, bad bytes replaced, universal newlines
    return io.TextIOWrapper(binary, encoding="utf-8", errors="replace")
