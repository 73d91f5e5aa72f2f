"""The ``Doc._`` extensions newsaudit writes, registered in one idempotent place.

Nothing is registered on import: each component's constructor calls
:func:`register_extensions`, so a user who only imports newsaudit leaves
spaCy's global state alone.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable

from spacy.tokens import Doc

#: name -> default value.  Defaults are None (not mutable lists) on purpose:
#: a component that has not run leaves None, which differs from "ran, found nothing".
DOC_EXTENSIONS: dict[str, object] = {
    "attributions": None,  # tuple[Attribution, ...]
    "sources": None,  # tuple[Source, ...]
    "relay_chains": None,  # tuple[RelayNode, ...]
    "headline_check": None,  # HeadlineCheck | None
    "signals": None,  # tuple[Signal, ...]
    "claims": None,  # tuple[Claim, ...]
    "techniques": None,  # tuple[Technique, ...]
    "headline_end": None,  # int: end offset of the headline, set by the caller or guessed
    # tuple[tuple[int, int], ...]: char ranges of paragraphs not in English, set by
    # the pipeline from Article.foreign_spans; no attributions or claims are read in them
    "foreign_spans": None,
}

#: Span groups written to ``doc.spans``.
SPAN_KEYS = {
    "content": "attribution_content",
    "cue": "attribution_cue",
    "source": "attribution_source",
    "signals": "signals",
    "claims": "claims",
    "techniques": "techniques",
}


def register_extensions() -> None:
    """Register every ``Doc._`` attribute newsaudit uses (safe to call many times)."""
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


def foreign_test(doc: Doc) -> Callable[[int, int], bool] | None:
    """None when ``doc._.foreign_spans`` is empty or unset; else a function
    telling whether the char range [start, end) lies inside one of those spans."""
    ranges = sorted(doc._.foreign_spans or ()) if Doc.has_extension("foreign_spans") else []
    if not ranges:
        return None
    starts = [s for s, _ in ranges]

    def inside(start: int, end: int) -> bool:
        k = bisect_right(starts, start) - 1
        return k >= 0 and ranges[k][0] <= start and end <= ranges[k][1]

    return inside
