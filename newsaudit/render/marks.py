"""Highlights for the HTML report: every finding with offsets becomes a *mark*.

The article text is cut at every mark boundary; marks are opened
longest-first and, when one ends while marks opened after it are still open
(crossing spans), those are closed and reopened right after.  So the markup is
always properly nested, and a highlight split in several elements keeps one
``data-hl`` id: joining their text gives back ``article.text[start:end]``.
Anchors never nest: a quote inside another quote's ``<a>`` is a
``<span data-href>`` instead.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from html import escape

from ..types import Attribution, Report, SignalKind, Source

#: How each signal kind is called in the report.
SIGNAL_LABEL: dict[str, str] = {
    SignalKind.SCARE_QUOTE: "scare quote",
    SignalKind.HEDGE: "hedge",
    SignalKind.LOADED: "loaded term",
    SignalKind.LABEL: "label",
}
#: Number of technique colour classes (.na-tc-0 .. .na-tc-7) in report.css.
TECHNIQUE_COLOURS = 8
#: Tie-break for marks with the same extent: lower is outer.
RANK = {"claim": 0, "content": 1, "technique": 2, "signal": 3, "source": 4, "cue": 5}


#: Characters that reorder or hide the text around them where they stand: the bidirectional
#: controls (LRM, RLM, ALM, LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI) and the invisible
#: zero-width space, word joiner and byte-order mark.  An HTML report never applies them: a
#: headline cannot be made to read backwards (zero-width joiners, which scripts and emoji need,
#: are left alone).
CONTROLS_RE = re.compile("[\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


def codepoint(char: str) -> str:
    return f"U+{ord(char):04X}"


def visible_controls(text: str) -> str:
    """``text`` with each control of :data:`CONTROLS_RE` written out visibly (``⟨U+202E⟩``)."""
    return CONTROLS_RE.sub(lambda m: f"⟨{codepoint(m.group())}⟩", text)


def esc(value: object) -> str:
    """``value`` escaped for HTML text or an attribute, its bidi and zero-width controls shown visibly."""
    return escape(visible_controls(str(value)), quote=True)


def esc_text(text: str) -> str:
    """Article text escaped for HTML with every character kept (offsets still join to the text):
    each control of :data:`CONTROLS_RE` is isolated in its own ``<bdi>`` (its effect ends there)
    and shown by the style sheet as its code point."""
    out = []
    pos = 0
    for m in CONTROLS_RE.finditer(text):
        cp = codepoint(m.group())
        out.append(escape(text[pos : m.start()], quote=False))
        out.append(f'<bdi class="na-ctl" data-cp="{cp}" title="{cp}: an invisible control character">{m.group()}</bdi>')
        pos = m.end()
    out.append(escape(text[pos:], quote=False))
    return "".join(out)


def quoted(text: str) -> str:
    """``text`` escaped, in curly quotes unless it already starts with a quote mark."""
    text = text.strip()
    return esc(text) if text[:1] in "\"'“‘«„”" else f"“{esc(text)}”"


def slug(value: str) -> str:
    """A CSS-class-safe form of a kind or label."""
    return re.sub(r"[^a-z0-9_-]+", "-", value.lower()).strip("-") or "x"


@dataclass
class Mark:
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


def _open_tags(mark: Mark, inside_anchor: bool) -> tuple[str, str]:
    attrs = [f'class="{esc(mark.classes)}"']
    if mark.opened:
        attrs.append('data-continued="1"')
    elif mark.first_id:
        attrs.append(f'id="{esc(mark.first_id)}"')
    if mark.hl:
        attrs.append(f'data-hl="{esc(mark.hl)}"')
    for key, value in mark.attrs.items():
        attrs.append(f'data-{key}="{esc(value)}"')
    if mark.title:
        attrs.append(f'title="{esc(mark.title)}"')
    mark.opened = True
    tag = "span"
    if mark.href:
        if inside_anchor:
            attrs.append(f'data-href="{esc(mark.href)}"')
        else:
            tag = "a"
            attrs.insert(0, f'href="{esc(mark.href)}"')
    return tag, f"<{tag} {' '.join(attrs)}>"


def highlight(text: str, marks: list[Mark]) -> str:
    """``text`` escaped, with ``marks`` as properly nested elements."""
    n = len(text)
    marks = [m for m in marks if 0 <= m.start < m.end <= n]
    starts: dict[int, list[Mark]] = defaultdict(list)
    bounds = {0, n}
    for m in marks:
        starts[m.start].append(m)
        bounds.update((m.start, m.end))
    out: list[str] = []
    stack: list[tuple[Mark, str]] = []  # (mark, tag) from outer to inner
    pos = 0
    order = lambda m: (-m.end, m.rank)  # noqa: E731 - longest (outer) first
    for b in sorted(bounds):
        if b > pos:
            out.append(esc_text(text[pos:b]))
            pos = b
        reopen: list[Mark] = []
        cut = next((i for i, (m, _) in enumerate(stack) if m.end <= b), None)
        if cut is not None:
            popped = stack[cut:]
            del stack[cut:]
            for _m, tag in reversed(popped):
                out.append(f"</{tag}>")
            reopen = [m for m, _ in popped if m.end > b]
        for m in sorted(reopen + starts.get(b, []), key=order):
            tag, html = _open_tags(m, inside_anchor=any(t == "a" for _, t in stack))
            out.append(html)
            stack.append((m, tag))
    return "".join(out)


def source_names(report: Report) -> dict[str, Source]:
    return {s.id: s for s in report.sources}


def _attribution_title(a: Attribution, sources: dict[str, Source]) -> str:
    src = sources.get(a.source_id or "")
    who = f"{src.name} ({src.role}, {src.identity})" if src else (a.source.text if a.source else "unknown source")
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


def technique_classes(report: Report) -> dict[str, int]:
    labels = sorted({t.technique for t in report.techniques})
    return {label: i % TECHNIQUE_COLOURS for i, label in enumerate(labels)}


def report_marks(report: Report) -> list[Mark]:
    sources = source_names(report)
    marks: list[Mark] = []
    headline = report.article.headline
    if headline:
        marks.append(Mark(0, len(headline), "headline", "na-headline-text"))
    counter = iter(range(1, 1_000_000))

    def add(m: Mark) -> None:
        m.hl = f"h{next(counter)}"
        marks.append(m)

    for a in report.attributions:
        title = _attribution_title(a, sources)
        data = {"attribution": a.id}
        if a.source_id:
            data["source"] = a.source_id
        href = f"#source-{a.source_id}" if a.source_id in sources else f"#attribution-{a.id}"
        # a content interrupted by its own source and cue is marked piece by piece
        for k, piece in enumerate(a.content_pieces or (a.content,)):
            add(Mark(piece.start, piece.end, "content",
                      f"na-hl na-attribution na-content na-kind-{slug(a.kind)}", title, dict(data), href,
                      first_id=f"quote-{a.id}" if k == 0 else None))
        if a.source is not None:
            add(Mark(a.source.start, a.source.end, "source", "na-hl na-attribution na-source",
                      f"source of {a.id}: {title}", dict(data)))
        if a.cue is not None:
            add(Mark(a.cue.start, a.cue.end, "cue", "na-hl na-attribution na-cue",
                      f"attribution cue of {a.id}", dict(data)))
    for i, s in enumerate(report.signals, 1):
        label = SIGNAL_LABEL.get(s.kind, s.kind)
        lex = f" [lexicon: {s.lexicon}]" if s.lexicon else ""
        add(Mark(s.span.start, s.span.end, "signal", f"na-hl na-signal na-signal-{slug(s.kind)}",
                  f"{label}: {s.reason}{lex}", {"signal": f"sg{i}", "kind": s.kind}, first_id=f"signal-text-{i}"))
    colours = technique_classes(report)
    for i, t in enumerate(report.techniques, 1):
        why = f": {t.reason}" if t.reason else f" (score {t.score:.2f})"
        add(Mark(t.start, t.end, "technique", f"na-hl na-technique na-tc-{colours[t.technique]}",
                  f"technique: {t.technique}{why}", {"technique": t.technique}, first_id=f"technique-text-{i}"))
    for c in report.claims:
        voice = "in the article's own voice" if c.voice == "article" else f"{c.voice}"
        if c.source_id in sources:
            voice += f" to {sources[c.source_id].name}"
        why = f": {'; '.join(c.reasons)}" if c.reasons else ""
        add(Mark(c.span.start, c.span.end, "claim", f"na-hl na-claim na-voice-{slug(c.voice)}",
                  f"claim {c.id}, check-worthiness {c.score:.2f}, {voice}{why}", {"claim": c.id},
                  first_id=f"claim-text-{c.id}"))
    return marks


def skipped_marks(report: Report) -> list[str]:
    """Findings whose offsets do not fit ``article.text`` (they are not highlighted)."""
    n = len(report.article.text)
    return [
        f"{m.layer} highlight {m.start}:{m.end} skipped: offsets outside the article text (length {n})"
        for m in report_marks(report)
        if not (0 <= m.start < m.end <= n)
    ]


