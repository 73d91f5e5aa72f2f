"""The attribution component's model path: the learned model's candidates after the precision rules.

:func:`model_found` runs the model (:mod:`newsaudit.models.attribution`,
loaded once per process on first use), keeps what a careful reader calls an
attribution (:func:`.precision.refine`: no acts, refusals or relay phrases;
``as reported by X`` added; a content cut free of its own source and cue),
drops cues in paragraphs marked as not English, and hands the extractor
:class:`.spans.Found` records, whose pronoun speakers it then resolves as it
does for the rules.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from ...extensions import foreign_test
from ...models.attribution import load_model
from ...models.attribution.types import AttributionCandidate
from .precision import refine
from .spans import Found


def candidates(
    doc: Doc, model: str = "default", predicted: list[AttributionCandidate] | None = None
) -> tuple[list[AttributionCandidate], list[tuple[AttributionCandidate, str]]]:
    """(kept candidates in text order, dropped candidates with the precision rule's reason).

    ``predicted``: the model's candidates for ``doc`` when already computed (a batch, see :func:`predict_many`)."""
    return refine(doc, load_model(model).predict(doc) if predicted is None else predicted)


def predict_many(docs: list[Doc], model: str = "default") -> list[list[AttributionCandidate]]:
    """The model's candidates of several docs, computed together (what :func:`candidates` takes as ``predicted``)."""
    return load_model(model).predict_many(docs)


def _source_token(doc: Doc, cand: AttributionCandidate) -> Token | None:
    if cand.source is None:
        return None
    span = doc.char_span(cand.source[0], cand.source[1], alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def model_found(doc: Doc, model: str = "default", predicted: list[AttributionCandidate] | None = None) -> list[Found]:
    """The model's attributions of ``doc`` as :class:`Found` records, in text order (``predicted``: see
    :func:`candidates`)."""
    kept, _dropped = candidates(doc, model, predicted)
    foreign = foreign_test(doc)
    out = []
    for c in kept:
        cue = c.cue or (c.content[0], c.content[0])
        if foreign is not None and foreign(cue[0], max(cue[1], cue[0] + 1)):
            continue
        out.append(
            Found(
                kind=c.kind,
                content=c.content,
                source=c.source,
                cue=cue,
                rule=c.rule,
                source_token=_source_token(doc, c),
                resolved=c.resolved_source,
                pieces=c.pieces,
            )
        )
    return out
