"""Cutting a long text into windows for parsing, so that memory stays bounded."""

from __future__ import annotations


def split_windows(text: str, size: int) -> list[str]:
    """Cut ``text`` into pieces of at most ``size`` chars at paragraph, line or
    sentence-ish boundaries.  ``"".join(pieces) == text`` always."""
    pieces: list[str] = []
    start = 0
    n = len(text)
    while n - start > size:
        limit = start + size
        cut = -1
        for sep in ("\n\n", "\n", ". ", " "):
            pos = text.rfind(sep, start + size // 2, limit)
            if pos != -1:
                cut = pos + len(sep)
                break
        if cut == -1:
            cut = limit
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces
