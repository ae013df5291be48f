"""The Dask engine: the same batches as the local pool, on a dask.distributed cluster.

Without a scheduler address a `LocalCluster` of worker processes is started
for the run and stopped after it.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator


@contextmanager
def dask_client(scheduler: str | None, workers: int) -> Iterator:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:  # the extra was not installed
        raise RuntimeError("the Dask engine needs dask.distributed: "
                           "pip install 'auditor[dask]'") from exc
    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        yield client
