"""The analysis pool: worker processes that can be stopped, a bounded queue, a time limit.

Each request's work (decoding, HTML extraction, URL fetch, analysis) runs in
a worker *process* that loads the spaCy pipeline once and then serves one job
at a time.  When a request runs past its time limit the client gets ``504``
and the worker running it is killed (``SIGKILL``) and replaced by a fresh one,
so a timed-out request stops using CPU and memory at once.  A worker that
dies (out of memory, a crash) is replaced too, and its request gets ``503``.

``workers`` processes run jobs; up to ``queue`` more requests wait for one;
beyond that a request gets ``503`` with ``Retry-After``.  The time limit
counts from admission, so waiting in the queue counts too; a request that is
still queued at its limit never starts.

``isolation="thread"`` runs the jobs in threads of this process instead: no
process start-up, and functions patched in this process are seen, which is
what tests want, but a timed-out job then runs on to its end.

Jobs are named by import path (``"module:function"``, see
:func:`newsaudit.service.work.execute`), so that a worker process finds them.
Nothing here imports FastAPI.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import queue as queue_module
import signal
import threading
import time
import weakref
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .limits import ServiceError

ISOLATIONS = ("process", "thread")
#: How long a worker gets to exit when asked before it is killed, in seconds.
STOP_GRACE_S = 2.0


def worker_main(conn: Any, preload_options: Any) -> None:
    """A worker process: load the model (when asked), say ready, then run jobs until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the server stops us
    from ..lazy import spacy_without_torch
    from . import work

    spacy_without_torch()  # spaCy without thinc's torch import (torch loads only for --techniques)

    loaded = False
    if preload_options is not None:
        try:
            work.preload(preload_options)
            loaded = True
        except Exception:
            pass
    conn.send(("ready", loaded))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):  # the server went away
            return
        if job is None:
            return
        target, args = job
        outcome = work.execute(target, args)
        try:
            conn.send(outcome)
        except Exception as exc:
            conn.send(("error", 500, f"internal error: the result could not be sent back ({type(exc).__name__})", None))


class _Worker:
    """One worker process and the server's end of its pipe."""

    def __init__(self, ctx: Any, preload_options: Any) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=worker_main, args=(child, preload_options), name="newsaudit-worker",
                                   daemon=True)
        self.process.start()
        child.close()
        self.ready = False
        self.model_loaded = False

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def wait_ready(self, deadline: float) -> bool:
        """Wait (until ``deadline``) for the worker's start-up message; False on time-out."""
        if self.ready:
            return True
        if not self.conn.poll(max(0.0, deadline - time.monotonic())):
            return False
        _, self.model_loaded = self.conn.recv()
        self.ready = True
        return True

    def stop(self, kill: bool = False) -> None:
        """Ask the worker to exit (``kill``: kill it at once) and reap it."""
        if not kill and self.process.is_alive():
            try:
                self.conn.send(None)
                self.process.join(STOP_GRACE_S)
            except (OSError, ValueError):
                pass
        if self.process.is_alive():
            self.process.kill()
            self.process.join(STOP_GRACE_S)
        self.conn.close()

    def rss_mb(self) -> float:
        import psutil

        try:
            return psutil.Process(self.process.pid).memory_info().rss / 2**20
        except psutil.Error:
            return 0.0


def _stop_all(workers: set[_Worker]) -> None:
    for worker in list(workers):
        worker.stop(kill=True)
        workers.discard(worker)


class WorkPool:
    """A bounded pool of worker processes (or threads) with a queue and a per-request time limit."""

    def __init__(
        self,
        workers: int,
        queue: int,
        timeout_s: float,
        *,
        isolation: str = "process",
        preload_options: Any = None,
        max_worker_rss_mb: float | None = None,
    ) -> None:
        if isolation not in ISOLATIONS:
            raise ValueError(f"isolation must be one of {ISOLATIONS} (got {isolation!r})")
        self.workers = max(1, workers)
        self.capacity = self.workers + max(0, queue)
        self.timeout_s = timeout_s
        self.isolation = isolation
        self.preload_options = preload_options
        self.max_worker_rss_mb = max_worker_rss_mb
        #: Workers ended because a request timed out, a worker died or grew too large.
        self.replaced = 0
        self.model_loaded = False
        self._lock = threading.Lock()
        self._inflight = 0
        self._closed = False
        self._dispatch: ThreadPoolExecutor | None = None
        self._ctx = multiprocessing.get_context("spawn")  # never fork a server with threads
        self._idle: queue_module.SimpleQueue[_Worker | None] = queue_module.SimpleQueue()
        for _ in range(self.workers):
            self._idle.put(None)  # a worker starts on first use (or in start())
        self._workers: set[_Worker] = set()
        self._finalizer = weakref.finalize(self, _stop_all, self._workers)

    # -------------------------------------------------------------- state

    @property
    def inflight(self) -> int:
        """Requests admitted and not finished: running or queued."""
        return self._inflight

    def pids(self) -> list[int]:
        """Process ids of the live workers (process isolation)."""
        return [w.pid for w in list(self._workers) if w.pid is not None and w.process.is_alive()]

    def dispatcher(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._dispatch is None:  # first use, or first use after shutdown(): the pool opens again
                self._dispatch = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="newsaudit")
                self._closed = False
            return self._dispatch

    # -------------------------------------------------------------- life

    def start(self, wait_s: float = 600.0) -> None:
        """Start every worker now and wait until each is ready (its model loaded, when preloading)."""
        if self.isolation == "thread":
            if self.preload_options is not None:
                from . import work

                work.preload(self.preload_options)
                self.model_loaded = True
            return
        started = []
        for _ in range(self.workers):
            worker = self._idle.get()
            if worker is None:
                worker = self._spawn()
            started.append(worker)
        deadline = time.monotonic() + wait_s
        try:
            for worker in started:
                worker.wait_ready(deadline)
                self.model_loaded |= worker.model_loaded
        finally:
            for worker in started:
                self._idle.put(worker)

    def shutdown(self) -> None:
        """Stop every worker (a running job is killed) and drop queued jobs.

        A later job opens the pool again (a test client may run the
        application's lifespan more than once)."""
        with self._lock:
            self._closed = True
            dispatch, self._dispatch = self._dispatch, None
        if dispatch is not None:
            dispatch.shutdown(wait=False, cancel_futures=True)
        _stop_all(self._workers)

    def _spawn(self) -> _Worker:
        worker = _Worker(self._ctx, self.preload_options)
        self._workers.add(worker)
        return worker

    def _retire(self, worker: _Worker, kill: bool) -> _Worker | None:
        """End ``worker`` and start its replacement (none once the pool is closed)."""
        worker.stop(kill=kill)
        self._workers.discard(worker)
        self.replaced += 1
        return None if self._closed else self._spawn()

    # -------------------------------------------------------------- work

    def _release(self, _future: Any) -> None:
        with self._lock:
            self._inflight -= 1

    def _timeout_message(self) -> str:
        return f"analysis took longer than {self.timeout_s:g} s and was stopped"

    async def run(self, target: str, *args: Any) -> Any:
        """Run the job named ``target`` on ``args``; its result, or :class:`ServiceError` (503, 504, its own)."""
        with self._lock:
            if self._inflight >= self.capacity:
                raise ServiceError(503, "server busy: too many requests in progress, retry later", {"Retry-After": "1"})
            self._inflight += 1
        deadline = time.monotonic() + self.timeout_s
        try:
            future = self.dispatcher().submit(self._call, deadline, target, args)
        except RuntimeError as exc:  # the interpreter is exiting
            self._release(None)
            raise ServiceError(503, "server is shutting down, retry later", {"Retry-After": "1"}) from exc
        future.add_done_callback(self._release)
        try:
            # On time-out the future is cancelled: a queued job never starts; a
            # running one is killed by its dispatcher thread at the same deadline.
            outcome = await asyncio.wait_for(asyncio.wrap_future(future), self.timeout_s)
        except TimeoutError as exc:  # (asyncio.TimeoutError is TimeoutError since 3.11)
            raise ServiceError(504, self._timeout_message()) from exc
        if outcome[0] == "ok":
            return outcome[1]
        _, status, detail, headers = outcome
        raise ServiceError(status, detail, headers)

    def _call(self, deadline: float, target: str, args: tuple[Any, ...]) -> tuple[Any, ...]:
        """In a dispatcher thread: run one job in this thread or in a worker process."""
        from . import work

        if self.isolation == "thread":
            return work.execute(target, args)
        worker = self._idle.get()  # never waits: one dispatcher thread per worker
        try:
            if worker is None or not worker.process.is_alive():
                if worker is not None:  # stopped by shutdown(), or died while idle
                    worker.stop(kill=True)
                    self._workers.discard(worker)
                worker = self._spawn()
            if not worker.wait_ready(deadline):  # still starting: it keeps starting for the next job
                return ("error", 504, self._timeout_message(), None)
            self.model_loaded |= worker.model_loaded
            worker.conn.send((target, args))
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                worker = self._retire(worker, kill=True)  # stop the work now, not when it ends
                return ("error", 504, self._timeout_message(), None)
            outcome = worker.conn.recv()
            if self.max_worker_rss_mb and worker.rss_mb() > self.max_worker_rss_mb:
                worker = self._retire(worker, kill=False)  # memory a large article left behind
            return outcome
        except (EOFError, OSError) as exc:  # the worker died (killed for memory, a crash)
            if worker is not None:
                worker = self._retire(worker, kill=True)
            return ("error", 503, f"the analysis worker stopped unexpectedly ({type(exc).__name__}); retry",
                    {"Retry-After": "1"})
        finally:
            self._idle.put(worker)
