"""`run`: hadath's pipeline over many files, on a local process pool or on Dask distributed.

    run(["news/*.jsonl.gz"], engine="dask", out="events.parquet")                 # LocalCluster on all cores
    run(paths, engine="dask", scheduler="tcp://host:8786", out="s3://bucket/out")  # an existing cluster
    run(paths, engine="local", workers=4, out="events.parquet")                   # a process pool

Steps: expand the inputs; cut them into partitions (the big files are inspected
on the workers); skip partitions an earlier run finished; code the rest, each
task writing its own Parquet files (nothing but small counts comes back to the
client); then, if asked, load the records into a database.

The engine only schedules. Reading, coding and writing are the same functions
(`hadath.scale.worker.code_partition`) on every engine, on the same partitions,
so the output is the same record for record whatever the engine or the number
of workers.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from hadath import __version__
from hadath.errors import HadathError
from hadath.pipeline import DEFAULT_OPTIONS, Options
from hadath.records import ArticleRecord
from hadath.scale.inputs import DEFAULT_PARTITION_SIZE, Partition, expand, is_url, plan
from hadath.scale.worker import DONE, TABLES, PartitionResult, code_partition, warm_up

ENGINES = ("local", "dask")
_AGAIN = "run the same command again to finish (finished partitions are kept and skipped)"


class RunError(HadathError):
    """A run that cannot start or finish as asked; the message says what to do."""


@dataclass
class WorkerStats:
    partitions: int = 0
    cpu_s: float = 0.0  # CPU time spent coding partitions
    peak_rss_mb: float = 0.0
    lexicon_loads: int = 0
    resource_loads: int = 0
    resources_loaded: int = 0
    warmup_s: float = 0.0


@dataclass
class RunSummary:
    engine: str
    workers: int
    out: str
    partitions: int = 0  # in the plan
    skipped: int = 0  # finished by an earlier run
    articles: int = 0  # coded articles in the output (this run and earlier ones)
    events: int = 0
    failures: int = 0  # articles that could not be coded
    coded: int = 0  # articles (coded or failed) this run read
    startup_s: float = 0.0  # partition plan and engine start (workers warmed up), before coding began
    coding_s: float = 0.0  # from the first partition sent to the last one finished
    seconds: float = 0.0  # the whole call
    dashboard: str | None = None
    per_worker: dict[str, WorkerStats] = field(default_factory=dict)  # "host:pid" → stats
    results: list[PartitionResult] = field(default_factory=list)

    @property
    def articles_per_s(self) -> float:
        return self.coded / self.coding_s if self.coding_s else 0.0

    def describe(self) -> str:
        peak = max((w.peak_rss_mb for w in self.per_worker.values()), default=0.0)
        return (f"{self.articles:,} articles coded, {self.failures:,} failed, {self.events:,} events "
                f"in {self.partitions} partitions ({self.skipped} already done) → {self.out}\n"
                f"{self.coded:,} articles read this run in {self.coding_s:.1f} s ({self.articles_per_s:,.1f}/s) "
                f"on {self.workers} worker(s) [{self.engine}]; start-up {self.startup_s:.1f} s; "
                f"peak memory per worker {peak:,.0f} MB")


def run(paths: list[str], engine: str = "local", workers: int | None = None, scheduler: str | None = None,
        out: str | Path | None = None, db: str | None = None, options: Options = DEFAULT_OPTIONS,
        progress: bool = True, *, partition_size: int = DEFAULT_PARTITION_SIZE) -> RunSummary:
    """Code every article under `paths` into partitioned Parquet under `out` (and rows in `db`)."""
    t0 = time.perf_counter()
    if engine not in ENGINES:
        raise RunError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
    if scheduler and engine != "dask":
        raise RunError("a scheduler address needs --engine dask")
    if workers is not None and workers < 1:
        raise RunError("workers must be at least 1")
    if partition_size < 1:
        raise RunError("partition size must be at least 1")
    write_records = _store_writer() if db else None
    if out is None and db is None:
        raise RunError("say where the records go: an output folder (--out) and/or a database (--db)")
    tmp_out = None
    if out is None:  # database only: Parquet is still the resumable staging area
        import tempfile

        tmp_out = tempfile.mkdtemp(prefix="hadath-run-")
        out = tmp_out
    out = str(out) if is_url(str(out)) else os.path.abspath(out)
    sources = expand(paths)
    if not sources:
        raise RunError(f"no input file matches {' '.join(paths)}")

    # the plan and the checks need no engine: a wrong output folder fails before any cluster starts
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as threads:  # counting lines is I/O and zlib, which run outside the GIL
        parts = plan(sources, partition_size, threads.map)
    _check_out(out, options, partition_size, parts)
    todo = [p for p in parts if p.key not in _finished(out)]
    summary = RunSummary(engine, workers or 0, out, partitions=len(parts), skipped=len(parts) - len(todo))
    if todo:
        with _engine(engine, workers, scheduler) as eng:
            summary.workers, summary.dashboard = eng.workers, eng.dashboard
            if eng.dashboard:
                print(f"hadath: Dask dashboard at {eng.dashboard}", file=sys.stderr)
            t1 = time.perf_counter()
            summary.startup_s = t1 - t0
            bar = _progress_bar(len(parts), len(parts) - len(todo), progress)
            for r in eng.run_partitions(todo, out, options):
                summary.results.append(r)
                summary.coded += r.articles + r.failures
                bar.update(1)
                bar.set_postfix_str(f"{summary.coded / max(time.perf_counter() - t1, 1e-9):,.0f} articles/s")
            bar.close()
            summary.coding_s = time.perf_counter() - t1
    _totals(summary, out)
    _clean_temporaries(out)
    if write_records:
        _load_database(write_records, db, out, parts, progress)
    if tmp_out:
        import shutil

        shutil.rmtree(tmp_out, ignore_errors=True)
    summary.seconds = time.perf_counter() - t0
    return summary


def read_records(out: str | Path) -> list[ArticleRecord]:
    """Every record in a run's output, rebuilt from its tables, in partition and input order."""
    import pyarrow.parquet as pq

    from hadath.scale.schema import ARTICLES, EVENTS, FAILURES, records_from_tables

    tables = [_read_table(pq, f"{out}/{name}", schema) for name, schema in zip(TABLES, (ARTICLES, EVENTS, FAILURES),
                                                                                strict=True)]
    return records_from_tables(*tables)


def _read_table(pq, path: str, schema):
    if not is_url(path) and not os.path.isdir(path):
        return schema.empty_table()
    return pq.read_table(path, schema=schema)


# ---------------------------------------------------------------- engines

class _Engine:
    workers: int = 1
    dashboard: str | None = None

    def run_partitions(self, parts: list[Partition], out: str, options: Options) -> Iterator[PartitionResult]:
        raise NotImplementedError

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        pass


class _LocalEngine(_Engine):
    """A process pool on this machine; each process warms up once when it starts."""

    def __init__(self, workers: int | None):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.workers = workers or os.cpu_count() or 1
        # spawn, not fork: every worker starts clean and loads the tables itself, as on a cluster
        self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=warm_up)
        # start every process and wait for its warm-up, so that start-up is paid (and timed) before coding
        seen: set[int] = set()
        for _ in range(100):
            seen.update(self.pool.map(_warm_pid, range(self.workers)))
            if len(seen) >= self.workers:
                break

    def run_partitions(self, parts, out, options):
        from concurrent.futures import as_completed
        from concurrent.futures.process import BrokenProcessPool

        futures = {self.pool.submit(code_partition, p, out, options): p for p in parts}
        for f in as_completed(futures):
            try:
                yield f.result()
            except BrokenProcessPool as e:
                raise RunError(f"a worker process died; {_AGAIN}") from e
            except Exception as e:  # e.g. the output disk is full: the message names the partition
                raise RunError(f"partition {futures[f].key} failed ({type(e).__name__}: {e}); {_AGAIN}") from e

    def close(self):
        self.pool.shutdown(cancel_futures=True)


class _DaskEngine(_Engine):
    """Dask distributed: an existing scheduler, or a LocalCluster with one single-threaded worker per core."""

    def __init__(self, workers: int | None, scheduler: str | None):
        try:
            from distributed import Client, LocalCluster
        except ImportError as e:
            raise RunError("the dask engine needs dask[distributed]: pip install 'dask[distributed]'") from e
        from hadath.scale.dask_plugin import WarmUp

        self.cluster = None
        if scheduler:
            self.client = Client(scheduler)
        else:
            # one thread per worker process: the pipeline is pure Python, threads would share one GIL
            self.cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                                        processes=True)
            self.client = Client(self.cluster)
        self.client.register_plugin(WarmUp(), name="hadath-warm-up")  # runs on every worker, now and later
        self.workers = len(self.client.scheduler_info(n_workers=-1)["workers"]) or (workers or 1)
        self.dashboard = self.client.dashboard_link

    def run_partitions(self, parts, out, options):
        from distributed import as_completed

        if not parts:
            return
        token = os.urandom(4).hex()
        # named by partition: the dashboard shows which slice a task codes; retried if a worker dies
        futures = self.client.map(code_partition, parts, out=out, options=options, retries=2,
                                  key=[f"hadath-code-{p.key}-{token}" for p in parts])
        for f in as_completed(futures):
            try:
                yield f.result()
            except Exception as e:  # its worker died again and again (KilledWorker), or it raised twice
                raise RunError(f"a partition failed ({type(e).__name__}: {e}); {_AGAIN}") from e
            f.release()

    def close(self):
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _warm_pid(_: int) -> int:
    warm_up()
    time.sleep(0.02)  # long enough for the other processes to take their share of these tasks
    return os.getpid()


def _engine(engine: str, workers: int | None, scheduler: str | None) -> _Engine:
    return _LocalEngine(workers) if engine == "local" else _DaskEngine(workers, scheduler)


# ---------------------------------------------------------------- output folder

def _check_out(out: str, options: Options, size: int, parts: list[Partition]) -> None:
    """Refuse to mix runs: same options and partition size, and no finished partition of other inputs."""
    manifest = {"hadath": __version__, "options": asdict(options), "partition_size": size}
    path = f"{out}/_run.json"
    from hadath.scale.worker import _exists, _read, _write_atomic

    if _exists(path):
        old = json.loads(_read(path))
        if {k: old.get(k) for k in ("options", "partition_size")} != {k: manifest[k] for k in
                                                                        ("options", "partition_size")}:
            raise RunError(f"{out} holds a run with other settings ({old}); use a new output folder")
    stray = _finished(out) - {p.key for p in parts}
    if stray:
        raise RunError(f"{out} holds {len(stray)} finished partition(s) of other inputs "
                       f"(e.g. {sorted(stray)[0]}); use a new output folder")
    _write_atomic(path, lambda fh: fh.write(json.dumps(manifest, indent=1).encode("utf-8")))


def _finished(out: str) -> set[str]:
    if is_url(out):
        import fsspec

        fs, p = fsspec.core.url_to_fs(f"{out}/{DONE}")
        names = [os.path.basename(n) for n in fs.ls(p, detail=False)] if fs.exists(p) else []
    else:
        d = Path(out) / DONE
        names = [n.name for n in d.iterdir()] if d.is_dir() else []
    return {n[:-5] for n in names if n.endswith(".json") and not n.startswith(".")}


def _totals(summary: RunSummary, out: str) -> None:
    """Totals from the markers of every finished partition; per-worker stats from this run's results."""
    from hadath.scale.worker import _read

    for key in _finished(out):
        counts = json.loads(_read(f"{out}/{DONE}/{key}.json"))
        summary.articles += counts["articles"]
        summary.events += counts["events"]
        summary.failures += counts["failures"]
    for r in summary.results:
        w = summary.per_worker.setdefault(f"{r.host}:{r.pid}", WorkerStats())
        w.partitions += 1
        w.cpu_s += r.cpu_s
        w.peak_rss_mb = max(w.peak_rss_mb, r.peak_rss_mb)
        w.lexicon_loads = max(w.lexicon_loads, r.lexicon_loads)
        w.resource_loads = max(w.resource_loads, r.resource_loads)
        w.resources_loaded = max(w.resources_loaded, r.resources_loaded)
        w.warmup_s = max(w.warmup_s, r.warmup_s)


def _clean_temporaries(out: str) -> None:
    """Remove half-written files a killed worker left behind (hidden, so never read as data)."""
    if is_url(out):
        return
    for sub in (*TABLES, DONE):
        d = Path(out) / sub
        if d.is_dir():
            for f in d.glob(".*.tmp"):
                f.unlink(missing_ok=True)


def _progress_bar(total: int, initial: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, initial=initial, unit=" partitions", disable=not enabled, file=sys.stderr,
                dynamic_ncols=True)


# ---------------------------------------------------------------- database

def _store_writer():
    try:
        from hadath.store import write_records
    except ImportError as e:
        raise RunError("writing to a database needs hadath.store.write_records, which this installation "
                       "does not have; leave out --db and load the Parquet output later") from e
    return write_records


def _load_database(write_records, db: str, out: str, parts: list[Partition], progress: bool) -> None:
    """Load the records into the database partition by partition: one writer, bounded memory.

    The texts are read again from the inputs (cheap next to coding) so that the store can keep them,
    find duplicates by text and recode later. The store's writes are idempotent: a rerun adds nothing twice.
    """
    import pyarrow.parquet as pq
    from tqdm import tqdm

    from hadath.ingest.readers import ArticleInput
    from hadath.pipeline import article_id
    from hadath.scale.inputs import read_partition
    from hadath.scale.schema import records_from_tables

    for p in tqdm(parts, unit=" partitions", desc="database", disable=not progress, file=sys.stderr):
        tables = [pq.read_table(f"{out}/{name}/{p.key}.parquet") for name in TABLES]
        bodies = {item.id or article_id(item.body): item.body for item in read_partition(p)
                  if isinstance(item, ArticleInput) and item.body.strip()}
        write_records(db, records_from_tables(*tables), bodies)
