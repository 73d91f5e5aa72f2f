"""A model folder: ``config.json``, ``vocab.tsv`` and a :class:`~.numpy_net.NumpyNet` (``net.npz`` + ``net.json``).

Every TSV a model writes starts with ``#`` lines naming its source and licence
(read back with :func:`newsaudit.lexicons.read_table`, which skips them).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import ModelFileError

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
