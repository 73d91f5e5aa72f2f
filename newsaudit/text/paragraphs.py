"""The one paragraph rule: a paragraph is a non-blank line.

A line break ends a paragraph, and blank lines between paragraphs are
optional: ``Article.text`` separates paragraphs with a blank line, while
many datasets use a single newline, and both read the same way.  Quote
scanning, relay scopes ("Rt.com reports: ..." covers the rest of its
paragraph), per-paragraph language detection and sentence boundaries
(``newsaudit_paragraphs``) all use this rule.
"""

from __future__ import annotations

import re

_LINE_RE = re.compile(r"[^\n]+")


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph of ``text``, without its outer white space."""
    bounds = []
    for m in _LINE_RE.finditer(text):
        start, end = m.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            bounds.append((start, end))
    return bounds


def paragraph_end(text: str, pos: int) -> int:
    """End of the paragraph that holds offset ``pos`` (the next line break, or the end of the text)."""
    cut = text.find("\n", pos)
    return len(text) if cut == -1 else cut
