"""Batch analysis: many articles in, one Parquet row per input row out.

``run_batch(BatchOptions(...))`` streams the input (JSONL, CSV, Parquet or a
folder of text/HTML files, read by :func:`newsaudit.load.iter_inputs`), cuts it
into chunks of ``chunk_size`` rows, analyses the chunks on a bounded pool of
workers (local processes or a Dask cluster; the spaCy model is loaded once per
worker) and writes each finished chunk as its own Parquet part.

Rows are numbered from 1
------------------------
``row`` is the 1-based record number of the input: the n-th record (a JSONL
record is a non-blank line; a CSV/TSV record is a row after the header; a
folder's records are its files in sorted order), the same number the error
messages use.  Outputs written before this convention counted from 0; ``--resume``
recognises them (they hold a row 0) and asks for a fresh run.

One input row, one output row, whatever happens
-----------------------------------------------
A row that cannot be read or analysed becomes an error row (``status`` =
``"error"``, ``error`` the message) that keeps the input's ``id``, ``headline``,
``date``, ``outlet`` and ``url`` as far as they could be read.  A chunk that
fails as a whole (a bug, text that breaks the parser, a result pyarrow refuses
to store, a worker process that dies) is redone one row at a time, so each
failure stays with its own row.  With the local engine, articles run in worker
processes: one that runs past ``article_timeout`` seconds (``--article-timeout``,
default :data:`DEFAULT_ARTICLE_TIMEOUT`) has its worker killed and replaced, and
becomes an error row saying so (when no article of a chunk finishes within the
limit, the chunk's unfinished articles are first retried one at a time, each
with the full limit).  The Dask engine does not enforce the limit.

Output layout (what makes ``--resume`` exact after a crash or SIGKILL)
----------------------------------------------------------------------
While running, rows go to ``OUT.parquet.parts/`` next to ``OUT.parquet``::

    OUT.parquet.parts/part-<first row, 12 digits>-<random>.parquet

A part is written to a hidden ``.tmp-*`` file, flushed, then renamed into
place, so a part is either complete or absent.  Every row carries ``row``, its
1-based record number in the input: that is the key that ``--resume`` uses (the rows
already present, in parts or in an existing ``OUT.parquet``, are skipped; their
``id`` must still match the input).  When the input is exhausted, the parts
(and, on resume, the previous ``OUT.parquet``) are compacted with DuckDB into
``OUT.parquet`` (one row per ``row``, in input order), written to a temporary
file and renamed, then the parts folder is removed.  A crash at any point
leaves only complete parts and/or a complete ``OUT.parquet``; the next
``--resume`` run de-duplicates by ``row``, so every input row appears exactly
once.  Without ``--resume`` any earlier partial run is discarded.

Memory stays bounded whatever the input size: the input is read lazily, at most
``2 * workers`` chunks are in flight, and a part is written per chunk.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DatasetError, InputError, NewsauditError
from .options import DEFAULT_ARTICLE_TIMEOUT, AnalyzeOptions
from .types import ATTRIBUTION_DROPPED, HEDGE, LABEL, LOADED, SCARE_QUOTE, Article, Report

__all__ = [
    "BatchOptions",
    "BatchResult",
    "DEFAULT_ARTICLE_TIMEOUT",
    "OUTPUT_COLUMNS",
    "RowProblem",
    "SIGNAL_KINDS",
    "analyze_each",
    "clean_text",
    "count_inputs",
    "error_row",
    "iter_chunk_rows",
    "output_schema",
    "process_chunk",
    "report_row",
    "rows_to_table",
    "run_batch",
]

#: Signal kinds that get their own count column (``signals_<kind>``).
SIGNAL_KINDS = (SCARE_QUOTE, HEDGE, LOADED, LABEL)

#: Engines run_batch knows.
ENGINES = ("local", "dask")

#: Consecutive worker processes that may die while starting before the batch gives up.
MAX_WORKER_START_FAILURES = 3

#: A progress callback: ``progress(done, total)`` after every chunk; ``done``
#: counts rows written by this run, ``total`` the rows this run has to do
#: (None when the input size is unknown).
Progress = Callable[[int, "int | None"], None]


@dataclass(frozen=True)
class BatchOptions:
    """Everything a batch run needs; the ``batch`` command only builds this."""

    #: Input: a JSONL/CSV/Parquet file or a folder of .txt/.html files.
    input: str
    #: Output Parquet file (parts are kept in ``<out>.parts/`` while running).
    out: str
    #: Field mapping for datasets (a :class:`newsaudit.load.FieldMap`); None: defaults.
    fields: Any = None
    #: Worker processes (local engine) or local Dask workers (dask, no scheduler).
    workers: int = 1
    #: "local" (processes on this machine) or "dask".
    engine: str = "local"
    #: Address of an existing Dask scheduler; None with engine="dask": a local cluster.
    scheduler: str | None = None
    #: Skip input rows already in the output (or its parts) instead of starting over.
    resume: bool = False
    #: Rows per chunk (one chunk = one task = one Parquet part).
    chunk_size: int = 64
    #: Analysis options passed to every worker.
    analyze: AnalyzeOptions = field(default_factory=AnalyzeOptions)
    #: Seconds one article may run (local engine) before its worker process is
    #: killed and the article becomes an error row; None or 0: no limit (and
    #: with one worker the articles then run in this process).
    article_timeout: float | None = DEFAULT_ARTICLE_TIMEOUT


@dataclass(frozen=True)
class BatchResult:
    out: str
    #: Rows in the final output file.
    rows: int
    #: Rows analysed by this run (the others were already there).
    new_rows: int
    #: Rows skipped because a previous run had written them.
    skipped_rows: int
    #: Error rows among the new ones.
    errors: int
    seconds: float
    engine: str
    #: Error rows in the whole output file (this run's and a resumed run's).
    output_errors: int = 0


# ----------------------------------------------------------------- rows

_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def clean_text(value: Any) -> Any:
    """``value`` with lone surrogates (which no UTF-8 file can hold) replaced by U+FFFD; non-strings unchanged."""
    if isinstance(value, str) and _SURROGATE_RE.search(value):
        return _SURROGATE_RE.sub("\ufffd", value)
    return value


#: The input fields an error row keeps.
META_FIELDS = ("id", "headline", "date", "outlet", "url")


@dataclass(frozen=True)
class RowProblem:
    """An input row the loader could not turn into an article: its message and what could be read of it."""

    message: str
    id: str | None = None
    headline: str | None = None
    date: str | None = None
    outlet: str | None = None
    url: str | None = None

    @classmethod
    def from_error(cls, exc: BaseException) -> "RowProblem":
        """From a loader's row error (its ``id``, ``headline``, ... attributes, when it has them)."""
        return cls(_message(exc), **{name: getattr(exc, name, None) for name in META_FIELDS})


def input_meta(item: Any) -> dict[str, Any]:
    """id, headline, date, outlet and url of an Article, a RowProblem or a loader's row error (None where unknown)."""
    meta = {name: getattr(item, name, None) for name in META_FIELDS}
    return {k: (v if isinstance(v, str) else None if v is None else str(v)) for k, v in meta.items()}


# ----------------------------------------------------------------- schema


def output_schema():  # -> pyarrow.Schema
    """The Parquet schema of a batch output (one row per input row)."""
    import pyarrow as pa

    counts = pa.int32()
    cols = [
        ("row", pa.int64()),
        ("id", pa.string()),
        ("status", pa.string()),  # "ok" | "error"
        ("error", pa.string()),
        ("headline", pa.string()),
        ("date", pa.string()),
        ("outlet", pa.string()),
        ("url", pa.string()),
        ("language", pa.string()),
        ("attributions", counts),
        ("sources", counts),
        ("named_sources", counts),
        ("anonymous_sources", counts),
        ("claims", counts),
        ("relay_depth", counts),
        ("headline_verdict", pa.string()),
        ("headline_drops_attribution", pa.bool_()),
        ("signals", counts),
        *[(f"signals_{kind}", counts) for kind in SIGNAL_KINDS],
        ("techniques", counts),
        ("signals_by_kind", pa.map_(pa.string(), counts)),
        ("techniques_by_label", pa.map_(pa.string(), counts)),
        ("source_names", pa.list_(pa.string())),
        ("report_json", pa.string()),
    ]
    return pa.schema(cols)


#: Column names of the output, in order.
OUTPUT_COLUMNS = tuple(f.name for f in output_schema())



def _empty_row(row: int) -> dict[str, Any]:
    return {name: None for name in OUTPUT_COLUMNS} | {"row": row}


def report_row(row: int, report: Report) -> dict[str, Any]:
    """The output row of one analysed article."""
    article = report.article
    summary = report.summary or {}
    signals_by_kind = {k: int(v) for k, v in (summary.get("signals_by_kind") or {}).items()}
    techniques_by_label = {k: int(v) for k, v in (summary.get("techniques_by_label") or {}).items()}
    verdict = report.headline_check.verdict if report.headline_check else None
    names: list[str] = []
    for source in report.sources:
        if source.named and source.name not in names:
            names.append(source.name)
    out = _empty_row(row)
    out.update(
        id=article.id,
        status="ok",
        headline=article.headline,
        date=article.date,
        outlet=article.outlet,
        url=article.url,
        language=article.language,
        attributions=len(report.attributions),
        sources=len(report.sources),
        named_sources=sum(1 for s in report.sources if s.named),
        anonymous_sources=sum(1 for s in report.sources if s.type == "anonymous"),
        claims=len(report.claims),
        relay_depth=int(summary.get("relay_depth") or 0),
        headline_verdict=verdict,
        headline_drops_attribution=None if verdict is None else verdict == ATTRIBUTION_DROPPED,
        signals=len(report.signals),
        techniques=len(report.techniques),
        signals_by_kind=signals_by_kind,
        techniques_by_label=techniques_by_label,
        source_names=names,
        report_json=json.dumps(report.to_dict(), ensure_ascii=False),
    )
    for kind in SIGNAL_KINDS:
        out[f"signals_{kind}"] = signals_by_kind.get(kind, 0)
    return out


def error_row(row: int, message: str, article: Any = None, id: str | None = None) -> dict[str, Any]:
    """The output row of an input row that could not be analysed.

    ``article`` (an :class:`Article`, a :class:`RowProblem`, a loader's row
    error or a row dict) gives the id, headline, date, outlet and url kept in
    the row; ``id`` is used when it has none.  Text that cannot be stored
    (lone surrogates) is repaired to U+FFFD, so an error row can always be written.
    """
    out = _empty_row(row)
    meta = dict(article) if isinstance(article, dict) else input_meta(article) if article is not None else {}
    out.update({name: clean_text(meta.get(name)) for name in META_FIELDS})
    if out["id"] is None and id is not None:
        out["id"] = clean_text(id)
    if isinstance(article, Article):
        out["language"] = article.language
    out.update(status="error", error=clean_text(message or "error"))
    return out


def rows_to_table(rows: list[dict[str, Any]]):  # -> pyarrow.Table
    import pyarrow as pa

    schema = output_schema()
    return pa.Table.from_pylist(rows, schema=schema)


def _checked(row: dict[str, Any]) -> dict[str, Any]:
    """``row`` if pyarrow can store it, else an error row saying why (same row number, same input fields)."""
    try:
        rows_to_table([row])
        return row
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types
        reason = f"internal error: the result cannot be stored ({type(exc).__name__}: {exc})"
    bad = error_row(row["row"], reason, {k: row.get(k) for k in META_FIELDS})
    try:
        rows_to_table([bad])
        return bad
    except Exception:  # noqa: BLE001 - a value of the wrong type: keep only the row number
        return error_row(row["row"], reason)


# ----------------------------------------------------------------- workers

#: An input item sent to a worker: (row, Article) or (row, RowProblem).
Item = tuple[int, Any]


def _message(exc: BaseException) -> str:
    if isinstance(exc, NewsauditError):
        return str(exc) or type(exc).__name__
    return f"internal error: {type(exc).__name__}: {exc}"


def analyze_each(items: Iterable[Any], options: AnalyzeOptions) -> Iterator[Any]:
    """One result per item, in order: a Report, or the exception that stopped
    that article; items that are not Articles (a loader's error) come back as they are.

    Articles are analysed together with :func:`newsaudit.pipeline.analyze_many`;
    should that raise (a bug, or text that breaks the parser), the articles not
    yet done are redone one at a time, so a failure stays with its own article.
    A pipeline that cannot be built at all (no spaCy model) raises at once.
    """
    items = list(items)
    articles = [item for item in items if isinstance(item, Article)]
    if not articles:
        yield from items
        return
    from .pipeline import build_pipeline

    build_pipeline(options)  # ModelError here stops the run, once, instead of failing every row
    results = _analyze_articles(articles, options)
    for item in items:
        yield next(results) if isinstance(item, Article) else item


def _analyze_articles(articles: list[Article], options: AnalyzeOptions) -> Iterator[Any]:
    from .pipeline import analyze, analyze_many

    done = 0
    try:
        for result in analyze_many(articles, options):
            done += 1
            yield result
    except Exception:  # noqa: BLE001 - fall back to one article at a time
        for article in articles[done:]:
            try:
                yield analyze(article, options)
            except Exception as exc:  # noqa: BLE001 - becomes the article's error
                yield exc


def iter_chunk_rows(items: list[Item], options: AnalyzeOptions) -> Iterator[dict[str, Any]]:
    """Analyse one chunk; yield exactly one storable output row per item, in order, as each is done.

    Runs inside a worker (a local process or a Dask worker): the pipeline is
    built once per process (:func:`newsaudit.pipeline.build_pipeline` caches it).
    An unexpected exception in one article, or a result that cannot be
    serialised or stored, gives that row an error row; the others go on.
    """
    inputs = [item if isinstance(item, Article) else _as_problem(item) for _, item in items]
    for (row, item), result in zip(items, analyze_each(inputs, options), strict=True):
        try:
            if isinstance(result, Report):
                out = report_row(row, result)
            elif isinstance(result, RowProblem):
                out = error_row(row, result.message, result)
            else:
                out = error_row(row, _message(result), item)
        except Exception as exc:  # noqa: BLE001 - e.g. json.dumps refusing the report
            out = error_row(row, f"internal error: the result cannot be serialised ({type(exc).__name__}: {exc})", item)
        yield _checked(out)


def _as_problem(item: Any) -> RowProblem:
    if isinstance(item, RowProblem):
        return item
    if isinstance(item, BaseException):
        return RowProblem.from_error(item)
    if isinstance(item, tuple) and len(item) == 2:  # (message, id), as earlier versions passed it
        return RowProblem(str(item[0]), id=item[1])
    return RowProblem(f"input error: unexpected item {type(item).__name__}")


def process_chunk(items: list[Item], options: AnalyzeOptions) -> list[dict[str, Any]]:
    """Analyse one chunk; exactly one output row per item, in order (see :func:`iter_chunk_rows`)."""
    return list(iter_chunk_rows(items, options))


def _init_worker(options: AnalyzeOptions) -> None:
    """Load the model once per worker."""
    from .pipeline import build_pipeline

    build_pipeline(options)


def _worker_main(conn: Any, options: AnalyzeOptions) -> None:
    """A local worker process: load the model, then analyse one task (a list of
    items) after another, sending ``("row", row)`` as each row is done and
    ``("done",)`` after the last.  ``None`` ends it."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it ends the workers
    try:
        _init_worker(options)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which stops the batch
        conn.send(("fatal", type(exc).__name__, str(exc), isinstance(exc, NewsauditError)))
        return
    conn.send(("ready",))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        for row in iter_chunk_rows(task, options):
            conn.send(("row", row))
        conn.send(("done",))


# ----------------------------------------------------------------- input


def _iter_items(opts: BatchOptions) -> Iterator[Item]:
    """(row, Article) or (row, RowProblem) for every input row, lazily; rows count from 1."""
    from .load import FieldMap, iter_inputs

    fields = opts.fields if opts.fields is not None else FieldMap()
    for row, item in enumerate(iter_inputs(opts.input, fields), start=1):
        if isinstance(item, Article):
            yield row, item
        elif isinstance(item, BaseException):
            yield row, RowProblem.from_error(item)
        else:
            yield row, RowProblem(f"input error: unexpected item {type(item).__name__}")


def _item_id(item: Any) -> str | None:
    return getattr(item, "id", None)


def count_inputs(spec: str) -> int | None:
    """How many rows ``spec`` holds, when that is cheap to know (None otherwise)."""
    path = Path(spec)
    try:
        if path.is_dir():
            from .load import FOLDER_SUFFIXES

            return sum(
                1
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in FOLDER_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        suffix = path.suffix.lower()
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            return pq.ParquetFile(path).metadata.num_rows
        if suffix in (".jsonl", ".ndjson"):
            n = 0
            with path.open("rb") as fh:
                for line in fh:
                    if line.strip():
                        n += 1
            return n
        if suffix == ".csv":
            with path.open(newline="", encoding="utf-8", errors="replace") as fh:
                return max(sum(1 for _ in csv.reader(fh)) - 1, 0)
    except (OSError, ValueError, csv.Error):
        return None
    return None


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# ----------------------------------------------------------------- output


def parts_dir(out: str | Path) -> Path:
    out = Path(out)
    return out.with_name(out.name + ".parts")


def _part_files(parts: Path) -> list[Path]:
    return sorted(parts.glob("part-*.parquet")) if parts.is_dir() else []


def _write_part(parts: Path, rows: list[dict[str, Any]]) -> Path:
    import pyarrow.parquet as pq

    first = rows[0]["row"]
    name = f"part-{first:012d}-{uuid.uuid4().hex[:8]}.parquet"
    tmp = parts / f".tmp-{name}"
    pq.write_table(rows_to_table(rows), tmp)
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    final = parts / name
    os.replace(tmp, final)
    return final


def _done_rows(files: list[Path]) -> dict[int, str | None]:
    """row -> id for every row already in ``files``."""
    import pyarrow.parquet as pq

    done: dict[int, str | None] = {}
    for path in files:
        try:
            table = pq.read_table(path, columns=["row", "id"])
        except Exception as exc:  # noqa: BLE001 - pyarrow raises several types
            raise DatasetError(f"cannot resume from {path}: not a newsaudit batch output ({exc})") from exc
        for row, id_ in zip(table.column("row").to_pylist(), table.column("id").to_pylist()):
            done.setdefault(int(row), id_)
    return done


def _sql_str(value: str | Path) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _compact(sources: list[Path], out: Path) -> int:
    """Merge ``sources`` into ``out`` (one row per ``row``, in order); return the row count."""
    import pyarrow.parquet as pq

    tmp = out.with_name(f".{out.name}.tmp")
    if tmp.exists():
        tmp.unlink()
    if not sources:
        pq.write_table(rows_to_table([]), tmp)
        os.replace(tmp, out)
        return 0
    import duckdb

    con = duckdb.connect()
    try:
        con.execute("SET memory_limit='1GB'")
        con.execute("SET threads=2")
        spill = out.with_name(f".{out.name}.duckdb-tmp")
        con.execute(f"SET temp_directory={_sql_str(spill)}")
        files = "[" + ", ".join(_sql_str(p) for p in sources) + "]"
        columns = ", ".join(f'"{c}"' for c in OUTPUT_COLUMNS)
        con.execute(
            f"COPY (SELECT {columns} FROM read_parquet({files}, union_by_name=true) "
            f'QUALIFY row_number() OVER (PARTITION BY "row") = 1 ORDER BY "row") '
            f"TO {_sql_str(tmp)} (FORMAT parquet)"
        )
    finally:
        con.close()
    shutil.rmtree(out.with_name(f".{out.name}.duckdb-tmp"), ignore_errors=True)
    os.replace(tmp, out)
    return pq.ParquetFile(out).metadata.num_rows


def _count_errors(path: Path) -> int:
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    status = pq.read_table(path, columns=["status"]).column("status")
    return int(pc.sum(pc.equal(status, "error")).as_py() or 0)


# ----------------------------------------------------------------- engines


def _run_local(chunks: Iterator[list[Item]], opts: BatchOptions) -> Iterator[list[dict[str, Any]]]:
    if not opts.article_timeout and opts.workers <= 1:
        for chunk in chunks:
            yield process_chunk(chunk, opts.analyze)
        return
    with _LocalPool(opts) as pool:
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


class _LocalPool:
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

    def __enter__(self) -> "_LocalPool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _spawn(self) -> None:
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=_worker_main, args=(child, self.options), daemon=True,
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
                worker = next((w for w in self.workers if w.conn is conn), None)
                if worker is not None:
                    self._receive(worker, tasks)
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
        except Exception as exc:  # noqa: BLE001 - cannot be pickled: split it, or an error row
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
                        from . import errors

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
                task.chunk.rows[row] = _checked(error_row(row, message, item))
            return
        # retry one article at a time, first in line, so each gets the full time limit
        tasks.extendleft(reversed([_Task(task.chunk, [item]) for item in unfinished]))


def _run_dask(chunks: Iterator[list[Item]], opts: BatchOptions) -> Iterator[list[dict[str, Any]]]:
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
            chunks, lambda c: client.submit(process_chunk, c, opts.analyze, pure=False), 2 * n_workers
        )
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _bounded(chunks: Iterator[list[Item]], submit: Callable[[list[Item]], Any], limit: int):
    """Submit chunks keeping at most ``limit`` in flight; yield results in input order.

    A chunk whose task fails as a whole (a worker died, ...) is submitted
    again one item at a time; an item that fails alone gets an error row.
    """
    pending: deque = deque()

    def collect(future: Any, chunk: list[Item]) -> list[dict[str, Any]]:
        try:
            return future.result()
        except Exception as exc:  # noqa: BLE001 - retried row by row
            if len(chunk) == 1:
                row, item = chunk[0]
                return [_checked(error_row(row, f"internal error: {type(exc).__name__}: {exc}", item))]
        rows: list[dict[str, Any]] = []
        for item in chunk:
            rows.extend(collect(submit([item]), [item]))
        return rows

    for chunk in chunks:
        pending.append((submit(chunk), chunk))
        if len(pending) >= limit:
            yield collect(*pending.popleft())
    while pending:
        yield collect(*pending.popleft())


# ----------------------------------------------------------------- run


def run_batch(opts: BatchOptions, progress: Progress | None = None) -> BatchResult:
    """Analyse every row of ``opts.input`` into ``opts.out`` (see the module docs)."""
    if opts.engine not in ENGINES:
        raise InputError(f"unknown engine {opts.engine!r}; choose one of: {', '.join(ENGINES)}")
    if opts.chunk_size < 1:
        raise InputError("chunk size must be at least 1")
    if opts.article_timeout is not None and not opts.article_timeout >= 0:
        raise InputError(f"the article timeout must be a number of seconds, 0 for none (got {opts.article_timeout})")
    if not Path(opts.input).exists():
        raise InputError(f"input not found: {opts.input}")
    started = time.monotonic()
    out = Path(opts.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    parts = parts_dir(out)
    for stale in (out.with_name(f".{out.name}.tmp"),):
        if stale.exists():
            stale.unlink()
    if not opts.resume:
        shutil.rmtree(parts, ignore_errors=True)
    parts.mkdir(exist_ok=True)
    for stale in parts.glob(".tmp-*"):
        stale.unlink()

    previous = [out] if (opts.resume and out.exists()) else []
    done = _done_rows(previous + _part_files(parts)) if opts.resume else {}
    if 0 in done:
        raise DatasetError(
            f"--resume: {out} was written by an older newsaudit that counted rows from 0 (rows now count from 1); "
            "start again without --resume"
        )

    def todo() -> Iterator[Item]:
        for row, item in _iter_items(opts):
            if row in done:
                item_id = clean_text(_item_id(item))
                if done[row] != item_id:
                    raise DatasetError(
                        f"--resume: row {row} has id {done[row]!r} in the output but {item_id!r} in the input; "
                        "the input changed (start again without --resume)"
                    )
                continue
            yield row, item

    total = count_inputs(opts.input)
    if total is not None:
        total = max(total - len(done), 0)
    if progress:
        progress(0, total)
    engine = _run_dask if opts.engine == "dask" else _run_local
    written = errors = 0
    for rows in engine(_chunks(todo(), opts.chunk_size), opts):
        if not rows:
            continue
        _write_part(parts, rows)
        written += len(rows)
        errors += sum(1 for r in rows if r["status"] == "error")
        if progress:
            progress(written, total)

    n_rows = _compact(previous + _part_files(parts), out)
    shutil.rmtree(parts, ignore_errors=True)
    return BatchResult(
        output_errors=_count_errors(out),
        out=str(out),
        rows=n_rows,
        new_rows=written,
        skipped_rows=len(done),
        errors=errors,
        seconds=round(time.monotonic() - started, 3),
        engine=opts.engine,
    )
