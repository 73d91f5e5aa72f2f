"""Start-up policy: heavy libraries are imported only where they are used.

spaCy's machine-learning library, thinc, imports torch whenever torch is
installed (``thinc.compat``), which costs about two seconds of start-up for
nothing: newsaudit's spaCy pipeline never runs torch.  :func:`spacy_without_torch`
imports thinc with torch hidden, so only the features that really need torch
(propaganda techniques, sentence embeddings) load it, later and on demand.

It changes the importing process (``sys.modules``), so only newsaudit's own
process entry points call it: the command line's ``main`` and the worker
processes that ``batch`` and ``serve`` start.  Library functions never do: a
program that imports newsaudit keeps its own start-up.
"""

from __future__ import annotations

import sys

__all__ = ["spacy_without_torch"]


def spacy_without_torch() -> None:
    """Import spaCy's ``thinc.compat`` with ``import torch`` failing inside it.

    Call it before the first ``import spacy`` of a process (the CLI does, for
    the commands that parse).  Does nothing when thinc or torch is already
    imported.  torch stays importable afterwards: thinc merely records that it
    has no torch backend, which newsaudit's spaCy pipelines never use.
    """
    if "thinc.compat" in sys.modules or "torch" in sys.modules:
        return
    sys.modules["torch"] = None  # type: ignore[assignment]  # "import torch" raises ImportError
    try:
        import thinc.compat  # noqa: F401
    finally:
        if "torch" in sys.modules and sys.modules["torch"] is None:
            del sys.modules["torch"]
