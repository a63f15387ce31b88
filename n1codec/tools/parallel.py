"""Run one function over many files: in this process, in a process pool, or on a dask cluster.

:func:`map_files` is the one place where bench and other batch commands decide
how work is spread. The function given to it must be a top-level (picklable)
function, and items and results must pickle: they cross process boundaries.

Results come back in completion order, as soon as each is ready, so a caller
can show progress and keep what finished when the user presses Ctrl-C. The
caller identifies results by what the function returns (e.g. a file name), not
by their position.

Schedulers:

* ``workers=1`` (default): a plain loop in this process; nothing is pickled.
* ``workers=N > 1``: a pool of N worker processes (``spawn`` start method, so
  the workers are clean interpreters whatever threads this process runs).
  Workers ignore SIGINT: Ctrl-C interrupts the parent, which stops the pool.
* ``scheduler="tcp://host:port"`` (or ``"local[:N]"``, a ``distributed.Client``
  or a dask cluster object): one dask task per item on a dask.distributed
  cluster; see :mod:`n1codec.tools.distributed`. Without dask installed it raises
  :class:`SchedulerUnavailableError` naming the install command.
"""
from __future__ import annotations

import signal
from typing import Callable, Iterable, Iterator, Optional, Sequence, TypeVar

from ..pipeline import available_cpus

T = TypeVar("T")
R = TypeVar("R")


def default_workers() -> int:
    """Worker processes to use for ``--workers 0`` (auto): the CPUs this process may run on."""
    return available_cpus()


def map_files(func: Callable[[T], R], items: Iterable[T], workers: int = 1,
              scheduler: Optional[str] = None) -> Iterator[R]:
    """Apply ``func`` to every item; yield the results in completion order.

    ``workers`` > 1 runs a process pool of that size; ``scheduler`` runs one dask
    task per item on a dask.distributed cluster (:mod:`n1codec.tools.distributed`). An exception raised by ``func`` stops the
    iteration and propagates to the caller. Closing the iterator early (break,
    Ctrl-C, an exception in the caller) stops the pool and its workers.
    """
    items = list(items)
    if scheduler is not None:
        return _map_distributed(func, items, scheduler)
    if workers is None or workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers!r}")
    if workers == 1 or len(items) <= 1:
        return (func(item) for item in items)
    return _map_pool(func, items, min(workers, len(items)))


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _map_pool(func: Callable[[T], R], items: Sequence[T], workers: int) -> Iterator[R]:
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    pool = ctx.Pool(processes=workers, initializer=_ignore_sigint)
    finished = False
    try:
        # chunksize 1: files are large units of work, and order stays close to
        # submission order (bench relies on that to complete one codec at a time).
        for result in pool.imap_unordered(func, items, chunksize=1):
            yield result
        finished = True
    finally:
        if finished:
            pool.close()
        else:
            pool.terminate()
        pool.join()


def _map_distributed(func: Callable[[T], R], items: Sequence[T], scheduler: str) -> Iterator[R]:
    """The dask.distributed branch: one task per item (``pure=False``) on the cluster at
    ``scheduler``, results in completion order like the pool branch; an early close cancels
    the futures and closes the client. SchedulerUnavailableError names the install command
    when ``distributed`` is not importable."""
    from .distributed import map_distributed  # n1codec/tools/distributed.py: connection, checks, cancelling
    return map_distributed(func, items, scheduler)
