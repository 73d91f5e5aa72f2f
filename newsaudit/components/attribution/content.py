"""What a cue attributes: the content span, from quotations, colons and the parse.

Every helper takes one :class:`RuleContext` (the doc, its text, its
quotations and paragraphs, the lexicons) instead of a row of arguments.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from ...text.paragraphs import paragraph_bounds
from ...text.quotes import QUOTE_CHARS, opens_quote
from ...text.spans import doc_text
from ...types import DIRECT, INDIRECT, MIXED
from .candidates import CueLexicons
from .spans import QuoteIndex, tok_end, trim

#: Prepositions whose object can be the content ("spoke about X", "called for X").
CONTENT_PREPS = ("about", "of", "for", "on", "to", "over", "against", "with")


@dataclass
class RuleContext:
    """One document as the rules see it."""

    doc: Doc
    lexicons: CueLexicons
    #: Paragraphs taken as content after a paragraph-final "X reports:".
    colon_paragraphs: int = 1
    text: str = field(init=False)
    quotes: QuoteIndex = field(init=False)
    paragraphs: list[tuple[int, int]] = field(init=False)
    p_starts: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.text = doc_text(self.doc)
        self.quotes = QuoteIndex(self.text)
        self.paragraphs = paragraph_bounds(self.text)
        self.p_starts = [p[0] for p in self.paragraphs]

    def paragraph_of(self, pos: int) -> int:
        """Index of the paragraph holding offset ``pos`` (-1 before the first)."""
        return bisect.bisect_right(self.p_starts, pos) - 1

    def kind(self, start: int, end: int) -> str:
        """direct (quote marks cover the content), mixed (part of it) or indirect."""
        cover = self.quotes.coverage(start, end)
        if cover >= 0.9:
            return DIRECT
        if cover > 0.0:
            return MIXED
        return INDIRECT


def widen_quote(ctx: RuleContext, start: int, end: int) -> tuple[int, int]:
    """Widen a content span that sits inside a quotation to the whole quotation
    when it covers most of it (e.g. the parser's clause lacks the quote marks)."""
    quotes = ctx.quotes
    q = quotes.containing(start, end)
    if q is not None and (end - start) >= 0.6 * (q[1] - q[0]):
        return q
    # Content starting with an opening quote that closes just after it.
    q = quotes.containing(end - 1, end)
    if q is not None and q[0] >= start - 2 and end < q[1] and q[1] - end <= 3:
        start, end = min(start, q[0]), q[1]
    q = quotes.containing(start, start + 1)
    if q is not None and start - q[0] <= 2 and q[1] <= end + 3:
        start, end = q[0], max(end, q[1])
    return (start, end)


def next_quote(ctx: RuleContext, tok: Token) -> tuple[int, int] | None:
    """A quotation that opens right after the sentence of ``“...,” X said.``
    in the same paragraph and closes its own sentence (the same speaker
    goes on; ``“...,” she replied`` would be somebody else's)."""
    doc, text = ctx.doc, ctx.text
    j = tok.i + 1
    limit = min(len(doc), tok.i + 40)
    while j < limit and doc[j].text not in (".", "!", "?") and "\n" not in doc[j].text:
        if doc[j].text[:1] in QUOTE_CHARS:
            return None
        j += 1
    if j >= limit or doc[j].text not in (".", "!", "?"):
        return None
    k = tok_end(doc[j])
    while k < len(text) and text[k] in " \t":
        k += 1
    if opens_quote(text, k):
        q = ctx.quotes.starting_at(k)
        if q is not None:
            inner = text[q[0] : q[1]].rstrip("”»\"' ")
            if inner[-1:] in (".", "!", "?") or q[1] >= len(text) or text[q[1] : q[1] + 1] == "\n":
                return q
    return None


def quote_leads(ctx: RuleContext, quote: tuple[int, int], tok: Token) -> bool:
    """Whether a quotation just before the source+cue clause is its content:
    yes for ``“...,” he said`` and ``“...?” she asked``; no when the quote
    closed its own sentence (``.”``) and the cue has its own complement."""
    inner = ctx.text[quote[0] : quote[1]].rstrip("”»\"’' ")
    last = inner[-1:] if inner else ""
    if last in ",—–-":
        return True
    has_comp = any(c.dep_ in ("ccomp", "dobj") and c.i > tok.i for c in tok.children)
    return not has_comp


def prep_object(ctx: RuleContext, tok: Token) -> tuple[int, int] | None:
    """The object of the first content preposition after ``tok`` ("spoke about X")."""
    for prep in tok.rights:
        if prep.dep_ == "prep" and prep.lower_ in CONTENT_PREPS:
            obj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
            if obj is not None:
                return trim(ctx.text, obj.left_edge.idx, tok_end(obj.right_edge))
    return None


def colon_content(ctx: RuleContext, colon: Token) -> tuple[tuple[int, int], str] | None:
    """What follows a colon after a cue: a quotation, the rest of the paragraph,
    or (when the colon ends its paragraph) the next paragraph(s)."""
    text, paragraphs = ctx.text, ctx.paragraphs
    start = tok_end(colon)
    i = ctx.paragraph_of(colon.idx)
    p_end = paragraphs[i][1] if i >= 0 else len(text)
    k = start
    while k < len(text) and text[k].isspace():
        k += 1
    q = ctx.quotes.starting_at(k) if opens_quote(text, k) else None
    if q is not None:
        return q, "colon-quote"
    if text[start:p_end].strip():
        return (start, p_end), "colon-paragraph"
    if i + 1 < len(paragraphs):
        last = min(len(paragraphs), i + 1 + ctx.colon_paragraphs) - 1
        content = (paragraphs[i + 1][0], paragraphs[last][1])
        q = ctx.quotes.starting_at(paragraphs[i + 1][0])
        if q is not None and q[1] > content[1]:
            content = (content[0], q[1])
        return content, "colon-next-paragraph"
    return None
