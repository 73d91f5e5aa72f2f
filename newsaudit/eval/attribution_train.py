"""Training the attribution model on PolNeAR: the library function behind ``newsaudit attribution train``.

It parses the split exactly as ``analyze`` does (the spaCy model with
``newsaudit_paragraphs`` before the parser) and hands the parses to
:func:`newsaudit.models.attribution.train.train`.  With the defaults on the
whole of PolNeAR train it reproduces the shipped model
(``newsaudit/data/attribution/model``): same seed, one torch thread,
deterministic algorithms.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import BenchmarkFileError


@dataclass(frozen=True)
class AttributionTrainOptions:
    """``newsaudit attribution train``: the PolNeAR split, the output folder, and what may vary."""

    data: str
    out: str
    #: train on the first N annotated articles only (sorted by name): quick checks, reproduction tests
    limit: int | None = None
    #: "all": every annotator's relations, each view weighted 1/k; "first": the scoring annotator only
    annotators: str = "all"
    seed: int = 13
    spacy_model: str | None = None


@dataclass(frozen=True)
class AttributionTrainSummary:
    out: str
    articles: int
    annotations: int
    seconds: float
    log: list[str] = field(default_factory=list)

    def as_text(self) -> str:
        return f"trained on {self.articles} articles ({self.annotations} annotations) in {self.seconds:.0f} s; wrote {self.out}"


def parse_pipeline(spacy_model: str | None = None) -> Any:
    """The parser ``analyze`` runs before newsaudit's extractors: the spaCy model with ``newsaudit_paragraphs``."""
    from ..nlp import load_fresh, resolve_model_name
    from ..pipeline import import_components

    import_components()
    nlp = load_fresh(resolve_model_name(spacy_model))
    if "parser" in nlp.pipe_names and "newsaudit_paragraphs" not in nlp.pipe_names:
        nlp.add_pipe("newsaudit_paragraphs", before="parser")
    return nlp


def train_attribution(
    options: AttributionTrainOptions, nlp: Any = None, log: Callable[[str], None] | None = None
) -> AttributionTrainSummary:
    """Train the attribution model on a PolNeAR split and save the folder to ``options.out``.

    A folder that is not a PolNeAR split, or holds no annotated article, raises
    :class:`~newsaudit.errors.BenchmarkFileError` (exit 2) before anything is parsed."""
    from ..models.attribution.polnear import load_split
    from ..models.attribution.train import TrainConfig, train

    if options.annotators not in ("all", "first"):
        raise BenchmarkFileError(f"--annotators {options.annotators!r}: give 'all' or 'first'")
    if options.limit is not None and options.limit < 1:
        raise BenchmarkFileError(f"--limit {options.limit}: give a positive number of articles")
    load_split(options.data, limit=1)  # a bad folder fails here, before the parser loads
    lines: list[str] = []

    def note(msg: str) -> None:
        lines.append(msg)
        if log is not None:
            log(msg)

    t0 = time.perf_counter()
    config = TrainConfig(seed=options.seed, policy=options.annotators)
    fitted = train(nlp or parse_pipeline(options.spacy_model), options.data, options.out, config, limit=options.limit, log=note)
    return AttributionTrainSummary(
        out=str(Path(options.out)),
        articles=int(fitted.info.data.get("articles", 0)),
        annotations=int(fitted.info.data.get("annotations", 0)),
        seconds=time.perf_counter() - t0,
        log=lines,
    )
