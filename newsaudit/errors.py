"""Named exceptions.  Library code raises these; the CLI prints one line and exits non-zero."""

from __future__ import annotations

import re
from typing import TypeVar, overload

T = TypeVar("T")


class NewsauditError(Exception):
    """Base class of every error newsaudit raises on purpose."""

    exit_code = 2


class InputError(NewsauditError):
    """The input cannot be read as an article."""


class EmptyInputError(InputError):
    """The input holds no text."""


class BinaryInputError(InputError):
    """The input is a binary file, not text or HTML."""


class NoArticleError(InputError):
    """An HTML page in which no article text could be found."""


class FetchError(InputError):
    """A URL could not be fetched (network, HTTP status, size, redirects)."""


class FetchRefusedError(InputError):
    """The fetch policy refuses a URL (a host not allowed, a non-public address)."""


class DatasetError(InputError):
    """A dataset file (JSONL/CSV/Parquet) that cannot be read or mapped."""


class ModelError(NewsauditError):
    """A model (spaCy pipeline, techniques model, encoder) is missing or broken."""


class ModelNotFoundError(ModelError):
    """No usable spaCy pipeline is installed."""


class ModelFileError(ModelError):
    """A trained model folder (``config.json``, ``vocab.tsv``, ``net.npz``/``net.json``) that is
    missing, incomplete, or made for other features than the code computes."""


class EvalError(NewsauditError):
    """An evaluation corpus that is missing or malformed."""


class BenchmarkFileError(EvalError):
    """A benchmark file (FNC-1 bodies or stances, a CLEF check-worthiness CSV) that cannot be read,
    lacks a column, holds a bad label or names a body the bodies file lacks."""


class FactCheckError(NewsauditError):
    """A fact-check store or import problem."""


class LanguageError(InputError):
    """The article is not in a language the models handle."""


class RenderError(NewsauditError):
    """A report cannot be rendered (unknown format, malformed report data)."""


class OutputError(NewsauditError):
    """An output path (``--out`` and the like) that cannot be written: a folder where a file is
    wanted, a file where a folder is wanted, or a place that cannot be created or written."""


# --------------------------------------------------------------------------- error records
# One shape for "this input row failed", used by the CLI's JSON-lines error lines, batch's
# error rows and ``newsaudit load``.

#: The input fields an error record keeps, as far as they could be read.
ERROR_FIELDS = ("id", "headline", "date", "outlet", "url")

_SURROGATE_RE = re.compile("[\ud800-\udfff]")


@overload
def clean_text(value: str) -> str: ...
@overload
def clean_text(value: T) -> T: ...
def clean_text(value: object) -> object:
    """``value`` with lone surrogates (which no UTF-8 file can hold) replaced by U+FFFD; non-strings unchanged."""
    if isinstance(value, str) and _SURROGATE_RE.search(value):
        return _SURROGATE_RE.sub("\ufffd", value)
    return value


def error_message(exc: BaseException) -> str:
    """The one-line message of ``exc``: a :class:`NewsauditError`'s own text, else ``internal error: Type: text``."""
    if isinstance(exc, NewsauditError):
        return str(exc) or type(exc).__name__
    return f"internal error: {type(exc).__name__}: {exc}"


def input_fields(item: object) -> dict[str, str | None]:
    """id, headline, date, outlet and url of ``item`` as strings (None where unknown).

    ``item`` is an :class:`~newsaudit.types.Article`, a loader's row error (its
    attributes), any object with those attributes, or a dict.
    """
    if isinstance(item, dict):
        values = {name: item.get(name) for name in ERROR_FIELDS}
    else:
        values = {name: getattr(item, name, None) for name in ERROR_FIELDS}
    return {k: (v if isinstance(v, str) else None if v is None else str(v)) for k, v in values.items()}


def error_record(
    error: BaseException | str,
    *,
    row: int | None = None,
    item: object = None,
    id: str | None = None,
    error_type: str | None = None,
) -> dict[str, str | int | None]:
    """The record of one input row that failed: ``row``, ``id``, the row's ``headline``,
    ``date``, ``outlet`` and ``url`` (only those known), ``error`` (the message) and
    ``error_type`` (the exception's class name).

    ``error`` is the exception, or its message.  The input fields come from
    ``item`` (an Article, a loader's row error, a dict), else from ``error``
    itself when it carries them (a loader's row error does); ``id`` is used when
    neither has one, ``row`` likewise (else the error's own ``row``).  Text is
    made storable (lone surrogates become U+FFFD), so the record can always be written.
    """
    source = item if item is not None else error if isinstance(error, BaseException) else None
    fields = input_fields(source) if source is not None else dict.fromkeys(ERROR_FIELDS)
    if fields["id"] is None and id is not None:
        fields["id"] = id
    if row is None and isinstance(error, BaseException):
        row = getattr(error, "row", None)
    record: dict[str, str | int | None] = {"row": row}
    record.update({k: clean_text(v) for k, v in fields.items() if v is not None or k == "id"})
    if isinstance(error, BaseException):
        record["error"] = clean_text(error_message(error))
        record["error_type"] = error_type or type(error).__name__
    else:
        record["error"] = clean_text(error or "error")
        record["error_type"] = error_type
    return record
