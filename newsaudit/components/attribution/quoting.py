"""Quotation rules the learned model does not apply, run last by :func:`.precision.refine`:

* **Single-quoted direct quotes**: British style quotes speech in single marks ('I think the plan is fair,' said
  a resident).  A content that opens with a single quote mark where a quotation may open and closes with one
  is direct, whatever the model's quote feature (which reads double marks) says.
* **Quotes over paragraphs**: news copy runs a quotation over several paragraphs, opening each with a quote
  mark and closing only the last (or, in looser copy, leaving the first unclosed before the paragraph that
  closes it).  A direct content at the start of a paragraph whose previous paragraph ends inside an unclosed
  quotation takes that earlier part as its first piece, when no other attribution claims it and the paragraph does
  not open with the other kind of mark (a straight-quoted excerpt is not carried on by a curly quote, nor the
  reverse: :func:`newsaudit.text.quotes.quotations` reads the marks the same way).
"""

from __future__ import annotations

import bisect
from dataclasses import replace

from ...models.attribution.types import AttributionCandidate
from ...text.paragraphs import paragraph_bounds
from ...text.quotes import is_apostrophe, straight_mark

SINGLE_OPEN = "'‘"
SINGLE_CLOSE = "'’"
DOUBLE_OPEN = "\"“"
DOUBLE_CLOSE = "\"”"
TRAIL = ",.;:!? \t\n"


def single_quoted(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a quotation in single marks (the marks at its edges, or just outside them)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in TRAIL:
        end -= 1
    if start > 0 and text[start] not in SINGLE_OPEN and text[start - 1] in SINGLE_OPEN:
        start -= 1
    if text[end - 1] not in SINGLE_CLOSE:  # "fair,'": the closing mark after the content's last punctuation
        j = end
        while j < len(text) and text[j] in ",.;:!?":
            j += 1
        if j < len(text) and text[j] in SINGLE_CLOSE:
            end = j + 1
    if end - start < 4 or text[start] not in SINGLE_OPEN or text[end - 1] not in SINGLE_CLOSE:
        return False
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    if not (before.isspace() or before in "([—–-:") or after.isalnum():
        return False
    return not is_apostrophe(text, end - 1) or text[end - 2] in ".,!?"


def _unclosed_tail(text: str, start: int, end: int) -> int | None:
    """Where an unclosed quotation opens in text[start:end] (after the mark), or None when every opening mark there
    is closed."""
    opened: int | None = None
    for i in range(start, end):
        ch = text[i]
        if ch == "“" or (ch == '"' and opened is None and (i == start or text[i - 1].isspace() or text[i - 1] in "(—–-:")):
            opened = i + 1
        elif ch in "”\"" and opened is not None:
            opened = None
    return opened


def _other_kind(text: str, opened: int, p_start: int) -> bool:
    """Whether the paragraph at ``p_start`` opens with a quote mark of the other kind than the one at ``opened``
    (straight against curly): an excerpt quoted in straight marks does not run on into its own curly-quoted speech."""
    return text[p_start] in "\"“" and straight_mark(text, p_start) != straight_mark(text, opened)


def _closes_quote(text: str, end: int) -> bool:
    """A content that ends where a quotation closes ("... this year," Holt said): a closing double mark right after
    its last words and punctuation."""
    j = end
    while j < len(text) and text[j] in ",.!?":
        j += 1
    return j < len(text) and text[j] in DOUBLE_CLOSE and (j + 1 == len(text) or not text[j + 1].isalnum())


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in DOUBLE_OPEN):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in DOUBLE_CLOSE):
        end -= 1
    return start, end


#: The most paragraphs before its own that a quotation's content takes.
MAX_JOINED = 6


def _earlier_pieces(text: str, paragraphs: list[tuple[int, int]], k: int,
                    taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of a quotation that runs on into paragraph ``k`` from the paragraphs before it, in order: the
    unclosed tail of paragraph ``k - 1``, and, while that paragraph is quoted from its first mark (news style opens
    each paragraph of a long quotation and closes only the last), the tail of the one before it, and so on."""
    pieces: list[tuple[int, int]] = []
    j = k
    while j > 0 and len(pieces) < MAX_JOINED:
        p_start, p_end = paragraphs[j - 1]
        opened = _unclosed_tail(text, p_start, p_end)
        if opened is None or any(s < p_end and opened < e for s, e in taken) or _other_kind(text, opened - 1, paragraphs[j][0]):
            break
        piece = _strip(text, opened, p_end)
        if piece[1] <= piece[0]:
            break
        pieces.insert(0, piece)
        if text[p_start : opened - 1].strip() != "":  # the quotation opens inside this paragraph: it starts here
            break
        j -= 1
    return pieces


def join_paragraphs(text: str, cands: list[AttributionCandidate]) -> list[AttributionCandidate]:
    """Direct contents that continue a quotation opened in an earlier paragraph take its earlier parts."""
    paragraphs = paragraph_bounds(text)
    starts = [p[0] for p in paragraphs]
    taken = sorted((s, e) for c in cands for s, e in (c.pieces or (c.content,)))
    out = []
    for cand in cands:
        first = (cand.pieces or (cand.content,))[0][0]
        k = bisect.bisect_right(starts, first) - 1
        quoted = cand.kind != "indirect" or _closes_quote(text, cand.content[1])
        if not quoted or k <= 0 or text[paragraphs[k][0] : first].strip(" \t\"“") != "":
            out.append(cand)
            continue
        earlier = _earlier_pieces(text, paragraphs, k, taken)
        if not earlier:
            out.append(cand)
            continue
        pieces = (*earlier, *(cand.pieces or (cand.content,)))
        out.append(replace(cand, content=(earlier[0][0], cand.content[1]), pieces=pieces, kind="direct",
                           rule=cand.rule + "+paragraphs"))
    return out


def single_quote_kind(text: str, cands: list[AttributionCandidate]) -> list[AttributionCandidate]:
    """Contents in single quote marks are direct."""
    return [replace(c, kind="direct", rule=c.rule + "+single-quotes") if c.kind != "direct" and not c.pieces
            and single_quoted(text, *c.content) else c for c in cands]
