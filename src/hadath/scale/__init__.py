"""hadath past one machine: the same pipeline over many files on a process pool or Dask distributed."""

from hadath.scale.runner import RunError, RunSummary, read_records, run

__all__ = ["RunError", "RunSummary", "read_records", "run"]
