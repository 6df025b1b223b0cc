"""The Dask side of warm-up: a worker plugin, so that each worker process loads the tables when it starts.

A worker that the nanny restarts after a crash runs the plugin again; one that
the plugin somehow missed still loads lazily on its first partition, once.
"""

from __future__ import annotations

from distributed.diagnostics.plugin import WorkerPlugin

from hadath.scale.worker import warm_up


class WarmUp(WorkerPlugin):
    idempotent = True  # registering it again (a second run on the same cluster) changes nothing

    def setup(self, worker) -> None:
        warm_up()
