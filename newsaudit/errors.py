"""Named exceptions.  Library code raises these; the CLI prints one line and exits non-zero."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, TypeVar, overload

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


# --------------------------------------------------------------------------- failed rows
# One shape for "this input row failed": what a loader yields for a bad row, what a batch
# worker is sent, the CLI's JSON-lines error line, batch's error row and ``newsaudit load``'s line.

#: The input fields a failed row keeps, as far as they could be read.
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


def _field_text(value: Any) -> str | None:
    return clean_text(value if isinstance(value, str) else None if value is None else str(value))


def _input_fields(item: Any) -> dict[str, str | None]:
    """id, headline, date, outlet and url of ``item`` (an Article, a FailedRow, a dict, any
    object with those attributes) as storable strings (None where unknown)."""
    if item is None:
        return dict.fromkeys(ERROR_FIELDS)
    if isinstance(item, dict):
        return {name: _field_text(item.get(name)) for name in ERROR_FIELDS}
    return {name: _field_text(getattr(item, name, None)) for name in ERROR_FIELDS}


@dataclass(frozen=True)
class FailedRow:
    """One input row that failed: why, and what identifies it.

    A loader yields one for a row it cannot read (instead of an Article); a
    row whose analysis fails becomes one where its row number is known.  Text
    is storable (lone surrogates are U+FFFD), so it can always be written.
    """

    #: The one-line message.
    error: str
    #: The class name of the error (``InputError``, ``EmptyInputError``, ``ValueError``, ...); None: not an exception.
    error_type: str | None = None
    #: The 1-based record number in the input.
    row: int | None = None
    id: str | None = None
    headline: str | None = None
    date: str | None = None
    outlet: str | None = None
    url: str | None = None

    @classmethod
    def of(
        cls,
        error: BaseException | str | FailedRow,
        *,
        row: int | None = None,
        item: Any = None,
        id: str | None = None,
        error_type: str | None = None,
    ) -> FailedRow:
        """The failed row for ``error`` (an exception, a message, or a FailedRow to complete).

        The input fields come from ``item`` (an Article, a FailedRow, a dict), else from
        ``error`` when it is a FailedRow; ``id`` is used when neither has one, ``row``
        likewise (else the FailedRow's own).
        """
        base = error if isinstance(error, FailedRow) else None
        fields = _input_fields(item if item is not None else base)
        if fields["id"] is None and id is not None:
            fields["id"] = clean_text(id)
        kind = error_type
        if isinstance(error, FailedRow):
            message, kind = error.error, error_type or error.error_type
            row = row if row is not None else error.row
        elif isinstance(error, BaseException):
            message, kind = error_message(error), error_type or type(error).__name__
        else:
            message = error or "error"
        return cls(error=clean_text(message), error_type=kind, row=row, **fields)

    def to_dict(self) -> dict[str, Any]:
        """The record: ``row``, ``id``, the known ones of ``headline``, ``date``, ``outlet``,
        ``url``, then ``error`` and ``error_type`` (the CLI's error line, ``load``'s line)."""
        record: dict[str, Any] = {"row": self.row, "id": self.id}
        record.update({k: getattr(self, k) for k in ERROR_FIELDS[1:] if getattr(self, k) is not None})
        record.update(error=self.error, error_type=self.error_type)
        return record

    def exception(self) -> NewsauditError:
        """The error as an exception to raise (its own class when it names one of newsaudit's)."""
        cls = globals().get(self.error_type or "")
        if not (isinstance(cls, type) and issubclass(cls, NewsauditError)):
            cls = InputError
        return cls(self.error)
