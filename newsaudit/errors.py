"""Named exceptions.  Library code raises these; the CLI prints one line and exits non-zero."""

from __future__ import annotations


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


class EvalError(NewsauditError):
    """An evaluation corpus that is missing or malformed."""


class FactCheckError(NewsauditError):
    """A fact-check store or import problem."""


class LanguageError(InputError):
    """The article is not in a language the models handle."""


class RenderError(NewsauditError):
    """A report cannot be rendered (unknown format, malformed report data)."""


class OutputError(NewsauditError):
    """An output path (``--out`` and the like) that cannot be written: a folder where a file is
    wanted, a file where a folder is wanted, or a place that cannot be created or written."""
