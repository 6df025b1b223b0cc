"""What runs in a worker process: warm up once, then code partitions and write their Parquet files.

The lexicons, gazetteer and coding tables are loaded by cached loaders
(`default_lexicon`, `compiled`, …) that live for the life of the process. A
worker warms them once when it starts (`warm_up`, called by the process pool's
initializer or by the Dask `WarmUp` plugin), and every partition after that
finds them loaded. `PartitionResult` reports the loaders' miss counts so that a
test can check they stayed at one load per process.

Output of a partition is written whole or not at all: each table to a hidden
temporary file, renamed into place, and a marker in `_done/` last. A partition
with a marker is finished; one without is coded again and its files replaced, so
a rerun after any crash completes without duplicates.
"""

from __future__ import annotations

import json
import os
import socket
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from hadath.batch import code_items
from hadath.pipeline import DEFAULT_OPTIONS, Options
from hadath.scale.inputs import Partition, is_url, read_partition

TABLES = ("articles", "events", "failures")
DONE = "_done"  # pyarrow's dataset discovery skips names starting with "_" or "."

_state: dict[str, float] = {}  # per process: when warm-up ran and how long it took


@dataclass
class PartitionResult:
    key: str
    articles: int = 0
    events: int = 0
    failures: int = 0
    skipped: bool = False  # already finished by an earlier run
    seconds: float = 0.0
    cpu_s: float = 0.0  # CPU time this process spent on the partition: the cost measure, whatever the load
    pid: int = 0
    host: str = ""
    peak_rss_mb: float = 0.0  # the worker process's peak resident memory so far
    lexicon_loads: int = 0  # times this process built the merged lexicon
    resource_loads: int = 0  # times this process read a compiled table from disk
    resources_loaded: int = 0  # distinct compiled tables held
    warmup_s: float = 0.0


def warm_up(_: object = None) -> float:
    """Load every lexicon, table and model once in this process: code the bundled example, identify English."""
    if "warmup_s" not in _state:
        # one process per core: numerical libraries must not start a thread per core each (Dask does the same)
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(var, "1")
        from hadath.batch import code_one
        from hadath.ingest.readers import ArticleInput

        t0 = time.perf_counter()
        example = Path(__file__).resolve().parents[1] / "examples" / "example.txt"
        code_one(ArticleInput(example.read_text(encoding="utf-8"), "warm-up", published="2015-08-06"))
        from hadath.text.language import detect_language

        detect_language("Loads the language identifier's model, needed for any article not in Arabic.")
        _state["warmup_s"] = time.perf_counter() - t0
    return _state["warmup_s"]


def loader_counts() -> tuple[int, int, int]:
    from hadath.lexicon.matcher import default_lexicon
    from hadath.lexicon.resources import compiled

    lex, res = default_lexicon.cache_info(), compiled.cache_info()
    return lex.misses, res.misses, res.currsize


def peak_rss_mb() -> float:
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    except ImportError:  # no `resource` (Windows): the current size is the best psutil offers there
        import psutil

        return psutil.Process().memory_info().rss / 2**20


def code_partition(part: Partition, out: str, options: Options = DEFAULT_OPTIONS) -> PartitionResult:
    """Code one partition and write its three Parquet files and its marker; skip it if already done."""
    import pyarrow.parquet as pq

    from hadath.scale.schema import tables

    t0, c0 = time.perf_counter(), time.process_time()
    key = part.key
    result = PartitionResult(key, pid=os.getpid(), host=socket.gethostname())
    marker = f"{out}/{DONE}/{key}.json"
    if _exists(marker):
        result.skipped = True
        _fill(result, json.loads(_read(marker)), t0)
        return result
    result.warmup_s = warm_up()
    records = list(code_items(read_partition(part), options))
    articles, events, failures = tables(records, key)
    for name, table in zip(TABLES, (articles, events, failures), strict=True):
        _write_atomic(f"{out}/{name}/{key}.parquet", lambda fh, t=table: pq.write_table(t, fh, compression="zstd"))
    counts = {"articles": articles.num_rows, "events": events.num_rows, "failures": failures.num_rows,
              "path": part.path, "start": part.start, "end": part.end}
    _write_atomic(marker, lambda fh: fh.write(json.dumps(counts).encode("utf-8")))
    _fill(result, counts, t0)
    result.cpu_s = time.process_time() - c0
    return result


def _fill(result: PartitionResult, counts: dict, t0: float) -> None:
    result.articles, result.events, result.failures = counts["articles"], counts["events"], counts["failures"]
    result.lexicon_loads, result.resource_loads, result.resources_loaded = loader_counts()
    result.peak_rss_mb = peak_rss_mb()
    result.seconds = time.perf_counter() - t0


def result_dict(result: PartitionResult) -> dict:
    return asdict(result)


# ---------------------------------------------------------------- files, local or fsspec

def _write_atomic(path: str, write) -> None:
    if is_url(path):  # object stores publish an object whole when it is closed
        import fsspec

        with fsspec.open(path, "wb") as fh:
            write(fh)
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.{uuid.uuid4().hex}.tmp")
    try:
        with open(tmp, "wb") as fh:
            write(fh)
        os.replace(tmp, path)  # atomic: readers see the old file or the new one, never half of one
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _exists(path: str) -> bool:
    if is_url(path):
        import fsspec

        fs, p = fsspec.core.url_to_fs(path)
        return fs.exists(p)
    return os.path.exists(path)


def _read(path: str) -> str:
    if is_url(path):
        import fsspec

        with fsspec.open(path, "rt", encoding="utf-8") as fh:
            return fh.read()
    with open(path, encoding="utf-8") as fh:
        return fh.read()
