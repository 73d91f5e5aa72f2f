"""The HTML report: one self-contained page (inline CSS/JS, no URL is ever loaded).

:func:`to_html` gives the whole page; :func:`html_fragment` only the report's
``<div class="newsaudit-report">`` (for the web service), with its CSS from
:func:`html_styles` and its optional behaviour from :func:`html_script`.

Highlights: every finding with offsets (attribution content/cue/source,
signals, techniques, claims) becomes a *mark*.  The article text is cut at every
mark boundary; marks are opened longest-first and, when one ends while marks
opened after it are still open (crossing spans), those are closed and reopened
right after.  So the markup is always properly nested, and a highlight split in
several elements keeps one ``data-hl`` id: joining their text gives back
``article.text[start:end]``.  Anchors never nest: a quote inside another quote's
``<a>`` is a ``<span data-href>`` instead.  The CSS classes and ids are listed
at the top of ``report.css``.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from importlib import resources

from ..types import Attribution, Claim, RelayNode, Report, Signal, SignalKind, Source, Verdict

__all__ = ["html_fragment", "html_script", "html_styles", "to_html"]

VERDICT_LABEL = {
    Verdict.ATTRIBUTED: "Attributed",
    Verdict.ATTRIBUTION_DROPPED: "Attribution dropped",
    Verdict.UNATTRIBUTED_IN_BODY: "Stated in body too",
    Verdict.NOT_IN_BODY: "Not in body",
}
VERDICT_HELP = {
    Verdict.ATTRIBUTED: "The headline keeps the attribution the body gives its claim.",
    Verdict.ATTRIBUTION_DROPPED: "The headline states as fact what the body only attributes to a source.",
    Verdict.UNATTRIBUTED_IN_BODY: "The body also states the headline's claim in its own voice, not only through sources.",
    Verdict.NOT_IN_BODY: "The body does not support the headline's claim.",
}
SIGNAL_LABEL = {
    SignalKind.SCARE_QUOTE: "scare quote",
    SignalKind.HEDGE: "hedge",
    SignalKind.LOADED: "loaded term",
    SignalKind.LABEL: "label",
}
#: Number of technique colour classes (.na-tc-0 .. .na-tc-7) in report.css.
TECHNIQUE_COLOURS = 8
#: Tie-break for marks with the same extent: lower is outer.
RANK = {"claim": 0, "content": 1, "technique": 2, "signal": 3, "source": 4, "cue": 5}


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _q(text: str) -> str:
    """``text`` escaped, in curly quotes unless it already starts with a quote mark."""
    text = text.strip()
    return _e(text) if text[:1] in "\"'“‘«„”" else f"“{_e(text)}”"


def _slug(value: str) -> str:
    """A CSS-class-safe form of a kind or label."""
    return re.sub(r"[^a-z0-9_-]+", "-", value.lower()).strip("-") or "x"


@lru_cache(maxsize=None)
def _asset(name: str) -> str:
    return resources.files("newsaudit.render").joinpath(name).read_text(encoding="utf-8")


def html_styles() -> str:
    """The report's CSS (to put in a ``<style>`` element around :func:`html_fragment`)."""
    return _asset("report.css")


def html_script() -> str:
    """The report's optional JavaScript (layer toggles, nested-quote links, JSON download)."""
    return _asset("report.js")


# -- highlighting -------------------------------------------------------------------


@dataclass
class _Mark:
    start: int
    end: int
    layer: str  # claim | content | technique | signal | source | cue | headline
    classes: str
    title: str = ""
    attrs: dict[str, str] = field(default_factory=dict)
    href: str | None = None  # internal link ("#source-s1")
    first_id: str | None = None  # id of the first element of this highlight
    hl: str = ""
    opened: bool = False

    @property
    def rank(self) -> int:
        return RANK.get(self.layer, -1)


def _open(mark: _Mark, inside_anchor: bool) -> tuple[str, str]:
    attrs = [f'class="{_e(mark.classes)}"']
    if mark.opened:
        attrs.append('data-continued="1"')
    elif mark.first_id:
        attrs.append(f'id="{_e(mark.first_id)}"')
    if mark.hl:
        attrs.append(f'data-hl="{_e(mark.hl)}"')
    for key, value in mark.attrs.items():
        attrs.append(f'data-{key}="{_e(value)}"')
    if mark.title:
        attrs.append(f'title="{_e(mark.title)}"')
    mark.opened = True
    tag = "span"
    if mark.href:
        if inside_anchor:
            attrs.append(f'data-href="{_e(mark.href)}"')
        else:
            tag = "a"
            attrs.insert(0, f'href="{_e(mark.href)}"')
    return tag, f"<{tag} {' '.join(attrs)}>"


def highlight(text: str, marks: list[_Mark]) -> str:
    """``text`` escaped, with ``marks`` as properly nested elements."""
    n = len(text)
    marks = [m for m in marks if 0 <= m.start < m.end <= n]
    starts: dict[int, list[_Mark]] = defaultdict(list)
    bounds = {0, n}
    for m in marks:
        starts[m.start].append(m)
        bounds.update((m.start, m.end))
    out: list[str] = []
    stack: list[tuple[_Mark, str]] = []  # (mark, tag) from outer to inner
    pos = 0
    order = lambda m: (-m.end, m.rank)  # noqa: E731 - longest (outer) first
    for b in sorted(bounds):
        if b > pos:
            out.append(escape(text[pos:b], quote=False))
            pos = b
        reopen: list[_Mark] = []
        cut = next((i for i, (m, _) in enumerate(stack) if m.end <= b), None)
        if cut is not None:
            popped = stack[cut:]
            del stack[cut:]
            for m, tag in reversed(popped):
                out.append(f"</{tag}>")
            reopen = [m for m, _ in popped if m.end > b]
        for m in sorted(reopen + starts.get(b, []), key=order):
            tag, html = _open(m, inside_anchor=any(t == "a" for _, t in stack))
            out.append(html)
            stack.append((m, tag))
    return "".join(out)


def _source_names(report: Report) -> dict[str, Source]:
    return {s.id: s for s in report.sources}


def _attribution_title(a: Attribution, sources: dict[str, Source]) -> str:
    src = sources.get(a.source_id or "")
    who = f"{src.name} ({src.type})" if src else (a.source.text if a.source else "unknown source")
    bits = [f"{a.kind} attribution {a.id}", f"source: {who}"]
    if a.cue:
        bits.append(f"cue: {a.cue.text}")
    if a.resolved_source:
        bits.append(f"resolved to: {a.resolved_source.text}")
    if a.relayed_by:
        relay = sources.get(a.relayed_by)
        bits.append(f"relayed by: {relay.name if relay else a.relayed_by}")
    if a.rule:
        bits.append(f"rule: {a.rule}")
    return "; ".join(bits)


def _technique_classes(report: Report) -> dict[str, int]:
    labels = sorted({t.technique for t in report.techniques})
    return {label: i % TECHNIQUE_COLOURS for i, label in enumerate(labels)}


def _marks(report: Report) -> list[_Mark]:
    sources = _source_names(report)
    marks: list[_Mark] = []
    headline = report.article.headline
    if headline:
        marks.append(_Mark(0, len(headline), "headline", "na-headline-text"))
    counter = iter(range(1, 1_000_000))

    def add(m: _Mark) -> None:
        m.hl = f"h{next(counter)}"
        marks.append(m)

    for a in report.attributions:
        title = _attribution_title(a, sources)
        data = {"attribution": a.id}
        if a.source_id:
            data["source"] = a.source_id
        href = f"#source-{a.source_id}" if a.source_id in sources else f"#attribution-{a.id}"
        add(_Mark(a.content.start, a.content.end, "content",
                  f"na-hl na-attribution na-content na-kind-{_slug(a.kind)}", title, dict(data), href,
                  first_id=f"quote-{a.id}"))
        if a.source is not None:
            add(_Mark(a.source.start, a.source.end, "source", "na-hl na-attribution na-source",
                      f"source of {a.id}: {title}", dict(data)))
        if a.cue is not None:
            add(_Mark(a.cue.start, a.cue.end, "cue", "na-hl na-attribution na-cue",
                      f"attribution cue of {a.id}", dict(data)))
    for i, s in enumerate(report.signals, 1):
        label = SIGNAL_LABEL.get(s.kind, s.kind)
        lex = f" [lexicon: {s.lexicon}]" if s.lexicon else ""
        add(_Mark(s.span.start, s.span.end, "signal", f"na-hl na-signal na-signal-{_slug(s.kind)}",
                  f"{label}: {s.reason}{lex}", {"signal": f"sg{i}", "kind": s.kind}, first_id=f"signal-text-{i}"))
    colours = _technique_classes(report)
    for i, t in enumerate(report.techniques, 1):
        why = f": {t.reason}" if t.reason else f" (score {t.score:.2f})"
        add(_Mark(t.start, t.end, "technique", f"na-hl na-technique na-tc-{colours[t.technique]}",
                  f"technique: {t.technique}{why}", {"technique": t.technique}, first_id=f"technique-text-{i}"))
    for c in report.claims:
        voice = "in the article's own voice" if c.voice == "article" else f"{c.voice}"
        if c.source_id in sources:
            voice += f" to {sources[c.source_id].name}"
        why = f": {'; '.join(c.reasons)}" if c.reasons else ""
        add(_Mark(c.span.start, c.span.end, "claim", f"na-hl na-claim na-voice-{_slug(c.voice)}",
                  f"claim {c.id}, check-worthiness {c.score:.2f}, {voice}{why}", {"claim": c.id},
                  first_id=f"claim-text-{c.id}"))
    return marks


def skipped_marks(report: Report) -> list[str]:
    """Findings whose offsets do not fit ``article.text`` (they are not highlighted)."""
    n = len(report.article.text)
    return [
        f"{m.layer} highlight {m.start}:{m.end} skipped: offsets outside the article text (length {n})"
        for m in _marks(report)
        if not (0 <= m.start < m.end <= n)
    ]


# -- sections -------------------------------------------------------------------------


def _header(report: Report) -> str:
    a = report.article
    meta = [_e(x) for x in (a.id, a.outlet, a.date, a.language) if x]
    if a.url:
        meta.append(f'<span class="na-url">{_e(a.url)}</span>')
    s = report.summary or {}
    counts = [
        f"{len(report.attributions)} attributions",
        f"{len(report.sources)} sources ({s.get('named_sources', sum(x.named for x in report.sources))} named, "
        f"{s.get('anonymous_sources', sum(x.type == 'anonymous' for x in report.sources))} anonymous)",
        f"relay depth {s.get('relay_depth', max((c.depth() - 1 for c in report.relay_chains), default=0))}",
        f"{len(report.signals)} signals",
        f"{len(report.claims)} claims",
        f"{len(report.techniques)} techniques",
    ]
    return (
        '<header class="na-header">'
        '<div class="na-toolbar"><button type="button" id="na-download-json" hidden>Download JSON</button></div>'
        "<h1>newsaudit report</h1>"
        f'<p class="na-meta">{" · ".join(meta)}</p>'
        f'<p class="na-counts">{_e(", ".join(counts))}</p>'
        "</header>"
    )


def _headline_section(report: Report) -> str:
    hc = report.headline_check
    if hc is None:
        why = "the article has no headline" if not report.article.headline else "no headline check was run"
        return (
            '<section id="headline-check" class="na-section na-headline-check na-verdict-none">'
            f'<h2>Headline check</h2><p class="na-muted">{_e(why)}.</p></section>'
        )
    v = _slug(hc.verdict)
    parts = [
        f'<section id="headline-check" class="na-section na-headline-check na-verdict-{v}" data-verdict="{_e(hc.verdict)}">',
        "<h2>Headline check</h2>",
        f'<p><span class="na-verdict na-verdict-{v}" title="{_e(VERDICT_HELP.get(hc.verdict, ""))}">'
        f"{_e(VERDICT_LABEL.get(hc.verdict, hc.verdict))}</span> "
        f'<span class="na-score">score {hc.score:.2f}</span></p>',
        f'<p class="na-headline-quote">{_e(hc.headline.text)}</p>',
    ]
    if hc.claim.text and hc.claim.text != hc.headline.text:
        parts.append(f'<p>Claim checked: <span class="na-quote">{_e(hc.claim.text)}</span></p>')
    if hc.reason:
        parts.append(f'<p class="na-reason">{_e(hc.reason)}</p>')
    if hc.concern:
        why = "".join(f"<li>{_e(r)}</li>" for r in hc.concern_reasons)
        parts.append(
            f'<div class="na-concern na-concern-{_slug(hc.concern)}" data-concern="{_e(hc.concern)}">'
            f'<p><strong>Concern: {_e(hc.concern)}</strong></p>{f"<ul>{why}</ul>" if why else ""}</div>'
        )
    if hc.matches:
        parts.append('<ul class="na-matches">')
        for m in hc.matches:
            who = _e(m.source or "the article's own voice")
            if m.attribution_id:
                link = f'<a href="#quote-{_e(m.attribution_id)}">{who}</a> <span class="na-badge">{_e(m.attribution_id)}</span>'
            else:
                link = who
            parts.append(
                f'<li class="na-match" data-attribution="{_e(m.attribution_id or "")}">Matched: {link} '
                f'<span class="na-score">({m.score:.2f})</span>: <span class="na-quote">{_q(m.span.text)}</span></li>'
            )
        parts.append("</ul>")
    parts.append("</section>")
    return "".join(parts)


def _legend(report: Report) -> str:
    kinds = sorted({a.kind for a in report.attributions}) or ["direct", "indirect"]
    groups = []
    attr = "".join(
        f'<span class="na-sample na-content na-kind-{_slug(k)}">{_e(k)} content</span>' for k in kinds
    )
    groups.append(
        '<span class="na-legend-group"><label><input type="checkbox" data-toggle="attribution" checked> '
        f"<strong>Attributions</strong></label>{attr}"
        '<span class="na-sample na-source">source</span><span class="na-sample na-cue">cue</span></span>'
    )
    counts = Counter(s.kind for s in report.signals)
    if counts:
        items = "".join(
            f'<span class="na-sample na-signal na-signal-{_slug(k)}">{_e(SIGNAL_LABEL.get(k, k))} ({n})</span>'
            for k, n in sorted(counts.items())
        )
        groups.append(
            '<span class="na-legend-group"><label><input type="checkbox" data-toggle="signal" checked> '
            f"<strong>Signals</strong></label>{items}</span>"
        )
    tcounts = Counter(t.technique for t in report.techniques)
    if tcounts:
        colours = _technique_classes(report)
        items = "".join(
            f'<span class="na-sample na-technique na-tc-{colours[k]}">{_e(k)} ({n})</span>'
            for k, n in sorted(tcounts.items())
        )
        groups.append(
            '<span class="na-legend-group"><label><input type="checkbox" data-toggle="technique" checked> '
            f"<strong>Techniques</strong></label>{items}</span>"
        )
    if report.claims:
        groups.append(
            '<span class="na-legend-group"><label><input type="checkbox" data-toggle="claim" checked> '
            "<strong>Claims</strong></label>"
            '<span class="na-sample na-claim na-voice-attributed">attributed</span>'
            '<span class="na-sample na-claim na-voice-article">article voice</span></span>'
        )
    return f'<div id="legend" class="na-legend">{"".join(groups)}</div>'


def _article_section(report: Report) -> str:
    body = highlight(report.article.text, _marks(report))
    return (
        '<section id="article" class="na-section"><h2>Article</h2>'
        f"{_legend(report)}"
        f'<div class="na-article-text" lang="{_e(report.article.language or "en")}">{body}</div></section>'
    )


def _sources_section(report: Report) -> str:
    if not report.sources:
        return '<section id="sources" class="na-section"><h2>Sources</h2><p class="na-muted">No sources found.</p></section>'
    cards = []
    for s in report.sources:
        attrs = " ".join(f'<a href="#attribution-{_e(a)}">{_e(a)}</a>' for a in s.attribution_ids)
        mentions = ", ".join(_q(m.text) for m in s.mentions[:5])
        cards.append(
            f'<div class="na-source-card na-type-{_slug(s.type)}" id="source-{_e(s.id)}" data-source="{_e(s.id)}">'
            f'<strong class="na-source-name">{_e(s.name)}</strong> '
            f'<span class="na-badge na-source-type">{_e(s.type)}</span> '
            f'<span class="na-badge">{"named" if s.named else "not named"}</span> '
            f'<span class="na-muted">{len(s.mentions)} mention{"s" if len(s.mentions) != 1 else ""}</span>'
            + (f'<div class="na-muted">mentions: {mentions}</div>' if mentions else "")
            + (f"<div>attributions: {attrs}</div>" if attrs else "")
            + (f'<div class="na-muted na-reason">{_e(s.reason)}</div>' if s.reason else "")
            + "</div>"
        )
    return f'<section id="sources" class="na-section"><h2>Sources ({len(report.sources)})</h2>{"".join(cards)}</section>'


def _relay_node(node: RelayNode, known: set[str]) -> str:
    name = _e(node.name)
    if node.source_id and node.source_id in known:
        name = f'<a href="#source-{_e(node.source_id)}">{name}</a>'
    extra = f' <span class="na-badge">{_e(node.type)}</span>' if node.type != "article" else ""
    ids = f' <span class="na-muted">{_e(", ".join(node.attribution_ids))}</span>' if node.attribution_ids else ""
    kids = "".join(_relay_node(c, known) for c in node.children)
    return (
        f'<li><div class="na-relay-node na-type-{_slug(node.type)}" data-source="{_e(node.source_id or "")}">'
        f"{name}{extra}{ids}</div>{f'<ul>{kids}</ul>' if kids else ''}</li>"
    )


def _relay_section(report: Report) -> str:
    if not report.relay_chains:
        return ""
    known = {s.id for s in report.sources}
    trees = "".join(f'<ul class="na-relay">{_relay_node(c, known)}</ul>' for c in report.relay_chains)
    paths = "".join(
        f'<p class="na-muted">deepest: {_e(" → ".join(c.path()))} (depth {c.depth() - 1})</p>'
        for c in report.relay_chains
        if c.depth() > 2
    )
    return f'<section id="relay" class="na-section"><h2>Relay chain</h2>{trees}{paths}</section>'


def _attributions_section(report: Report) -> str:
    if not report.attributions:
        return ""
    sources = _source_names(report)
    items = []
    for a in report.attributions:
        src = sources.get(a.source_id or "")
        who = _e(src.name if src else (a.source.text if a.source else "unknown source"))
        if src:
            who = f'<a href="#source-{_e(src.id)}">{who}</a>'
        cue = _e(a.cue.text) if a.cue else "—"
        via = ""
        if a.relayed_by:
            relay = sources.get(a.relayed_by)
            via = f' <span class="na-muted">via {_e(relay.name if relay else a.relayed_by)}</span>'
        items.append(
            f'<li class="na-attribution-item" id="attribution-{_e(a.id)}" data-attribution="{_e(a.id)}">'
            f'<span class="na-badge">{_e(a.id)} · {_e(a.kind)}</span> {who}'
            f'<span class="na-arrow">→</span><span class="na-cue">{cue}</span><span class="na-arrow">→</span>'
            f'<a class="na-quote" href="#quote-{_e(a.id)}">{_q(a.content.text)}</a>{via}'
            + (f' <span class="na-muted">({_e(a.rule)})</span>' if a.rule else "")
            + "</li>"
        )
    return (
        f'<section id="attributions" class="na-section"><h2>Attributions ({len(report.attributions)})</h2>'
        f'<ul class="na-list">{"".join(items)}</ul></section>'
    )


def _signals_section(report: Report) -> str:
    if not report.signals:
        return ""
    groups: dict[str, list[tuple[int, Signal]]] = defaultdict(list)
    for i, s in enumerate(report.signals, 1):
        groups[s.kind].append((i, s))
    parts = []
    for kind in sorted(groups):
        items = "".join(
            f'<li class="na-signal-item" data-kind="{_e(kind)}"><a href="#signal-text-{i}" '
            f'class="na-signal na-signal-{_slug(kind)}">{_e(s.span.text)}</a> '
            f'<span class="na-muted">{_e(s.reason)}'
            + (f" [lexicon: {_e(s.lexicon)}]" if s.lexicon else "")
            + "</span></li>"
            for i, s in groups[kind]
        )
        parts.append(f'<h3>{_e(SIGNAL_LABEL.get(kind, kind))} ({len(groups[kind])})</h3><ul class="na-list">{items}</ul>')
    return f'<section id="signals" class="na-section"><h2>Framing signals ({len(report.signals)})</h2>{"".join(parts)}</section>'


def _claim_item(c: Claim, sources: dict[str, Source]) -> str:
    voice = _e(c.voice)
    if c.source_id in sources:
        voice += f' (<a href="#source-{_e(c.source_id)}">{_e(sources[c.source_id].name)}</a>)'  # type: ignore[index]
    reasons = f'<div class="na-muted">{_e("; ".join(c.reasons))}</div>' if c.reasons else ""
    checks = "".join(
        '<div class="na-factcheck">'
        f'<span class="na-badge">{_e(m.normalised_verdict or m.verdict or "unrated")}</span> '
        f"{_e(m.publisher or m.review_id)}"
        + (f" · {_e(m.date)}" if m.date else "")
        + f' <span class="na-score">(similarity {m.score:.2f})</span>: <span class="na-quote">{_q(m.claim)}</span>'
        + (f' <span class="na-url">{_e(m.url)}</span>' if m.url else "")
        + "</div>"
        for m in c.matches
    )
    return (
        f'<li class="na-claim-item na-voice-{_slug(c.voice)}" id="claim-{_e(c.id)}" data-claim="{_e(c.id)}">'
        f'<span class="na-badge">{c.score:.2f}</span> <span class="na-muted">{voice}</span> '
        f'<a href="#claim-text-{_e(c.id)}">{_e(c.span.text)}</a>{reasons}{checks}</li>'
    )


def _claims_section(report: Report) -> str:
    if not report.claims:
        return ""
    sources = _source_names(report)
    ordered = sorted(report.claims, key=lambda c: (-c.score, c.span.start))
    return (
        f'<section id="claims" class="na-section"><h2>Claims ({len(report.claims)}), most check-worthy first</h2>'
        f'<ul class="na-list">{"".join(_claim_item(c, sources) for c in ordered)}</ul></section>'
    )


def _techniques_section(report: Report) -> str:
    if not report.techniques:
        return ""
    from ..techniques.explain import load_definitions

    definitions = load_definitions()
    colours = _technique_classes(report)
    spans: dict[str, list[str]] = defaultdict(list)
    for i, t in enumerate(report.techniques, 1):
        # the reason starts with the definition, shown once above: keep the evidence
        why = t.reason.removeprefix(definitions.get(t.technique, "")).strip()
        spans[t.technique].append(
            f'<li class="na-technique-item"><a href="#technique-text-{i}">{_e(t.text)}</a> '
            f'<span class="na-score">({t.score:.2f})</span>'
            + (f' <span class="na-muted">{_e(why)}</span>' if why else "") + "</li>"
        )
    items = "".join(
        f'<li class="na-technique-count" data-technique="{_e(k)}">'
        f'<span class="na-sample na-technique na-tc-{colours[k]}">{_e(k)}</span> × {len(v)}'
        + (f' <span class="na-definition">{_e(definitions[k])}</span>' if k in definitions else "")
        + f'<ul class="na-technique-spans">{"".join(v)}</ul></li>'
        for k, v in sorted(spans.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    )
    return (
        f'<section id="techniques" class="na-section"><h2>Propaganda techniques ({len(report.techniques)})</h2>'
        '<p class="na-muted">Spans a model trained on the SemEval-2020 Task 11 corpus suggests, each with '
        "its reason: a prompt to read closely, not a verdict.</p>"
        f'<ul class="na-list">{items}</ul></section>'
    )


def _warnings_section(report: Report) -> str:
    warnings = list(report.warnings) + skipped_marks(report)
    if not warnings:
        return ""
    items = "".join(f'<li class="na-warning">{_e(w)}</li>' for w in warnings)
    return f'<section id="warnings" class="na-section"><h2>Warnings ({len(warnings)})</h2><ul class="na-list">{items}</ul></section>'


def html_fragment(report: Report) -> str:
    """The report as one ``<div class="newsaudit-report">`` (no ``<html>``, no CSS/JS)."""
    return (
        f'<div class="newsaudit-report" id="newsaudit-report" data-schema-version="{_e(report.schema_version)}"'
        f' data-article-id="{_e(report.article.id or "")}">'
        f"{_header(report)}{_headline_section(report)}"
        '<div class="na-grid"><div class="na-main">'
        f"{_article_section(report)}{_claims_section(report)}{_signals_section(report)}"
        '</div><div class="na-side">'
        f"{_sources_section(report)}{_relay_section(report)}{_attributions_section(report)}"
        f"{_techniques_section(report)}{_warnings_section(report)}"
        "</div></div></div>"
    )


def _json_for_script(report: Report) -> str:
    """The JSON report, safe inside ``<script type="application/json">``."""
    data = json.dumps(report.to_dict(), ensure_ascii=False)
    return (
        data.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


#: The page admits no external resource at all, even if something slipped through.
CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def to_html(report: Report, *, embed_json: bool = True, script: bool = True) -> str:
    """The report as one self-contained HTML page that works offline.

    ``embed_json`` adds the JSON report in ``<script type="application/json"
    id="newsaudit-data">`` (for the download button and for tools).
    """
    title = report.article.headline or report.article.id or "article"
    data = (
        f'<script type="application/json" id="newsaudit-data">{_json_for_script(report)}</script>' if embed_json else ""
    )
    js = f"<script>{html_script()}</script>" if script else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="generator" content="newsaudit">'
        f"<title>newsaudit: {_e(title[:120])}</title>"
        f"<style>{html_styles()}</style></head>\n"
        f"<body>{html_fragment(report)}\n{data}{js}</body></html>\n"
    )
