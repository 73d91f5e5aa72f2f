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
``Article`` or an :class:`~newsaudit.errors.InputError` *instance* (not
raised).

* Rows are numbered by **1-based record number** everywhere: the n-th
  non-blank line of a JSONL file (a message adds ``(line L)`` when the
  physical line differs), the n-th record after the header of a CSV/TSV file
  (a record may span lines), the n-th record of a Parquet or JSON file, the
  n-th file of a folder.  An article's default id is that number.
* Every yielded error carries the attributes ``row``, ``id`` (the row's id,
  or the row number as a string), ``path`` and, from the row itself,
  ``headline``, ``date``, ``outlet`` and ``url`` (None when the row had none;
  :data:`ERROR_ROW_FIELDS`), so an error row keeps what identifies the input.
* The text must be a string, or a list of strings (taken as paragraphs);
  a number, boolean, object or any other value is an error row naming the
  field and its type.  A missing value (null, NaN) is an empty text.
* A title that is not a string (a number, list, object) is ignored, with a
  warning naming the field and its type; the row is still analysed.
  ``id``, ``date``, ``url`` and ``outlet`` accept numbers, dates and
  ``{"name": ...}`` objects.
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import gzip
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import IO, Any, BinaryIO
from urllib.parse import urlparse

import typer

from .errors import (
    BinaryInputError,
    DatasetError,
    EmptyInputError,
    InputError,
    NewsauditError,
    NoArticleError,
)
from .types import Article

# ---------------------------------------------------------------------------
# Limits and names

#: A first line longer than this is a paragraph, not a headline.
MAX_HEADLINE_CHARS = 300
#: Largest single text/HTML file (or stdin) that is read as one article.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Default cap on a fetched web page.
MAX_URL_BYTES = 10 * 1024 * 1024
#: Bytes inspected when sniffing binary content.
SNIFF_BYTES = 8192
#: Share of control bytes (other than tab, newline, CR, form feed, ESC) above
#: which content is called binary.
MAX_CONTROL_SHARE = 0.10
#: Rows per Parquet batch.
PARQUET_BATCH_ROWS = 256

TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
#: File suffixes read by a folder scan.
FOLDER_SUFFIXES = (".txt", ".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
JSON_SUFFIXES = (".json",)
CSV_SUFFIXES = (".csv", ".csv.gz")
TSV_SUFFIXES = (".tsv", ".tab", ".tsv.gz")
PARQUET_SUFFIXES = (".parquet", ".pq")
DATASET_SUFFIXES = JSONL_SUFFIXES + JSON_SUFFIXES + CSV_SUFFIXES + TSV_SUFFIXES + PARQUET_SUFFIXES

#: Known magic numbers of binary formats (prefix -> name).
MAGIC_NUMBERS: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or DOCX/XLSX/EPUB)"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\x7fELF", "ELF executable"),
    (b"MZ\x90\x00", "Windows executable"),
    (b"BZh91AY&SY", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office (OLE) document"),
    (b"PAR1", "Parquet file"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"\x00asm", "WebAssembly module"),
    (b"(\xb5/\xfd", "zstd archive"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: Fallback encodings after UTF-8; latin-1 decodes any bytes.
FALLBACK_ENCODINGS = ("cp1252", "latin-1")

#: Column names recognised when a field is not named explicitly, best first
#: (matched case-insensitively).
#: Attributes every dataset row error carries besides ``row``, ``id`` and
#: ``path``: the row's own values, None when it had none.
ERROR_ROW_FIELDS = ("headline", "date", "outlet", "url")

DEFAULT_FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "id": ("id", "article_id", "doc_id"),
    "title": ("title", "headline"),
    "text": ("text", "body", "content", "article", "maintext"),
    "date": ("date", "published", "published_at", "publish_date", "date_publish"),
    "url": ("url", "link"),
    "outlet": ("source", "outlet", "publisher", "sitename", "site"),
}

_DATE_LINE_RE = re.compile(r"^[ \t]*date:?[ \t]+(\d{4}-\d{2}-\d{2})\b[ \t]*(.*)$", re.IGNORECASE)
_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")
_NON_SPACE_RE = re.compile(r"\S")
_URL_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HTML_START_RE = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)
_HTML_TAG_RE = re.compile(r"<(?:p|div|article|body|h1|title|meta|br)\b[^>]*>", re.IGNORECASE)
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_LETTERS_RE = re.compile(r"[^\W\d_]+")

#: An HTML page whose extracted body has fewer words than this is not an article.
MIN_HTML_WORDS = 4
#: An extracted body shorter than this (in words) is checked against the
#: page's navigation, links and form labels (longer ones are not: it costs a parse).
BOILERPLATE_CHECK_WORDS = 200
#: lxml's default HTML parser stops at this element depth (libxml2's limit).
LXML_MAX_DEPTH = 255
#: Elements whose words are navigation or form boilerplate, not article text.
BOILERPLATE_TAGS = ("a", "nav", "menu", "footer", "button", "label", "legend", "option", "select", "input", "textarea")
#: Containers the fallback text walk skips.
_WALK_SKIP = frozenset({"head", "script", "style", "noscript", "template", "nav", "menu", "header", "footer",
                        "aside", "form", "button", "select", "textarea", "iframe", "svg"})
#: Blocks the fallback text walk takes as paragraphs.
_WALK_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt", "figcaption"})


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
    ) -> "FieldMap":
        """From the CLI's ``--id-field`` ... ``--outlet-field`` values; blank means default."""
        def clean(value: str | None) -> str | None:
            return value.strip() or None if value else None

        return cls(id=clean(id), title=clean(title), text=clean(text), date=clean(date), url=clean(url), outlet=clean(outlet))


# ---------------------------------------------------------------------------
# Bytes -> text


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``; a leading BOM is dropped."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def repair_text(text: str) -> tuple[str, int]:
    """``text`` with lone surrogates replaced by U+FFFD, and how many were replaced.

    A Python ``str`` can hold surrogate code points (a JSON ``"\\ud800"``
    escape, a Parquet or API string), which are not valid Unicode: encoding
    them to UTF-8 fails far downstream.  A surrogate pair is joined into the
    character it encodes.  Text without surrogates is returned as it is.
    """
    if _SURROGATE_RE.search(text) is None:
        return text, 0
    fixed = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return fixed, fixed.count("\ufffd") - text.count("\ufffd")


def _repaired(text: str, what: str, warnings: list[str]) -> str:
    """:func:`repair_text`, with a warning naming ``what`` (input, row and field) when
    something was replaced: the one place where text from Python strings is repaired."""
    fixed, n = repair_text(text)
    if n:
        warnings.append(f"{what}: {n} lone surrogate(s) (invalid Unicode) replaced with U+FFFD")
    return fixed


def binary_kind(data: bytes) -> str | None:
    """What binary format ``data`` looks like, or None when it may be text.

    Text with a UTF-16/32 byte-order mark is text.
    """
    head = data[:SNIFF_BYTES]
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return None
    for magic, name in MAGIC_NUMBERS:
        if head.startswith(magic):
            return name
    if _utf16_without_bom(head):
        return None
    if b"\x00" in head:
        return "binary data (NUL bytes)"
    if head:
        control = sum(1 for b in head if b < 0x20 and b not in (9, 10, 12, 13, 27))
        if control / len(head) > MAX_CONTROL_SHARE:
            return "binary data (control bytes)"
    return None


def _utf16_without_bom(head: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` when ``head`` looks like BOM-less UTF-16
    text: NULs in most high bytes of one parity, almost none in the other, and
    the sample decodes."""
    n = len(head) - len(head) % 2
    if n < 8:
        return None
    half = n // 2
    odd_nul = head[1:n:2].count(0)
    even_nul = head[0:n:2].count(0)
    guess = None
    if odd_nul >= 0.6 * half and even_nul <= 0.02 * half:
        guess = "utf-16-le"
    elif even_nul >= 0.6 * half and odd_nul <= 0.02 * half:
        guess = "utf-16-be"
    if guess is None:
        return None
    try:
        codecs.getincrementaldecoder(guess)().decode(head[:n], final=False)  # the tail may be cut
    except UnicodeDecodeError:
        return None
    return guess


def decode_bytes(data: bytes, name: str, *, encoding: str | None = None) -> tuple[str, list[str]]:
    """Decode ``data`` (from ``name``, used in messages) to text, plus warnings.

    BOMs (UTF-8/16/32) are honoured; then ``encoding`` (e.g. an HTML meta
    charset) when given, UTF-8, then cp1252 and latin-1, with a warning naming
    the encoding used whenever the text was not UTF-8.  Newlines are normalised.

    Raises :class:`EmptyInputError` for empty or whitespace-only input and
    :class:`BinaryInputError` for binary content.
    """
    warnings: list[str] = []
    if not data or data.isspace():
        raise EmptyInputError(f"{name}: empty input (no text)")
    kind = binary_kind(data)
    if kind:
        raise BinaryInputError(f"{name}: looks like a binary file ({kind}), not text or HTML")
    text: str | None = None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: has a {codec} byte-order mark but is not valid {codec} ({exc.reason})") from None
            if codec != "utf-8":
                warnings.append(f"{name}: input is not UTF-8; decoded as {codec} (byte-order mark)")
            break
    if text is None:
        bomless = _utf16_without_bom(data[:SNIFF_BYTES])
        candidates = [c for c in (bomless, encoding, "utf-8", *FALLBACK_ENCODINGS) if c]
        for codec in dict.fromkeys(candidates):
            try:
                text = data.decode(codec)
            except (UnicodeDecodeError, LookupError):
                continue
            if codecs.lookup(codec).name != "utf-8":
                how = ("declared by the page" if codec == encoding
                       else "UTF-16 without byte-order mark" if codec == bomless else "not valid UTF-8")
                warnings.append(f"{name}: input is not UTF-8; decoded as {codec} ({how})")
            break
    assert text is not None  # latin-1 decodes anything
    text = normalise_newlines(text)
    if not text or text.isspace():
        raise EmptyInputError(f"{name}: empty input (no text)")
    return text, warnings


def looks_like_html(text: str) -> bool:
    """True when ``text`` starts like an HTML document or is dense with HTML tags."""
    head = text[:4096]
    if _HTML_START_RE.match(head):
        return True
    return head.lstrip().startswith("<") and len(_HTML_TAG_RE.findall(head)) >= 2


# ---------------------------------------------------------------------------
# Text and HTML


def _bounds(text: str, start: int = 0) -> tuple[int, int]:
    """(first, end) of ``text[start:]`` without outer whitespace, without copying it."""
    m = _NON_SPACE_RE.search(text, start)
    if m is None:
        return len(text), len(text)
    end = len(text)
    while end > m.start() and text[end - 1].isspace():
        end -= 1
    return m.start(), end


def split_headline(text: str) -> tuple[str, str, str | None]:
    """(headline, body, date) of a plain text by the rules in the module docstring.

    ``text`` must already have normalised newlines.  Works on offsets, so a
    long text is copied once (into the body).
    """
    start, end = _bounds(text)
    date: str | None = None
    nl = text.find("\n", start, end)
    first_end = nl if nl != -1 else end
    m = _DATE_LINE_RE.match(text[start:first_end])
    if m:
        date = m.group(1)
        headline = m.group(2).strip()
        body_start = _bounds(text, first_end)[0]
        if headline and body_start < end:
            return headline, text[body_start:end], date
        if headline:  # a date line and nothing else: the headline is the text
            return "", headline, date
        start = _bounds(text, first_end)[0]
        nl = text.find("\n", start, end)
        first_end = nl if nl != -1 else end
    if nl != -1 and _BLANK_LINE_RE.match(text, nl, end):
        body_start = _bounds(text, nl)[0]
        headline = text[start:first_end].strip()
        if body_start < end and len(headline) <= MAX_HEADLINE_CHARS:
            return headline, text[body_start:end], date
    return "", text[start:end], date


def load_text(text: str, *, id: str | None = None, source_name: str | None = None) -> Article:
    """An article from plain text (format in the module docstring).

    ``source_name`` names the input in error messages.  Lone surrogates are
    replaced (:func:`repair_text`) with a warning.  Raises
    :class:`EmptyInputError` for empty or whitespace-only text.
    """
    warnings: list[str] = []
    if id is not None:
        id = _repaired(id, "id", warnings)
    name = source_name or id or "text"
    text = normalise_newlines(_repaired(text, f"{name}: text", warnings))
    if not text or text.isspace():
        raise EmptyInputError(f"{name}: empty input (no text)")
    headline, body, date = split_headline(text)
    return Article(body=body, headline=headline, id=id, date=date, warnings=tuple(warnings))


def _meta_charset(data: bytes) -> str | None:
    m = _META_CHARSET_RE.search(data[:4096])
    if not m:
        return None
    charset = m.group(1).decode("ascii", "replace").lower()
    try:
        codecs.lookup(charset)
    except LookupError:
        return None
    return charset


def _meta(doc: Any, key: str) -> Any:
    if isinstance(doc, Mapping):
        return doc.get(key)
    return getattr(doc, key, None)


def load_html(html: str | bytes, *, url: str | None = None, id: str | None = None) -> Article:
    """An article from an HTML page, extracted with trafilatura.

    Headline, body (paragraphs separated by blank lines), date, outlet (site
    name, else the URL's host) and URL come from the page.  Lone surrogates in
    a ``str`` page are replaced (:func:`repair_text`) with a warning.

    When trafilatura finds little (fewer than :data:`BOILERPLATE_CHECK_WORDS`
    words) in a page nested deeper than lxml's default parser goes
    (:data:`LXML_MAX_DEPTH` elements), the page is re-parsed with
    ``huge_tree`` and its paragraphs are taken by a plain text walk that skips
    navigation, headers, footers, asides and forms.

    Raises :class:`NoArticleError` when no article text is found: nothing
    extracted, fewer than :data:`MIN_HTML_WORDS` words in the body, or a body
    made only of the page's link texts, navigation and form labels (a login
    page); and the errors of :func:`decode_bytes` for bytes that are empty or
    binary.
    """
    warnings: list[str] = []
    if id is not None:
        id = _repaired(id, "id", warnings)
    if url is not None:
        url = _repaired(url, "url", warnings)
    name = url or id or "HTML input"
    if isinstance(html, bytes):
        html, decoded = decode_bytes(html, name, encoding=_meta_charset(html))
        warnings.extend(decoded)
    else:
        html = normalise_newlines(_repaired(html, f"{name}: HTML", warnings))
        if not html or html.isspace():
            raise EmptyInputError(f"{name}: empty input (no text)")
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False
        )
    except Exception as exc:  # trafilatura/lxml raise many kinds on broken markup
        raise NoArticleError(f"{name}: HTML could not be parsed ({type(exc).__name__}: {exc})") from None
    raw = (_meta(doc, "text") or "") if doc is not None else ""
    paragraphs = [line.strip() for line in normalise_newlines(raw).split("\n") if line.strip()]
    headline = " ".join((_meta(doc, "title") or "").split()) if doc is not None else ""
    if paragraphs and headline and paragraphs[0] == headline:
        paragraphs = paragraphs[1:]
    words = [w.lower() for p in paragraphs for w in _LETTERS_RE.findall(p)]
    if len(words) < BOILERPLATE_CHECK_WORDS:
        tree = _parse_tree(html)
        if tree is not None and _deeper_than(tree, LXML_MAX_DEPTH):
            walked = _walk_text(tree)
            if walked:
                headline = headline or " ".join((tree.findtext(".//title") or "").split())
                if headline and walked[0] == headline:
                    walked = walked[1:]
                paragraphs = walked
                words = [w.lower() for p in paragraphs for w in _LETTERS_RE.findall(p)]
        if not paragraphs:
            raise NoArticleError(f"{name}: no article text found in the HTML")
        if len(words) < MIN_HTML_WORDS:
            raise NoArticleError(
                f"{name}: no article text found in the HTML (only {len(words)} word(s) besides the headline: "
                f"{_preview(' '.join(paragraphs))})"
            )
        if tree is not None and set(words) <= _boilerplate_words(tree):
            raise NoArticleError(
                f"{name}: no article text found in the HTML (only navigation, links or form labels: "
                f"{_preview(' '.join(paragraphs))})"
            )
    if len(headline) > MAX_HEADLINE_CHARS:
        headline = ""
    page_url = _meta(doc, "url") or url
    outlet = _meta(doc, "sitename") or _meta(doc, "hostname") or (urlparse(page_url).hostname if page_url else None)
    return Article(
        body="\n\n".join(paragraphs),
        headline=headline,
        id=id,
        date=_meta(doc, "date") or None,
        url=page_url or None,
        outlet=outlet or None,
        warnings=tuple(warnings),
    )


def _preview(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def _parse_tree(html: str) -> Any:
    """The page as an lxml tree, parsed with ``huge_tree`` (no depth limit), or None."""
    from lxml import etree
    from lxml.html import HTMLParser, fromstring

    parser = HTMLParser(huge_tree=True, collect_ids=False, remove_comments=True, remove_pis=True, encoding="utf-8")
    try:
        return fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError):  # an empty document
        return None


def _deeper_than(tree: Any, limit: int) -> bool:
    from lxml import etree

    depth = 0
    for event, _el in etree.iterwalk(tree, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth > limit:
            return True
    return False


def _walk_text(tree: Any) -> list[str]:
    """Paragraphs of a page by a plain walk: the text of each outermost block
    (p, h1-h6, li, blockquote, ...) outside navigation, headers, footers, asides and forms."""
    from lxml import etree

    out: list[str] = []
    skip = block = 0
    for event, el in etree.iterwalk(tree, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _WALK_SKIP:
                skip += 1
            if tag in _WALK_BLOCKS:
                if not skip and not block:
                    text = " ".join(el.text_content().split())
                    if text:
                        out.append(text)
                block += 1
        else:
            if tag in _WALK_SKIP:
                skip -= 1
            if tag in _WALK_BLOCKS:
                block -= 1
    return out


def _boilerplate_words(tree: Any) -> set[str]:
    """Lower-cased words of the page's links, navigation, footers and form
    controls (labels, buttons, options, input values and placeholders)."""
    words: set[str] = set()
    for el in tree.iter(*BOILERPLATE_TAGS):
        text = el.text_content() if el.tag not in ("input", "textarea") else ""
        text += " " + (el.get("value") or "") + " " + (el.get("placeholder") or "")
        words.update(w.lower() for w in _LETTERS_RE.findall(text))
    return words


def load_bytes(data: bytes, name: str, *, id: str | None = None, html: bool | None = None) -> Article:
    """An article from raw bytes: HTML when ``html`` is True, text when False,
    sniffed when None."""
    if html is None:
        text, warnings = decode_bytes(data, name)
        html = looks_like_html(text)
        if not html:
            article = load_text(text, id=id, source_name=name)
            return _with_warnings(article, warnings)
    if html:
        return load_html(data, id=id or name)
    text, warnings = decode_bytes(data, name)
    return _with_warnings(load_text(text, id=id, source_name=name), warnings)


def _with_warnings(article: Article, warnings: Iterable[str]) -> Article:
    warnings = tuple(warnings)
    if not warnings:
        return article
    from dataclasses import replace

    return replace(article, warnings=article.warnings + warnings)


def _read_capped(stream: BinaryIO, name: str, limit: int, chunk: int = 1 << 20) -> bytes:
    """Read at most ``limit`` bytes in chunks (no ``limit``-sized buffer up front)."""
    parts: list[bytes] = []
    size = 0
    while True:
        part = stream.read(min(chunk, limit + 1 - size))
        if not part:
            break
        parts.append(part)
        size += len(part)
        if size > limit:
            raise InputError(f"{name}: larger than {limit // (1024 * 1024)} MB; too big for one article")
    return b"".join(parts)


def load_file(path: str | Path, *, id: str | None = None) -> Article:
    """One article from a text or HTML file (HTML by suffix, else sniffed).

    ``id`` defaults to the file name.
    """
    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise InputError(f"{name}: no such file" if not path.exists() else f"{name}: not a regular file")
    try:
        with path.open("rb") as fh:
            data = _read_capped(fh, name, MAX_FILE_BYTES)
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    suffix = path.suffix.lower()
    html: bool | None = True if suffix in HTML_SUFFIXES else (False if suffix in TEXT_SUFFIXES else None)
    article_id = id if id is not None else path.name
    if html:
        return load_html(data, id=article_id)
    if html is False:
        text, warnings = decode_bytes(data, name)
        return _with_warnings(load_text(text, id=article_id, source_name=name), warnings)
    return load_bytes(data, name, id=article_id, html=None)


# ---------------------------------------------------------------------------
# URLs and stdin


def fetch_url(url: str, *, timeout: float = 20.0, max_bytes: int = MAX_URL_BYTES) -> Article:
    """Fetch ``url`` (http/https only) and load it as an HTML (or text) article.

    Any network failure is an :class:`InputError` naming the URL; pages larger
    than ``max_bytes`` are refused.
    """
    import urllib.error
    import urllib.request

    scheme = urlparse(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise InputError(f"{url}: only http and https URLs can be fetched")

    class _SafeRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
            if urlparse(newurl).scheme.lower() not in ("http", "https"):
                raise urllib.error.URLError(f"redirect to a non-http URL {newurl}")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    opener = urllib.request.build_opener(_SafeRedirect)
    request = urllib.request.Request(url, headers={"User-Agent": "newsaudit/0.1 (+offline news auditing)"})
    try:
        with opener.open(request, timeout=timeout) as resp:
            content_type = resp.headers.get_content_type() or ""
            charset = resp.headers.get_content_charset()
            final_url = resp.geturl() or url
            data = resp.read(max_bytes + 1)
    except urllib.error.HTTPError as exc:
        raise InputError(f"could not fetch {url}: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise InputError(f"could not fetch {url}: {exc.reason}") from None
    except (OSError, ValueError) as exc:  # timeouts, resets, bad URLs
        raise InputError(f"could not fetch {url}: {exc or type(exc).__name__}") from None
    if len(data) > max_bytes:
        raise InputError(f"could not fetch {url}: page larger than {max_bytes} bytes")
    if content_type == "text/plain":
        text, warnings = decode_bytes(data, url, encoding=charset)
        article = load_text(text, id=url, source_name=url)
        from dataclasses import replace

        return replace(article, url=final_url, outlet=urlparse(final_url).hostname, warnings=tuple(warnings))
    if content_type and not (content_type.startswith("text/") or "html" in content_type or "xml" in content_type):
        raise BinaryInputError(f"{url}: is {content_type}, not an HTML page")
    if charset and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, warnings = decode_bytes(data, url, encoding=charset)
        article = load_html(text, url=final_url, id=url)
        return _with_warnings(article, warnings)
    return load_html(data, url=final_url, id=url)


def read_stdin(stream: BinaryIO | None = None) -> Article:
    """One article from stdin bytes (text or HTML, sniffed)."""
    stream = stream if stream is not None else sys.stdin.buffer
    data = _read_capped(stream, "stdin", MAX_FILE_BYTES)
    return load_bytes(data, "stdin", id="stdin")


# ---------------------------------------------------------------------------
# Datasets


def _has_suffix(path: Path, suffixes: Iterable[str]) -> bool:
    name = path.name.lower()
    return any(name.endswith(s) for s in suffixes)


def is_dataset(path: str | Path) -> bool:
    """True when ``path`` has a dataset suffix (JSONL, JSON, CSV, TSV, Parquet)."""
    return _has_suffix(Path(path), DATASET_SUFFIXES)


def _where(path: Path, row: int, line: int | None = None) -> str:
    """``name row N`` (with ``(line L)`` when the record's line differs), for messages."""
    return f"{path.name} row {row}" + (f" (line {line})" if line is not None and line != row else "")


def _row_error(
    cls: type[InputError],
    path: Path,
    row: int,
    row_id: str | None,
    message: str,
    *,
    line: int | None = None,
    meta: Mapping[str, str | None] | None = None,
) -> InputError:
    """A row's error, with the attributes ``row``, ``id``, ``path`` and ``headline``,
    ``date``, ``outlet``, ``url`` (None when the row had no such field)."""
    err = cls(f"{_where(path, row, line)}: {message}")
    err.row = row  # type: ignore[attr-defined]
    err.id = row_id if row_id is not None else str(row)  # type: ignore[attr-defined]
    err.path = str(path)  # type: ignore[attr-defined]
    for key in ERROR_ROW_FIELDS:
        setattr(err, key, (meta or {}).get(key))
    return err


def _candidates(fields_: FieldMap) -> dict[str, tuple[str, ...]]:
    """Field -> column names to try (an explicit name alone, else the defaults)."""
    out: dict[str, tuple[str, ...]] = {}
    for f in fields(FieldMap):
        explicit = getattr(fields_, f.name)
        out[f.name] = (explicit,) if explicit else DEFAULT_FIELD_NAMES[f.name]
    return out


def _explicit(fields_: FieldMap) -> dict[str, str]:
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


def _article_from_record(
    record: Any,
    *,
    path: Path,
    row: int,
    cands: dict[str, tuple[str, ...]],
    explicit: dict[str, str],
    warnings: tuple[str, ...] = (),
    line: int | None = None,
) -> Article | InputError:
    """The dataset row mapper: one record (a mapping) -> an Article or its error
    (rules in the module docstring)."""
    where = _where(path, row, line)
    if not isinstance(record, Mapping):
        return _row_error(InputError, path, row, None, f"is a JSON {type(record).__name__}, not an object", line=line)
    lower = {str(k).lower(): k for k in record}
    columns: dict[str, str | None] = {}
    values: dict[str, Any] = {}
    for name, names in cands.items():
        columns[name], values[name] = _lookup(record, names, name in explicit, lower)
    notes = list(warnings)

    def repaired(value: str | None, name: str) -> str | None:
        return None if value is None else _repaired(value, f"{where}: {name}", notes)

    meta: dict[str, str | None] = {
        name: repaired(_clean(values[name]), name) for name in ("id", "date", "url", "outlet")
    }
    raw_title = values["title"]
    if isinstance(raw_title, str):
        meta["headline"] = repaired(_clean(raw_title), "title")
    else:
        meta["headline"] = None
        if not _missing(raw_title):
            notes.append(f"{where}: title field {columns['title']!r} is {_describe_value(raw_title)}, not text; ignored")
    row_id = meta.pop("id") or str(row)

    def error(cls: type[InputError], message: str) -> InputError:
        return _row_error(cls, path, row, row_id, message, line=line, meta=meta)

    if columns["text"] is None:
        wanted = explicit.get("text") or "/".join(DEFAULT_FIELD_NAMES["text"])
        return error(InputError, f"no text field ({wanted})")
    body, wrong = _body_text(values["text"])
    if wrong is not None:
        return error(InputError, f"text field {columns['text']!r} is {wrong}, not text")
    if body is None or not body.strip():
        return error(EmptyInputError, "empty text")
    body = normalise_newlines(repaired(body, "text") or "").strip()
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
    for bom, codec in _BOMS:
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
    explicit = _explicit(fields_)
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
    for name, column in _explicit(fields_).items():
        if column not in columns:
            raise DatasetError(f"{path}: no column {column!r} (--{name}-field); columns are: {', '.join(columns)}")
    if not fields_.text:
        lower = {c.lower() for c in columns}
        if not lower & set(DEFAULT_FIELD_NAMES["text"]):
            raise DatasetError(
                f"{path}: no text column found (tried {', '.join(DEFAULT_FIELD_NAMES['text'])}; "
                f"columns are: {', '.join(columns)}); name it with --text-field"
            )


def _iter_jsonl(path: Path, fields_: FieldMap) -> Iterator[Article | InputError]:
    _jsonl_check_columns(path, fields_)
    cands, explicit = _candidates(fields_), _explicit(fields_)
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
                yield _row_error(InputError, path, row, None, f"not valid JSON ({why})", line=lineno)
                continue
            yield _article_from_record(record, path=path, row=row, cands=cands, explicit=explicit, warnings=warnings, line=lineno)


def _iter_json(path: Path, fields_: FieldMap) -> Iterator[Article | InputError]:
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
    cands, explicit = _candidates(fields_), _explicit(fields_)
    for i, record in enumerate(doc, start=1):
        yield _article_from_record(record, path=path, row=i, cands=cands, explicit=explicit, warnings=tuple(_warnings))


def _iter_csv(path: Path, fields_: FieldMap, delimiter: str) -> Iterator[Article | InputError]:
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
        cands, explicit = _candidates(fields_), _explicit(fields_)
        row = 0
        while True:
            row += 1
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield _row_error(InputError, path, row, None, f"malformed CSV ({exc})")
                continue
            record.pop(None, None)  # type: ignore[call-overload]  # extra cells
            yield _article_from_record(record, path=path, row=row, cands=cands, explicit=explicit, warnings=warnings)


def _iter_parquet(path: Path, fields_: FieldMap) -> Iterator[Article | InputError]:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError, ...
        raise DatasetError(f"{path}: not a readable Parquet file ({exc})") from None
    columns = list(pf.schema_arrow.names)
    _check_header(path, columns, fields_)
    # read only the columns that can be mapped
    wanted_lower = {n for names in _candidates(fields_).values() for n in names}
    explicit_cols = set(_explicit(fields_).values())
    read = [c for c in columns if c in explicit_cols or c.lower() in wanted_lower]
    cands, explicit = _candidates(fields_), _explicit(fields_)
    row = 0
    try:
        for batch in pf.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=read):
            for record in batch.to_pylist():
                row += 1
                yield _article_from_record(record, path=path, row=row, cands=cands, explicit=explicit)
    except OSError as exc:
        raise DatasetError(f"{path}: Parquet read failed after row {row} ({exc})") from None


def iter_dataset(path: str | Path, fields: FieldMap | None = None) -> Iterator[Article | InputError]:
    """Stream a dataset file: one ``Article`` or ``InputError`` (not raised) per row.

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


# ---------------------------------------------------------------------------
# Folders and the one entry point


def iter_folder(folder: str | Path) -> Iterator[Article | InputError]:
    """Every .txt/.html/.htm file under ``folder`` (recursive, sorted, hidden
    files skipped); id = path relative to ``folder``.  A file that cannot be
    read yields its ``InputError`` (with ``row``/``id``/``path``)."""
    folder = Path(folder)
    files = sorted(
        (p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in FOLDER_SUFFIXES
         and not any(part.startswith(".") for part in p.relative_to(folder).parts)),
        key=lambda p: p.relative_to(folder).as_posix(),
    )
    if not files:
        raise EmptyInputError(f"{folder}: no {'/'.join(FOLDER_SUFFIXES)} files in the folder")
    for i, p in enumerate(files, start=1):
        rel = p.relative_to(folder).as_posix()
        try:
            yield load_file(p, id=rel)
        except InputError as exc:
            exc.row = i  # type: ignore[attr-defined]
            exc.id = rel  # type: ignore[attr-defined]
            exc.path = str(p)  # type: ignore[attr-defined]
            for key in ERROR_ROW_FIELDS:
                setattr(exc, key, None)
            yield exc


def is_url(spec: str) -> bool:
    return bool(_URL_RE.match(spec))


def iter_inputs(spec: str, fields: FieldMap | None = None, *, allow_url: bool = False) -> Iterator[Article | InputError]:
    """Articles from ``spec``: a text/HTML file, a folder, a dataset file,
    ``-`` for stdin, or (when ``allow_url``) an http(s) URL.

    Folders and datasets yield per-item ``InputError`` instances for bad
    items; a single file, stdin or URL that cannot be read raises its error
    (there is nothing else to go on with).
    """
    if spec == "-":
        yield read_stdin()
        return
    if is_url(spec):
        if not allow_url:
            raise InputError(f"{spec}: URLs are not accepted here (the CLI fetches them)")
        yield fetch_url(spec)
        return
    path = Path(spec)
    if not path.exists():
        raise InputError(f"{spec}: no such file or folder")
    if path.is_dir():
        yield from iter_folder(path)
    elif is_dataset(path):
        yield from iter_dataset(path, fields)
    else:
        yield load_file(path)


# ---------------------------------------------------------------------------
# CLI: `newsaudit load SPEC` shows what the loaders make of an input.

app = typer.Typer(help="Read articles (text, HTML, URL, stdin, datasets, folders) and show what was loaded.")


@dataclass(frozen=True)
class LoadOptions:
    """Options of :func:`describe_inputs` (and the ``load`` CLI command)."""

    spec: str
    fields: FieldMap = field(default_factory=FieldMap)
    allow_url: bool = True
    detect_language: bool = True
    #: Show at most this many items (0: all).
    limit: int = 0


def describe_inputs(options: LoadOptions) -> Iterator[dict[str, Any]]:
    """One JSON-ready dict per input item: the article's fields (with body
    length instead of body) and detected language, or ``{"error": ...}``."""
    from .language import profile_language

    for n, item in enumerate(iter_inputs(options.spec, options.fields, allow_url=options.allow_url), start=1):
        if options.limit and n > options.limit:
            return
        if isinstance(item, NewsauditError):
            yield {"id": getattr(item, "id", None), "row": getattr(item, "row", None),
                   "error": type(item).__name__, "message": str(item)}
            continue
        data = item.to_dict()
        body = data.pop("body")
        data.pop("text", None)
        data["body_chars"] = len(body)
        if options.detect_language and item.language is None:
            profile = profile_language(item.text)
            data["language"] = profile.language
            data["language_confidence"] = round(profile.confidence, 3)
            data["warnings"] = data["warnings"] + list(profile.warnings)
        yield data


@app.command("load")
def load_command(
    spec: str = typer.Argument(..., help="File, folder, dataset (.jsonl/.json/.csv/.tsv/.parquet), '-' for stdin, or an http(s) URL."),
    title_field: str | None = typer.Option(None, "--title-field", help="Dataset column holding the headline."),
    text_field: str | None = typer.Option(None, "--text-field", help="Dataset column holding the article text."),
    date_field: str | None = typer.Option(None, "--date-field", help="Dataset column holding the date."),
    id_field: str | None = typer.Option(None, "--id-field", help="Dataset column holding the article id (default: row number)."),
    url_field: str | None = typer.Option(None, "--url-field", help="Dataset column holding the URL."),
    outlet_field: str | None = typer.Option(None, "--outlet-field", help="Dataset column holding the outlet name."),
    limit: int = typer.Option(0, "--limit", help="Show at most this many items (0: all)."),
    no_language: bool = typer.Option(False, "--no-language", help="Skip language detection."),
) -> None:
    """Load articles from SPEC and print one JSON line per article (or per bad row)."""
    fields_ = FieldMap.from_flags(id=id_field, title=title_field, text=text_field, date=date_field, url=url_field, outlet=outlet_field)
    options = LoadOptions(spec=spec, fields=fields_, allow_url=True, detect_language=not no_language, limit=limit)
    for item in describe_inputs(options):
        typer.echo(json.dumps(item, ensure_ascii=False))
