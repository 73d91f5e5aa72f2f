"""The techniques model on a text: SI spans, TC labels, and both as :class:`~newsaudit.types.Technique`
(what the spaCy component and the evaluations call)."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from ...text.windows import split_windows
from ...types import Technique
from .explain import reason
from .features import ArticleFeatures
from .model import TechniquesModel, get_model

#: Texts longer than this are cut into windows (at paragraph/line/sentence
#: breaks) and each window is analysed; offsets are shifted back, nothing is dropped.
WINDOW_CHARS = 50_000


def _windows(text: str, size: int) -> list[tuple[int, str]]:
    out, pos = [], 0
    for piece in split_windows(text, size):
        out.append((pos, piece))
        pos += len(piece)
    return out


def _worth_analysing(text: str) -> bool:
    """At least two words: a blank or one-word text has no technique spans."""
    return len(text.split()) >= 2


def detect(text: str, model: TechniquesModel | None = None, model_dir: str | None = None,
           window_chars: int = WINDOW_CHARS, peak: float | None = None) -> list[Technique]:
    """Technique spans of ``text`` (SI then TC), offsets into ``text``; ``peak``
    overrides the model's bar for keeping a span."""
    if not _worth_analysing(text):
        return []
    model = model or get_model(model_dir)
    out: list[Technique] = []
    for offset, piece in _windows(text, window_chars):
        if not _worth_analysing(piece):
            continue
        for f in model.predict(piece, peak=peak):
            s, e = f.start + offset, f.end + offset
            out.append(Technique(f.technique, s, e, text[s:e], round(f.score, 4), reason(f, piece)))
    return out


def detect_spans(text: str, model: TechniquesModel, window_chars: int = WINDOW_CHARS,
                 peak: float | None = None) -> list[tuple[int, int]]:
    """SI only: propaganda spans of ``text``."""
    if not _worth_analysing(text):
        return []
    out = []
    for offset, piece in _windows(text, window_chars):
        if _worth_analysing(piece):
            feats = model.features(piece)
            out += [(s + offset, e + offset) for s, e, _p in model.spans(feats, peak=peak)]
    return out


def classify_spans(text: str, spans: list[tuple[int, int]], model: TechniquesModel, aid: str = "") -> list[str]:
    """TC only: one technique per span, in order (a span listed k times gets its k best)."""
    if not spans:
        return []
    feats = model.features(text)
    return [row[1] for row in predict_tc(model, feats, aid, spans)]


def predict_tc(model: TechniquesModel, feats: ArticleFeatures, aid: str, spans: list[tuple[int, int]]) -> list[tuple[str, str, int, int]]:
    """One technique per template span, in order; a span listed k times gets
    its k most likely techniques."""
    probs = model.classify(feats, spans)
    seen: dict[tuple[int, int], int] = defaultdict(int)
    out = []
    for (s, e), p in zip(spans, probs, strict=False):
        rank = seen[(s, e)]
        seen[(s, e)] += 1
        k = int(np.argsort(-p)[min(rank, len(p) - 1)])
        out.append((aid, model.cfg.techniques[k], s, e))
    return out
