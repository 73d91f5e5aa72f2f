"""Attributions written by layout rather than by a verb, which the learned model rarely sees in PolNeAR:

* **transcript lines**: an interview transcript gives each turn as ``NAME: words`` at the start of a paragraph
  (``WALLACE: Let's start with ...``, ``"PENCE: Well, look, ...``).  A line counts when the article has at least
  :data:`MIN_TURNS` such lines, so that a lone ``UPDATE:`` or ``WATCH:`` is no speaker.
* **dash signatures**: a quotation followed by a dash and a name at the end of its paragraph
  (``"He represents our greatest shame." ― Sonya Herridge``), the way vox-pop pieces and letters sign quotes.
* **headline speakers**: a headline that opens with a name and a colon gives the rest of the headline as that
  speaker's words (``Pence: Gennifer Flowers Won't Be at Debate``, ``Poll: Clinton and Trump in dead heat``), the
  way news headlines attribute; a label such as ``UPDATE:`` or ``Opinion:`` is no speaker.

All are direct quotations: the content is the speaker's words, the cue the colon or the dash.
"""

from __future__ import annotations

import re

from ...text.paragraphs import paragraph_bounds
from .spans import Found

#: A transcript turn: an upper-case name of one to three words, a colon, then the words.
TURN = re.compile(r"[\"“]?[ \t]*(?P<name>[A-Z][A-Z.'’-]+(?:[ \t][A-Z][A-Z.'’-]+){0,2})[ \t]*(?P<colon>:)[ \t]*(?P<rest>\S)")
#: Words in capitals that head a line without being anyone's turn.
NOT_SPEAKERS = frozenset({
    "UPDATE", "UPDATED", "CORRECTION", "WATCH", "READ", "READ MORE", "PHOTO", "PHOTOS", "VIDEO", "BREAKING", "NOTE",
    "EDITOR'S NOTE", "EDITOR’S NOTE", "RELATED", "SOURCE", "SOURCES", "CLAIM", "FACT", "VERDICT", "Q", "A", "TL;DR", "WARNING",
    "CROSSTALK", "LAUGHTER", "APPLAUSE", "END", "MORE", "ALSO", "SEE", "AP", "UPI", "EXCLUSIVE", "OPINION", "ANALYSIS",
    "EDITORIAL", "COMMENTARY", "REVIEW", "LIVE", "EXPLAINER", "INTERVIEW", "FACTBOX", "Q&A", "PODCAST", "OBITUARY",
    "LETTER", "LETTERS", "WATCH LIVE", "JUST IN", "DEVELOPING", "UPDATES", "OP-ED", "FIRST ON CNN", "REPORT",
})
#: A headline that opens with a speaker and a colon: one to four capitalised words, a colon, then the words.
HEADLINE_SPEAKER = re.compile(r"[ \t]*(?P<name>[A-Z][\w.'’&-]*(?:[ \t][A-Z][\w.'’&-]*){0,3})[ \t]*(?P<colon>:)[ \t]+(?P<rest>\S)")
MIN_TURNS = 2
#: A dash and a name closing a quotation at the end of its paragraph.
SIGNATURE = re.compile(
    r"(?P<close>[”\"])[ \t\u00a0]*(?P<dash>[―—–-])[ \t\u00a0]*(?P<name>[A-Z][\w.'’-]*(?:[ \t][A-Z][\w.'’-]*){0,4})[ \t\u00a0.]*$")
QUOTE_OPEN = "“\""


def transcript_turns(text: str) -> list[Found]:
    """The ``NAME: words`` turns of a transcript (none unless the article has :data:`MIN_TURNS` of them)."""
    turns = []
    for start, end in paragraph_bounds(text):
        found = TURN.match(text, start, end)
        if found is None or found.group("name").strip(".") in NOT_SPEAKERS or len(found.group("name")) < 2:
            continue
        body_end = end
        while body_end > found.start("rest") and text[body_end - 1] in " \t\"”":
            body_end -= 1
        turns.append(Found(kind="direct", content=(found.start("rest"), body_end), source=found.span("name"),
                           cue=found.span("colon"), rule="format:transcript-turn"))
    speakers = [text[t.source[0] : t.source[1]] for t in turns if t.source]
    return turns if len(speakers) >= MIN_TURNS else []


def headline_speaker(text: str) -> list[Found]:
    """The speaker of a ``Name: words`` headline (the article's first line), as a one-item list; empty otherwise."""
    line_end = text.find("\n")
    line_end = len(text) if line_end < 0 else line_end
    found = HEADLINE_SPEAKER.match(text, 0, line_end)
    if found is None or found.group("name").upper().strip(".") in NOT_SPEAKERS:
        return []
    end = line_end
    while end > found.start("rest") and text[end - 1] in " \t.\"”":
        end -= 1
    return [Found(kind="direct", content=(found.start("rest"), end), source=found.span("name"), cue=found.span("colon"),
                  rule="format:headline-speaker")]


def dash_signatures(text: str) -> list[Found]:
    """Quotations signed with a dash and a name at the end of their line; the quotation runs from the last opening
    quote mark after the previous signature (or the paragraph's start)."""
    out = []
    for start, end in paragraph_bounds(text):
        floor = start
        pos = start
        while pos < end:
            line_end = text.find("\n", pos, end)
            line_end = end if line_end < 0 else line_end
            found = SIGNATURE.search(text, pos, line_end)
            pos = line_end + 1
            if found is None:
                continue
            opening = max(text.rfind(q, floor, found.start("close")) for q in QUOTE_OPEN)
            if opening < 0 and text[floor : floor + 1] in "”\"":  # a line opened with the closing mark (”Mr. Trump ...)
                opening = floor
            name_end = found.end("name")
            while name_end > found.start("name") and text[name_end - 1] == ".":
                name_end -= 1
            floor = found.end()
            if opening < 0 or found.start("close") - opening < 10:
                continue
            out.append(Found(kind="direct", content=(opening + 1, found.start("close")), source=(found.start("name"), name_end),
                             cue=found.span("dash"), rule="format:dash-signature"))
    return out


def layout_attributions(text: str, found: list[Found]) -> tuple[list[Found], list[Found]]:
    """(the found attributions left, the layout attributions added): a layout attribution replaces a found one whose
    content overlaps it and that has no source or the same one; it is left out when a found one already gives the
    words another source."""
    added: list[Found] = []
    kept = list(found)
    for cand in transcript_turns(text) + dash_signatures(text) + headline_speaker(text):
        s, e = cand.content
        overlapping = [f for f in kept if f.content[0] < e and s < f.content[1]
                       and not (f.source is not None and s <= f.source[0] and f.source[1] <= e)]  # not one quoted inside it
        if any(f.source is not None and not _same(f.source, cand.source) for f in overlapping):
            continue
        kept = [f for f in kept if f not in overlapping]
        added.append(cand)
    return kept, added


def _same(a: tuple[int, int], b: tuple[int, int] | None) -> bool:
    return b is not None and a[0] < b[1] and b[0] < a[1]
