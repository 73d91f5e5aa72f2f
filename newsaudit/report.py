"""Build a :class:`Report` from a processed Doc."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from .types import Article, Report, ReportSummary

if TYPE_CHECKING:
    from spacy.tokens import Doc

_T = TypeVar("_T")


def _tuple(value: Iterable[_T] | None) -> tuple[_T, ...]:
    return tuple(value) if value else ()


def summarize(report: Report) -> ReportSummary:
    """Counts a reader (or a batch table) wants at a glance; a batch row
    (:func:`newsaudit.corpus.rows.report_row`) is built from these alone."""
    named = [s for s in report.sources if s.identity == "named"]
    voices = [s for s in report.sources if s.independent]
    by_identity = Counter(s.identity for s in voices)
    return {
        "attributions": len(report.attributions),
        "attributions_by_kind": dict(Counter(a.kind for a in report.attributions)),
        "sources": len(report.sources),
        "named_sources": len(named),
        "anonymous_sources": sum(1 for s in report.sources if s.identity == "anonymous"),
        # independent voices: the sources that speak for no other source of the article, by identity
        "independent_voices": len(voices),
        "voices_by_identity": {k: by_identity.get(k, 0) for k in ("named", "described", "anonymous")},
        "sources_by_role": dict(Counter(s.role for s in report.sources)),
        "relay_depth": max((c.depth() - 1 for c in report.relay_chains), default=0),
        "headline_verdict": report.headline_check.verdict if report.headline_check else None,
        "signals": len(report.signals),
        "signals_by_kind": dict(Counter(s.kind for s in report.signals)),
        "claims": len(report.claims),
        "claims_in_article_voice": sum(1 for c in report.claims if c.voice == "article"),
        "techniques": len(report.techniques),
        "techniques_by_label": dict(Counter(t.technique for t in report.techniques)),
        # the named sources' names, each once, in the order of report.sources
        "source_names": list(dict.fromkeys(s.name for s in named)),
    }


def report_from_doc(doc: Doc, article: Article) -> Report:
    report = Report(
        article=article,
        attributions=_tuple(doc._.attributions),
        sources=_tuple(doc._.sources),
        relay_chains=_tuple(doc._.relay_chains),
        headline_check=doc._.headline_check,
        signals=_tuple(doc._.signals),
        # most check-worthy first; ties keep text order (ids c1, c2, ... are in text order)
        claims=tuple(sorted(_tuple(doc._.claims), key=lambda c: (-c.score, c.span.start))),
        techniques=_tuple(doc._.techniques),
        warnings=article.warnings,
    )
    return replace(report, summary=summarize(report))
