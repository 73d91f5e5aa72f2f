"""all-MiniLM-L6-v2 sentence vectors without torch: one encoder per process.

>>> vectors = encoder().encode(["The council passed the budget."])   # doctest: +SKIP
>>> vectors.shape, vectors.dtype                                      # doctest: +SKIP
((1, 384), dtype('float32'))

Two runtimes over the same weights give the same vectors (cosine >= 0.999 to
sentence-transformers on 1,000 sentences, tested):

* **ONNX Runtime** (:mod:`.runtime`), the default: the model exported once at
  install time into the virtual environment.  About 1.5 times as many texts
  per CPU-second as the numpy forward pass, and starts in well under a second.
* **numpy** (:mod:`.bert`): reads the package's ``model.safetensors`` directly.
  Used when the exported file is missing or stale (with a warning that says how
  to build it), or when ``NEWSAUDIT_MINILM_RUNTIME=numpy``.

Neither imports torch.  Word pieces are MiniLM's own
(:class:`~newsaudit.models.wordpiece.WordPiece`).  Batches run on
``threads`` threads (default: the machine's cores, at most 2;
``NEWSAUDIT_ENCODER_THREADS`` overrides): each thread runs whole batches, which
wastes less time than splitting every matrix product across cores when the
machine is busy.
"""

from __future__ import annotations

import os
import threading
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from typing import Protocol

import numpy as np

from ...errors import ModelError
from .bert import BATCH, DIM, NAME, NumpyBert, Tokenizer
from .runtime import BUILD_COMMAND, OnnxBert, artefact_problem, onnx_path

__all__ = ["DIM", "NAME", "Encoder", "encoder"]

RUNTIME_ENV = "NEWSAUDIT_MINILM_RUNTIME"
THREADS_ENV = "NEWSAUDIT_ENCODER_THREADS"
RUNTIMES = ("onnx", "numpy")


class Backend(Protocol):
    name: str

    def forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray: ...

    def threads_context(self) -> AbstractContextManager[object]: ...


def default_threads() -> int:
    try:
        value = int(os.environ.get(THREADS_ENV, "0"))
    except ValueError:
        value = 0
    return value if value > 0 else max(1, min(2, os.cpu_count() or 1))


class Encoder:
    """Word pieces in, unit sentence vectors out, through one backend."""

    name = NAME
    dim = DIM

    def __init__(self, tokenizer: Tokenizer, backend: Backend, threads: int = 1) -> None:
        self.tokenizer = tokenizer
        self.backend = backend
        self.threads = max(1, threads)
        self._pools: dict[int, ThreadPoolExecutor] = {}
        self._lock = threading.Lock()

    @property
    def runtime(self) -> str:
        return self.backend.name

    def encode(self, texts: Sequence[str], batch_size: int = BATCH, threads: int | None = None) -> np.ndarray:
        """(len(texts), 384) float32 unit vectors, in the order of ``texts``; batches on ``threads``
        threads (default :attr:`threads`)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        batches = self.tokenizer.batches(texts, batch_size)
        threads = max(1, threads or self.threads)
        with self.backend.threads_context():
            if threads > 1 and len(batches) > 1:
                results = list(self._executor(threads).map(lambda b: self.backend.forward(b[1], b[2]), batches))
            else:
                results = [self.backend.forward(ids, mask) for _idx, ids, mask in batches]
        for (idx, _ids, _mask), vectors in zip(batches, results, strict=True):
            out[idx] = vectors
        return out

    def _executor(self, threads: int) -> ThreadPoolExecutor:
        with self._lock:
            pool = self._pools.get(threads)
            if pool is None:
                pool = self._pools[threads] = ThreadPoolExecutor(threads, thread_name_prefix="minilm")
            return pool


def load(runtime: str | None = None, threads: int | None = None) -> Encoder:
    """A new encoder: ``runtime`` "onnx" or "numpy" (default ``$NEWSAUDIT_MINILM_RUNTIME``, else "onnx",
    falling back to "numpy" with a warning when the exported model is missing or stale)."""
    runtime = (runtime or os.environ.get(RUNTIME_ENV) or "onnx").lower()
    if runtime not in RUNTIMES:
        raise ModelError(f"unknown MiniLM runtime {runtime!r}; choose one of: {', '.join(RUNTIMES)}")
    threads = threads or default_threads()
    tokenizer = Tokenizer.load()
    if runtime == "onnx":
        problem = artefact_problem()
        if problem is None:
            # one thread per session run; whole batches go to the threads of Encoder
            return Encoder(tokenizer, OnnxBert(onnx_path(), threads=1), threads)
        warnings.warn(f"{problem}; using the slower numpy encoder (same vectors). Build it with: {BUILD_COMMAND}",
                      RuntimeWarning, stacklevel=2)
    return Encoder(tokenizer, NumpyBert.load(), threads)


_shared: Encoder | None = None
_shared_lock = threading.Lock()


def encoder() -> Encoder:
    """The process's encoder, loaded on first use."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = load()
        return _shared
