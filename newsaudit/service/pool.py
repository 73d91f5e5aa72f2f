"""The analysis pool: warm worker processes, a bounded queue, a time limit on each analysis.

Each request's work (decoding, HTML extraction, URL fetch, analysis) runs in
a worker *process*.  A worker is **warm before it is ready**: it loads every
model a request can use and analyses one small article
(:func:`newsaudit.pipeline.warm_up`, when the pool preloads, as ``newsaudit
serve`` does) before it tells the pool it is ready, and only ready workers are
given requests.  So the time limit measures the analysis alone:

* ``timeout_s`` counts from the moment a ready worker is handed the request.
  Past it the client gets ``504`` and the worker is killed (``SIGKILL``) and
  replaced, so a timed-out request stops using CPU and memory at once.
* A request waits for a free ready worker at most ``queue_timeout_s``
  (counted from its admission); past that it gets ``503`` with
  ``Retry-After`` and never starts.  Replacement workers start in the
  background, on the pool's own spawner thread, while the other workers go on
  serving: a request never waits behind a cold start when a warm worker is
  free.
* A worker that dies (out of memory, a crash) is replaced too, and its
  request gets ``503``.

``workers`` processes run jobs; up to ``queue`` more requests wait for one;
beyond that a request gets ``503`` with ``Retry-After`` at once.  Workers die
with the server (:func:`newsaudit.process.die_with_parent`), even when it is
killed with ``SIGKILL``.

``isolation="thread"`` runs the jobs in threads of this process instead: no
process start-up, and functions patched in this process are seen, which is
what tests want, but a timed-out job then runs on to its end (its limit then
counts from admission).

Jobs are named by import path (``"module:function"``, see
:func:`newsaudit.service.work.execute`), so that a worker process finds them.
Nothing here imports FastAPI.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
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
#: How long a worker may take to start and warm up before it is given up, in seconds.
START_TIMEOUT_S = 600.0
#: Workers that die in a row while starting before the pool stops starting them.
MAX_START_FAILURES = 3


def worker_main(conn: Any, preload_options: Any, parent_pid: int, analysis: str | None = None) -> None:
    """A worker process: die with the server, load the models and warm up (when asked), say ready,
    then run jobs until told to stop or the server goes away (quietly: no traceback)."""
    from ..process import die_with_parent

    die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the server stops us
    from ..lazy import spacy_without_torch
    from . import work

    spacy_without_torch()  # spaCy without thinc's torch import (torch loads only for --techniques)

    loaded = False
    if preload_options is not None:
        try:
            work.preload(preload_options, analysis or work.DEFAULT_ANALYSIS)
            loaded = True
        except Exception:
            pass
    try:
        conn.send(("ready", loaded))
        while True:
            job = conn.recv()
            if job is None:
                return
            target, args = job
            outcome = work.execute(target, args)
            try:
                conn.send(outcome)
            except (EOFError, OSError):
                raise
            except Exception as exc:
                conn.send(("error", 500, f"internal error: the result could not be sent back ({type(exc).__name__})",
                           None))
    except (EOFError, OSError):  # the server went away
        return


class _Worker:
    """One worker process and the server's end of its pipe."""

    def __init__(self, ctx: Any, preload_options: Any, analysis: str | None = None) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=worker_main, args=(child, preload_options, os.getpid(), analysis),
                                   name="newsaudit-worker", daemon=True)
        self.process.start()
        child.close()
        self.model_loaded = False

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def wait_ready(self, timeout_s: float) -> bool:
        """Wait for the worker's start-up message; False when it did not come (timed out, or the worker died)."""
        try:
            if not self.conn.poll(timeout_s):
                return False
            _, self.model_loaded = self.conn.recv()
        except (EOFError, OSError):
            return False
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
    """A bounded pool of warm worker processes (or threads) with a queue and a time limit per analysis."""

    def __init__(
        self,
        workers: int,
        queue: int,
        timeout_s: float,
        *,
        isolation: str = "process",
        preload_options: Any = None,
        max_worker_rss_mb: float | None = None,
        queue_timeout_s: float = 60.0,
        preload_analysis: str | None = None,
    ) -> None:
        if isolation not in ISOLATIONS:
            raise ValueError(f"isolation must be one of {ISOLATIONS} (got {isolation!r})")
        self.workers = max(1, workers)
        self.capacity = self.workers + max(0, queue)
        self.timeout_s = timeout_s
        self.queue_timeout_s = queue_timeout_s
        self.isolation = isolation
        self.preload_options = preload_options
        #: The analysis a worker warms up with (an import path; None: the default one).
        self.preload_analysis = preload_analysis
        self.max_worker_rss_mb = max_worker_rss_mb
        #: Workers ended because a request timed out, a worker died or grew too large.
        self.replaced = 0
        self.model_loaded = False
        #: Why no worker can start (workers died while starting, again and again); None: fine.
        self.broken: str | None = None
        self._lock = threading.Lock()
        self._inflight = 0
        self._closed = False
        self._dispatch: ThreadPoolExecutor | None = None
        self._ctx = multiprocessing.get_context("spawn")  # never fork a server with threads
        #: Ready workers with no job.
        self._ready: queue_module.SimpleQueue[_Worker] = queue_module.SimpleQueue()
        #: Spawn requests for the spawner thread (None ends it); a new queue with each new spawner.
        self._spawns: queue_module.SimpleQueue[int | None] = queue_module.SimpleQueue()
        self._spawner: threading.Thread | None = None
        self._wanted = 0  # workers asked of the spawner and not yet ready (or given up)
        self._changed = threading.Condition(self._lock)
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
                self.broken = None
            return self._dispatch

    # -------------------------------------------------------------- life

    def start(self, wait_s: float = START_TIMEOUT_S) -> None:
        """Start every worker now and wait (at most ``wait_s``) until each is ready: its models
        loaded and warmed up, when preloading."""
        if self.isolation == "thread":
            if self.preload_options is not None:
                from . import work

                work.preload(self.preload_options, self.preload_analysis or work.DEFAULT_ANALYSIS)
                self.model_loaded = True
            return
        self.dispatcher()
        self._ensure_workers()
        deadline = time.monotonic() + wait_s
        with self._changed:
            while self._wanted and self.broken is None and time.monotonic() < deadline:
                self._changed.wait(max(0.0, min(1.0, deadline - time.monotonic())))

    def shutdown(self) -> None:
        """Stop every worker (a running job is killed) and drop queued jobs.

        A later job opens the pool again (a test client may run the
        application's lifespan more than once)."""
        with self._lock:
            self._closed = True
            dispatch, self._dispatch = self._dispatch, None
            spawner, self._spawner = self._spawner, None
            spawns = self._spawns
            self._wanted = 0
        if dispatch is not None:
            dispatch.shutdown(wait=False, cancel_futures=True)
        if spawner is not None:
            spawns.put(None)
            spawner.join(STOP_GRACE_S + 1)
        while True:
            try:
                self._ready.get_nowait()
            except queue_module.Empty:
                break
        _stop_all(self._workers)

    def _ensure_workers(self) -> None:
        """Ask the spawner for as many workers as are missing (live ones and those starting count)."""
        with self._lock:
            if self._closed:
                return
            missing = self.workers - len(self._workers) - self._wanted
            if self._spawner is None:
                self._spawns = queue_module.SimpleQueue()
                self._spawner = threading.Thread(target=self._spawn_loop, args=(self._spawns,), name="newsaudit-spawner",
                                                 daemon=True)
                self._spawner.start()
            self._wanted += max(0, missing)
            spawns = self._spawns
        for _ in range(max(0, missing)):
            spawns.put(1)

    def _spawn_loop(self, spawns: queue_module.SimpleQueue[int | None]) -> None:
        """The spawner thread: start each requested worker and hand it over once it is ready.

        Every worker is started from this one long-lived thread, so that its
        parent-death signal (which Linux ties to the starting thread) fires
        only when the server itself goes away."""
        failures = 0
        while (request := spawns.get()) is not None:
            if self._closed:
                continue
            worker = _Worker(self._ctx, self.preload_options, self.preload_analysis)
            with self._lock:
                self._workers.add(worker)
            ready = worker.wait_ready(START_TIMEOUT_S)
            with self._changed:
                self._wanted = max(0, self._wanted - request)
                if ready and not self._closed:
                    failures = 0
                    self.model_loaded |= worker.model_loaded
                    self._ready.put(worker)
                else:
                    self._workers.discard(worker)
                    failures += 0 if self._closed else 1
                    if failures >= MAX_START_FAILURES:
                        self.broken = f"analysis workers keep stopping while they start (exit code {worker.process.exitcode})"
                self._changed.notify_all()
            if not ready:
                worker.stop(kill=True)
                if not self._closed and self.broken is None:
                    time.sleep(0.5 * failures)
                    self._ensure_workers()

    def _retire(self, worker: _Worker, kill: bool) -> None:
        """End ``worker`` and start its replacement in the background (none once the pool is closed)."""
        worker.stop(kill=kill)
        with self._lock:
            self._workers.discard(worker)
        self.replaced += 1
        self._ensure_workers()

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
        admitted = time.monotonic()
        try:
            future = self.dispatcher().submit(self._call, admitted, target, args)
        except RuntimeError as exc:  # the interpreter is exiting
            self._release(None)
            raise ServiceError(503, "server is shutting down, retry later", {"Retry-After": "1"}) from exc
        future.add_done_callback(self._release)
        # The dispatcher enforces both limits (the wait for a worker, the analysis); this bound is a safety net.
        limit = self.timeout_s if self.isolation == "thread" else self.queue_timeout_s + self.timeout_s + 2 * STOP_GRACE_S + 5
        try:
            outcome = await asyncio.wait_for(asyncio.wrap_future(future), limit)
        except TimeoutError as exc:  # (asyncio.TimeoutError is TimeoutError since 3.11)
            raise ServiceError(504, self._timeout_message()) from exc
        if outcome[0] == "ok":
            return outcome[1]
        _, status, detail, headers = outcome
        raise ServiceError(status, detail, headers)

    def _busy(self) -> tuple[Any, ...]:
        if self.broken:
            return ("error", 503, f"no analysis worker: {self.broken}", {"Retry-After": "5"})
        return ("error", 503, f"server busy: no analysis worker was free within {self.queue_timeout_s:g} s; retry later",
                {"Retry-After": "1"})

    def _take_worker(self, admitted: float) -> _Worker | None:
        """A ready worker, waiting until ``admitted + queue_timeout_s`` at most; None when none came."""
        self._ensure_workers()
        while True:
            remaining = admitted + self.queue_timeout_s - time.monotonic()
            if remaining <= 0 or self.broken or self._closed:
                return None
            try:
                worker = self._ready.get(timeout=min(remaining, 0.5))
            except queue_module.Empty:
                continue
            if worker.process.is_alive():
                return worker
            self._retire(worker, kill=True)  # died while idle

    def _call(self, admitted: float, target: str, args: tuple[Any, ...]) -> tuple[Any, ...]:
        """In a dispatcher thread: run one job in this thread or in a warm worker process."""
        from . import work

        if self.isolation == "thread":
            return work.execute(target, args)
        worker = self._take_worker(admitted)
        if worker is None:
            return self._busy()
        keep = True
        try:
            worker.conn.send((target, args))
            if not worker.conn.poll(self.timeout_s):  # the limit counts from here: the analysis alone
                keep = False
                self._retire(worker, kill=True)  # stop the work now, not when it ends
                return ("error", 504, self._timeout_message(), None)
            outcome = worker.conn.recv()
            if self.max_worker_rss_mb and worker.rss_mb() > self.max_worker_rss_mb:
                keep = False
                self._retire(worker, kill=False)  # memory a large article left behind
            return outcome
        except (EOFError, OSError) as exc:  # the worker died (killed for memory, a crash)
            keep = False
            self._retire(worker, kill=True)
            return ("error", 503, f"the analysis worker stopped unexpectedly ({type(exc).__name__}); retry",
                    {"Retry-After": "1"})
        finally:
            if keep:
                self._ready.put(worker)
