"""Reading articles: plain text, HTML, URLs, stdin, datasets and folders.

Everything here produces :class:`newsaudit.types.Article` objects.

Plain-text format (the format of ``examples/article.txt`` and the seed article)::

     date 2018-06-12 The headline
    <blank line>
    The body, paragraphs separated by blank lines ...

* An optional first line ``date YYYY-MM-DD Headline`` (``date:`` and a leading
  space are accepted) gives the date and the headline; a date line without a
  headline is dropped and the rules below apply to the rest; a date line with
  nothing after it gives ``headline == ""`` and that line's text as the body.
* Otherwise the first line is the headline when it is followed by a blank line,
  is at most :data:`MAX_HEADLINE_CHARS` long and something follows.
* Anything else (a single paragraph, a first paragraph of several lines, a very
  long first line) has no headline: ``headline == ""`` and the whole text is the
  body.

Newlines are normalised (``\\r\\n`` and lone ``\\r`` become ``\\n``), a BOM is
dropped, and headline and body lose their outer whitespace; nothing else in the
text is changed, so offsets into ``Article.text`` point at the author's words.

Text that arrives as a Python ``str`` (JSONL, JSON, CSV, Parquet values,
:func:`load_text`, :func:`load_html` given a ``str``) may hold lone surrogates
(a JSON ``"\\ud800"`` escape), which are not valid Unicode: they are replaced
by U+FFFD with a warning in ``Article.warnings`` naming the field (and the
row), by one helper, :func:`repair_text`.

Datasets (JSONL/NDJSON, ``.json`` holding a list, CSV/TSV, Parquet; JSONL, CSV
and TSV also gzipped) are streamed row by row and yield, for every row, an
``Article`` or a :class:`~newsaudit.errors.FailedRow` (the one shape of a failed
row, also in batch outputs and the CLI's error lines).

* Rows are numbered by **1-based record number** everywhere: the n-th
  non-blank line of a JSONL file (a message adds ``(line L)`` when the
  physical line differs), the n-th record after the header of a CSV/TSV file
  (a record may span lines), the n-th record of a Parquet or JSON file, the
  n-th file of a folder.  An article's default id is that number.
* Every failed row carries ``row``, ``id`` (the row's id, or the row number as
  a string), ``error`` (naming the file and row), ``error_type`` (``InputError``,
  ``EmptyInputError``, ...) and, from the row itself, ``headline``, ``date``,
  ``outlet`` and ``url`` (None when the row had none), so it keeps what
  identifies the input.
* The text must be a string, or a list of strings (taken as paragraphs);
  a number, boolean, object or any other value is an error row naming the
  field and its type.  A missing value (null, NaN) is an empty text.
* A title that is not a string (a number, list, object) is ignored, with a
  warning naming the field and its type; the row is still analysed.
  ``id``, ``date``, ``url`` and ``outlet`` accept numbers, dates and
  ``{"name": ...}`` objects.

The package, by stage (each module imports only those before it):
``decode`` (bytes to text, the allow-list of declared charsets, surrogate
repair), ``text`` (plain text and the headline rules), ``html`` (pages),
``files`` (the one bytes-to-Article router, :func:`load_bytes`, with the lists
of HTML and text suffixes and HTML media types; a file; stdin), ``fetch``
(URLs: the one fetcher, with the service's address guard as an option),
``records`` (a dataset record to an Article), ``datasets`` (the file formats),
``folders`` (folders and :func:`iter_inputs`, the one entry point) and
``describe`` (what ``newsaudit load`` prints).
"""

from __future__ import annotations

from .datasets import (
    CSV_SUFFIXES,
    DATASET_SUFFIXES,
    JSON_SUFFIXES,
    JSONL_SUFFIXES,
    PARQUET_BATCH_ROWS,
    PARQUET_SUFFIXES,
    TSV_SUFFIXES,
    is_dataset,
    iter_dataset,
)
from .decode import (
    FALLBACK_ENCODINGS,
    MAGIC_NUMBERS,
    binary_kind,
    charset_codec,
    decode_bytes,
    looks_like_html,
    normalise_newlines,
    repair_text,
)
from .describe import LoadOptions, describe_inputs
from .fetch import MAX_URL_BYTES, fetch_url, is_url
from .files import (
    HTML_SUFFIXES,
    HTML_TYPES,
    MAX_FILE_BYTES,
    TEXT_SUFFIXES,
    load_bytes,
    load_file,
    read_stdin,
)
from .folders import FOLDER_SUFFIXES, iter_folder, iter_inputs
from .html import load_html
from .records import (
    DEFAULT_FIELD_NAMES,
    FieldMap,
    article_from_record,
)
from .text import MAX_HEADLINE_CHARS, load_text, split_headline

__all__ = [
    "CSV_SUFFIXES",
    "DATASET_SUFFIXES",
    "DEFAULT_FIELD_NAMES",
    "FALLBACK_ENCODINGS",
    "FOLDER_SUFFIXES",
    "HTML_SUFFIXES",
    "HTML_TYPES",
    "JSONL_SUFFIXES",
    "JSON_SUFFIXES",
    "MAGIC_NUMBERS",
    "MAX_FILE_BYTES",
    "MAX_HEADLINE_CHARS",
    "MAX_URL_BYTES",
    "PARQUET_BATCH_ROWS",
    "PARQUET_SUFFIXES",
    "TEXT_SUFFIXES",
    "TSV_SUFFIXES",
    "FieldMap",
    "LoadOptions",
    "article_from_record",
    "binary_kind",
    "charset_codec",
    "decode_bytes",
    "describe_inputs",
    "fetch_url",
    "is_dataset",
    "is_url",
    "iter_dataset",
    "iter_folder",
    "iter_inputs",
    "load_bytes",
    "load_file",
    "load_html",
    "load_text",
    "looks_like_html",
    "normalise_newlines",
    "read_stdin",
    "repair_text",
    "split_headline",
]
