"""The terminal summary of a report, rendered with rich to a string.

Order: headline check (verdict first), sources, relay chains, attributions,
signals by kind, top claims, techniques, warnings.  With ``color=False`` the
output holds no ANSI escape codes.  Article text is always passed to rich as
:class:`rich.text.Text`, never as markup, so ``[bold]`` in an article stays text.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from io import StringIO

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from ..report import voices_line
from ..types import Concern, ModalityReading, RelayNode, Report, Signal, Span, Verdict

__all__ = ["to_text"]

VERDICT_STYLE: dict[str, str] = {
    Verdict.HEADLINE_ATTRIBUTES: "bold green",
    Verdict.HEADLINE_HEDGES: "bold green",
    Verdict.HEADLINE_DROPS_ATTRIBUTION: "bold red",
    Verdict.HEADLINE_DROPS_HEDGE: "bold red",
    Verdict.BODY_ASSERTS_TOO: "bold blue",
    Verdict.NOT_IN_BODY: "bold yellow",
    Verdict.BODY_DISPUTES: "bold magenta",
}
#: The verdict as text shows it: its JSON name in capitals, the dashes made spaces ("HEADLINE DROPS HEDGE").
VERDICT_LABEL: dict[str, str] = {v: v.value.replace("-", " ").upper() for v in Verdict}
CONCERN_STYLE: dict[str, str] = {Concern.HIGH: "bold red", Concern.MEDIUM: "bold yellow", Concern.LOW: "green"}
#: The colour of each source role (and of the relay chain's root).
ROLE_STYLE = {
    "outlet": "magenta",
    "official": "cyan",
    "organisation": "blue",
    "expert": "green",
    "witness": "yellow",
    "person": "green",
    "document": "dim",
    "unknown": "dim",
    "article": "bold",
}
IDENTITY_STYLE = {"named": "", "described": "yellow", "anonymous": "red"}
#: How many claims / attributions / signals per kind / technique spans the summary lists.
TOP_CLAIMS = 5
TOP_TECHNIQUES = 8
MAX_ATTRIBUTIONS = 20
MAX_SIGNALS_PER_KIND = 8


def _cue_words(reading: ModalityReading) -> str:
    """' (reportedly, may)': the words that decided a modality reading, or ''."""
    words = list(dict.fromkeys(c.text for c in reading.cues))
    return f" ({', '.join(words)})" if words else ""


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _quoted(text: str, limit: int = 60) -> str:
    """``text`` shortened, in curly quotes unless it already starts with a quote mark."""
    short = _short(text, limit)
    return short if short[:1] in "\"'“‘«„" else f"“{short}”"


def _span_text(span: Span | None, limit: int = 60) -> str:
    return _short(span.text, limit) if span is not None else "—"


def _headline(report: Report) -> RenderableType:
    hc = report.headline_check
    article = report.article
    title = Text("Headline check", style="bold")
    if hc is None:
        body = Text("no headline check (", style="dim")
        body.append("no headline" if not article.headline else "not run", style="dim")
        body.append(")", style="dim")
        return Panel(body, title=title, title_align="left", box=box.ROUNDED)
    lines = Text()
    lines.append(f"Verdict: {VERDICT_LABEL.get(hc.verdict, hc.verdict.upper())}", style=VERDICT_STYLE.get(hc.verdict, "bold"))
    lines.append(f"   score {hc.score:.2f}\n")
    lines.append("Headline: ", style="bold")
    lines.append(_short(hc.headline.text, 200) + "\n")
    if hc.claim.text and hc.claim.text != hc.headline.text:
        lines.append("Claim: ", style="bold")
        lines.append(_short(hc.claim.text, 200) + "\n")
    if hc.reason:
        lines.append("Why: ", style="bold")
        lines.append(hc.reason + "\n")
    if hc.concern:
        lines.append("Concern: ", style="bold")
        lines.append(hc.concern.upper(), style=CONCERN_STYLE.get(hc.concern, "bold"))
        lines.append((" — " + "; ".join(hc.concern_reasons) if hc.concern_reasons else "") + "\n")
    if hc.stance is not None:
        st = hc.stance
        lines.append("Stance: ", style="bold")
        lines.append(st.label.upper(), style="bold magenta" if st.label == "disagree" else "bold")
        lines.append("  (" + ", ".join(f"{k} {v:.2f}" for k, v in st.probs.items()) + ")\n")
        for passage in st.passages:
            lines.append("  decided by: ", style="bold")
            lines.append(_quoted(passage.text, 140) + "\n", style="italic")
    if hc.headline_modality is not None:
        lines.append("Headline modality: ", style="bold")
        lines.append(hc.headline_modality.label.upper() + _cue_words(hc.headline_modality) + "\n")
    for match in hc.matches[:3]:
        lines.append("Matched: ", style="bold")
        who = match.source or "the article itself"
        ref = f" [{match.attribution_id}]" if match.attribution_id else ""
        lines.append(f"{who}{ref} ", style="cyan")
        mod = f", {match.modality.label}{_cue_words(match.modality)}" if match.modality is not None else ""
        lines.append(f"(score {match.score:.2f}{mod}): ")
        lines.append(_quoted(match.span.text, 140) + "\n", style="italic")
    for denial in hc.denials[:3]:
        lines.append("Denied by: ", style="bold")
        lines.append(f"{denial.source or 'the article itself'} ", style="magenta")
        lines.append(_quoted(denial.span.text, 140) + "\n", style="italic")
    lines.rstrip()
    return Panel(lines, title=title, title_align="left", box=box.ROUNDED)


def _sources(report: Report) -> RenderableType:
    table = Table(title="Sources", title_justify="left", box=box.SIMPLE_HEAD, expand=False)
    table.add_column("id", style="dim")
    table.add_column("name")
    table.add_column("role")
    table.add_column("identity")
    table.add_column("mentions", justify="right")
    table.add_column("attributions", justify="right")
    table.add_column("note")
    names = {s.id: s.name for s in report.sources}
    for s in report.sources:
        notes = []
        if s.speaks_for:
            notes.append(f"speaks for {_short(names.get(s.speaks_for, s.speaks_for), 30)}")
        if s.cited_by:
            notes.append(f"known through {_short(names.get(s.cited_by, s.cited_by), 30)}")
        if s.non_answers:
            notes.append(f"declined to answer ({_short(s.non_answers[0].text, 30)})")
        if s.sums_up:
            notes.append("sums up " + ", ".join(s.sums_up) + " (no voice of its own)")
        table.add_row(
            Text(s.id),
            Text(_short(s.name, 50)),
            Text(s.role, style=ROLE_STYLE.get(s.role, "")),
            Text(s.identity, style=IDENTITY_STYLE.get(s.identity, "")),
            Text(str(len(s.mentions))),
            Text(str(len(s.attribution_ids))),
            Text("; ".join(notes), style="dim"),
        )
    return table


def _tree_label(node: RelayNode) -> Text:
    label = Text(_short(node.name, 60), style="bold" if node.role == "article" else "")
    if node.role != "article":
        label.append(f" ({node.role})", style=ROLE_STYLE.get(node.role, "dim"))
    if node.attribution_ids:
        label.append(f"  [{', '.join(node.attribution_ids)}]", style="dim")
    for voice in node.voices:  # a spokesperson speaks for the node: no link of the chain
        label.append(f"  voice: {_short(voice.name, 40)}", style="cyan")
        if voice.attribution_ids:
            label.append(f" [{', '.join(voice.attribution_ids)}]", style="dim")
    return label


def _add_children(tree: Tree, node: RelayNode) -> None:
    for child in (*node.children, *(c for v in node.voices for c in v.children)):  # whom a voice cites hangs here too
        _add_children(tree.add(_tree_label(child)), child)


def _relay(report: Report) -> RenderableType:
    trees: list[RenderableType] = [Text("Relay chain" + ("s" if len(report.relay_chains) > 1 else ""), style="bold")]
    for chain in report.relay_chains:
        tree = Tree(_tree_label(chain), guide_style="dim")
        _add_children(tree, chain)
        trees.append(tree)
        path = chain.path()
        if len(path) > 2:
            trees.append(Text("deepest: " + " → ".join(path) + f"  (depth {chain.depth() - 1})", style="dim"))
    return Group(*trees)


def _attributions(report: Report) -> RenderableType:
    """One row per attribution: id, kind, source → cue → content (wrapped in its column)."""
    names = {s.id: s.name for s in report.sources}
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", style="dim", no_wrap=True)
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(ratio=1)
    for a in report.attributions[:MAX_ATTRIBUTIONS]:
        line = Text()
        who = names.get(a.source_id or "", "") or _span_text(a.source, 40)
        line.append(who, style="cyan")
        line.append(" → ")
        line.append(_span_text(a.cue, 25), style="yellow")
        line.append(" → ")
        line.append(_quoted(a.said(), 90), style="italic")
        if a.relayed_by:
            line.append(f"  (via {names.get(a.relayed_by, a.relayed_by)})", style="dim")
        grid.add_row(Text(a.id), Text(a.kind), line)
    parts: list[RenderableType] = [Text(f"Attributions ({len(report.attributions)})", style="bold"), grid]
    if len(report.attributions) > MAX_ATTRIBUTIONS:
        parts.append(Text(f"  … {len(report.attributions) - MAX_ATTRIBUTIONS} more (see --format json/html)", style="dim"))
    return Group(*parts)


def _signals(report: Report) -> RenderableType:
    """Signals grouped by kind: the words, their offset and the reason (wrapped in its column)."""
    by_kind: dict[str, list[Signal]] = defaultdict(list)
    for s in report.signals:
        by_kind[s.kind].append(s)
    parts: list[RenderableType] = [Text(f"Framing signals ({len(report.signals)})", style="bold")]
    for kind in sorted(by_kind):
        items = by_kind[kind]
        parts.append(Text(f"  {kind} ({len(items)})", style="bold magenta"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=3)
        grid.add_column(style="italic", max_width=36)
        grid.add_column(style="dim", justify="right", no_wrap=True)
        grid.add_column(style="dim", ratio=1)
        for s in items[:MAX_SIGNALS_PER_KIND]:
            grid.add_row("", Text(_quoted(s.span.text, 34)), Text(f"@{s.span.start}"), Text(s.reason or ""))
        parts.append(grid)
        if len(items) > MAX_SIGNALS_PER_KIND:
            parts.append(Text(f"    … {len(items) - MAX_SIGNALS_PER_KIND} more", style="dim"))
    return Group(*parts)


def _claims(report: Report) -> RenderableType:
    names = {s.id: s.name for s in report.sources}
    top = sorted(report.claims, key=lambda c: (-c.score, c.span.start))[:TOP_CLAIMS]
    table = Table(
        title=f"Top claims ({len(top)} of {len(report.claims)})", title_justify="left", box=box.SIMPLE_HEAD
    )
    table.add_column("score", justify="right")
    table.add_column("voice", max_width=28)
    table.add_column("claim (and fact-check matches)", ratio=1, min_width=40)
    for c in top:
        voice = Text(c.voice, style="red" if c.voice == "article" else "cyan")
        if c.voice != "article" and c.source_id in names:
            voice.append(f" ({_short(names[c.source_id], 30)})", style="dim")
        claim = Text(_short(c.span.text, 160))
        for m in c.matches[:2]:
            claim.append("\n  ↳ fact-check: ", style="dim")
            claim.append(f"{m.normalised_verdict or m.verdict or '?'}", style="bold")
            claim.append(f" {m.publisher or m.review_id} ({m.score:.2f}): ", style="dim")
            claim.append(_quoted(m.claim, 80), style="italic")
        table.add_row(Text(f"{c.score:.2f}"), voice, claim)
    return table


def _techniques(report: Report) -> RenderableType:
    """Counts per technique, then the highest-scoring spans (their reasons are in
    the JSON and HTML reports)."""
    counts = Counter(t.technique for t in report.techniques)
    line = Text(f"Techniques ({len(report.techniques)}): ", style="bold")
    for i, (label, n) in enumerate(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))):
        if i:
            line.append(", ")
        line.append(label, style="magenta")
        line.append(f" ×{n}")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=3)
    grid.add_column(style="italic", max_width=40)
    grid.add_column(style="dim", justify="right", no_wrap=True)
    grid.add_column(ratio=1)
    top = sorted(report.techniques, key=lambda t: (-t.score, t.start))[:TOP_TECHNIQUES]
    for t in top:
        grid.add_row("", Text(_quoted(t.text, 38)), Text(f"@{t.start}"), Text(f"{t.technique} ({t.score:.2f})"))
    parts: list[RenderableType] = [line, grid]
    if len(report.techniques) > len(top):
        parts.append(Text(f"    … {len(report.techniques) - len(top)} more; reasons in --format json or html", style="dim"))
    return Group(*parts)


def _warnings(report: Report) -> RenderableType:
    lines = [Text(f"Warnings ({len(report.warnings)})", style="bold yellow")]
    for w in report.warnings:
        lines.append(Text(f"  ! {w}", style="yellow"))
    return Group(*lines)


def _header(report: Report) -> Text:
    a = report.article
    head = Text("newsaudit report", style="bold")
    meta = [x for x in (a.id, a.outlet, a.date) if x]
    if meta:
        head.append("  " + " · ".join(meta), style="dim")
    summary = report.summary or {}
    bits = [
        f"{len(report.attributions)} attributions",
        f"{len(report.sources)} sources",
        voices_line(report.sources, report.attributions),
        f"relay depth {summary.get('relay_depth', max((c.depth() - 1 for c in report.relay_chains), default=0))}",
        f"{len(report.signals)} signals",
        f"{len(report.claims)} claims",
    ]
    head.append("\n" + ", ".join(bits), style="dim")
    return head


def to_text(report: Report, *, color: bool = False, width: int = 100) -> str:
    """A terminal summary of ``report``; ANSI colours only when ``color`` is true."""
    buf = StringIO()
    console = Console(
        file=buf,
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        width=max(40, width),
        highlight=False,
        emoji=False,
        markup=False,
        legacy_windows=False,
    )
    blocks: list[RenderableType] = [_header(report), _headline(report)]
    if report.sources:
        blocks.append(_sources(report))
    if report.relay_chains:
        blocks.append(_relay(report))
    if report.attributions:
        blocks.append(_attributions(report))
    if report.signals:
        blocks.append(_signals(report))
    if report.claims:
        blocks.append(_claims(report))
    if report.techniques:
        blocks.append(_techniques(report))
    if report.warnings:
        blocks.append(_warnings(report))
    for i, block in enumerate(blocks):
        if i > 1:
            console.print()
        console.print(block)
    out = buf.getvalue()
    if not color:  # tables pad lines with spaces; plain text need not keep them
        out = "\n".join(line.rstrip() for line in out.split("\n"))
    return out
