"""Attach fact-check matches to a report's claims (called by the pipeline when
``AnalyzeOptions.factcheck_db`` is set)."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

from ..options import AnalyzeOptions
from ..types import FactCheckMatch, Report
from .search import Hit, Searcher
from .store import FactCheckStore

#: A review is attached to a claim only when the MiniLM cosine similarity of the
#: claim to the review's claim (or title) reaches this.  On CLEF 2020 Task 2
#: train, 88% of the correct tweet->review pairs reach 0.5; but so does some
#: wrong review (same topic) for 72% of tweets, so a match means "a related
#: review exists", never a verdict on the article's claim.
MIN_SIMILARITY = 0.5

_searchers: dict[str, Searcher] = {}
_lock = threading.Lock()


def get_searcher(db: str | Path) -> Searcher:
    """One Searcher (open store + ANN index) per database file and process."""
    key = str(Path(db).expanduser().resolve())
    with _lock:
        searcher = _searchers.get(key)
        if searcher is None:
            searcher = Searcher(FactCheckStore(key))
            _searchers[key] = searcher
        return searcher


def search_cached(db: str | Path, text: str, top: int = 5) -> list[Hit]:
    """:meth:`Searcher.search` on the process's open store at ``db`` (one per file: a service
    worker opens the store and its index once, not per request)."""
    searcher = get_searcher(db)
    with _lock:
        return searcher.search(text, top)


def warm(db: str | Path) -> None:
    """Open the store at ``db``, load its index and the encoder now (a service worker at start)."""
    searcher = get_searcher(db)
    with _lock:
        if searcher.semantic:
            searcher.index  # noqa: B018 - loads (or rebuilds) the ANN index
            searcher.store.embedder.encode(["warm up"])


def find_matches(texts: list[str], db: str | Path, top: int = 3,
                 min_similarity: float = MIN_SIMILARITY) -> list[tuple[FactCheckMatch, ...]]:
    """For each text, up to ``top`` fact-check matches at or above ``min_similarity``."""
    searcher = get_searcher(db)
    keep = [i for i, t in enumerate(texts) if t and t.strip()]
    out: list[tuple[FactCheckMatch, ...]] = [() for _ in texts]
    if not keep:
        return out
    with _lock:
        results = searcher.search_many([texts[i] for i in keep], top)
        semantic = searcher.semantic
    for i, hits in zip(keep, results, strict=False):
        # without embeddings (a lexical-only store) there is no similarity to filter on
        out[i] = tuple(h.to_match() for h in hits if not semantic or h.similarity >= min_similarity)
    return out


def attach_matches(report: Report, options: AnalyzeOptions) -> Report:
    """A new Report whose claims carry their top ``options.factcheck_top`` matches
    from the store at ``options.factcheck_db``."""
    if not options.factcheck_db or not report.claims or options.factcheck_top < 1:
        return report
    matches = find_matches([c.span.text for c in report.claims], options.factcheck_db, options.factcheck_top)
    claims = tuple(replace(c, matches=m) for c, m in zip(report.claims, matches, strict=False))
    return replace(report, claims=claims)
