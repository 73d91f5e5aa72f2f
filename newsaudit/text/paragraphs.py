"""The one paragraph rule: a paragraph is a non-blank line, and a line longer than
:data:`MAX_PARAGRAPH_CHARS` is cut into paragraphs of at most that length.

A line break ends a paragraph, and blank lines between paragraphs are
optional: ``Article.text`` separates paragraphs with a blank line, while
many datasets use a single newline, and both read the same way.  Quote
scanning, relay scopes ("Rt.com reports: ..." covers the rest of its
paragraph), per-paragraph language detection and sentence boundaries
(``newsaudit_paragraphs``) all use this rule.

Text without line breaks (an article flattened onto one line, megabytes
long) is cut the way a long text is cut into parsing windows
(:func:`newsaudit.text.windows.split_windows`: at a sentence end, else at a
space), so that nothing that reaches "to the end of the paragraph" (an
unclosed quotation, a colon's content, a relay scope) can reach megabytes
away.  No real paragraph comes near the limit.
"""

from __future__ import annotations

import re

from .windows import split_windows

#: A line longer than this many characters is cut into paragraphs of at most this length.
MAX_PARAGRAPH_CHARS = 20_000

_LINE_RE = re.compile(r"[^\n]+")


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of the pieces of the line ``text[start:end]``: itself, or its cuts when it is too long."""
    if end - start <= MAX_PARAGRAPH_CHARS:
        return [(start, end)]
    out = []
    pos = start
    for piece in split_windows(text[start:end], MAX_PARAGRAPH_CHARS):
        out.append((pos, pos + len(piece)))
        pos += len(piece)
    return out


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph of ``text``, without its outer white space."""
    bounds = []
    for m in _LINE_RE.finditer(text):
        for piece_start, piece_end in _pieces(text, *m.span()):
            start, end = _trimmed(text, piece_start, piece_end)
            if end > start:
                bounds.append((start, end))
    return bounds


def paragraph_end(text: str, pos: int) -> int:
    """End of the paragraph that holds offset ``pos``: the next line break, or the end of the text,
    or the end of its piece when its line is cut (see :data:`MAX_PARAGRAPH_CHARS`)."""
    cut = text.find("\n", pos)
    end = len(text) if cut == -1 else cut
    start = text.rfind("\n", 0, pos) + 1
    if end - start <= MAX_PARAGRAPH_CHARS:
        return end
    return next((e for s, e in _pieces(text, start, end) if s <= pos < e), end)
