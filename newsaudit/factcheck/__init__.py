"""Fact-check memory: has this claim been checked before?

A single-file SQLite store (FTS5 for BM25) of fact-check reviews, with sentence
embeddings computed once at import and an hnswlib index that rebuilds itself
when stale.  Retrieval is hybrid: BM25 and embeddings, fused with reciprocal
rank fusion.

Default store: ``$NEWSAUDIT_DB``, else ``~/.local/share/newsaudit/factchecks.db``
(``$XDG_DATA_HOME/newsaudit/factchecks.db`` when that is set); every command
takes ``--db PATH``.

Nothing here is imported by ``import newsaudit``; the encoder is loaded lazily,
once per process.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["default_db_path"]


def default_db_path() -> Path:
    """``$NEWSAUDIT_DB``, else ``$XDG_DATA_HOME/newsaudit/factchecks.db``
    (``~/.local/share/newsaudit/factchecks.db``)."""
    env = os.environ.get("NEWSAUDIT_DB")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base).expanduser() / "newsaudit" / "factchecks.db"
