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
from collections import Counter, defaultdict
from functools import cache
from importlib import resources

from ..report import voices_line
from ..types import Claim, HeadlineStance, ModalityReading, RelayNode, Report, Signal, Source, Verdict
from .marks import SIGNAL_LABEL, esc, highlight, quoted, report_marks, skipped_marks, slug, source_names, technique_classes

__all__ = ["html_fragment", "html_script", "html_styles", "to_html"]

#: The verdict as the page shows it: its JSON name, the dashes made spaces ("Headline drops hedge").
VERDICT_LABEL: dict[str, str] = {v: v.value.replace("-", " ").capitalize() for v in Verdict}
VERDICT_HELP: dict[str, str] = {
    Verdict.HEADLINE_ATTRIBUTES: "The headline keeps the attribution: it says who claims it.",
    Verdict.HEADLINE_HEDGES: "The headline hedges or asks its claim itself (reportedly, may, a question).",
    Verdict.HEADLINE_DROPS_ATTRIBUTION: "The headline states as fact what the body only attributes to a source.",
    Verdict.HEADLINE_DROPS_HEDGE: "The headline states as fact what the body only hedges (reportedly, may, in talks).",
    Verdict.BODY_ASSERTS_TOO: "The body also states the headline's claim in its own voice, not only through sources.",
    Verdict.NOT_IN_BODY: "The body does not carry the headline's claim.",
    Verdict.BODY_DISPUTES: "The body denies the headline's claim, or reports a denial of it.",
}


def _cue_words(reading: ModalityReading) -> str:
    """' (reportedly, may)': the words that decided a modality reading, escaped, or ''."""
    words = list(dict.fromkeys(c.text for c in reading.cues))
    return esc(f" ({', '.join(words)})") if words else ""


@cache
def _asset(name: str) -> str:
    return resources.files("newsaudit.render").joinpath(name).read_text(encoding="utf-8")


def html_styles() -> str:
    """The report's CSS (to put in a ``<style>`` element around :func:`html_fragment`)."""
    return _asset("report.css")


def html_script() -> str:
    """The report's optional JavaScript (layer toggles, nested-quote links, JSON download)."""
    return _asset("report.js")


# -- sections -------------------------------------------------------------------------


def _stance(stance: HeadlineStance) -> str:
    """The body's stance towards the headline: label, the four probabilities, the deciding passages."""
    probs = " ".join(
        f'<span class="na-stance-prob" data-label="{esc(k)}">{esc(k)} {v:.2f}</span>' for k, v in stance.probs.items()
    )
    passages = "".join(
        f'<li class="na-stance-passage" data-start="{p.start}" data-end="{p.end}"><span class="na-quote">{quoted(p.text)}</span></li>'
        for p in stance.passages
    )
    return (
        f'<div class="na-stance na-stance-{slug(stance.label)}" data-stance="{esc(stance.label)}">'
        f'<p><strong>Stance of the body: {esc(stance.label)}</strong> <span class="na-score">{probs}</span></p>'
        + (f'<p class="na-muted">Decided by:</p><ul class="na-stance-passages">{passages}</ul>' if passages else "")
        + "</div>"
    )


def _header(report: Report) -> str:
    a = report.article
    meta = [esc(x) for x in (a.id, a.outlet, a.date, a.language) if x]
    if a.url:
        meta.append(f'<span class="na-url">{esc(a.url)}</span>')
    s = report.summary or {}
    counts = [
        f"{len(report.attributions)} attributions",
        f"{len(report.sources)} sources, {voices_line(report.sources, report.attributions)}",
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
        f'<p class="na-counts">{esc(", ".join(counts))}</p>'
        "</header>"
    )


def _headline_section(report: Report) -> str:
    hc = report.headline_check
    if hc is None:
        why = "the article has no headline" if not report.article.headline else "no headline check was run"
        return (
            '<section id="headline-check" class="na-section na-headline-check na-verdict-none">'
            f'<h2>Headline check</h2><p class="na-muted">{esc(why)}.</p></section>'
        )
    v = slug(hc.verdict)
    parts = [
        f'<section id="headline-check" class="na-section na-headline-check na-verdict-{v}" data-verdict="{esc(hc.verdict)}">',
        "<h2>Headline check</h2>",
        f'<p><span class="na-verdict na-verdict-{v}" title="{esc(VERDICT_HELP.get(hc.verdict, ""))}">'
        f"{esc(VERDICT_LABEL.get(hc.verdict, hc.verdict))}</span> "
        f'<span class="na-score">score {hc.score:.2f}</span></p>',
        f'<p class="na-headline-quote">{esc(hc.headline.text)}</p>',
    ]
    if hc.claim.text and hc.claim.text != hc.headline.text:
        parts.append(f'<p>Claim checked: <span class="na-quote">{esc(hc.claim.text)}</span></p>')
    if hc.reason:
        parts.append(f'<p class="na-reason">{esc(hc.reason)}</p>')
    if hc.concern:
        why = "".join(f"<li>{esc(r)}</li>" for r in hc.concern_reasons)
        parts.append(
            f'<div class="na-concern na-concern-{slug(hc.concern)}" data-concern="{esc(hc.concern)}">'
            f'<p><strong>Concern: {esc(hc.concern)}</strong></p>{f"<ul>{why}</ul>" if why else ""}</div>'
        )
    if hc.stance is not None:
        parts.append(_stance(hc.stance))
    if hc.headline_modality is not None:
        parts.append(f'<p class="na-modality" data-modality="{esc(hc.headline_modality.label)}">The headline: '
                     f"<strong>{esc(hc.headline_modality.label)}</strong>{_cue_words(hc.headline_modality)}</p>")
    if hc.matches:
        parts.append('<ul class="na-matches">')
        for m in hc.matches:
            who = esc(m.source or "the article's own voice")
            if m.attribution_id:
                link = f'<a href="#quote-{esc(m.attribution_id)}">{who}</a> <span class="na-badge">{esc(m.attribution_id)}</span>'
            else:
                link = who
            mod = (f' <span class="na-badge na-modality" data-modality="{esc(m.modality.label)}">{esc(m.modality.label)}'
                   f"{_cue_words(m.modality)}</span>") if m.modality is not None else ""
            parts.append(
                f'<li class="na-match" data-attribution="{esc(m.attribution_id or "")}">Matched: {link} '
                f'<span class="na-score">({m.score:.2f})</span>{mod}: <span class="na-quote">{quoted(m.span.text)}</span></li>'
            )
        parts.append("</ul>")
    if hc.denials:
        items = "".join(f'<li class="na-denial">{esc(d.source or "the article itself")}: '
                        f'<span class="na-quote">{quoted(d.span.text)}</span></li>' for d in hc.denials)
        parts.append(f'<p>Denied in the body:</p><ul class="na-denials">{items}</ul>')
    parts.append("</section>")
    return "".join(parts)


def _legend(report: Report) -> str:
    kinds = sorted({a.kind for a in report.attributions}) or ["direct", "indirect"]
    groups = []
    attr = "".join(
        f'<span class="na-sample na-content na-kind-{slug(k)}">{esc(k)} content</span>' for k in kinds
    )
    groups.append(
        '<span class="na-legend-group"><label><input type="checkbox" data-toggle="attribution" checked> '
        f"<strong>Attributions</strong></label>{attr}"
        '<span class="na-sample na-source">source</span><span class="na-sample na-cue">cue</span></span>'
    )
    counts = Counter(s.kind for s in report.signals)
    if counts:
        items = "".join(
            f'<span class="na-sample na-signal na-signal-{slug(k)}">{esc(SIGNAL_LABEL.get(k, k))} ({n})</span>'
            for k, n in sorted(counts.items())
        )
        groups.append(
            '<span class="na-legend-group"><label><input type="checkbox" data-toggle="signal" checked> '
            f"<strong>Signals</strong></label>{items}</span>"
        )
    tcounts = Counter(t.technique for t in report.techniques)
    if tcounts:
        colours = technique_classes(report)
        items = "".join(
            f'<span class="na-sample na-technique na-tc-{colours[k]}">{esc(k)} ({n})</span>'
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
    body = highlight(report.article.text, report_marks(report))
    return (
        '<section id="article" class="na-section"><h2>Article</h2>'
        f"{_legend(report)}"
        f'<div class="na-article-text" lang="{esc(report.article.language or "en")}">{body}</div></section>'
    )


def _sources_section(report: Report) -> str:
    if not report.sources:
        return '<section id="sources" class="na-section"><h2>Sources</h2><p class="na-muted">No sources found.</p></section>'
    cards = []
    names = {s.id: s.name for s in report.sources}
    for s in report.sources:
        attrs = " ".join(f'<a href="#attribution-{esc(a)}">{esc(a)}</a>' for a in s.attribution_ids)
        mentions = ", ".join(quoted(m.text) for m in s.mentions[:5])
        links = [f'{label} <a href="#source-{esc(ref)}">{esc(names.get(ref, ref))}</a>'
                 for label, ref in (("speaks for", s.speaks_for), ("known through", s.cited_by)) if ref]
        links += [f"declined to answer: {quoted(n.text)}" for n in s.non_answers[:2]]
        if s.sums_up:
            links.append("sums up " + ", ".join(f'<a href="#source-{esc(ref)}">{esc(names.get(ref, ref))}</a>'
                                                 for ref in s.sums_up) + " (no voice of its own)")
        cards.append(
            f'<div class="na-source-card na-role-{slug(s.role)}" id="source-{esc(s.id)}" data-source="{esc(s.id)}">'
            f'<strong class="na-source-name">{esc(s.name)}</strong> '
            f'<span class="na-badge na-source-role">{esc(s.role)}</span> '
            f'<span class="na-badge na-identity-{slug(s.identity)}">{esc(s.identity)}</span> '
            f'<span class="na-muted">{len(s.mentions)} mention{"s" if len(s.mentions) != 1 else ""}</span>'
            + "".join(f"<div>{x}</div>" for x in links)
            + (f'<div class="na-muted">mentions: {mentions}</div>' if mentions else "")
            + (f"<div>attributions: {attrs}</div>" if attrs else "")
            + (f'<div class="na-muted na-reason">{esc(s.reason)}</div>' if s.reason else "")
            + "</div>"
        )
    return f'<section id="sources" class="na-section"><h2>Sources ({len(report.sources)})</h2>{"".join(cards)}</section>'


def _relay_node(node: RelayNode, known: set[str]) -> str:
    name = esc(node.name)
    if node.source_id and node.source_id in known:
        name = f'<a href="#source-{esc(node.source_id)}">{name}</a>'
    extra = f' <span class="na-badge">{esc(node.role)}</span>' if node.role != "article" else ""
    ids = f' <span class="na-muted">{esc(", ".join(node.attribution_ids))}</span>' if node.attribution_ids else ""
    voices = "".join(
        f' <span class="na-voice">voice: {esc(v.name)}'
        + (f' <span class="na-muted">{esc(", ".join(v.attribution_ids))}</span>' if v.attribution_ids else "") + "</span>"
        for v in node.voices
    )
    kids = "".join(_relay_node(c, known) for c in (*node.children, *(c for v in node.voices for c in v.children)))
    return (
        f'<li><div class="na-relay-node na-role-{slug(node.role)}" data-source="{esc(node.source_id or "")}">'
        f"{name}{extra}{ids}{voices}</div>{f'<ul>{kids}</ul>' if kids else ''}</li>"
    )


def _relay_section(report: Report) -> str:
    if not report.relay_chains:
        return ""
    known = {s.id for s in report.sources}
    trees = "".join(f'<ul class="na-relay">{_relay_node(c, known)}</ul>' for c in report.relay_chains)
    paths = "".join(
        f'<p class="na-muted">deepest: {esc(" → ".join(c.path()))} (depth {c.depth() - 1})</p>'
        for c in report.relay_chains
        if c.depth() > 2
    )
    return f'<section id="relay" class="na-section"><h2>Relay chain</h2>{trees}{paths}</section>'


def _attributions_section(report: Report) -> str:
    if not report.attributions:
        return ""
    sources = source_names(report)
    items = []
    for a in report.attributions:
        src = sources.get(a.source_id or "")
        who = esc(src.name if src else (a.source.text if a.source else "unknown source"))
        if src:
            who = f'<a href="#source-{esc(src.id)}">{who}</a>'
        cue = esc(a.cue.text) if a.cue else "—"
        via = ""
        if a.relayed_by:
            relay = sources.get(a.relayed_by)
            via = f' <span class="na-muted">via {esc(relay.name if relay else a.relayed_by)}</span>'
        items.append(
            f'<li class="na-attribution-item" id="attribution-{esc(a.id)}" data-attribution="{esc(a.id)}">'
            f'<span class="na-badge">{esc(a.id)} · {esc(a.kind)}</span> {who}'
            f'<span class="na-arrow">→</span><span class="na-cue">{cue}</span><span class="na-arrow">→</span>'
            f'<a class="na-quote" href="#quote-{esc(a.id)}">{quoted(a.said())}</a>{via}'
            + (f' <span class="na-muted">({esc(a.rule)})</span>' if a.rule else "")
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
            f'<li class="na-signal-item" data-kind="{esc(kind)}"><a href="#signal-text-{i}" '
            f'class="na-signal na-signal-{slug(kind)}">{esc(s.span.text)}</a> '
            f'<span class="na-muted">{esc(s.reason)}'
            + (f" [lexicon: {esc(s.lexicon)}]" if s.lexicon else "")
            + "</span></li>"
            for i, s in groups[kind]
        )
        parts.append(f'<h3>{esc(SIGNAL_LABEL.get(kind, kind))} ({len(groups[kind])})</h3><ul class="na-list">{items}</ul>')
    return f'<section id="signals" class="na-section"><h2>Framing signals ({len(report.signals)})</h2>{"".join(parts)}</section>'


def _claim_item(c: Claim, sources: dict[str, Source]) -> str:
    voice = esc(c.voice)
    if c.source_id in sources:
        voice += f' (<a href="#source-{esc(c.source_id)}">{esc(sources[c.source_id].name)}</a>)'
    reasons = f'<div class="na-muted">{esc("; ".join(c.reasons))}</div>' if c.reasons else ""
    checks = "".join(
        '<div class="na-factcheck">'
        f'<span class="na-badge">{esc(m.normalised_verdict or m.verdict or "unrated")}</span> '
        f"{esc(m.publisher or m.review_id)}"
        + (f" · {esc(m.date)}" if m.date else "")
        + f' <span class="na-score">(similarity {m.score:.2f})</span>: <span class="na-quote">{quoted(m.claim)}</span>'
        + (f' <span class="na-url">{esc(m.url)}</span>' if m.url else "")
        + "</div>"
        for m in c.matches
    )
    return (
        f'<li class="na-claim-item na-voice-{slug(c.voice)}" id="claim-{esc(c.id)}" data-claim="{esc(c.id)}">'
        f'<span class="na-badge">{c.score:.2f}</span> <span class="na-muted">{voice}</span> '
        f'<a href="#claim-text-{esc(c.id)}">{esc(c.span.text)}</a>{reasons}{checks}</li>'
    )


def _claims_section(report: Report) -> str:
    if not report.claims:
        return ""
    sources = source_names(report)
    ordered = sorted(report.claims, key=lambda c: (-c.score, c.span.start))
    return (
        f'<section id="claims" class="na-section"><h2>Claims ({len(report.claims)}), most check-worthy first</h2>'
        f'<ul class="na-list">{"".join(_claim_item(c, sources) for c in ordered)}</ul></section>'
    )


def _techniques_section(report: Report) -> str:
    if not report.techniques:
        return ""
    from ..models.techniques.explain import load_definitions

    definitions = load_definitions()
    colours = technique_classes(report)
    spans: dict[str, list[str]] = defaultdict(list)
    for i, t in enumerate(report.techniques, 1):
        # the reason starts with the definition, shown once above: keep the evidence
        why = t.reason.removeprefix(definitions.get(t.technique, "")).strip()
        spans[t.technique].append(
            f'<li class="na-technique-item"><a href="#technique-text-{i}">{esc(t.text)}</a> '
            f'<span class="na-score">({t.score:.2f})</span>'
            + (f' <span class="na-muted">{esc(why)}</span>' if why else "") + "</li>"
        )
    items = "".join(
        f'<li class="na-technique-count" data-technique="{esc(k)}">'
        f'<span class="na-sample na-technique na-tc-{colours[k]}">{esc(k)}</span> × {len(v)}'
        + (f' <span class="na-definition">{esc(definitions[k])}</span>' if k in definitions else "")
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
    items = "".join(f'<li class="na-warning">{esc(w)}</li>' for w in warnings)
    return f'<section id="warnings" class="na-section"><h2>Warnings ({len(warnings)})</h2><ul class="na-list">{items}</ul></section>'


def html_fragment(report: Report) -> str:
    """The report as one ``<div class="newsaudit-report">`` (no ``<html>``, no CSS/JS)."""
    return (
        f'<div class="newsaudit-report" id="newsaudit-report" data-schema-version="{esc(report.schema_version)}"'
        f' data-article-id="{esc(report.article.id or "")}">'
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
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="generator" content="newsaudit">'
        f"<title>newsaudit: {esc(title[:120])}</title>"
        f"<style>{html_styles()}</style></head>\n"
        f"<body>{html_fragment(report)}\n{data}{js}</body></html>\n"
    )
