"""Modality: does a statement assert a claim, report it (attributed, hedged, asked), or deny it?

Trained on Emergent (Ferreira and Vlachos, NAACL 2016: headlines labelled *for*,
*observing* or *against* the rumoured claim they carry).  :func:`load_modality_model`
loads a model folder once per process (the shipped one,
``newsaudit/data/modality/model``, when none is named); see
``newsaudit/data/modality/MODEL_CARD.md``.  Features (:mod:`.cues`,
:mod:`.features`) read plain text, so the same model reads a headline in
``analyze``, a statement of a trail and an Emergent row; inference
(:mod:`.model`) is numpy; training is :mod:`newsaudit.train.modality`.
"""

from __future__ import annotations

from pathlib import Path

from ...lexicons import DATA_DIR
from ..folder import ModelCache
from .cues import DENYING_KINDS, REPORTING_KINDS, Cue, denies, find_cues, words
from .features import DENSE_NAMES, PairFeatures, pair_features
from .model import LABELS, ModalityModel, as_reported

#: The shipped model folder.
MODEL_DIR = DATA_DIR / "modality" / "model"
#: Emergent's labels -> the modality labels.
EMERGENT_LABELS = {"for": "asserted", "observing": "reported", "against": "denied"}

_cache: ModelCache[ModalityModel] = ModelCache(ModalityModel.load, MODEL_DIR)


def load_modality_model(directory: str | Path | None = None) -> ModalityModel:
    """The modality model in ``directory`` (default: the shipped one), loaded once per process."""
    return _cache.get(directory)


__all__ = [
    "DENSE_NAMES",
    "DENYING_KINDS",
    "EMERGENT_LABELS",
    "LABELS",
    "MODEL_DIR",
    "REPORTING_KINDS",
    "Cue",
    "ModalityModel",
    "PairFeatures",
    "as_reported",
    "denies",
    "find_cues",
    "load_modality_model",
    "pair_features",
    "words",
]
