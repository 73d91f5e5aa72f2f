"""The learned attribution model: cues, sources and contents, trained on PolNeAR.

Two small networks over spaCy's parse and its tok2vec tensor, evaluated with
numpy (:mod:`.nn`): a cue classifier with a BiLSTM over each sentence, and a
role tagger (BIO over content and source) with a BiLSTM over a window around
each cue, decoded with BIO constraints (:mod:`.decode`).  :mod:`.features`
builds the inputs for training and inference alike; :mod:`.model` reads and
writes the folder (``config.json``, ``vocab.json``, ``weights.npz``; no
pickle); :mod:`.polnear` is the one PolNeAR reader.  Training lives in
:mod:`newsaudit.train.attribution`.  The shipped folder is
:data:`DEFAULT_MODEL_DIR` with its ``MODEL_CARD.md``; ``newsaudit train
attribution`` reproduces it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ...lexicons import DATA_DIR
from ..folder import ModelCache

if TYPE_CHECKING:
    from .model import AttributionModel

#: The shipped model folder.
DEFAULT_MODEL_DIR = DATA_DIR / "attribution" / "model"


def _load(path: str) -> AttributionModel:
    from .model import AttributionModel

    return AttributionModel.load(path)


_cache: ModelCache[AttributionModel] = ModelCache(_load, DEFAULT_MODEL_DIR)


def load_model(directory: str | Path | None = None) -> AttributionModel:
    """The model in ``directory`` ("default" or None: :data:`DEFAULT_MODEL_DIR`), loaded once per process
    (thread-safe); a folder that cannot be read raises :class:`~newsaudit.errors.ModelFileError`."""
    return _cache.get(directory)


__all__ = ["DEFAULT_MODEL_DIR", "load_model"]
