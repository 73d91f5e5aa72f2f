"""The one quote scanner: which marks are quote marks, and how they pair.

One set of marks for every component:

* double quotes open with “ « „ ‹ and close with ” » ›; the straight ``"``
  and two apostrophes ``''`` (wire copy's ``''like this''``) open or close;
* single quotes open with ‘ and close with ’; the straight ``'`` opens or
  closes; either is an apostrophe, not a quote, between two letters or
  digits (``government’s``, ``don't``).

Two views of the same marks, one per question:

* :func:`quotations`: the *speech* spans an attribution can quote, outermost
  only.  Double quotes pair first; single quotes inside them are nested and
  ignored, outside them they pair the same way.  An unclosed quotation ends
  at its paragraph's end, or runs on when the next paragraph opens with a
  quote mark of its own kind, straight or curly (the newspaper convention
  for a quotation that runs over several paragraphs); a straight quote is
  never carried on by a curly one, nor a curly by a straight (an excerpt
  quoted in straight marks ends at its paragraph when the next one opens
  with the excerpt's own curly-quoted speech).
* :func:`quote_pairs`: every balanced pair, nested ones included (a single
  quote inside a double), line by line, for framing analysis (scare quotes
  inside quoted speech).  An unmatched opener is dropped at the end of its
  line and an unmatched closer is ignored.

Neither ever raises, whatever the marks.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from .paragraphs import paragraph_bounds

#: Opening double quote marks and their closers ("„" is closed by "”" or, German style, "“").
DOUBLE_OPEN = {"“": "”", "«": "»", "„": "”", "‹": "›"}
#: Closing double quote marks.
DOUBLE_CLOSE = frozenset("”»›")
SINGLE_OPEN = "‘"
SINGLE_CLOSE = "’"
#: Every character that is, or may be, a quote mark.
QUOTE_CHARS = frozenset(DOUBLE_OPEN) | DOUBLE_CLOSE | {SINGLE_OPEN, SINGLE_CLOSE, '"', "'"}
#: Characters before which a quote mark opens rather than closes.
OPENING_CONTEXT = frozenset(" \t\n([{-—–/:") | frozenset(DOUBLE_OPEN) | {'"', SINGLE_OPEN, "'"}


def opens_quote(text: str, pos: int) -> bool:
    """Whether the text at ``pos`` opens a quotation: a double opening mark, a
    straight ``"``, or two apostrophes ``''``."""
    return pos < len(text) and (text[pos] in DOUBLE_OPEN or text[pos] == '"' or text.startswith("''", pos))


def straight_mark(text: str, pos: int) -> bool:
    """Whether the quote mark at ``pos`` is a straight one (``"`` or ``''``) rather than a typographic one."""
    return text[pos] in "\"'"


def is_apostrophe(text: str, i: int) -> bool:
    """A ``'`` or ``’`` between two letters or digits (``government’s``)."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before.isalnum() and after.isalnum()


def _opens(text: str, i: int) -> bool:
    """Whether an ambiguous mark at ``i`` opens: after white space or an opening bracket, before a non-space."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–-/:") and not after.isspace()


# --------------------------------------------------------------- speech spans


@dataclass
class _Scan:
    """The state of :func:`quotations` while it reads the text."""

    text: str
    quotes: list[tuple[int, int]] = field(default_factory=list)
    open_at: int | None = None  # where an open double quotation started
    single_at: int | None = None  # where an open single quotation started (this paragraph)

    def single(self, ch: str, i: int) -> None:
        """A curly single mark at ``i``: opens or closes a single quotation outside a double one."""
        if self.open_at is not None:
            return
        text = self.text
        if ch == SINGLE_OPEN or _opens(text, i):
            if self.single_at is None and _opens(text, i):
                self.single_at = i
        elif self.single_at is not None and not is_apostrophe(text, i):
            after = text[i + 1] if i + 1 < len(text) else " "
            if not after.isalpha():
                self.quotes.append((self.single_at, i + 1))
                self.single_at = None

    def double(self, ch: str, i: int, width: int) -> None:
        """A double mark at ``i`` (``width`` 2 for two straight singles): opens or closes a quotation."""
        text = self.text
        if ch in DOUBLE_OPEN or (ch == '"' and self.open_at is None and _opens(text, i)):
            if self.open_at is not None and ch != '"':
                # A second opener while one is open: close the first before it.
                end = i
                while end > self.open_at + 1 and text[end - 1].isspace():
                    end -= 1
                self.quotes.append((self.open_at, end))
            self.open_at = i
            self.single_at = None
        elif (ch in DOUBLE_CLOSE or ch == '"') and self.open_at is not None:
            self.quotes.append((self.open_at, i + width))
            self.open_at = None

    def paragraph(self, p_start: int, p_end: int) -> None:
        """Read the marks of one paragraph."""
        text = self.text
        self.single_at = None
        i = p_start
        if self.open_at is not None:
            # A quotation carried over from the previous paragraph: this
            # paragraph opens with a quote mark, which continues it.
            i = p_start + (2 if text.startswith("''", p_start) else 1)
        while i < p_end:
            ch = text[i]
            if ch not in QUOTE_CHARS:
                i += 1
                continue
            width = 1
            if ch == "'":
                if text[i + 1 : i + 2] != "'":
                    i += 1
                    continue  # a lone straight single quote: an apostrophe, or too ambiguous to pair
                ch, width = '"', 2
            if ch in (SINGLE_OPEN, SINGLE_CLOSE):
                self.single(ch, i)
                i += 1
                continue
            self.double(ch, i, width)
            i += width


def quotations(text: str) -> list[tuple[int, int]]:
    """Quotation spans ``(start, end)`` in ``text`` (marks included), in text order.

    See the module docstring for the rules.  Several components ask for the
    same text's quotations: the last few texts' answers are kept.
    """
    return list(_quotations(text))


@functools.lru_cache(maxsize=4)
def _quotations(text: str) -> tuple[tuple[int, int], ...]:
    paragraphs = paragraph_bounds(text)
    scan = _Scan(text)
    for p_index, (p_start, p_end) in enumerate(paragraphs):
        scan.paragraph(p_start, p_end)
        if scan.open_at is not None:
            nxt = paragraphs[p_index + 1] if p_index + 1 < len(paragraphs) else None
            if nxt is not None and opens_quote(text, nxt[0]) and straight_mark(text, nxt[0]) == straight_mark(text, scan.open_at):
                continue  # multi-paragraph quotation: keep it open
            scan.quotes.append((scan.open_at, p_end))
            scan.open_at = None
    scan.quotes.sort()
    return tuple(scan.quotes)


# --------------------------------------------------------------- balanced pairs


@dataclass(frozen=True)
class QuotePair:
    """A balanced pair of quote marks: ``text[open]`` and ``text[close]`` are the marks."""

    open: int
    close: int
    single: bool

    @property
    def inner(self) -> tuple[int, int]:
        return self.open + 1, self.close


def quote_pairs(text: str) -> list[QuotePair]:
    """Balanced quote pairs in ``text``, nested ones included, by opening offset
    (one pass, a stack; see the module docstring)."""
    pairs: list[QuotePair] = []
    stack: list[tuple[str, int]] = []  # (family, offset); family: "d" curly double, '"', "s" curly single, "'"
    n = len(text)
    for i, ch in enumerate(text):
        if ch == "\n":
            stack.clear()
            continue
        if ch in DOUBLE_OPEN:
            stack.append(("d", i))
        elif ch in DOUBLE_CLOSE:
            _pop(stack, "d", i, pairs, single=False)
        elif ch == '"':
            if any(f == '"' for f, _ in stack):
                _pop(stack, '"', i, pairs, single=False)
            else:
                stack.append(('"', i))
        elif ch == SINGLE_OPEN:
            prev = text[i - 1] if i else " "
            if not prev.isalnum():
                stack.append(("s", i))
        elif ch in (SINGLE_CLOSE, "'"):
            prev = text[i - 1] if i else " "
            nxt = text[i + 1] if i + 1 < n else " "
            family = "s" if ch == SINGLE_CLOSE else "'"
            if is_apostrophe(text, i):
                continue
            if any(f == family for f, _ in stack) and not prev.isspace() and not nxt.isalnum():
                _pop(stack, family, i, pairs, single=True)
            elif ch == "'" and (prev in OPENING_CONTEXT or i == 0) and nxt.isalnum():
                stack.append(("'", i))
    pairs.sort(key=lambda p: p.open)
    return pairs


def _pop(stack: list[tuple[str, int]], family: str, i: int, pairs: list[QuotePair], single: bool) -> None:
    for k in range(len(stack) - 1, -1, -1):
        if stack[k][0] == family:
            pairs.append(QuotePair(stack[k][1], i, single))
            del stack[k:]
            return
