"""Dataset records to Articles: the field mapping, value checks and row errors.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from ..errors import (
    BinaryInputError,
    EmptyInputError,
    FailedRow,
    InputError,
)
from ..types import Article
from .decode import normalise_newlines, repaired
from .text import MAX_HEADLINE_CHARS

#: Column names recognised when a field is not named explicitly, best first
#: (matched case-insensitively).
DEFAULT_FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "id": ("id", "article_id", "doc_id"),
    "title": ("title", "headline"),
    "text": ("text", "body", "content", "article", "maintext"),
    "date": ("date", "published", "published_at", "publish_date", "date_publish"),
    "url": ("url", "link"),
    "outlet": ("source", "outlet", "publisher", "sitename", "site"),
}


@dataclass(frozen=True)
class FieldMap:
    """Which dataset column holds which article field.

    ``None`` means "recognise the usual names" (:data:`DEFAULT_FIELD_NAMES`).
    A named column must exist in the file, else :class:`DatasetError`.
    """

    id: str | None = None
    title: str | None = None
    text: str | None = None
    date: str | None = None
    url: str | None = None
    outlet: str | None = None

    @classmethod
    def from_flags(
        cls,
        *,
        id: str | None = None,
        title: str | None = None,
        text: str | None = None,
        date: str | None = None,
        url: str | None = None,
        outlet: str | None = None,
    ) -> FieldMap:
        """From the CLI's ``--id-field`` ... ``--outlet-field`` values; blank means default."""
        def clean(value: str | None) -> str | None:
            return value.strip() or None if value else None

        return cls(id=clean(id), title=clean(title), text=clean(text), date=clean(date), url=clean(url), outlet=clean(outlet))


def _where(path: Path, row: int, line: int | None = None) -> str:
    """``name row N`` (with ``(line L)`` when the record's line differs), for messages."""
    return f"{path.name} row {row}" + (f" (line {line})" if line is not None and line != row else "")


def row_error(
    cls: type[InputError],
    path: Path,
    row: int,
    row_id: str | None,
    message: str,
    *,
    line: int | None = None,
    meta: Mapping[str, str | None] | None = None,
) -> FailedRow:
    """A row's :class:`~newsaudit.errors.FailedRow`: the message (naming the file and row),
    ``cls``'s name as its type, the row, its id (else the row number) and the row's
    ``headline``, ``date``, ``outlet`` and ``url`` as far as they were read."""
    return FailedRow.of(f"{_where(path, row, line)}: {message}", error_type=cls.__name__, row=row,
                        item=dict(meta or {}, id=row_id if row_id is not None else str(row)))


def field_candidates(fields_: FieldMap) -> dict[str, tuple[str, ...]]:
    """Field -> column names to try (an explicit name alone, else the defaults)."""
    out: dict[str, tuple[str, ...]] = {}
    for f in fields(FieldMap):
        explicit = getattr(fields_, f.name)
        out[f.name] = (explicit,) if explicit else DEFAULT_FIELD_NAMES[f.name]
    return out


def explicit_fields(fields_: FieldMap) -> dict[str, str]:
    return {f.name: getattr(fields_, f.name) for f in fields(FieldMap) if getattr(fields_, f.name)}


def _lookup(record: Mapping[str, Any], names: tuple[str, ...], explicit: bool, lower: dict[str, str]) -> tuple[str | None, Any]:
    """(column, value) of the first of ``names`` in ``record``; column None when absent."""
    for name in names:
        if name in record:
            return name, record[name]
        if not explicit and name in lower:
            return lower[name], record[lower[name]]
    return None, None


def _missing(value: Any) -> bool:
    """None, or a NaN (how pandas-written files mark a missing value)."""
    return value is None or (isinstance(value, float) and value != value)


def _scalar_text(value: Any) -> str | None:
    """A metadata value (id, date, url, outlet) as text: strings as they are,
    lists of strings joined, dicts by their ``name``, dates as ISO, other
    scalars by str()."""
    if _missing(value):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if isinstance(value, Mapping):
        name = value.get("name") or value.get("title")
        return str(name) if name is not None else None
    if isinstance(value, (list, tuple)):
        parts = [str(v) for v in value if v is not None and str(v).strip()]
        return "\n\n".join(parts)
    return str(value)


def _clean(value: Any) -> str | None:
    text = _scalar_text(value)
    if text is None:
        return None
    text = " ".join(text.split())
    return text or None


def _describe_value(value: Any) -> str:
    """``int (12345)``: a value's type and a short preview, for messages."""
    shown = repr(value)
    return f"{type(value).__name__} ({shown if len(shown) <= 40 else shown[:37] + '...'})"


def _body_text(value: Any) -> tuple[str | None, str | None]:
    """(text, None) for a text value (a string, or a list of strings taken as
    paragraphs; None items skipped), (None, None) when missing, else (None, what it is)."""
    if _missing(value):
        return None, None
    if isinstance(value, str):
        return value, None
    if isinstance(value, (list, tuple)):
        bad = next((v for v in value if v is not None and not isinstance(v, str)), None)
        if bad is not None:
            return None, f"a {type(value).__name__} holding {_describe_value(bad)}"
        return "\n\n".join(v for v in value if v is not None and v.strip()), None
    return None, _describe_value(value)


def article_from_record(
    record: Any,
    *,
    path: Path,
    row: int,
    cands: dict[str, tuple[str, ...]],
    explicit: dict[str, str],
    warnings: tuple[str, ...] = (),
    line: int | None = None,
) -> Article | FailedRow:
    """The dataset row mapper: one record (a mapping) -> an Article or its failed row
    (rules in the module docstring)."""
    where = _where(path, row, line)
    if not isinstance(record, Mapping):
        return row_error(InputError, path, row, None, f"is a JSON {type(record).__name__}, not an object", line=line)
    lower = {str(k).lower(): k for k in record}
    columns: dict[str, str | None] = {}
    values: dict[str, Any] = {}
    for name, names in cands.items():
        columns[name], values[name] = _lookup(record, names, name in explicit, lower)
    notes = list(warnings)

    def checked(value: str | None, name: str) -> str | None:
        return None if value is None else repaired(value, f"{where}: {name}", notes)

    meta: dict[str, str | None] = {
        name: checked(_clean(values[name]), name) for name in ("id", "date", "url", "outlet")
    }
    raw_title = values["title"]
    if isinstance(raw_title, str):
        meta["headline"] = checked(_clean(raw_title), "title")
    else:
        meta["headline"] = None
        if not _missing(raw_title):
            notes.append(f"{where}: title field {columns['title']!r} is {_describe_value(raw_title)}, not text; ignored")
    row_id = meta.pop("id") or str(row)

    def error(cls: type[InputError], message: str) -> FailedRow:
        return row_error(cls, path, row, row_id, message, line=line, meta=meta)

    if columns["text"] is None:
        wanted = explicit.get("text") or "/".join(DEFAULT_FIELD_NAMES["text"])
        return error(InputError, f"no text field ({wanted})")
    body, wrong = _body_text(values["text"])
    if wrong is not None:
        return error(InputError, f"text field {columns['text']!r} is {wrong}, not text")
    if body is None or not body.strip():
        return error(EmptyInputError, "empty text")
    body = normalise_newlines(checked(body, "text") or "").strip()
    if "\x00" in body:
        return error(BinaryInputError, "text holds NUL bytes (binary data)")
    headline = meta["headline"] or ""
    if len(headline) > MAX_HEADLINE_CHARS * 2:
        headline = headline[: MAX_HEADLINE_CHARS * 2]
    return Article(
        body=body,
        headline=headline,
        id=row_id,
        date=meta["date"],
        url=meta["url"],
        outlet=meta["outlet"],
        warnings=tuple(notes),
    )
