"""Helpers shared by components: char offsets <-> spaCy spans, headline bounds."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from ..types import HEADLINE_SEPARATOR, Span

T = TypeVar("T")

#: Where :func:`doc_text` keeps a Doc's text in ``doc.user_data``.
_TEXT_KEY = "newsaudit.text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per Doc: spaCy joins every token's text at each access of ``Doc.text``,
    and every component reads it.  Kept in ``doc.user_data`` with the token count it was built at, so a Doc
    whose tokens changed (retokenised, or joined with ``Doc.from_docs``, which does not copy the entry)
    never reads a stale copy."""
    kept = doc.user_data.get(_TEXT_KEY)
    if kept is not None and kept[0] == len(doc):
        return str(kept[1])
    text = doc.text
    doc.user_data[_TEXT_KEY] = (len(doc), text)
    return text


def headline_end(doc: Doc) -> int:
    """End offset of the headline in ``doc.text`` (0 when there is none).

    The caller may set ``doc._.headline_end``.  Otherwise the first paragraph is
    taken as the headline when it is followed by a blank line and more text,
    which is how :attr:`Article.text` is laid out.
    """
    value = doc._.headline_end if doc.has_extension("headline_end") else None
    if value is not None:
        return int(value)
    text = doc_text(doc)
    cut = text.find(HEADLINE_SEPARATOR, 0, 402)
    if cut <= 0 or not text[cut:].strip():
        return 0
    return cut


def char_span(doc: Doc, start: int, end: int, label: str = "") -> SpacySpan | None:
    """A spaCy span covering [start, end), widened to token edges."""
    return doc.char_span(start, end, label=label, alignment_mode="expand")


def to_span(doc: Doc, start: int, end: int) -> Span:
    return Span(start, end, doc_text(doc)[start:end])


class IntervalIndex(Generic[T]):
    """Find the items whose [start, end) overlaps or contains a query, fast.

    Items are sorted by start; a running maximum of ends lets a query walk back
    from the last item starting before the query's end and stop as soon as no
    earlier item can reach the query.  Linear-time building, and near-constant
    queries when intervals do not nest deeply: what keeps components linear on
    a 5 MB article.
    """

    def __init__(self, items: list[T], key: Callable[[T], tuple[int, int]]) -> None:
        pairs = sorted(((key(item), i) for i, item in enumerate(items)), key=lambda p: (p[0][0], p[1]))
        self._items = [items[i] for _, i in pairs]
        self._starts = [b[0] for b, _ in pairs]
        self._ends = [b[1] for b, _ in pairs]
        self._maxend: list[int] = []
        best = -1
        for end in self._ends:
            best = max(best, end)
            self._maxend.append(best)

    def _walk(self, start: int, end: int) -> list[int]:
        idx = []
        i = bisect_left(self._starts, end) - 1
        while i >= 0 and self._maxend[i] > start:
            if self._ends[i] > start and self._starts[i] < end:
                idx.append(i)
            i -= 1
        idx.reverse()
        return idx

    def covers(self, x: int) -> bool:
        """Whether some item has item.start <= x < item.end (one bisection)."""
        i = bisect_right(self._starts, x) - 1
        return i >= 0 and self._maxend[i] > x

    def overlapping(self, start: int, end: int) -> list[T]:
        """Items with item.start < end and item.end > start, in start order."""
        return [self._items[i] for i in self._walk(start, end)]

    def containing(self, start: int, end: int) -> list[T]:
        """Items with item.start <= start and item.end >= end, in start order."""
        return [
            self._items[i]
            for i in self._walk(start, max(end, start + 1))
            if self._starts[i] <= start and self._ends[i] >= end
        ]


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with overlapping ones merged (touching ones stay apart)."""
    out: list[list[int]] = []
    for s, e in sorted((int(s), int(e)) for s, e in spans if e > s):
        if out and s < out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]
