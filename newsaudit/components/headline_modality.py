"""How the body carries the headline's claim: the modality of each passage the headline check matched, and
the body's denials of the claim (:mod:`newsaudit.models.modality` read against the headline).

* A matched passage that an attribution covers is ``reported`` (its cue is the attribution's cue), unless its
  sentence denies the claim ("China's foreign ministry denied that ...": the attribution's cue is a denial, or
  the model reads the sentence as ``denied``): then it is that source's denial.
* Any other matched passage is read by the model: ``asserted`` (the body says it in its own voice),
  ``reported`` (hedged: "reportedly", "may", "in talks") or ``denied``.
* Beyond the matched passages, a body sentence denies the claim when it performs a denial (a denial cue that
  is a verb, "denied", "withdrew"; a phrase, "not true"; or a denial word beside a noun that points at a claim,
  "the report is false", ``claim_nouns.txt``; not a word that only describes, "a fake video"), the model reads
  it as ``denied``, and it is about the claim: it shares a content word with the headline, names a state or
  party the headline names ("Chinese hackers" / "China's foreign ministry"), or points at the claim ("denied
  the accusation").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ..models.modality import Cue, ModalityModel, denies, find_cues, words
from ..models.modality.cues import REPORTING_KINDS, claim_nouns
from ..text.paragraphs import paragraph_bounds
from ..text.spans import doc_text
from ..types import Attribution, HeadlineMatch, Modality, ModalityReading, Source, Span
from .concern import parties_in_text


@dataclass(frozen=True)
class Passage:
    """A matched body passage: the headline check's unit, and what its coverage share was."""

    span: Span
    attribution: Attribution | None
    #: covered by an attribution or inside a relay scope
    attributed: bool
    source: str | None
    share: float


def negative(text: str) -> bool:
    """``text`` (a headline) denies or negates something itself ("X will not play", "X denies ...")."""
    return any(c.kind in ("denial", "negation") for c in find_cues(words(text)))


def reports(text: str) -> bool:
    """``text`` (an attribution's cue) holds a cue that reports, hedges or denies ("says", "according to")."""
    return any(c.kind in REPORTING_KINDS or c.kind == "denial" for c in find_cues(words(text)))


def _sentence(doc: Doc, span: Span, end: int) -> SpacySpan | None:
    """The body sentence around ``span`` (the part after the headline when the parse glued them)."""
    sp = doc.char_span(span.start, span.end, alignment_mode="expand")
    if sp is None:
        return None
    sent = sp.sent
    if sent.start_char < end:
        return doc.char_span(max(end, span.start), sent.end_char, alignment_mode="contract")
    return sent


def speaker(span: Span, attributions: Iterable[Attribution],
            sources: dict[str, Source]) -> tuple[Attribution | None, str | None]:
    """The attribution whose cue lies in ``span`` (who speaks there), and its source's name."""
    att = next((a for a in attributions if a.cue is not None and span.contains(a.cue)), None)
    if att is None:
        return None, None
    return att, sources[att.source_id].name if att.source_id in sources else (att.source.text if att.source else None)


def read_passages(doc: Doc, head: SpacySpan, end: int, passages: Sequence[Passage], model: ModalityModel,
                  attributions: Sequence[Attribution] = (),
                  sources: dict[str, Source] | None = None) -> tuple[list[HeadlineMatch], list[HeadlineMatch]]:
    """(each passage as a match with its modality, the passages that deny the claim)."""
    sources = sources or {}
    out, denied = [], []
    for p in passages:
        sent = _sentence(doc, p.span, end)
        reading = model.read(head.text, sent.text, sent.start_char) if sent is not None else None
        cue_denies = p.attribution is not None and p.attribution.cue is not None and denies(p.attribution.cue.text)
        is_denial = cue_denies or (reading is not None and reading.label == Modality.DENIED and _said(reading, p))
        if is_denial:
            cues = (p.attribution.cue,) if cue_denies and p.attribution and p.attribution.cue else ()
            reading = ModalityReading(Modality.DENIED, reading.probs if reading else {}, cues or
                                      (reading.cues if reading else ()))
        elif p.attributed:
            cue = p.attribution.cue if p.attribution is not None else None
            reading = ModalityReading(Modality.REPORTED, reading.probs if reading else {},
                                      (cue,) if cue is not None else ())
        att, source = p.attribution, p.source
        if is_denial and att is None and sent is not None:  # the sentence's own attribution says who denies
            att, source = speaker(Span(sent.start_char, sent.end_char, sent.text), attributions, sources)
        match = HeadlineMatch(att.id if att else None, p.span, round(p.share, 4), source, reading)
        out.append(match)
        if is_denial:
            denied.append(match)
    return out, denied


def _said(reading: ModalityReading, p: Passage) -> bool:
    """The words that make a reading a denial lie in what is said: for an attributed passage, inside the
    attribution's content, not in its source ("One of them, who did not want her name printed, told me ...")."""
    if not reading.cues:
        return False
    if p.attribution is None:
        return True
    pieces = p.attribution.content_pieces or (p.attribution.content,)
    return any(piece.start <= c.start and c.end <= piece.end for c in reading.cues for piece in pieces)


def hedge_sources(text: str, matches: Sequence[HeadlineMatch], attributions: Iterable[Attribution],
                  sources: dict[str, Source]) -> list[HeadlineMatch]:
    """The attributions in the paragraph of a hedged passage that no attribution covers ("Bale will reportedly
    play Jobs. He is in final talks, according to Variety."): whom the hedge rests on, as reported matches."""
    hedged = [m.span for m in matches if m.attribution_id is None and m.source is None and m.modality is not None
              and m.modality.label == Modality.REPORTED]
    if not hedged:
        return []
    taken = {m.attribution_id for m in matches if m.attribution_id}
    paragraphs = [(a, b) for a, b in paragraph_bounds(text) if any(a <= h.start < b for h in hedged)]
    out = []
    for att in attributions:
        if att.id in taken or not any(a <= att.content.start < b for a, b in paragraphs):
            continue
        name = sources[att.source_id].name if att.source_id in sources else (att.source.text if att.source else None)
        out.append(HeadlineMatch(att.id, att.content, 0.0, name,
                                 ModalityReading(Modality.REPORTED, {}, (att.cue,) if att.cue is not None else ())))
    return out


@dataclass(frozen=True)
class _Denial:
    """A sentence's denial cues and the verbs among their tokens, read once."""

    cues: list[Cue]
    verbs: list[Token]

    @classmethod
    def of(cls, sent: SpacySpan) -> _Denial:
        cues = [c for c in find_cues(words(sent.text)) if c.kind == "denial"]
        base = sent.start_char
        verbs = [t for c in cues for t in sent.doc.char_span(base + c.start, base + c.end, alignment_mode="expand") or ()
                 if t.pos_ == "VERB"]
        return cls(cues, verbs)

    def act(self, sent: SpacySpan) -> bool:
        """The sentence performs a denial: a denial cue that is a verb ("denied", "dismissed", "withdrew"), a phrase
        ("not true", "no evidence"), or a denial word in a sentence that points at a claim ("the report is false");
        not a denial word that only describes something ("a fake video")."""
        if any(" " in c.text for c in self.cues) or self.verbs:
            return True
        return bool(self.cues) and any(t.lower_ in claim_nouns() for t in sent)

    def of_other(self, head_words: set[str]) -> bool:
        """A denial verb's object is something else than the claim ("Brandt dismissed the polls" under "The long
        road of Senator Paul Hendry"): a noun that is no claim noun and no word of the headline."""
        for v in self.verbs:
            objects = [o for o in v.children if o.dep_ == "dobj" and o.pos_ in ("NOUN", "PROPN")]
            if objects and all(o.lemma_.lower() not in claim_nouns() and o.lower_ not in claim_nouns()
                               and o.lemma_.lower() not in head_words for o in objects):
                return True
        return False


def _about_claim(head: SpacySpan, sent: SpacySpan, head_words: set[str]) -> bool:
    """The sentence is about the headline's claim (see the module docs): a noun that points back at a claim
    counts only bare ("denied the accusation"), not with a claim of its own ("any suggestion of negligence")."""
    lemmas = {t.lemma_.lower() for t in sent if not t.is_stop and (t.is_alpha or t.like_num)}
    if lemmas & head_words:
        return True
    if parties_in_text(head.text) & parties_in_text(sent.text):
        return True
    return any((t.lower_ in claim_nouns() or t.lemma_.lower() in claim_nouns())
               and not any(c.dep_ in ("prep", "acl", "ccomp", "relcl") for c in t.children) for t in sent)


def find_denials(doc: Doc, head: SpacySpan, end: int, model: ModalityModel, attributions: Iterable[Attribution],
                 sources: dict[str, Source], head_words: set[str], known: Sequence[HeadlineMatch]) -> list[HeadlineMatch]:
    """Body sentences (besides ``known``) that deny the headline's claim; each names its source when an
    attribution lies in it ("China's foreign ministry denied the accusation")."""
    text = doc_text(doc)
    taken = [m.span for m in known]
    atts = list(attributions)
    found = []
    for sent in doc.sents:
        if sent.end_char <= end or not denies(sent.text):
            continue
        if sent.start_char < end:
            cut = doc.char_span(end, sent.end_char, alignment_mode="contract")
            if cut is None:
                continue
            sent = cut
        span = Span(sent.start_char, sent.end_char, sent.text)
        if any(span.overlaps(t) for t in taken):
            continue
        denial = _Denial.of(sent)
        if not denial.act(sent) or not _about_claim(head, sent, head_words) or denial.of_other(head_words):
            continue
        reading = model.read(head.text, sent.text, sent.start_char)
        if reading.label != Modality.DENIED or not reading.cues:
            continue
        att, source = speaker(span, atts, sources)
        found.append(HeadlineMatch(att.id if att else None, Span.of(text, span.start, span.end), 0.0, source, reading))
    return found
