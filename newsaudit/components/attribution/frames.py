"""Reader rules for relayed wire sentences ("Rt.com reports: X, the Defence Ministry said."), applied
by :func:`.precision.refine` after its own rules:

* :func:`subject_source`: a cue the model gave no source takes its verb's nominal subject ("Rt.com
  reports that ...": the model's role tagger does not know the outlet; the parse has it as ``nsubj``);
* :func:`cut_frame`: a content that opens with another speaker's relay frame ("Rt.com reports: X, the
  Defence Ministry said") loses the frame: the ministry said X, relayed by the outlet;
* :func:`extend_frames`: the frame's own content ("Rt.com reports: ...") runs over a trailing
  attribution whose content it holds: the outlet reports "X, the Defence Ministry said".

Each changed candidate says so in ``rule`` (``+subject``, ``+frame-cut``, ``+trailing-cue``).
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc, Token

from ...models.attribution.types import AttributionCandidate
from ...text.spans import char_span, doc_text
from .spans import tok_end

#: Subjects that name nobody: an expletive ("there"), a dummy "it" is parsed ``expl`` or as a passive subject.
EMPTY_SUBJECTS = frozenset({"there"})
#: Verbs of a relay frame ("X reports:", "X writes:", "X adds:").
FRAME_LEMMAS = frozenset({"report", "say", "write", "add", "note", "state", "claim", "tell", "announce", "publish", "quote"})
#: Speech verbs whose subject is the speaker: the fallback reads no other cue's subject (PolNeAR's cues
#: "appear", "be", "impose", "propose" ... have subjects that say nothing: "It appeared that ...").
SPEECH_LEMMAS = FRAME_LEMMAS | frozenset(
    {"confirm", "reveal", "warn", "allege", "insist", "argue", "explain", "deny", "admit", "acknowledge", "assert"}
)
#: A subject longer than this is a parse gone wrong, not a speaker's name.
SUBJECT_WIDTH = 12
#: A frame ends with its colon within this many tokens of the content's start.
FRAME_WIDTH = 10


def cue_token(doc: Doc, cand: AttributionCandidate) -> Token | None:
    """The cue's head token (the model's index, else the root of the cue span)."""
    if 0 <= cand.cue_index < len(doc):
        return doc[cand.cue_index]
    if cand.cue is None:
        return None
    span = char_span(doc, cand.cue[0], cand.cue[1])
    return span.root if span is not None else None


def _overlaps(cand: AttributionCandidate, start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in cand.pieces or (cand.content,))


def subject_source(doc: Doc, cand: AttributionCandidate) -> AttributionCandidate:
    """A cue without a source takes its verb's nominal subject, the whole noun phrase (not an expletive;
    a pronoun subject is resolved to its antecedent as the model's own pronoun sources are)."""
    if cand.source is not None:
        return cand
    tok = cue_token(doc, cand)
    if tok is None or tok.pos_ != "VERB" or tok.lemma_.lower() not in SPEECH_LEMMAS:
        return cand
    subject = next((c for c in tok.children if c.dep_ == "nsubj" and c.i < tok.i), None)
    if subject is None or subject.lower_ in EMPTY_SUBJECTS or subject.right_edge.i - subject.left_edge.i >= SUBJECT_WIDTH:
        return cand
    start, end = subject.left_edge.idx, tok_end(subject.right_edge)
    if _overlaps(cand, start, end) or (cand.cue is not None and start < cand.cue[1] and cand.cue[0] < end):
        return cand
    return replace(cand, source=(start, end), rule=cand.rule + "+subject")


def _frame_colon(doc: Doc, start: int, own: int) -> Token | None:
    """The colon of a relay frame ("Rt.com reports:") that opens at character ``start``, or None.
    ``own``: the candidate's own cue token (never its frame)."""
    span = char_span(doc, start, start + 1)
    if span is None:
        return None
    first = span.start
    for i in range(first + 1, min(len(doc), first + FRAME_WIDTH)):
        tok = doc[i]
        if tok.is_sent_start or "\n" in tok.text or tok.text[:1] in "\"“‘«":
            return None
        if tok.text != ":":
            continue
        verb = doc[i - 1]
        if verb.i == own or verb.pos_ != "VERB" or verb.lemma_.lower() not in FRAME_LEMMAS:
            return None
        return tok
    return None


def cut_frame(doc: Doc, cand: AttributionCandidate) -> AttributionCandidate:
    """"Rt.com reports: X, the Defence Ministry said": the ministry's content is X, without the frame
    (another speaker's subject, cue and colon) it opens with."""
    pieces = cand.pieces or (cand.content,)
    colon = _frame_colon(doc, pieces[0][0], cand.cue_index)
    if colon is None:
        return cand
    rest, text = tok_end(colon), doc_text(doc)
    while rest < pieces[0][1] and text[rest].isspace():
        rest += 1
    if rest >= pieces[0][1]:
        return cand
    new = ((rest, pieces[0][1]), *pieces[1:])
    return replace(cand, content=(new[0][0], new[-1][1]), pieces=new if len(new) > 1 else (), rule=cand.rule + "+frame-cut")


def _frame(doc: Doc, cand: AttributionCandidate) -> bool:
    """Whether the candidate is a relay frame: its cue verb is followed by a colon, its content by the colon."""
    tok = cue_token(doc, cand)
    if tok is None or tok.i + 1 >= len(doc) or doc[tok.i + 1].text != ":" or cand.pieces:
        return False
    return tok_end(doc[tok.i + 1]) <= cand.content[0]


def _trailing_end(doc: Doc, frame: AttributionCandidate, other: AttributionCandidate) -> int | None:
    """Where ``frame``'s content should end to hold ``other``, an attribution trailing the reported clause
    ("X, the Defence Ministry said"), or None when ``other`` is no such attribution."""
    if other.cue is None or other.pieces or other is frame:
        return None
    clause = [other.cue] + ([other.source] if other.source is not None else [])
    clause_start, clause_end = min(s for s, _ in clause), max(e for _, e in clause)
    inner_start, inner_end = other.content
    if not (frame.cue is not None and frame.cue[1] <= inner_start and frame.content[0] <= inner_start):
        return None
    if not inner_end <= clause_start or doc_text(doc)[inner_end:clause_start].strip(" ,;—–-\n\t"):
        return None
    if not inner_end <= frame.content[1] < clause_end:
        return None
    tok = cue_token(doc, other)
    content = char_span(doc, inner_start, inner_end)
    if tok is None or content is None or not len(content) or tok.sent.start != content[0].sent.start:
        return None
    return clause_end


def extend_frames(doc: Doc, candidates: list[AttributionCandidate]) -> list[AttributionCandidate]:
    """A relay frame's content runs over the trailing attribution it holds: "Rt.com reports: X, the
    Defence Ministry said" is what the outlet reports, not X alone."""
    out = []
    for cand in candidates:
        if _frame(doc, cand):
            ends = [e for other in candidates if (e := _trailing_end(doc, cand, other)) is not None]
            if ends:
                cand = replace(cand, content=(cand.content[0], max(ends)), rule=cand.rule + "+trailing-cue")
        out.append(cand)
    return out
