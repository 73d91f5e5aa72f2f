"""spaCy component ``newsaudit_techniques``: writes ``doc.spans["techniques"]``
(label = technique, ``attrs["scores"]`` = one score per span) and
``doc._.techniques`` (tuple of :class:`newsaudit.types.Technique`).

The model is loaded lazily, on the first document, once per process.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, SpanGroup

from ..extensions import SPAN_KEYS, register_extensions
from ..spans import char_span


class TechniquesComponent:
    def __init__(self, nlp: Language, name: str, model_dir: str | None = None, window_chars: int = 50_000) -> None:
        register_extensions()
        self.name = name
        self.model_dir = model_dir
        self.window_chars = window_chars

    def __call__(self, doc: Doc) -> Doc:
        from .api import detect
        from .model import get_model

        text = doc.text
        found = detect(text, get_model(self.model_dir), window_chars=self.window_chars) if len(text.split()) >= 2 else []
        spans, scores, kept = [], [], []
        for t in found:
            span = char_span(doc, t.start, t.end, label=t.technique)
            if span is None:
                continue
            spans.append(span)
            scores.append(t.score)
            kept.append(t)
        group = SpanGroup(doc, name=SPAN_KEYS["techniques"], spans=spans)
        group.attrs["scores"] = scores
        doc.spans[SPAN_KEYS["techniques"]] = group
        doc._.techniques = tuple(kept)
        return doc


@Language.factory(
    "newsaudit_techniques",
    default_config={"model_dir": None, "window_chars": 50_000},
)
def make_techniques(nlp: Language, name: str, model_dir: str | None, window_chars: int) -> TechniquesComponent:
    return TechniquesComponent(nlp, name, model_dir=model_dir, window_chars=window_chars)
