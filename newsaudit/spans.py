"""Helpers shared by components: char offsets <-> spaCy spans, headline bounds."""

from __future__ import annotations

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from .types import HEADLINE_SEPARATOR, Span


def headline_end(doc: Doc) -> int:
    """End offset of the headline in ``doc.text`` (0 when there is none).

    The caller may set ``doc._.headline_end``.  Otherwise the first paragraph is
    taken as the headline when it is followed by a blank line and more text,
    which is how :attr:`Article.text` is laid out.
    """
    value = doc._.headline_end if doc.has_extension("headline_end") else None
    if value is not None:
        return int(value)
    cut = doc.text.find(HEADLINE_SEPARATOR)
    if cut <= 0 or cut > 400 or not doc.text[cut:].strip():
        return 0
    return cut


def char_span(doc: Doc, start: int, end: int, label: str = "") -> SpacySpan | None:
    """A spaCy span covering [start, end), widened to token edges."""
    return doc.char_span(start, end, label=label, alignment_mode="expand")


def to_span(doc: Doc, start: int, end: int) -> Span:
    return Span(start, end, doc.text[start:end])
