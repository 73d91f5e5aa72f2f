"""Character extents for the attribution rules: trimming, phrases, and the
quotations of one document with fast look-ups."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.tokens import Token

from ...text.quotes import quotations

#: Characters stripped from the edges of a content or source span.
EDGE_PUNCT = " \t\r\n,;:.—–-"
#: Words a content span must not end with ("... as well as").
TRAILING_WORDS = (" as well as", " and", " or", " but")


@dataclass
class Found:
    """One attribution a rule found, as character extents (before ids and sources)."""

    kind: str
    content: tuple[int, int]
    source: tuple[int, int] | None
    cue: tuple[int, int]
    rule: str
    source_token: Token | None = None
    #: the antecedent already known (the model's "locals who told him": "locals"); else pronouns are resolved
    resolved: tuple[int, int] | None = None
    #: the pieces of a content interrupted by its own source and cue (empty: one piece)
    pieces: tuple[tuple[int, int], ...] = ()


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip whitespace and edge punctuation (keeping quote marks and balanced brackets)."""
    while start < end and text[start] in EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in EDGE_PUNCT:
        end -= 1
    return start, end


def trim_keep_quotes(text: str, start: int, end: int) -> tuple[int, int]:
    """:func:`trim`, then drop a trailing "and"/"or"/"but"/"as well as" and stray quote marks at the edges."""
    start, end = trim(text, start, end)
    for word in TRAILING_WORDS:
        if end - start > len(word) and text.endswith(word, start, end):
            end -= len(word)
            start, end = trim(text, start, end)
            break
    # A lone closing quote mark at the start / opening mark at the end is noise.
    while start < end and text[start] in "”»’":
        start += 1
    while end > start and text[end - 1] in "“«‘":
        end -= 1
    return trim(text, start, end)


def tok_end(tok: Token) -> int:
    return tok.idx + len(tok.text)


def phrase(tok: Token, exclude: tuple[str, ...] = ("relcl", "acl", "punct")) -> tuple[int, int]:
    """Char extent of ``tok``'s subtree, cut before a relative clause or trailing punctuation."""
    left = tok.left_edge
    right = tok.right_edge
    for child in tok.rights:
        if child.dep_ in exclude:
            right = child.left_edge.nbor(-1) if child.left_edge.i > tok.i else tok
            break
    # Never cross the edges of the sentence.
    if right.i < tok.i:
        right = tok
    return left.idx, tok_end(right)


def sentence_lead(text: str, pos: int, limit: int = 600) -> int:
    """Start of the sentence-ish stretch that ends at ``pos`` (after . ! ? : or a newline)."""
    floor = max(0, pos - limit)
    i = pos
    while i > floor:
        ch = text[i - 1]
        if ch == "\n" or (ch in ".!?:" and i < len(text) and text[i].isspace()):
            break
        i -= 1
    while i < pos and text[i].isspace():
        i += 1
    return i


class QuoteIndex:
    """The quotations of one doc (:func:`newsaudit.text.quotes.quotations`) with fast look-ups."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = quotations(text)
        self.starts = [s for s, _ in self.spans]
        self.ends = sorted(e for _, e in self.spans)
        self.by_end = sorted(self.spans, key=lambda q: q[1])

    def starting_at(self, pos: int) -> tuple[int, int] | None:
        i = bisect.bisect_left(self.starts, pos)
        if i < len(self.spans) and self.spans[i][0] == pos:
            return self.spans[i]
        return None

    def ending_before(self, pos: int) -> tuple[int, int] | None:
        """The quote that ends at or before ``pos`` with only spaces/commas between."""
        i = bisect.bisect_right(self.ends, pos) - 1
        if i < 0:
            return None
        q = self.by_end[i]
        gap = self.text[q[1] : pos]
        if gap.strip(" ,—–-\t") == "" and "\n" not in gap:
            return q
        return None

    def coverage(self, start: int, end: int) -> float:
        """Fraction of [start, end) inside quote marks (quote spans never overlap)."""
        if end <= start:
            return 0.0
        covered = 0
        j = bisect.bisect_left(self.starts, end) - 1
        while j >= 0 and self.spans[j][1] > start:
            qs, qe = self.spans[j]
            covered += max(0, min(end, qe) - max(start, qs))
            j -= 1
        return min(1.0, covered / (end - start))

    def containing(self, start: int, end: int) -> tuple[int, int] | None:
        """The quote that contains [start, end), if any."""
        i = bisect.bisect_right(self.starts, start) - 1
        if i >= 0 and self.spans[i][0] <= start and end <= self.spans[i][1]:
            return self.spans[i]
        return None
