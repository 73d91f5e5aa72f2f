"""One article from a file, from raw bytes, or from standard input.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO

from ..errors import (
    InputError,
)
from ..types import Article
from .decode import decode_bytes, looks_like_html, read_capped
from .html import load_html
from .text import load_text, with_warnings

#: Largest single text/HTML file (or stdin) that is read as one article.
MAX_FILE_BYTES = 64 * 1024 * 1024


TEXT_SUFFIXES = (".txt", ".text", ".md")


HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")


def load_bytes(data: bytes, name: str, *, id: str | None = None, html: bool | None = None) -> Article:
    """An article from raw bytes: HTML when ``html`` is True, text when False,
    sniffed when None."""
    if html is None:
        text, warnings = decode_bytes(data, name)
        html = looks_like_html(text)
        if not html:
            article = load_text(text, id=id, source_name=name)
            return with_warnings(article, warnings)
    if html:
        return load_html(data, id=id or name)
    text, warnings = decode_bytes(data, name)
    return with_warnings(load_text(text, id=id, source_name=name), warnings)


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
            data = read_capped(fh, name, MAX_FILE_BYTES)
    except OSError as exc:
        raise InputError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    suffix = path.suffix.lower()
    html: bool | None = True if suffix in HTML_SUFFIXES else (False if suffix in TEXT_SUFFIXES else None)
    article_id = id if id is not None else path.name
    if html:
        return load_html(data, id=article_id)
    if html is False:
        text, warnings = decode_bytes(data, name)
        return with_warnings(load_text(text, id=article_id, source_name=name), warnings)
    return load_bytes(data, name, id=article_id, html=None)


def read_stdin(stream: BinaryIO | None = None) -> Article:
    """One article from stdin bytes (text or HTML, sniffed)."""
    stream = stream if stream is not None else sys.stdin.buffer
    data = read_capped(stream, "stdin", MAX_FILE_BYTES)
    return load_bytes(data, "stdin", id="stdin")
