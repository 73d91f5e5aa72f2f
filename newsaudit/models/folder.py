"""A model folder: ``config.json``, ``vocab.tsv`` and a :class:`~.numpy_net.NumpyNet` (``net.npz`` + ``net.json``).

Every TSV a model writes starts with ``#`` lines naming its source and licence
(read back with :func:`newsaudit.lexicons.read_table`, which skips them).
"""

from __future__ import annotations

import io
import json
import threading
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Generic, TypeVar

import numpy as np

from ..errors import ModelFileError

M = TypeVar("M")


class ModelCache(Generic[M]):
    """Model folders loaded once per process, thread-safe: ``cache.get(directory)`` (None or "default":
    the shipped folder) calls ``load(path)`` the first time a folder is asked for."""

    def __init__(self, load: Callable[[str], M], default: Path) -> None:
        self._load, self.default = load, default
        self._lock = threading.Lock()
        self._models: dict[str, M] = {}

    def get(self, directory: str | Path | None = None) -> M:
        key = str(self.default if directory in (None, "", "default") else Path(str(directory)))
        with self._lock:
            model = self._models.get(key)
            if model is None:
                model = self._models[key] = self._load(key)
            return model

CONFIG_FILE, VOCAB_FILE, NET_NAME = "config.json", "vocab.tsv", "net"


def read_config(directory: str | Path) -> dict[str, Any]:
    """The folder's ``config.json``."""
    path = Path(directory) / CONFIG_FILE
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelFileError(f"cannot read model config {path}: {exc}") from exc
    if not isinstance(config, dict):
        raise ModelFileError(f"{path}: expected a JSON object")
    return config


def write_config(directory: str | Path, config: dict[str, Any]) -> None:
    (Path(directory) / CONFIG_FILE).write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")


def write_tsv(path: str | Path, header: list[str], rows: list[list[str]]) -> None:
    """A TSV with ``#`` header lines (source, licence) first."""
    lines = [f"# {h}" if h else "#" for h in header]
    lines += ["\t".join(r) for r in rows]
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_npz(path: str | Path, arrays: dict[str, np.ndarray], compress: bool = True) -> None:
    """An ``.npz`` that is byte for byte the same for the same arrays (fixed dates, no pickle);
    deflated, or stored as it is when ``compress`` is false (faster to load when deflate saves little)."""
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(path, "w", method) as z:
        for name, a in arrays.items():
            buf = io.BytesIO()
            np.save(buf, np.asarray(a), allow_pickle=False)
            z.writestr(zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0)), buf.getvalue(), method)


def savez_compressed(path: str | Path, arrays: Mapping[str, np.ndarray]) -> None:
    """``numpy.savez_compressed(path, **arrays)``, for arrays named at run time."""
    # numpy's stub types **kwds as ArrayLike beside the keyword allow_pickle: bool, so a dict of
    # arrays unpacked into it reads as a possible allow_pickle
    np.savez_compressed(path, **arrays)  # type: ignore[arg-type]
