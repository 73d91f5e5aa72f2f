"""newsaudit_claims: check-worthy sentences, tied to who asserts them.

Writes ``doc._.claims`` (tuple of :class:`newsaudit.types.Claim`, ids ``c1``,
``c2``... in text order) and ``doc.spans["claims"]``.

Each sentence (the headline is always its own unit) is scored by the
check-worthiness model (:mod:`newsaudit.models.checkworthy`, trained on CLEF
2019 CheckThat! Task 1; ``model_dir`` names another model folder).  Its score
is the model's probability on the scale of its training debates (2.7% of
those sentences are check-worthy), and ``Claim.reasons`` are the largest
contributions to it ("word "percent" (+0.52)", "contains a number or quantity
(+0.47)").  A sentence becomes a claim when it is not a question, has at least
``min_tokens`` words and scores at least ``min_score``: 0.045 by default, which
about a third of news sentences reach (36.3% of the 3,793 such sentences of 120
PolNeAR train articles; docs/evaluation.md gives the measurement); the headline is
always kept, as the most visible claim.

Voice: when the content of an attribution in ``doc._.attributions`` (written
upstream by ``newsaudit_attribution``; None or empty when that did not run)
overlaps the sentence, the claim is ``voice="attributed"`` with that
attribution's id and ``source_id`` (the one with the largest overlap wins);
otherwise it is the article's own voice, ``voice="article"``.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from ..extensions import SPAN_KEYS, foreign_test, register_extensions
from ..models.checkworthy import Features, load_checkworthy_model
from ..text.spans import IntervalIndex, char_span, doc_text, headline_end
from ..types import Attribution, Claim, ClaimVoice, Span

HEADLINE_REASON = "headline: the most visible claim of the article"
#: The lowest model score of a claim (the headline excepted); see the module docstring.
MIN_SCORE = 0.045


def sentence_units(doc: Doc, text: str | None = None) -> list[tuple[SpacySpan, bool]]:
    """(sentence span, is_headline) pairs in text order, whitespace trimmed.

    Sentences come from the parser/senter when present, else the whole text
    per line.  A sentence that straddles the end of the headline is cut there.
    """
    text = doc_text(doc) if text is None else text
    hl_end = headline_end(doc)
    bounds: list[tuple[int, int]] = []
    if doc.has_annotation("SENT_START"):
        for sent in doc.sents:
            s, e = sent.start_char, sent.end_char
            if hl_end and s < hl_end < e:
                bounds.append((s, hl_end))
                bounds.append((hl_end, e))
            else:
                bounds.append((s, e))
    else:
        pos = 0
        for line in text.split("\n"):
            bounds.append((pos, pos + len(line)))
            pos += len(line) + 1
    units: list[tuple[SpacySpan, bool]] = []
    for s, e in bounds:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e <= s:
            continue
        span = char_span(doc, s, e)
        if span is None or len(span) == 0:
            continue
        units.append((span, bool(hl_end) and e <= hl_end))
    return units


def best_attribution(
    attributions: tuple[Attribution, ...] | IntervalIndex[Attribution], start: int, end: int, min_overlap: int = 3
) -> Attribution | None:
    """The attribution whose content best matches the sentence [start, end).

    Among attributions whose content overlaps the sentence by at least
    ``min_overlap`` characters, the one with the highest overlap / union ratio
    wins, so a quote that fills the sentence beats a long relay scope
    ("Rt.com reports: ...") that merely contains it.  None if none overlaps.
    """
    best = None
    best_ratio = 0.0
    if isinstance(attributions, IntervalIndex):
        candidates = attributions.overlapping(start, end)
    else:
        candidates = list(attributions)
    for attr in candidates:
        content = attr.content
        overlap = min(end, content.end) - max(start, content.start)
        if overlap < min_overlap:
            continue
        union = max(end, content.end) - min(start, content.start)
        ratio = overlap / union if union else 0.0
        if ratio > best_ratio:
            best, best_ratio = attr, ratio
    return best


class ClaimsComponent:
    """Picks check-worthy sentences; see the module docstring."""

    def __init__(self, nlp: Language, name: str, min_score: float = MIN_SCORE, min_tokens: int = 6,
                 model_dir: str | None = None) -> None:
        register_extensions()
        self.name = name
        self.min_score = min_score
        self.min_tokens = min_tokens
        self.model = load_checkworthy_model(model_dir)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        attributions = IntervalIndex(list(doc._.attributions or ()), lambda a: (a.content.start, a.content.end))
        foreign = foreign_test(doc)
        units = [(span, is_headline) for span, is_headline in sentence_units(doc, text)
                 if foreign is None or not foreign(span.start_char, span.end_char)]  # not a paragraph in another language
        def claimable(i: int, score: float, counts: Features | None) -> bool:
            return units[i][1] or (score >= self.min_score and counts is not None and not counts.question
                                   and counts.n_tokens >= self.min_tokens)

        scores = self.model.score_sentences([span for span, _ in units], explain=claimable)
        claims: list[Claim] = []
        group: list[SpacySpan] = []
        for i, ((span, is_headline), scored) in enumerate(zip(units, scores, strict=True)):
            if not claimable(i, scored.score, scored.counts):
                continue
            reasons = (HEADLINE_REASON, *scored.reasons) if is_headline else scored.reasons
            start, end = span.start_char, span.end_char
            attr = best_attribution(attributions, start, end)
            claim = Claim(
                id=f"c{len(claims) + 1}",
                span=Span(start, end, text[start:end]),
                score=scored.score,
                voice=ClaimVoice.ATTRIBUTED if attr is not None else ClaimVoice.ARTICLE,
                attribution_id=attr.id if attr is not None else None,
                source_id=attr.source_id if attr is not None else None,
                reasons=reasons,
            )
            claims.append(claim)
            labelled = char_span(doc, start, end, label=claim.voice)
            if labelled is not None:
                group.append(labelled)
        doc._.claims = tuple(claims)
        doc.spans[SPAN_KEYS["claims"]] = group
        return doc


@Language.factory(
    "newsaudit_claims",
    default_config={"min_score": MIN_SCORE, "min_tokens": 6, "model_dir": None},
    requires=["doc._.attributions", "doc.sents"],
    assigns=["doc._.claims", "doc.spans"],
)
def make_claims(nlp: Language, name: str, min_score: float, min_tokens: int, model_dir: str | None) -> ClaimsComponent:
    """Check-worthy claims, each tied to its attribution or the article's voice."""
    return ClaimsComponent(nlp, name, min_score=min_score, min_tokens=min_tokens, model_dir=model_dir)


__all__ = ["ClaimsComponent", "best_attribution", "make_claims", "sentence_units"]
