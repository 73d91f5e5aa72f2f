"""Headline-body stance, trained on FNC-1: does the body agree with, disagree with,
discuss, or have nothing to do with the headline?

:func:`load_stance_model` loads a model folder once per process (the shipped
one, ``newsaudit/data/stance/model``, when none is named); see
``newsaudit/data/stance/MODEL_CARD.md``.  Inference (:mod:`.model`,
:mod:`.features`, :mod:`.textview`) needs numpy and the parse; training
(:mod:`.train`) imports torch and scipy inside its functions.
"""

from __future__ import annotations

from pathlib import Path

from ...lexicons import DATA_DIR
from ..folder import ModelCache
from .model import LABELS, ContradictionRule, Passage, StanceModel, StanceResult
from .textview import TextView, view_of

#: The shipped model folder.
MODEL_DIR = DATA_DIR / "stance" / "model"

_cache: ModelCache[StanceModel] = ModelCache(StanceModel.load, MODEL_DIR)


def load_stance_model(directory: str | Path | None = None) -> StanceModel:
    """The stance model in ``directory`` (default: the shipped one), loaded once per process."""
    return _cache.get(directory)


__all__ = [
    "LABELS",
    "MODEL_DIR",
    "ContradictionRule",
    "Passage",
    "StanceModel",
    "StanceResult",
    "TextView",
    "load_stance_model",
    "view_of",
]
