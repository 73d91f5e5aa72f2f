"""The learned attribution model: cues, sources and contents, trained on PolNeAR.

Two small networks over spaCy's parse and its tok2vec tensor, evaluated with
numpy (:mod:`.nn`): a cue classifier with a BiLSTM over each sentence, and a
role tagger (BIO over content and source) with a BiLSTM over a window around
each cue, decoded with BIO constraints (:mod:`.decode`).  :mod:`.features`
builds the inputs for training and inference alike; :mod:`.model` reads and
writes the folder (``config.json``, ``vocab.json``, ``weights.npz``; no
pickle); :mod:`.polnear` is the one PolNeAR reader; :mod:`.dataset`,
:mod:`.nets` and :mod:`.train` train it (torch imported inside the training
functions only).  The shipped folder is :data:`DEFAULT_MODEL_DIR` with its
``MODEL_CARD.md``; ``newsaudit attribution train`` reproduces it.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ...lexicons import DATA_DIR

if TYPE_CHECKING:
    from .model import AttributionModel

#: The shipped model folder.
DEFAULT_MODEL_DIR = DATA_DIR / "attribution" / "model"
_lock = threading.Lock()


@lru_cache(maxsize=4)
def _load(path: str) -> AttributionModel:
    from .model import AttributionModel

    return AttributionModel.load(path)


def load_model(directory: str | Path | None = None) -> AttributionModel:
    """The model in ``directory`` ("default" or None: :data:`DEFAULT_MODEL_DIR`), loaded once per process
    (thread-safe); a folder that cannot be read raises :class:`~newsaudit.errors.ModelFileError`."""
    path = DEFAULT_MODEL_DIR if directory in (None, "", "default") else Path(str(directory))
    with _lock:
        return _load(str(path))


__all__ = ["DEFAULT_MODEL_DIR", "load_model"]
