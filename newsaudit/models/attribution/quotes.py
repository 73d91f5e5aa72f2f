"""Quotations and paragraphs mapped to tokens: newsaudit's one quote scanner and paragraph rule.

The model's features read the same quotations as the rest of newsaudit
(:func:`newsaudit.text.quotes.quotations`) and the same paragraph rule
(:func:`newsaudit.text.paragraphs.paragraph_bounds`); if either changes its
behaviour, retrain the model.
"""

from __future__ import annotations

import bisect

from ...text.paragraphs import paragraph_bounds
from ...text.quotes import quotations


def token_quotes(starts: list[int], text: str) -> tuple[list[int], list[tuple[int, int]]]:
    """For tokens starting at character offsets ``starts``: the index of the quotation (newsaudit's one
    quote scanner, :func:`newsaudit.text.quotes.quotations`) each token lies in (-1 outside), and each
    quotation's (first token, last token + 1).  The features depend on the scanner: retrain if it changes."""
    qid = [-1] * len(starts)
    bounds: list[tuple[int, int]] = []
    for qs, qe in quotations(text):
        lo = bisect.bisect_left(starts, qs)
        hi = bisect.bisect_left(starts, qe)
        if hi <= lo:
            continue
        for i in range(lo, hi):
            qid[i] = len(bounds)
        bounds.append((lo, hi))
    return qid, bounds


def token_paragraphs(starts: list[int], text: str) -> list[int]:
    """Paragraph index of each token (the one paragraph rule; tokens between paragraphs get the next one's)."""
    pstarts = [p[0] for p in paragraph_bounds(text)]
    return [max(0, bisect.bisect_right(pstarts, s) - 1) for s in starts]
