"""The options of a batch run (one dataclass the command builds and the engines read)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..options import DEFAULT_ARTICLE_TIMEOUT, AnalyzeOptions

if TYPE_CHECKING:
    from ..load.records import FieldMap


@dataclass(frozen=True)
class BatchOptions:
    """Everything a batch run needs; the ``batch`` command only builds this."""

    #: Input: a JSONL/CSV/Parquet file or a folder of .txt/.html files.
    input: str
    #: Output Parquet file (parts are kept in ``<out>.parts/`` while running).
    out: str
    #: Field mapping for datasets (a :class:`newsaudit.load.FieldMap`); None: defaults.
    fields: FieldMap | None = None
    #: Worker processes (local engine) or local Dask workers (dask, no scheduler).
    workers: int = 1
    #: "local" (processes on this machine) or "dask".
    engine: str = "local"
    #: Address of an existing Dask scheduler; None with engine="dask": a local cluster.
    scheduler: str | None = None
    #: Skip input rows already in the output (or its parts) instead of starting over.
    resume: bool = False
    #: Rows per chunk (one chunk = one task = one Parquet part).
    chunk_size: int = 64
    #: Analysis options passed to every worker.
    analyze: AnalyzeOptions = field(default_factory=AnalyzeOptions)
    #: Seconds one article may run (local engine) before its worker process is
    #: killed and the article becomes an error row; None or 0: no limit (and
    #: with one worker the articles then run in this process).
    article_timeout: float | None = DEFAULT_ARTICLE_TIMEOUT
