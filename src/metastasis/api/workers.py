"""A bounded pool for heavy work: the simulations, whole-case reports and their renderings.

Heavy requests run on a fixed number of worker threads behind a bounded queue. A request that finds the workers
busy and the queue full is refused at once with **503** and ``Retry-After`` (an :class:`ErrorBody`, field
``server``), so a burst of simulations costs bounded memory and CPU and never starves the event loop, where
health and the light endpoints run.

Threads rather than processes: the work is numpy/scipy (whose kernels release the GIL) plus some pure Python;
threads share everything the library has loaded and cached (tables, sources, Markov chains) and hand results
back without pickling. What the pool has to bound is how much runs at once, not how parallel it is.

Sizes come from the environment when the application is built: ``METASTASIS_WORKERS`` (default: the CPUs this
process may use) and ``METASTASIS_QUEUE`` (requests waiting for a worker; default twice the workers).
"""

from __future__ import annotations

import asyncio
import contextvars
import os
import threading
from collections.abc import AsyncIterator, Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from fastapi import FastAPI
from starlette.requests import Request

from metastasis.api.errors import ApiError, ErrorBody, ErrorItem
from metastasis.errors import InvalidInputError

T = TypeVar("T")

WORKERS_VARIABLE = "METASTASIS_WORKERS"
QUEUE_VARIABLE = "METASTASIS_QUEUE"
#: Seconds a refused caller is asked to wait: about two of the largest simulations on a busy machine.
RETRY_AFTER_SECONDS = 2
#: The 503 answer, documented on the routes that use the pool.
BUSY: dict[int | str, dict[str, Any]] = {
    503: {
        "model": ErrorBody,
        "description": "Every worker is busy and the queue is full: try again after `Retry-After` seconds.",
        "headers": {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}},
    }
}


class ServerBusy(ApiError):
    """503: the pool and its queue are full."""

    def __init__(self) -> None:
        message = f"the server is busy with other simulations and reports; try again in {RETRY_AFTER_SECONDS} s"
        super().__init__(503, [ErrorItem(field="server", allowed="a retry after Retry-After", message=message)])
        self.headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity where the platform tells it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _count(environ: Mapping[str, str], name: str, default: int, least: int) -> int:
    raw = environ.get(name)
    if raw is None or not raw.strip():
        return default
    allowed = f"a whole number of at least {least}"
    try:
        value = int(raw)
    except ValueError:
        raise InvalidInputError(name, raw, allowed) from None
    if value < least:
        raise InvalidInputError(name, raw, allowed)
    return value


class WorkerPool:
    """``workers`` threads with room for ``queue`` more requests waiting; beyond that, :class:`ServerBusy`."""

    def __init__(self, workers: int, queue: int):
        self.workers, self.queue = workers, queue
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="metastasis-worker")
        self._slots = threading.BoundedSemaphore(workers + queue)  # running + waiting

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> WorkerPool:
        """Sizes from ``METASTASIS_WORKERS`` and ``METASTASIS_QUEUE``.

        Raises
        ------
        InvalidInputError
            Naming the variable, for a value that is not a whole number (at least 1 worker, 0 queue).

        Examples
        --------
        >>> pool = WorkerPool.from_environ({"METASTASIS_WORKERS": "3"})
        >>> (pool.workers, pool.queue)
        (3, 6)
        """
        environ = os.environ if environ is None else environ
        workers = _count(environ, WORKERS_VARIABLE, available_cpus(), 1)
        return cls(workers, _count(environ, QUEUE_VARIABLE, 2 * workers, 0))

    async def run(self, func: Callable[..., T], *args: Any) -> T:
        """``func(*args)`` on a worker; :class:`ServerBusy` at once when the workers and the queue are full.

        A slot is freed when the work ends, not when its caller stops waiting, so abandoned work still counts
        until it is done; work cancelled before a worker took it is dropped from the queue.
        """
        if not self._slots.acquire(blocking=False):
            raise ServerBusy()
        try:
            future = self._executor.submit(contextvars.copy_context().run, func, *args)
        except BaseException:
            self._slots.release()
            raise
        future.add_done_callback(lambda _: self._slots.release())
        return await asyncio.wrap_future(future)  # cancelling the wait cancels the work if it has not started

    def shutdown(self) -> None:
        """Drop the queued work and let running work finish on its own."""
        self._executor.shutdown(wait=False, cancel_futures=True)


def install_worker_pool(app: FastAPI) -> WorkerPool:
    """Give ``app`` a pool sized from the environment (``app.state.worker_pool``), shut down with the app; a
    later start of the same app (a second lifespan) gets a fresh pool on first use."""
    pool = WorkerPool.from_environ()
    app.state.worker_pool = pool
    previous = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: Any) -> AsyncIterator[Any]:
        try:
            async with previous(application) as state:
                yield state
        finally:
            current: WorkerPool | None = getattr(app.state, "worker_pool", None)
            app.state.worker_pool = None
            if current is not None:
                current.shutdown()

    app.router.lifespan_context = lifespan
    return pool


def pool_of(request: Request) -> WorkerPool:
    """The pool of the application serving ``request`` (one is made on first use if the app has none)."""
    state = request.app.state
    pool: WorkerPool | None = getattr(state, "worker_pool", None)
    if pool is None:
        pool = state.worker_pool = WorkerPool.from_environ()
    return pool


async def run_heavy(request: Request, func: Callable[..., T], *args: Any) -> T:
    """Run ``func(*args)`` on the pool of ``request``'s application (503 when it is full)."""
    return await pool_of(request).run(func, *args)
