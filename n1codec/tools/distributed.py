"""The dask.distributed branch of :func:`n1codec.tools.parallel.map_files`: batch work on a cluster.

When one machine is not enough (many recordings, a large collection to bench
or compress), the same per-file function runs as one dask task per file on a
dask.distributed cluster. n1codec does no job distribution of its own: dask
schedules, retries lost workers, and reports failures.

``scheduler`` may be:

* an address: ``"tcp://host:8786"`` (any address ``distributed.Client`` takes);
* ``"local"`` or ``"local:N"``: a LocalCluster of N worker processes on this
  machine (default: one per CPU), started and stopped around the work;
* a ``distributed.Client`` (used as it is and left open) or a cluster object
  (``LocalCluster``, ``SLURMCluster``, ...; a client is opened on it and closed).

Pointing at a real cluster::

    # on the scheduler machine
    dask scheduler                                  # listens on tcp://<host>:8786
    # on every worker machine (same n1codec version installed, data on a shared filesystem)
    dask worker tcp://<host>:8786 --nworkers 1 --nthreads 1
    # anywhere that reaches the scheduler
    n1codec bench /shared/recordings --scheduler tcp://<host>:8786
    python -m n1codec.tools.batch compress /shared/recordings /shared/n1 --scheduler tcp://<host>:8786

Workers read inputs and write outputs by path, so paths must mean the same
thing on every worker (a shared or network filesystem, or identical mounts).
One thread per worker keeps bench timings single-core; for compressing, more
threads per worker are fine (the C core releases the GIL).
"""
from __future__ import annotations

from typing import Any, Callable, Iterator, List, Optional, Sequence, Tuple

from ..errors import N1CodecError, SchedulerUnavailableError

INSTALL_HINT = 'pip install "n1codec[dask]"'
#: Seconds to wait for a scheduler before giving up with a clear error.
CONNECT_TIMEOUT = 10.0


def require_distributed():
    """Import dask.distributed, or raise SchedulerUnavailableError naming the install command."""
    try:
        import distributed
    except ImportError:
        raise SchedulerUnavailableError(
            "a dask scheduler was requested, but dask support not installed (the 'distributed' package "
            f"is missing); install it with: {INSTALL_HINT}, or run locally with --workers N") from None
    return distributed


def _worker_n1codec_version() -> str:
    import n1codec.api  # noqa: F401 - fails on a worker without n1codec
    from n1codec.codecs import registry
    registry.stages()  # load the codec registry once, before tasks run in the worker's threads
    from n1codec import __version__
    return __version__


def _check_address(address: str) -> None:
    """Refuse an address without a host and port before dask sees it (a Client built on one
    reports the error, then blocks interpreter exit for its 20 s close timeout)."""
    scheme, _, rest = address.rpartition("://")
    if scheme not in ("", "tcp", "tls", "ws", "wss"):  # e.g. inproc:// addresses have no port
        return
    rest = rest.rstrip("/")
    host, sep, port = rest.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise SchedulerUnavailableError(
            f"the scheduler address {address!r} needs a host and a port, e.g. "
            f"tcp://{(host if sep else rest) or 'host'}:8786")


def _probe_tcp(address: str, timeout: float) -> None:
    """Fail at once on a refused tcp:// address (the dask client would retry until its timeout)."""
    import socket
    if not address.startswith("tcp://"):
        return
    host, sep, port = address[len("tcp://"):].rstrip("/").rpartition(":")
    if not sep or not port.isdigit():
        return
    try:
        socket.create_connection((host.strip("[]") or "127.0.0.1", int(port)), timeout=min(timeout, 5.0)).close()
    except ConnectionRefusedError:
        raise SchedulerUnavailableError(
            f"cannot reach the dask scheduler {address!r}: connection refused; is 'dask scheduler' running "
            "there, on that port?") from None
    except OSError:
        pass  # unresolvable or filtered: let the dask client try and report


def connect(scheduler: Any, timeout: float = CONNECT_TIMEOUT) -> Tuple[Any, List[Any]]:
    """A Client for `scheduler`, and the objects this call opened (to close when done)."""
    distributed = require_distributed()
    opened: List[Any] = []
    try:
        if isinstance(scheduler, distributed.Client):
            return scheduler, opened
        if isinstance(scheduler, str) and (scheduler == "local" or scheduler.startswith("local:")):
            count = scheduler.partition(":")[2]
            try:
                workers = int(count) if count else None
            except ValueError:
                raise N1CodecError(f"scheduler {scheduler!r}: expected 'local' or 'local:N' with N >= 1") from None
            if workers is not None and workers < 1:
                raise N1CodecError(f"scheduler {scheduler!r}: expected 'local' or 'local:N' with N >= 1")
            cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                               dashboard_address=None)
            opened.append(cluster)
            scheduler = cluster
        elif not isinstance(scheduler, str) and not hasattr(scheduler, "scheduler_address"):
            raise N1CodecError(
                f"scheduler must be an address such as 'tcp://host:8786', 'local[:N]', a distributed.Client "
                f"or a dask cluster object, got {type(scheduler).__name__}")
        if isinstance(scheduler, str):
            _check_address(scheduler)
            _probe_tcp(scheduler, timeout)
        try:
            client = distributed.Client(scheduler, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise SchedulerUnavailableError(
                f"cannot reach the dask scheduler {scheduler!r} within {timeout:g} s ({exc}); is "
                "'dask scheduler' running there, and does this machine reach its port?") from None
        except ValueError as exc:  # an address dask cannot parse or use
            raise SchedulerUnavailableError(f"cannot reach the dask scheduler {scheduler!r}: {exc}") from None
        opened.append(client)
        _check_workers(client, scheduler)
        return client, opened
    except BaseException:
        _close(opened)
        raise


def _check_workers(client: Any, scheduler: Any) -> None:
    """Every worker must import n1codec (the per-file functions live in it)."""
    try:
        versions = client.run(_worker_n1codec_version)
    except ImportError as exc:
        raise SchedulerUnavailableError(
            f"a worker of the dask cluster {scheduler!r} cannot import n1codec ({exc}); install the same "
            "n1codec version on every worker") from None
    mine = _worker_n1codec_version()
    others = sorted({v for v in versions.values() if v != mine})
    if others:
        raise SchedulerUnavailableError(
            f"the workers of {scheduler!r} run n1codec {', '.join(others)}, this machine {mine}; "
            "install the same version everywhere")


def _close(opened: Sequence[Any]) -> None:
    for thing in reversed(opened):
        try:
            thing.close()
        except Exception:  # pragma: no cover - best effort on the way out
            pass


class _ClusterResults:
    """Results of one task per item, in completion order; closing cancels what is left."""

    def __init__(self, client: Any, opened: List[Any], func: Callable, items: Sequence[Any]):
        self._client = client
        self._opened = opened
        self._func = func
        self._items = list(items)
        self._futures: Optional[list] = None
        self._iter: Optional[Iterator] = None
        self._closed = False

    def __iter__(self) -> "_ClusterResults":
        return self

    def __next__(self) -> Any:
        if self._closed:
            raise StopIteration
        if self._iter is None:
            distributed = require_distributed()
            # pure=False: a file named twice is worked twice, like the local branches.
            self._futures = self._client.map(self._func, self._items, pure=False)
            self._iter = iter(distributed.as_completed(self._futures, loop=self._client.loop))
        try:
            future = next(self._iter)
        except StopIteration:
            self.close()
            raise
        try:
            return future.result()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            if self._futures:
                pending = [f for f in self._futures if not f.done()]
                if pending:
                    self._client.cancel(pending)
        finally:
            _close(self._opened)

    def __del__(self) -> None:  # an iterator dropped unfinished still releases the cluster
        try:
            self.close()
        except Exception:  # pragma: no cover
            pass


def map_distributed(func: Callable, items: Sequence[Any], scheduler: Any) -> Iterator[Any]:
    """Run ``func`` over ``items`` on a dask cluster; an iterator of results in completion order.

    Connects before returning (a wrong address or a worker without n1codec fails
    here, before any work starts); tasks are submitted on the first ``next()``.
    Closing the iterator (``break``, Ctrl-C in the caller) cancels unfinished
    tasks and closes what this call opened (never a Client passed in).
    An exception raised by ``func`` is raised by ``next()``.
    """
    client, opened = connect(scheduler)
    items = list(items)
    if not items:
        _close(opened)
        return iter(())
    return _ClusterResults(client, opened, func, items)
