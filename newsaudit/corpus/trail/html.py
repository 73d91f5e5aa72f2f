"""The HTML view of TRAIL.parquet: one self-contained, offline page.

Trails come in trail order (most articles first, then most attribution drops).
Each has a timeline (plotly; plotly.js is embedded once, inline, as in
``newsaudit stats``): its articles by date and outlet, coloured by
``carried_as`` (``denied`` too), a star where the headline states the statement
(its verdict on hover); its summary counts the outlets that assert, report and
deny the claim, in date order.  Clicking a point, or a row of the table under
it, shows the statement in its article's context.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from ...render.marks import esc
from .inputs import read_texts
from .table import TrailRow

if TYPE_CHECKING:
    import plotly.graph_objects as go


COLOURS = {"attributed": "#1b7837", "relayed": "#2166ac", "unattributed": "#d6604d", "denied": "#7b1fa2"}
#: Characters of context shown on each side of a statement.
CONTEXT = 320

_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1d1d1f;max-width:72rem}"
    "section{border-top:2px solid #ddd;margin-top:1.5rem;padding-top:.5rem}"
    "table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.15rem .4rem;"
    "text-align:left;vertical-align:top}th{background:#f0f0f0}tr.row{cursor:pointer}tr.row:hover{background:#f6f6ff}"
    ".ctx{background:#fafafa;border-left:4px solid #888;padding:.5rem .8rem;white-space:pre-wrap;display:none}"
    ".ctx mark{background:#ffe08a}.meta{color:#555;font-size:.9rem}.attributed{color:#1b7837}.relayed{color:#2166ac}"
    ".unattributed{color:#d6604d;font-weight:600}.denied{color:#7b1fa2;font-weight:600}.lost{color:#b2182b;font-weight:600}"
)

_SCRIPT = """
var TRAIL_DATA = JSON.parse(document.getElementById('trail-data').textContent);
function showContext(key) {
  var d = TRAIL_DATA[key]; if (!d) return;
  var box = document.getElementById('ctx-' + d.trail);
  box.textContent = '';
  var head = document.createElement('div'); head.className = 'meta';
  head.textContent = (d.date || 'undated') + ' \\u00b7 ' + (d.outlet || '(unknown outlet)') + ' \\u00b7 article ' + d.id +
    ' \\u00b7 ' + d.carried_as + (d.attributed_to ? ' to ' + d.attributed_to : '') +
    (d.relayed_via ? ' via ' + d.relayed_via : '') + (d.headline ? ' \\u00b7 headline states it (' + d.headline + ')' : '') +
    ' \\u00b7 characters ' + d.start + '-' + d.end;
  box.appendChild(head);
  var p = document.createElement('div');
  p.appendChild(document.createTextNode(d.before));
  var m = document.createElement('mark'); m.textContent = d.statement; p.appendChild(m);
  p.appendChild(document.createTextNode(d.after));
  box.appendChild(p); box.style.display = 'block';
}
document.querySelectorAll('tr.row').forEach(function (tr) {
  tr.addEventListener('click', function () { showContext(tr.dataset.key); });
});
"""


class _RowData(TypedDict):
    """What the page's script shows of a row when its point or table row is clicked (the ``trail-data`` JSON)."""

    trail: int
    id: str | None
    date: str | None
    outlet: str | None
    carried_as: str
    attributed_to: str | None
    relayed_via: str | None
    start: int
    end: int
    headline: str | None
    before: str
    statement: str
    after: str


def _context(text: str | None, start: int, end: int, statement: str) -> tuple[str, str, str]:
    if not text or text[start:end] != statement:
        return "", statement, ""
    lo = max(0, start - CONTEXT)
    hi = min(len(text), end + CONTEXT)
    if lo > 0:
        cut = text.find(" ", lo)
        lo = cut + 1 if 0 <= cut < start else lo
    if hi < len(text):
        cut = text.rfind(" ", end, hi)
        hi = cut if cut > end else hi
    return ("..." if lo > 0 else "") + text[lo:start], statement, text[end:hi] + ("..." if hi < len(text) else "")


def _figure(trail_id: int, rows: list[TrailRow], keys: list[str]) -> go.Figure:
    import plotly.graph_objects as go

    dated = all(r["date"] for r in rows)
    xs = [r["date"] if dated else i + 1 for i, r in enumerate(rows)]
    ys = [r["outlet"] or "(unknown)" for r in rows]
    fig = go.Figure()
    for carried, colour in COLOURS.items():
        idx = [i for i, r in enumerate(rows) if r["carried_as"] == carried]
        if not idx:
            continue
        fig.add_scatter(
            x=[xs[i] for i in idx], y=[ys[i] for i in idx], mode="markers", name=carried,
            marker=dict(color=colour, size=13, line=dict(color="#333", width=1)),
            customdata=[keys[i] for i in idx],
            hovertext=[f"{rows[i]['id']}: {rows[i]['statement'][:140]}" for i in idx], hoverinfo="text+x+y",
        )
    idx = [i for i, r in enumerate(rows) if r["headline_states_it"]]
    if idx:
        fig.add_scatter(
            x=[xs[i] for i in idx], y=[ys[i] for i in idx], mode="markers", name="headline states it",
            marker=dict(symbol="star-open", size=24, color="#000", line=dict(width=2)),
            customdata=[keys[i] for i in idx],
            hovertext=[f"headline: {rows[i]['headline_verdict'] or 'no verdict'}" for i in idx], hoverinfo="text",
        )
    fig.update_layout(height=max(220, 40 * len(set(ys)) + 140), margin=dict(t=20, b=40, l=160, r=20),
                      xaxis_title="date" if dated else "order (undated)", legend=dict(orientation="h", y=-0.25))
    fig.update_yaxes(type="category")
    return fig


def trails_html(rows: Sequence[TrailRow], texts: dict[tuple[str, int], str], limit: int = 200,
                source: str = "") -> str:
    """The page for ``rows`` (TRAIL.parquet rows, in file order); ``texts`` maps
    (input, row) to the article text, for the context."""
    import plotly.io as pio

    trails: dict[int, list[TrailRow]] = defaultdict(list)
    for r in rows:
        trails[r["trail_id"]].append(r)
    shown = list(trails)[:limit]
    data: dict[str, _RowData] = {}
    blocks = []
    losing = sum(1 for t in trails.values() if any(r["drops_attribution"] for r in t))
    for n, tid in enumerate(shown):
        trs = trails[tid]
        keys = []
        table = []
        for i, r in enumerate(trs):
            key = f"{tid}-{i}"
            keys.append(key)
            before, stmt, after = _context(texts.get((r["input"], r["row"])), r["start"], r["end"], r["statement"])
            data[key] = {"trail": tid, "id": r["id"], "date": r["date"], "outlet": r["outlet"],
                         "carried_as": r["carried_as"], "attributed_to": r["attributed_to"],
                         "relayed_via": r["relayed_via"], "start": r["start"], "end": r["end"],
                         "headline": r["headline_verdict"] if r["headline_states_it"] else None,
                         "before": before, "statement": stmt, "after": after}
            cells = [r["date"] or "", r["outlet"] or "", r["id"] or "",
                     f'<span class="{r["carried_as"]}">{r["carried_as"]}</span> ({esc(r["modality"])})'
                     + (' <span class="lost">(attribution lost)</span>' if r["drops_attribution"] else ""),
                     r["attributed_to"] or "", r["relayed_via"] or "",
                     (r["headline_verdict"] or "") if r["headline_states_it"] else "", f"{r['similarity']:.2f}",
                     r["statement"][:160] + ("..." if len(r["statement"]) > 160 else "")]
            table.append(f'<tr class="row" data-key="{key}">' + "".join(
                f"<td>{c if j == 3 else esc(str(c))}</td>" for j, c in enumerate(cells)) + "</tr>")
        plot = pio.to_html(
            _figure(tid, trs, keys), include_plotlyjs=(n == 0), full_html=False, div_id=f"trail-plot-{tid}",
            config={"displaylogo": False}, default_width="100%",
            post_script="document.getElementById('{plot_id}').on('plotly_click', function (ev) "
                        "{ if (ev.points.length) showContext(ev.points[0].customdata); });",
        )
        first = trs[0]
        lost = any(r["drops_attribution"] for r in trs)
        meta = (f"{first['trail_articles']} articles · origin {first['origin_id']} ({first['origin_outlet'] or 'unknown outlet'}, "
                f"{first['origin_date'] or 'undated'}) · original source: {first['origin_source'] or 'not named'}"
                + f" · outlets asserting {first['trail_asserted']}, reporting {first['trail_reported']}, denying "
                  f"{first['trail_denied']} ({first['trail_sequence']})"
                + (" · attribution lost along the way" if lost else ""))
        head = "".join(f"<th>{h}</th>" for h in ("date", "outlet", "article", "carried as (modality)", "attributed to",
                                                  "relayed via", "headline states it", "similarity", "statement"))
        blocks.append(
            f'<section id="trail-{tid}"><h2>Trail {tid}: {esc(first["representative"])}</h2>'
            f'<p class="meta{" lost" if lost else ""}">{esc(meta)}</p>{plot}'
            f'<div class="ctx" id="ctx-{tid}"></div>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(table)}</tbody></table></section>"
        )
    if not shown:  # still one offline file that says so
        blocks.append("<p>No trails: no statement was found in two or more articles.</p>")
    more = f" (the first {len(shown)} shown)" if len(shown) < len(trails) else ""
    summary = (f"{len(trails)} trails{more}; {losing} lose their attribution along the way. "
               "Click a point or a table row to read the statement in context.")
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>newsaudit claim trails</title>'
        f"<style>{_STYLE}</style></head><body><h1>newsaudit claim trails</h1><p class=\"meta\">{esc(source)}</p>"
        f"<p>{esc(summary)}</p>"
        + "".join(blocks)
        + f'<script type="application/json" id="trail-data">{payload}</script><script>{_SCRIPT}</script></body></html>'
    )


def write_html(rows: Sequence[TrailRow], out: str | Path, inputs: Sequence[str], limit: int = 200) -> None:
    """Write the page for ``rows`` to ``out``; the article texts are read back from ``inputs``."""
    shown: list[int] = list(dict.fromkeys(r["trail_id"] for r in rows))[:limit]
    keep = set(shown)
    wanted: dict[int, set[int]] = defaultdict(set)
    position = {p: n for n, p in enumerate(inputs)}
    for r in rows:
        if r["trail_id"] in keep:
            wanted[position[r["input"]]].add(int(r["row"]))
    by_index = read_texts(inputs, wanted)
    texts = {(inputs[n], row): t for (n, row), t in by_index.items()}
    page = trails_html(rows, texts, limit=limit, source=", ".join(inputs))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
