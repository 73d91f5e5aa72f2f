"""Claim trails across a corpus: the same statement in many articles, who said it
first, who relayed it, and where the attribution got lost.

``run_trail(TrailOptions(inputs=(...), out=...))`` reads outputs of ``newsaudit batch`` and
writes ``TRAIL.parquet`` (columns: :data:`TRAIL_COLUMNS`), optionally an HTML view.
Nothing heavy is imported here: the encoder, hnswlib, plotly and dask load inside the
functions that use them.
"""

from __future__ import annotations

from .run import TrailOptions, TrailResult, run_trail
from .summary import loss_summary, loss_summary_text
from .table import COLUMNS, TRAIL_COLUMNS, trail_schema

__all__ = ["COLUMNS", "TRAIL_COLUMNS", "TrailOptions", "TrailResult", "loss_summary", "loss_summary_text",
           "run_trail", "trail_schema"]
