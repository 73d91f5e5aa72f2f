"""Batch analysis: many articles in, one Parquet row per input row out.

``run_batch(BatchOptions(...))`` streams the input (JSONL, CSV, Parquet or a
folder of text/HTML files, read by :func:`newsaudit.load.iter_inputs`), cuts it
into chunks of ``chunk_size`` rows, analyses the chunks on a bounded pool of
workers (local processes or a Dask cluster; the spaCy model is loaded once per
worker) and writes each finished chunk as its own Parquet part.

Output layout (what makes ``--resume`` exact after a crash or SIGKILL)
----------------------------------------------------------------------
While running, rows go to ``OUT.parquet.parts/`` next to ``OUT.parquet``::

    OUT.parquet.parts/part-<first row, 12 digits>-<random>.parquet

A part is written to a hidden ``.tmp-*`` file, flushed, then renamed into
place, so a part is either complete or absent.  Every row carries ``row``, its
0-based position in the input: that is the key that ``--resume`` uses (the rows
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
import shutil
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DatasetError, InputError, NewsauditError
from .options import AnalyzeOptions
from .types import ATTRIBUTION_DROPPED, HEDGE, LABEL, LOADED, SCARE_QUOTE, Article, Report

__all__ = [
    "BatchOptions",
    "BatchResult",
    "OUTPUT_COLUMNS",
    "SIGNAL_KINDS",
    "count_inputs",
    "output_schema",
    "process_chunk",
    "rows_to_table",
    "run_batch",
]

#: Signal kinds that get their own count column (``signals_<kind>``).
SIGNAL_KINDS = (SCARE_QUOTE, HEDGE, LOADED, LABEL)

#: Engines run_batch knows.
ENGINES = ("local", "dask")

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


def error_row(row: int, message: str, article: Article | None = None, id: str | None = None) -> dict[str, Any]:
    """The output row of an input row that could not be analysed."""
    out = _empty_row(row)
    out.update(status="error", error=message or "error", id=id)
    if article is not None:
        out.update(
            id=article.id,
            headline=article.headline,
            date=article.date,
            outlet=article.outlet,
            url=article.url,
            language=article.language,
        )
    return out


def rows_to_table(rows: list[dict[str, Any]]):  # -> pyarrow.Table
    import pyarrow as pa

    schema = output_schema()
    return pa.Table.from_pylist(rows, schema=schema)


# ----------------------------------------------------------------- workers

#: An input item sent to a worker: (row, Article) or (row, (error message, id)).
Item = tuple[int, Any]


def _message(exc: BaseException) -> str:
    if isinstance(exc, NewsauditError):
        return str(exc) or type(exc).__name__
    return f"internal error: {type(exc).__name__}: {exc}"


def process_chunk(items: list[Item], options: AnalyzeOptions) -> list[dict[str, Any]]:
    """Analyse one chunk; exactly one output row per item, in order.

    Runs inside a worker (a local process or a Dask worker): the pipeline is
    built once per process (:func:`newsaudit.pipeline.build_pipeline` caches it).
    An unexpected exception in one article never loses the others: the chunk is
    then redone article by article.
    """
    from .pipeline import analyze, analyze_many

    articles = [(row, a) for row, a in items if isinstance(a, Article)]
    results: dict[int, dict[str, Any]] = {}
    try:
        for (row, article), result in zip(articles, analyze_many([a for _, a in articles], options), strict=True):
            if isinstance(result, Report):
                results[row] = report_row(row, result)
            else:
                results[row] = error_row(row, _message(result), article)
    except Exception:  # noqa: BLE001 - fall back to one article at a time
        results = {}
        for row, article in articles:
            try:
                results[row] = report_row(row, analyze(article, options))
            except Exception as exc:  # noqa: BLE001 - becomes the row's error message
                results[row] = error_row(row, _message(exc), article)
    out = []
    for row, item in items:
        if isinstance(item, Article):
            out.append(results[row])
        else:
            message, id_ = item
            out.append(error_row(row, message, id=id_))
    return out


def _init_worker(options: AnalyzeOptions) -> None:
    """Process-pool initializer: load the model once per worker."""
    from .pipeline import build_pipeline

    try:
        build_pipeline(options)
    except NewsauditError:
        pass  # reported per row by process_chunk


# ----------------------------------------------------------------- input


def _iter_items(opts: BatchOptions) -> Iterator[Item]:
    """(row, Article) or (row, (message, id)) for every input row, lazily."""
    from .load import FieldMap, iter_inputs

    fields = opts.fields if opts.fields is not None else FieldMap()
    for row, item in enumerate(iter_inputs(opts.input, fields)):
        if isinstance(item, Article):
            yield row, item
        elif isinstance(item, BaseException):
            yield row, (_message(item), getattr(item, "id", None))
        else:
            yield row, (f"input error: unexpected item {type(item).__name__}", None)


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


# ----------------------------------------------------------------- engines


def _run_local(chunks: Iterator[list[Item]], opts: BatchOptions) -> Iterator[list[dict[str, Any]]]:
    if opts.workers <= 1:
        for chunk in chunks:
            yield process_chunk(chunk, opts.analyze)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=opts.workers, mp_context=ctx, initializer=_init_worker, initargs=(opts.analyze,)
    ) as pool:
        yield from _bounded(chunks, lambda c: pool.submit(process_chunk, c, opts.analyze), 2 * opts.workers)


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
    """Submit chunks keeping at most ``limit`` in flight; yield results in input order."""
    pending: deque = deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) >= limit:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


# ----------------------------------------------------------------- run


def run_batch(opts: BatchOptions, progress: Progress | None = None) -> BatchResult:
    """Analyse every row of ``opts.input`` into ``opts.out`` (see the module docs)."""
    if opts.engine not in ENGINES:
        raise InputError(f"unknown engine {opts.engine!r}; choose one of: {', '.join(ENGINES)}")
    if opts.chunk_size < 1:
        raise InputError("chunk size must be at least 1")
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

    def todo() -> Iterator[Item]:
        for row, item in _iter_items(opts):
            if row in done:
                item_id = item.id if isinstance(item, Article) else item[1]
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
        out=str(out),
        rows=n_rows,
        new_rows=written,
        skipped_rows=len(done),
        errors=errors,
        seconds=round(time.monotonic() - started, 3),
        engine=opts.engine,
    )
