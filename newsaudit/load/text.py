"""Plain text to an Article: the headline rules (see newsaudit.load).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..errors import (
    EmptyInputError,
)
from ..types import Article
from .decode import normalise_newlines, repaired

#: A first line longer than this is a paragraph, not a headline.
MAX_HEADLINE_CHARS = 300


_DATE_LINE_RE = re.compile(r"^[ \t]*date:?[ \t]+(\d{4}-\d{2}-\d{2})\b[ \t]*(.*)$", re.IGNORECASE)


_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")


_NON_SPACE_RE = re.compile(r"\S")


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


#: A first line that reads like a headline: short, a few words, no closing punctuation.
_HEADLINE_LIKE_RE = re.compile(r"^\s*\S(?:[^\n]{0,148}[^\s.!?…:;,\"”’'])?\s*$")
HEADLINE_HINT = ("the first line looks like a headline, but no blank line follows it, so it was read as the start of "
                 "the body; put a blank line after a headline")


def headline_hint(text: str, headline: str) -> str | None:
    """:data:`HEADLINE_HINT` when ``text`` (newlines normalised) had no headline split off but opens with a
    line that reads like one, directly followed by more text; else None."""
    if headline:
        return None
    lines = text.strip().split("\n", 2)
    if len(lines) < 2 or not lines[1].strip():
        return None
    first = lines[0]
    if not _HEADLINE_LIKE_RE.match(first) or not 2 <= len(first.split()) <= 20 or _DATE_LINE_RE.match(first):
        return None
    return HEADLINE_HINT


def load_text(text: str, *, id: str | None = None, source_name: str | None = None) -> Article:
    """An article from plain text (format in the module docstring).

    ``source_name`` names the input in error messages.  Lone surrogates are
    replaced (:func:`repair_text`) with a warning.  Raises
    :class:`EmptyInputError` for empty or whitespace-only text.
    """
    warnings: list[str] = []
    if id is not None:
        id = repaired(id, "id", warnings)
    name = source_name or id or "text"
    text = normalise_newlines(repaired(text, f"{name}: text", warnings))
    if not text or text.isspace():
        raise EmptyInputError(f"{name}: empty input (no text)")
    headline, body, date = split_headline(text)
    hint = headline_hint(text, headline)
    if hint:
        warnings.append(hint)
    return Article(body=body, headline=headline, id=id, date=date, warnings=tuple(warnings))


def with_warnings(article: Article, warnings: Iterable[str]) -> Article:
    warnings = tuple(warnings)
    if not warnings:
        return article
    from dataclasses import replace

    return replace(article, warnings=article.warnings + warnings)
