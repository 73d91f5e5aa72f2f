"""The engines of a batch run: analyse chunks of input rows, keep at most a few in flight, yield rows in input order.

``local`` runs the chunks in worker processes of this machine (:class:`LocalPool`,
with the per-article time limit) or, with one worker and no limit, in this
process; ``dask`` submits them to a Dask cluster.  Either way the spaCy model is
loaded once per worker and every input row comes back as exactly one output row.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import FailedRow, NewsauditError
from ..options import AnalyzeOptions
from .chunks import Item, iter_chunk_rows, process_chunk
from .options import BatchOptions
from .rows import checked, error_row

__all__ = ["ENGINES", "LocalPool", "run_dask", "run_local"]

#: Consecutive worker processes that may die while starting before the batch gives up.
MAX_WORKER_START_FAILURES = 3

Rows = Iterator[list[dict[str, Any]]]


def _init_worker(options: AnalyzeOptions) -> None:
    """Load every model once per worker process newsaudit starts and analyse one small article (its entry
    point: spaCy without torch, as the CLI), so that the worker's first real article runs at warm speed."""
    from ..lazy import spacy_without_torch
    from ..pipeline import warm_up

    spacy_without_torch()
    warm_up(options)


def _dask_chunk(items: list[Item], options: AnalyzeOptions) -> list[dict[str, Any]]:
    """One chunk on a Dask worker (the worker's process is the cluster's: newsaudit changes nothing in it)."""
    return process_chunk(items, options)


def _worker_main(conn: Any, options: AnalyzeOptions, parent_pid: int) -> None:
    """A local worker process: die with the batch (:func:`newsaudit.process.die_with_parent`), load
    the models and warm up, say ready, then analyse one task (a list of items) after another,
    sending ``("row", row)`` as each row is done and ``("done",)`` after the last.  ``None``, or
    the batch going away, ends it quietly."""
    import signal

    from ..process import die_with_parent

    die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it ends the workers
    try:
        try:
            _init_worker(options)
        except Exception as exc:
            conn.send(("fatal", type(exc).__name__, str(exc), isinstance(exc, NewsauditError)))
            return
        conn.send(("ready",))
        while True:
            task = conn.recv()
            if task is None:
                return
            for row in iter_chunk_rows(task, options):
                conn.send(("row", row))
            conn.send(("done",))
    except (EOFError, OSError):  # the batch went away (a broken pipe): nothing to report to
        return





def run_local(chunks: Iterator[list[Item]], opts: BatchOptions) -> Iterator[list[dict[str, Any]]]:
    if not opts.article_timeout and opts.workers <= 1:
        for chunk in chunks:
            yield process_chunk(chunk, opts.analyze)
        return
    with LocalPool(opts) as pool:
        yield from pool.run(chunks)


class _Chunk:
    """One input chunk and the rows its items got so far."""

    def __init__(self, items: list[Item]) -> None:
        self.items = items
        self.rows: dict[int, dict[str, Any]] = {}

    def complete(self) -> bool:
        return len(self.rows) == len(self.items)

    def output(self) -> list[dict[str, Any]]:
        return [self.rows[row] for row, _ in self.items]


@dataclass
class _Task:
    chunk: _Chunk
    items: list[Item]

    def unfinished(self) -> list[Item]:
        return [(row, item) for row, item in self.items if row not in self.chunk.rows]


@dataclass
class _Worker:
    proc: Any
    conn: Any
    ready: bool = False
    task: _Task | None = None
    #: monotonic time of the task's start or of its last finished row
    since: float = 0.0


class LocalPool:
    """Worker processes for the local engine.

    Each worker analyses one task (a chunk, or a single article) at a time and
    reports every row as it is done.  When a worker's task makes no progress
    for ``article_timeout`` seconds, or the worker dies, it is killed and
    replaced; the rows of its task not yet done are retried one article at a
    time, and an article that fails alone becomes an error row.
    """

    def __init__(self, opts: BatchOptions) -> None:
        import multiprocessing

        self.ctx = multiprocessing.get_context("spawn")
        self.options = opts.analyze
        self.size = max(1, opts.workers)
        self.timeout = float(opts.article_timeout) if opts.article_timeout else None
        self.workers: list[_Worker] = []
        self.start_failures = 0

    def __enter__(self) -> LocalPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _spawn(self) -> None:
        parent, child = self.ctx.Pipe()
        import os

        proc = self.ctx.Process(target=_worker_main, args=(child, self.options, os.getpid()), daemon=True,
                                name="newsaudit-batch-worker")
        proc.start()
        child.close()
        self.workers.append(_Worker(proc, parent))

    def _stop(self, worker: _Worker) -> None:
        if worker.proc.is_alive():
            worker.proc.kill()
        worker.proc.join()
        worker.conn.close()
        self.workers.remove(worker)

    def close(self) -> None:
        for worker in self.workers:
            try:
                worker.conn.send(None)
            except OSError:
                pass
        deadline = time.monotonic() + 5
        for worker in list(self.workers):
            worker.proc.join(max(0.0, deadline - time.monotonic()))
            self._stop(worker)

    def run(self, chunks: Iterator[list[Item]]) -> Iterator[list[dict[str, Any]]]:
        from multiprocessing.connection import wait

        in_order: deque[_Chunk] = deque()  # chunks not yet yielded, in input order
        tasks: deque[_Task] = deque()
        exhausted = False
        while len(self.workers) < self.size:
            self._spawn()
        while True:
            while not exhausted and len(in_order) < 2 * self.size:
                items = next(chunks, None)
                if items is None:
                    exhausted = True
                else:
                    chunk = _Chunk(items)
                    in_order.append(chunk)
                    tasks.append(_Task(chunk, items))
            while in_order and in_order[0].complete():
                yield in_order.popleft().output()
            if exhausted and not in_order:
                return
            for worker in list(self.workers):
                if worker.ready and worker.task is None and tasks:
                    self._send(worker, tasks.popleft(), tasks)
            now = time.monotonic()
            busy = [w for w in self.workers if w.task is not None]
            wait_for = None
            if self.timeout is not None and busy:
                wait_for = max(0.0, min(w.since for w in busy) + self.timeout - now)
            for conn in wait([w.conn for w in self.workers], wait_for):
                ready = next((w for w in self.workers if w.conn is conn), None)
                if ready is not None:
                    self._receive(ready, tasks)
            if self.timeout is not None:
                now = time.monotonic()
                for worker in [w for w in self.workers if w.task is not None and now - w.since > self.timeout]:
                    self._fail(worker, tasks, timed_out=True)
            while len(self.workers) < self.size:
                self._spawn()

    def _send(self, worker: _Worker, task: _Task, tasks: deque[_Task]) -> None:
        try:
            worker.conn.send(task.items)
        except (OSError, ValueError):  # the worker died meanwhile: try again on another one
            tasks.appendleft(task)
            self._died(worker, tasks)
            return
        except Exception as exc:
            self._give_up(task, tasks, f"internal error: cannot send the article to a worker ({type(exc).__name__}: {exc})")
            return
        worker.task = task
        worker.since = time.monotonic()

    def _receive(self, worker: _Worker, tasks: deque[_Task]) -> None:
        try:
            while worker.conn.poll():
                message = worker.conn.recv()
                kind = message[0]
                if kind == "ready":
                    worker.ready = True
                    self.start_failures = 0
                elif kind == "row" and worker.task is not None:
                    row = message[1]
                    worker.task.chunk.rows[row["row"]] = row
                    worker.since = time.monotonic()
                elif kind == "done":
                    worker.task = None
                elif kind == "fatal":
                    _kind, name, text, named = message
                    if named:
                        from .. import errors

                        cls = getattr(errors, name, NewsauditError)
                        raise (cls if isinstance(cls, type) and issubclass(cls, NewsauditError) else NewsauditError)(text)
                    raise RuntimeError(f"a batch worker process could not start: {name}: {text}")
        except (EOFError, OSError):
            self._died(worker, tasks)

    def _died(self, worker: _Worker, tasks: deque[_Task]) -> None:
        worker.proc.join(5)
        code = worker.proc.exitcode
        if not worker.ready:
            self.start_failures += 1
            if self.start_failures >= MAX_WORKER_START_FAILURES:
                raise RuntimeError(f"batch worker processes keep dying while they start (exit code {code})")
        if worker.task is None:
            self._stop(worker)
            return
        self._fail(worker, tasks, timed_out=False, reason=f"exit code {code}")

    def _fail(self, worker: _Worker, tasks: deque[_Task], *, timed_out: bool, reason: str = "") -> None:
        """Kill ``worker``; retry what its task had not done, or (a single article) give it its error row."""
        task = worker.task
        self._stop(worker)
        if task is None:
            return
        if timed_out:
            message = (f"article timeout: the analysis ran past {self.timeout:g} s (--article-timeout); "
                       "its worker process was stopped")
        else:
            message = f"internal error: the worker process stopped ({reason}) while analysing this article"
        self._give_up(task, tasks, message)

    def _give_up(self, task: _Task, tasks: deque[_Task], message: str) -> None:
        unfinished = task.unfinished()
        if len(task.items) == 1:
            for row, item in unfinished:
                task.chunk.rows[row] = checked(error_row(FailedRow.of(message, row=row, item=item)))
            return
        # retry one article at a time, first in line, so each gets the full time limit
        tasks.extendleft(reversed([_Task(task.chunk, [item]) for item in unfinished]))


def run_dask(chunks: Iterator[list[Item]], opts: BatchOptions) -> Iterator[list[dict[str, Any]]]:
    import logging

    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - distributed is a pinned dependency
        raise NewsauditError("the dask engine needs the 'distributed' package") from exc
    cluster = None
    try:
        if opts.scheduler:
            client = Client(opts.scheduler, timeout="30s")
        else:
            cluster = LocalCluster(
                n_workers=max(opts.workers, 1),
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            client = Client(cluster)
    except (OSError, TimeoutError) as exc:
        raise NewsauditError(f"cannot reach the Dask scheduler {opts.scheduler!r}: {exc}") from exc
    try:
        n_workers = max(len(client.scheduler_info().get("workers", {})), opts.workers, 1)
        yield from _bounded(
            chunks, lambda c: client.submit(_dask_chunk, c, opts.analyze, pure=False), 2 * n_workers
        )
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _bounded(chunks: Iterator[list[Item]], submit: Callable[[list[Item]], Any], limit: int) -> Rows:
    """Submit chunks keeping at most ``limit`` in flight; yield results in input order.

    A chunk whose task fails as a whole (a worker died, ...) is submitted
    again one item at a time; an item that fails alone gets an error row.
    """
    pending: deque[tuple[Any, list[Item]]] = deque()

    def collect(future: Any, chunk: list[Item]) -> list[dict[str, Any]]:
        try:
            return future.result()
        except Exception as exc:
            if len(chunk) == 1:
                row, item = chunk[0]
                return [checked(error_row(FailedRow.of(exc, row=row, item=item)))]
        rows: list[dict[str, Any]] = []
        for one in chunk:
            rows.extend(collect(submit([one]), [one]))
        return rows

    for chunk in chunks:
        pending.append((submit(chunk), chunk))
        if len(pending) >= limit:
            yield collect(*pending.popleft())
    while pending:
        yield collect(*pending.popleft())




#: The engines run_batch knows, by name.
ENGINES: dict[str, Callable[[Iterator[list[Item]], BatchOptions], Rows]] = {"local": run_local, "dask": run_dask}
