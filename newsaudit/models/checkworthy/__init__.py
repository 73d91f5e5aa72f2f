"""Check-worthiness, trained on CLEF 2019 CheckThat! Task 1: how worth fact-checking a sentence is.

:func:`load_checkworthy_model` loads a model folder once per process (the
shipped one, ``newsaudit/data/checkworthy/model``, when none is named); see
``newsaudit/data/checkworthy/MODEL_CARD.md``.  :mod:`.cues` holds the
ClaimBuster-style counts (:class:`Features`, :func:`features_from_span`);
inference (:mod:`.model`, :mod:`.features`) needs numpy and the parse;
training (:mod:`.train`) imports scikit-learn inside its functions.
"""

from __future__ import annotations

from pathlib import Path

from ...lexicons import DATA_DIR
from ..folder import ModelCache
from .cues import Cues, Features, features_from_span, load_cues
from .model import CheckworthyModel, CwScore

#: The shipped model folder.
MODEL_DIR = DATA_DIR / "checkworthy" / "model"

_cache: ModelCache[CheckworthyModel] = ModelCache(CheckworthyModel.load, MODEL_DIR)


def load_checkworthy_model(directory: str | Path | None = None) -> CheckworthyModel:
    """The check-worthiness model in ``directory`` (default: the shipped one), loaded once per process."""
    return _cache.get(directory)


__all__ = [
    "MODEL_DIR",
    "CheckworthyModel",
    "Cues",
    "CwScore",
    "Features",
    "features_from_span",
    "load_checkworthy_model",
    "load_cues",
]
