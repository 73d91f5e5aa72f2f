"""Build a :class:`Report` from a processed Doc."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from .types import Article, Attribution, Report, ReportSummary, Source

if TYPE_CHECKING:
    from spacy.tokens import Doc

_T = TypeVar("_T")


def _tuple(value: Iterable[_T] | None) -> tuple[_T, ...]:
    return tuple(value) if value else ()


def independent_voices(sources: Sequence[Source], attributions: Sequence[Attribution] = ()) -> list[Source]:
    """The voices an article rests on: the sources that speak for no other source of the article and say something,
    themselves (an attribution, words another source cites them for, or a report of what others told them) or through
    a spokesperson who does.  A ministry and its spokesman are one voice; a company that only "did not respond to a
    request for comment" is none; the headline's unnamed "Witnesses" that sums up the witnesses the body quotes
    (``sums_up``) is none of its own."""
    citing = {s.cited_by for s in sources if s.cited_by} | {a.relayed_by for a in attributions if a.relayed_by}
    speaking = {s.id for s in sources if s.attribution_ids or s.cited_by or s.id in citing}
    through = {s.speaks_for for s in sources if s.speaks_for and s.id in speaking}
    return [s for s in sources if s.independent and (s.id in speaking or s.id in through)]


def voices_line(sources: Sequence[Source], attributions: Sequence[Attribution] = ()) -> str:
    """"3 independent voices (2 named, 1 anonymous)", as the text and HTML reports print it."""
    voices = independent_voices(sources, attributions)
    counts = Counter(s.identity for s in voices)
    parts = ", ".join(f"{counts[k]} {k}" for k in ("named", "described", "anonymous") if counts[k])
    return f"{len(voices)} independent voice{'s' if len(voices) != 1 else ''}" + (f" ({parts})" if parts else "")


def summarize(report: Report) -> ReportSummary:
    """Counts a reader (or a batch table) wants at a glance; a batch row
    (:func:`newsaudit.corpus.rows.report_row`) is built from these alone."""
    named = [s for s in report.sources if s.identity == "named"]
    voices = independent_voices(report.sources, report.attributions)
    by_identity = Counter(s.identity for s in voices)
    return {
        "attributions": len(report.attributions),
        "attributions_by_kind": dict(Counter(a.kind for a in report.attributions)),
        "sources": len(report.sources),
        "named_sources": len(named),
        "anonymous_sources": sum(1 for s in report.sources if s.identity == "anonymous"),
        # independent voices (see independent_voices), by identity
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
