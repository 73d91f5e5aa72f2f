"""Bytes to an Article: the one router of files, stdin, fetched pages and request bodies.

:func:`load_bytes` decides between HTML and plain text (an explicit choice, a
media type, a file suffix, else the decoded text itself) and which charset to
trust (a declared label only when it is on the allow-list of
:mod:`newsaudit.load.decode`).  :func:`load_file` and :func:`read_stdin` read
their bytes and call it; so do the fetcher (:mod:`newsaudit.load.fetch`) and
the web service's workers.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from ..errors import (
    InputError,
)
from ..types import Article
from .decode import charset_codec, decode_bytes, looks_like_html, read_capped, unknown_charset_warning
from .html import load_html
from .text import load_text, with_warnings

#: Largest single text/HTML file (or stdin) that is read as one article.
MAX_FILE_BYTES = 64 * 1024 * 1024


#: File names read as plain text, whatever they hold.
TEXT_SUFFIXES = (".txt", ".text", ".md")


#: File names read as HTML pages (the one list: files, folders, uploads).
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")


#: Media types read as HTML pages (fetched pages, request bodies, uploads).
HTML_TYPES = ("text/html", "application/xhtml+xml")


#: Who declared a charset passed to :func:`load_bytes`, as its warnings say.
HEADER_CHARSET = "declared by the Content-Type header"


def html_by_type(media_type: str | None, filename: str | None) -> bool | None:
    """True (HTML) or False (text) from a media type and a file name, None when they do not say.

    An HTML media type or an HTML suffix says HTML; a text suffix says text.
    ``text/plain`` says nothing: a page sent as text is still read as a page.
    """
    if (media_type or "").lower() in HTML_TYPES:
        return True
    suffix = Path(filename or "").suffix.lower()
    if suffix in HTML_SUFFIXES:
        return True
    if suffix in TEXT_SUFFIXES:
        return False
    return None


def load_bytes(
    data: bytes,
    name: str,
    *,
    id: str | None = None,
    html: bool | None = None,
    media_type: str | None = None,
    filename: str | None = None,
    charset: str | None = None,
    url: str | None = None,
) -> Article:
    """An article from raw bytes (``name`` names them in messages).

    * HTML or text: ``html`` when given, else :func:`html_by_type` of
      ``media_type`` and ``filename``, else sniffed from the decoded text.
    * ``charset``: a label declared outside the bytes (an HTTP header); honoured
      when on the allow-list, else one warning and ignored.  An HTML page
      without an honoured ``charset`` is decoded by its own ``<meta charset>``,
      then the fallbacks.  A byte-order mark always wins.
    * ``url``: where the bytes come from; a text article from a URL gets the
      URL's host as its outlet, as a page does.
    """
    warnings: list[str] = []
    label = charset if charset_codec(charset) else None
    if charset and label is None:
        warnings.append(unknown_charset_warning(name, charset, HEADER_CHARSET))
    if html is None:
        html = html_by_type(media_type, filename)
    decoded: tuple[str, list[str]] | None = None
    if html is None:
        decoded = decode_bytes(data, name, encoding=label, declared_by=HEADER_CHARSET)
        html = looks_like_html(decoded[0])
    if html and label is None:  # the page's own meta charset, then the fallbacks
        return with_warnings(load_html(data, url=url, id=id), warnings)
    text, decode_warnings = decoded or decode_bytes(data, name, encoding=label, declared_by=HEADER_CHARSET)
    warnings += decode_warnings
    if html:
        return with_warnings(load_html(text, url=url, id=id), warnings)
    article = load_text(text, id=id, source_name=name)
    if url:
        article = replace(article, url=url, outlet=urlsplit(url).hostname or None)
    return with_warnings(article, warnings)


def load_file(path: str | Path, *, id: str | None = None) -> Article:
    """One article from a text or HTML file (HTML or text by suffix, else sniffed).

    ``id`` defaults to the file name.
    """
    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise InputError(f"{name}: no such file" if not path.exists() else f"{name}: not a regular file")
    try:
        with path.open("rb") as fh:
            data = read_capped(fh, name, MAX_FILE_BYTES)
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    return load_bytes(data, name, id=id if id is not None else path.name, filename=path.name)


def read_stdin(stream: BinaryIO | None = None) -> Article:
    """One article from stdin bytes (text or HTML, sniffed)."""
    stream = stream if stream is not None else sys.stdin.buffer
    data = read_capped(stream, "stdin", MAX_FILE_BYTES)
    return load_bytes(data, "stdin", id="stdin")
