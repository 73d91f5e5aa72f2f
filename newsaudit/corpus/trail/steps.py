"""The two corpus steps of the trail evaluation (:mod:`newsaudit.eval.trail`), with
plain signatures: ``eval`` sits beside ``corpus`` and may not import it, so
``newsaudit eval trail`` passes these in."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def batch_step(articles: Path, out: Path, workers: int) -> None:
    """``newsaudit batch ARTICLES --out OUT --any-language`` (tweets are short and often not English)."""
    from ...options import AnalyzeOptions
    from ..batch import run_batch
    from ..options import BatchOptions

    run_batch(BatchOptions(input=str(articles), out=str(out), workers=workers,
                           analyze=AnalyzeOptions(any_language=True)))


def trail_step(batch: Path, out: Path, settings: dict[str, Any]) -> int:
    """``newsaudit trail BATCH --out OUT`` with ``settings`` (fields of TrailOptions); the number of trails."""
    from .run import TrailOptions, run_trail

    return run_trail(TrailOptions(inputs=(str(batch),), out=str(out), **settings)).trails

