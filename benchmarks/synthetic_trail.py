"""Hand-built reports and batch outputs, for the trail tests and the scale benchmark.

:func:`build_report` makes a :class:`~newsaudit.types.Report` from plain
strings (every span is found in the text, so offsets are right by
construction) without running spaCy; :func:`write_batch` turns reports (and
error rows) into a batch-output Parquet file through
:func:`newsaudit.corpus.rows.report_row`, exactly as ``newsaudit batch`` writes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsaudit.types import (
    Article,
    Attribution,
    Claim,
    HeadlineCheck,
    HeadlineMatch,
    Report,
    Source,
    Span,
)


@dataclass(frozen=True)
class Quote:
    """An attribution of a hand-built article: ``source`` says ``content``
    (both as written in the text), optionally relayed ``via`` an outlet."""

    content: str
    source: str | None = None
    #: Canonical name of the source (default: ``source`` as written).
    name: str | None = None
    source_role: str = "official"
    identity: str = "named"
    via: str | None = None
    kind: str = "indirect"


def _find(text: str, piece: str, start: int = 0) -> Span:
    at = text.find(piece, start)
    if at < 0:
        raise ValueError(f"{piece!r} is not in the text")
    return Span(at, at + len(piece), piece)


def build_report(id: str, body: str, *, headline: str = "", date: str | None = None, outlet: str | None = None,
                 quotes: Sequence[Quote] = (), claims: Sequence[str] = (), headline_verdict: str | None = None,
                 headline_match: str | None = None) -> Report:
    """A report of ``headline`` + ``body`` with the given attributions and
    article-voice claims.  With a headline, ``headline_verdict`` (default
    ``not-in-body``) and ``headline_match`` (a quote content or claim that the
    headline check found) make its headline check."""
    article = Article(body=body, headline=headline, id=id, date=date, outlet=outlet, language="en")
    text, body_start = article.text, article.body_start
    sources: dict[str, Source] = {}
    mentions: dict[str, list[Span]] = {}
    attr_ids: dict[str, list[str]] = {}

    def source_id(name: str, written: str, role: str, identity: str) -> str:
        if name not in sources:
            sid = f"s{len(sources) + 1}"
            sources[name] = Source(id=sid, name=name, role=role, identity=identity, reason="hand-built")
            mentions[name], attr_ids[name] = [], []
        mentions[name].append(_find(text, written, body_start))
        return sources[name].id

    attributions = []
    for n, q in enumerate(quotes, 1):
        aid = f"a{n}"
        content = _find(text, q.content, body_start)
        sid = relay = None
        if q.source:
            name = q.name or q.source
            sid = source_id(name, q.source, q.source_role, q.identity)
            attr_ids[name].append(aid)
        if q.via:
            relay = source_id(q.via, q.via, "outlet", "named")
        attributions.append(Attribution(
            id=aid, kind=q.kind, content=content, source=_find(text, q.source, body_start) if q.source else None,
            source_id=sid, relayed_by=relay, rule="hand-built",
        ))
    source_list = tuple(
        Source(id=s.id, name=s.name, role=s.role, identity=s.identity, mentions=tuple(mentions[name]),
               attribution_ids=tuple(attr_ids[name]), reason=s.reason)
        for name, s in sources.items()
    )
    claim_list = []
    if headline:
        claim_list.append(Claim(id="c1", span=Span(0, len(headline), headline), score=0.9, voice="article",
                                reasons=("headline",)))
    for sentence in claims:
        claim_list.append(Claim(id=f"c{len(claim_list) + 1}", span=_find(text, sentence, body_start), score=0.8,
                                voice="article"))
    check = None
    if headline:
        verdict = headline_verdict or "not-in-body"
        matches: tuple[HeadlineMatch, ...] = ()
        if headline_match:
            span = _find(text, headline_match, body_start)
            attr = next((a for a in attributions if a.content == span), None)
            src = next((s.name for s in source_list if attr and s.id == attr.source_id), None)
            matches = (HeadlineMatch(attribution_id=attr.id if attr else None, span=span, score=0.8, source=src),)
        check = HeadlineCheck(headline=Span(0, len(headline), headline), claim=Span(0, len(headline), headline),
                              verdict=verdict, score=0.8 if matches else 0.0, matches=matches, reason="hand-built")
    return Report(article=article, attributions=tuple(attributions), sources=source_list, headline_check=check,
                  claims=tuple(claim_list), summary={})


def write_batch(path: str | Path, items: Iterable[Report | tuple[str, str]]) -> Path:
    """A batch output with one row per item: a Report, or ``(id, error message)`` for an error row."""
    import pyarrow.parquet as pq

    from newsaudit.corpus.rows import error_row, report_row, rows_to_table
    from newsaudit.errors import FailedRow

    rows = []
    for n, item in enumerate(items):
        rows.append(report_row(n, item) if isinstance(item, Report) else error_row(FailedRow(item[1], row=n, id=item[0])))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(rows_to_table(rows), path)
    return path


def relay_example() -> list[Report]:
    """The pattern of the seed article over four articles: a ministry's statement
    attributed (1, 2), relayed through Rt.com with a headline that states it as
    fact (3), and an unrelated article (4)."""
    return [
        build_report(
            "m1", "The Defence Ministry said rebel forces shelled the Varna water plant on Friday, cutting supplies to "
                  "40,000 homes. The ministry also said its units repelled two attacks near the river.",
            headline="Ministry statement on Varna", date="2024-05-01", outlet="Ministry Gazette",
            quotes=[Quote("rebel forces shelled the Varna water plant on Friday, cutting supplies to 40,000 homes",
                          "The Defence Ministry", name="Defence Ministry"),
                    Quote("its units repelled two attacks near the river", "The ministry", name="Defence Ministry")],
            headline_verdict="headline-attributes",
            headline_match="rebel forces shelled the Varna water plant on Friday, cutting supplies to 40,000 homes"),
        build_report(
            "m2", "Rebel forces shelled the Varna water plant on Friday and cut supplies to 40,000 homes, the Defence "
                  "Ministry said in a statement.",
            headline="Defence Ministry: rebels hit Varna plant", date="2024-05-02", outlet="Rt.com",
            quotes=[Quote("Rebel forces shelled the Varna water plant on Friday and cut supplies to 40,000 homes",
                          "the Defence Ministry", name="Defence Ministry")],
            headline_verdict="headline-attributes",
            headline_match="Rebel forces shelled the Varna water plant on Friday and cut supplies to 40,000 homes"),
        build_report(
            "m3", "Rt.com reports: the Defence Ministry said rebel forces had shelled the Varna water plant on Friday, "
                  "cutting supplies to 40,000 homes.",
            headline="Rebels shelled the Varna water plant, cutting water to 40,000 homes", date="2024-05-03",
            outlet="Daily Planet",
            quotes=[Quote("the Defence Ministry said rebel forces had shelled the Varna water plant on Friday, cutting "
                          "supplies to 40,000 homes", "Rt.com", source_role="outlet"),
                    Quote("rebel forces had shelled the Varna water plant on Friday, cutting supplies to 40,000 homes",
                          "the Defence Ministry", name="Defence Ministry", via="Rt.com")],
            headline_verdict="headline-drops-attribution",
            headline_match="rebel forces had shelled the Varna water plant on Friday, cutting supplies to 40,000 homes"),
        build_report(
            "m4", "The city council approved a new budget for public libraries on Tuesday after a long debate.",
            headline="Council approves library budget", date="2024-05-03", outlet="Local Times",
            claims=["The city council approved a new budget for public libraries on Tuesday after a long debate."],
            headline_verdict="body-asserts-too",
            headline_match="The city council approved a new budget for public libraries on Tuesday after a long debate."),
    ]
