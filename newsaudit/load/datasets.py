"""Dataset files (JSONL, JSON, CSV/TSV, Parquet), streamed row by row.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, BinaryIO

from ..errors import (
    BinaryInputError,
    DatasetError,
    EmptyInputError,
    FailedRow,
    InputError,
)
from ..types import Article
from .decode import BOMS, binary_kind, decode_bytes
from .records import (
    DEFAULT_FIELD_NAMES,
    FieldMap,
    article_from_record,
    explicit_fields,
    field_candidates,
    row_error,
)

#: Rows per Parquet batch.
PARQUET_BATCH_ROWS = 256


JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")


JSON_SUFFIXES = (".json",)


CSV_SUFFIXES = (".csv", ".csv.gz")


TSV_SUFFIXES = (".tsv", ".tab", ".tsv.gz")


PARQUET_SUFFIXES = (".parquet", ".pq")


DATASET_SUFFIXES = JSONL_SUFFIXES + JSON_SUFFIXES + CSV_SUFFIXES + TSV_SUFFIXES + PARQUET_SUFFIXES


def _has_suffix(path: Path, suffixes: Iterable[str]) -> bool:
    name = path.name.lower()
    return any(name.endswith(s) for s in suffixes)


def is_dataset(path: str | Path) -> bool:
    """True when ``path`` has a dataset suffix (JSONL, JSON, CSV, TSV, Parquet)."""
    return _has_suffix(Path(path), DATASET_SUFFIXES)


def _open_binary(path: Path) -> BinaryIO:
    try:
        if path.name.lower().endswith(".gz"):
            return gzip.open(path, "rb")  # type: ignore[return-value]
        return path.open("rb")
    except OSError as exc:
        raise DatasetError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def _sniff_encoding(path: Path) -> tuple[str, tuple[str, ...]]:
    """Encoding for a streamed text dataset, from its first MB, and the warning."""
    try:
        with _open_binary(path) as fh:
            head = fh.read(1024 * 1024)
    except (OSError, EOFError) as exc:
        raise DatasetError(f"{path}: cannot be read ({exc})") from None
    if not head.strip():
        raise EmptyInputError(f"{path}: empty dataset (no rows)")
    kind = binary_kind(head)
    if kind:
        raise BinaryInputError(f"{path}: looks like a binary file ({kind}), not a text dataset")
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", ()
    for bom, codec in BOMS:
        if head.startswith(bom):
            # "utf-16"/"utf-32" consume the byte-order mark themselves
            return codec.rsplit("-", 1)[0], (f"{path.name}: not UTF-8; decoded as {codec}",)
    # the first MB may cut a UTF-8 sequence: allow 3 bytes of slack
    for trim in range(4):
        try:
            head[: len(head) - trim].decode("utf-8")
            return "utf-8", ()
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:
                break
    return "cp1252", (f"{path.name}: not valid UTF-8; decoded as cp1252",)


def _open_text(path: Path) -> tuple[IO[str], tuple[str, ...]]:
    encoding, warnings = _sniff_encoding(path)
    raw = _open_binary(path)
    # errors="replace": one bad byte late in a big file must not stop the stream
    return io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline=""), warnings


def _jsonl_check_columns(path: Path, fields_: FieldMap) -> None:
    """Raise DatasetError when a named column (or any text column) is in no record.

    Streams the file and stops at the first record holding each wanted column,
    so for a good file this reads one or a few lines.
    """
    explicit = explicit_fields(fields_)
    missing = set(explicit.values())
    need_text = "text" not in explicit
    defaults_text = set(DEFAULT_FIELD_NAMES["text"])
    stream, _ = _open_text(path)
    with stream:
        for line in stream:
            if not (missing or need_text):
                return
            line = line.strip()
            if not line:
                continue
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if not isinstance(record, dict):
                continue
            missing -= record.keys()
            if need_text and defaults_text & {str(k).lower() for k in record}:
                need_text = False
    if missing:
        raise DatasetError(f"{path}: column {', '.join(map(repr, sorted(missing)))} is in no record of the file")
    if need_text:
        raise DatasetError(
            f"{path}: no text column found (tried {', '.join(DEFAULT_FIELD_NAMES['text'])}); name it with --text-field"
        )


def _check_header(path: Path, columns: Iterable[str], fields_: FieldMap) -> None:
    columns = [str(c) for c in columns]
    for name, column in explicit_fields(fields_).items():
        if column not in columns:
            raise DatasetError(f"{path}: no column {column!r} (--{name}-field); columns are: {', '.join(columns)}")
    if not fields_.text:
        lower = {c.lower() for c in columns}
        if not lower & set(DEFAULT_FIELD_NAMES["text"]):
            raise DatasetError(
                f"{path}: no text column found (tried {', '.join(DEFAULT_FIELD_NAMES['text'])}; "
                f"columns are: {', '.join(columns)}); name it with --text-field"
            )


def _iter_jsonl(path: Path, fields_: FieldMap) -> Iterator[Article | FailedRow]:
    _jsonl_check_columns(path, fields_)
    cands, explicit = field_candidates(fields_), explicit_fields(fields_)
    stream, warnings = _open_text(path)
    row = 0  # records are the non-blank lines
    with stream:
        for lineno, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            row += 1
            try:
                record = json.loads(line)
            except ValueError as exc:
                why = f"{exc.msg}, column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else str(exc)
                yield row_error(InputError, path, row, None, f"not valid JSON ({why})", line=lineno)
                continue
            yield article_from_record(record, path=path, row=row, cands=cands, explicit=explicit, warnings=warnings, line=lineno)


def _iter_json(path: Path, fields_: FieldMap) -> Iterator[Article | FailedRow]:
    """A ``.json`` file: a list of objects, an object holding such a list under
    articles/data/items/records/rows, or a single article object.  (Read whole:
    JSON lists cannot be streamed without another library; use JSONL for big data.)"""
    try:
        with path.open("rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise DatasetError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    text, _warnings = decode_bytes(data, str(path))
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DatasetError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    if isinstance(doc, dict):
        for key in ("articles", "data", "items", "records", "rows"):
            if isinstance(doc.get(key), list):
                doc = doc[key]
                break
        else:
            doc = [doc]
    if not isinstance(doc, list):
        raise DatasetError(f"{path}: JSON must hold a list of article objects, not a {type(doc).__name__}")
    keys: set[str] = set()
    for record in doc:
        if isinstance(record, dict):
            keys |= set(record)
    _check_header(path, keys, fields_)
    cands, explicit = field_candidates(fields_), explicit_fields(fields_)
    for i, record in enumerate(doc, start=1):
        yield article_from_record(record, path=path, row=i, cands=cands, explicit=explicit, warnings=tuple(_warnings))


def _iter_csv(path: Path, fields_: FieldMap, delimiter: str) -> Iterator[Article | FailedRow]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    stream, warnings = _open_text(path)
    with stream:
        reader = csv.DictReader(stream, delimiter=delimiter)
        try:
            header = reader.fieldnames
        except csv.Error as exc:
            raise DatasetError(f"{path}: unreadable header ({exc})") from None
        if not header:
            raise EmptyInputError(f"{path}: empty dataset (no header row)")
        _check_header(path, header, fields_)
        cands, explicit = field_candidates(fields_), explicit_fields(fields_)
        row = 0
        while True:
            row += 1
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield row_error(InputError, path, row, None, f"malformed CSV ({exc})")
                continue
            record.pop(None, None)  # extra cells
            yield article_from_record(record, path=path, row=row, cands=cands, explicit=explicit, warnings=warnings)


def _iter_parquet(path: Path, fields_: FieldMap) -> Iterator[Article | FailedRow]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError, ...
        raise DatasetError(f"{path}: not a readable Parquet file ({exc})") from None
    columns = list(pf.schema_arrow.names)
    _check_header(path, columns, fields_)
    # read only the columns that can be mapped
    wanted_lower = {n for names in field_candidates(fields_).values() for n in names}
    explicit_cols = set(explicit_fields(fields_).values())
    read = [c for c in columns if c in explicit_cols or c.lower() in wanted_lower]
    cands, explicit = field_candidates(fields_), explicit_fields(fields_)
    row = 0
    try:
        for batch in pf.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=read):
            for record in batch.to_pylist():
                row += 1
                yield article_from_record(record, path=path, row=row, cands=cands, explicit=explicit)
    except OSError as exc:
        raise DatasetError(f"{path}: Parquet read failed after row {row} ({exc})") from None


def iter_dataset(path: str | Path, fields: FieldMap | None = None) -> Iterator[Article | FailedRow]:
    """Stream a dataset file: one ``Article`` or :class:`~newsaudit.errors.FailedRow` per row.

    The format comes from the suffix (see :data:`DATASET_SUFFIXES`).  Raises
    :class:`DatasetError` when the file cannot be read or a mapped column is
    in no row, :class:`EmptyInputError` for an empty file.
    """
    path = Path(path)
    fields_ = fields or FieldMap()
    if not path.is_file():
        raise DatasetError(f"{path}: no such file")
    if _has_suffix(path, JSONL_SUFFIXES):
        yield from _iter_jsonl(path, fields_)
    elif _has_suffix(path, JSON_SUFFIXES):
        yield from _iter_json(path, fields_)
    elif _has_suffix(path, CSV_SUFFIXES):
        yield from _iter_csv(path, fields_, ",")
    elif _has_suffix(path, TSV_SUFFIXES):
        yield from _iter_csv(path, fields_, "\t")
    elif _has_suffix(path, PARQUET_SUFFIXES):
        yield from _iter_parquet(path, fields_)
    else:
        raise DatasetError(f"{path}: unknown dataset format (use {', '.join(DATASET_SUFFIXES)})")
