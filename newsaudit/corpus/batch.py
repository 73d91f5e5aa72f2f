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

The rows are made in :mod:`newsaudit.corpus.rows`, a chunk is analysed by
:mod:`newsaudit.corpus.chunks`, and the engines (local processes, Dask) are in
:mod:`newsaudit.corpus.engines`.
"""

from __future__ import annotations

import csv
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DatasetError, FailedRow, InputError, clean_text
from ..options import DEFAULT_ARTICLE_TIMEOUT
from ..types import Article
from .chunks import Item, analyze_each, batched, iter_chunk_rows, process_chunk
from .engines import ENGINES
from .options import BatchOptions
from .rows import OUTPUT_COLUMNS, SIGNAL_KINDS, error_row, output_schema, report_row, rows_to_table

__all__ = [
    "DEFAULT_ARTICLE_TIMEOUT",
    "OUTPUT_COLUMNS",
    "SIGNAL_KINDS",
    "BatchOptions",
    "BatchResult",
    "analyze_each",
    "clean_text",
    "count_inputs",
    "error_row",
    "failed_rows",
    "iter_chunk_rows",
    "output_schema",
    "process_chunk",
    "report_row",
    "rows_to_table",
    "run_batch",
]

#: A progress callback: ``progress(done, total)`` after every chunk; ``done``
#: counts rows written by this run, ``total`` the rows this run has to do
#: (None when the input size is unknown).
Progress = Callable[[int, "int | None"], None]


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


# ----------------------------------------------------------------- input


def _iter_items(opts: BatchOptions) -> Iterator[Item]:
    """(row, Article) or (row, FailedRow) for every input row, lazily; rows count from 1."""
    from ..load import FieldMap, iter_inputs

    fields = opts.fields if opts.fields is not None else FieldMap()
    for row, item in enumerate(iter_inputs(opts.input, fields), start=1):
        if isinstance(item, Article):
            yield row, item
        else:
            yield row, FailedRow.of(item if isinstance(item, FailedRow | BaseException)
                                    else f"input error: unexpected item {type(item).__name__}", row=row)


def _item_id(item: Any) -> str | None:
    return getattr(item, "id", None)


def count_inputs(spec: str) -> int | None:
    """How many rows ``spec`` holds, when that is cheap to know (None otherwise)."""
    path = Path(spec)
    try:
        if path.is_dir():
            from ..load import FOLDER_SUFFIXES

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
        except Exception as exc:
            raise DatasetError(f"cannot resume from {path}: not a newsaudit batch output ({exc})") from exc
        for row, id_ in zip(table.column("row").to_pylist(), table.column("id").to_pylist(), strict=False):
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


def failed_rows(path: str | Path, limit: int | None = None) -> list[FailedRow]:
    """The error rows of a batch output (row, id, error), in row order; at most ``limit``."""
    import pyarrow.dataset as ds

    table = ds.dataset(str(path), format="parquet").to_table(
        columns=["row", "id", "error"], filter=ds.field("status") == "error")
    out = [FailedRow(error=r["error"] or "error", row=r["row"], id=r["id"]) for r in table.to_pylist()]
    out.sort(key=lambda f: f.row or 0)
    return out if limit is None else out[:limit]


def _count_errors(path: Path) -> int:
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    status = pq.read_table(path, columns=["status"]).column("status")
    return int(pc.sum(pc.equal(status, "error")).as_py() or 0)


# ----------------------------------------------------------------- run


def _check_options(opts: BatchOptions) -> None:
    """Refuse options that cannot run, before anything is written."""
    if opts.engine not in ENGINES:
        raise InputError(f"unknown engine {opts.engine!r}; choose one of: {', '.join(ENGINES)}")
    if opts.chunk_size < 1:
        raise InputError("chunk size must be at least 1")
    if opts.article_timeout is not None and not opts.article_timeout >= 0:
        raise InputError(f"the article timeout must be a number of seconds, 0 for none (got {opts.article_timeout})")
    if not Path(opts.input).exists():
        raise InputError(f"input not found: {opts.input}")


def _start_parts(out: Path, resume: bool) -> tuple[Path, list[Path], dict[int, str | None]]:
    """The parts folder beside ``out`` (emptied unless resuming, stale temporary files removed), the earlier
    outputs a resumed run keeps, and the rows they already hold (row -> id)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    parts = parts_dir(out)
    stale = out.with_name(f".{out.name}.tmp")
    if stale.exists():
        stale.unlink()
    if not resume:
        shutil.rmtree(parts, ignore_errors=True)
    parts.mkdir(exist_ok=True)
    for tmp in parts.glob(".tmp-*"):
        tmp.unlink()
    previous = [out] if (resume and out.exists()) else []
    done = _done_rows(previous + _part_files(parts)) if resume else {}
    return parts, previous, done


def _todo(opts: BatchOptions, done: dict[int, str | None]) -> Iterator[Item]:
    """The input's items not yet in the output; a resumed row whose id changed stops the run."""
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


def run_batch(opts: BatchOptions, progress: Progress | None = None) -> BatchResult:
    """Analyse every row of ``opts.input`` into ``opts.out`` (see the module docs)."""
    _check_options(opts)
    started = time.monotonic()
    out = Path(opts.out)
    parts, previous, done = _start_parts(out, opts.resume)
    todo = _todo(opts, done)

    total = count_inputs(opts.input)
    if total is not None:
        total = max(total - len(done), 0)
    if progress:
        progress(0, total)
    engine = ENGINES[opts.engine]
    written = errors = 0
    for rows in engine(batched(todo, opts.chunk_size), opts):
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
