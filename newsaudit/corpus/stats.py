"""Corpus view: DuckDB queries over a batch output (``newsaudit stats OUT.parquet``).

:func:`corpus_stats` returns plain tables (lists of dicts): an overview,
signals and techniques per outlet and per month, the headline verdicts, the
share of articles whose headline drops the attribution (per outlet and per
month), and the most cited named sources.  :func:`stats_text` prints them;
:func:`stats_html` makes one self-contained HTML page with plotly charts
(plotly.js is embedded inline: the page works offline, no CDN).

The outlet of an article is its ``outlet`` column, else the host of its
``url``.  Articles with neither are not an outlet: they are counted apart
(``overview["no_outlet"]``, printed as "no outlet: N articles") and left out of
every per-outlet table and chart, so they never rank as one.  The month of an
article is the first 7 characters of ``date`` (``YYYY-MM``), else ``(undated)``.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DatasetError
from ..render.marks import esc
from .rows import SIGNAL_KINDS

__all__ = ["StatsOptions", "corpus_stats", "stats_html", "stats_text", "write_stats"]


@dataclass(frozen=True)
class StatsOptions:
    #: A batch output Parquet file (or a glob of them).
    path: str
    #: Write an HTML page with plots here.
    html: str | None = None
    #: How many sources to list.
    top: int = 20
    #: A TRAIL.parquet of ``newsaudit trail``: add how often trails lose their attribution.
    trails: str | None = None


def _sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _rows(con: Any, sql: str) -> list[dict[str, Any]]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    out = []
    for values in cur.fetchall():
        row = {}
        for name, value in zip(names, values, strict=False):
            if isinstance(value, float):
                value = round(value, 4)
            row[name] = value
        out.append(row)
    return out


def corpus_stats(opts: StatsOptions) -> dict[str, Any]:
    """All the tables of the corpus view, computed with DuckDB from ``opts.path``."""
    import duckdb

    if "*" not in opts.path and not Path(opts.path).is_file():
        raise DatasetError(f"{opts.path}: no such Parquet file (run `newsaudit batch` first)")
    con = duckdb.connect()
    try:
        try:
            con.execute(
                "CREATE TEMP VIEW a AS SELECT *, "
                "COALESCE(NULLIF(trim(outlet), ''), NULLIF(regexp_extract(url, '^[A-Za-z]+://(?:www\\.)?([^/:?#]+)', 1), '')) "
                "AS outlet_key, "
                "COALESCE(CASE WHEN regexp_matches(date, '^\\d{4}-\\d{2}') THEN substr(date, 1, 7) END, '(undated)') AS month "
                f"FROM read_parquet({_sql_str(opts.path)})"
            )
            con.execute("SELECT row, status, headline_verdict, signals_by_kind, techniques_by_label, source_names FROM a LIMIT 0")
        except duckdb.Error as exc:
            raise DatasetError(f"{opts.path}: not a newsaudit batch output ({str(exc).splitlines()[0]})") from exc
        return _tables(con, max(1, opts.top))
    finally:
        con.close()


def _tables(con: Any, top: int) -> dict[str, Any]:
    signal_sums = ", ".join(f"sum(signals_{k})::BIGINT AS signals_{k}" for k in SIGNAL_KINDS)
    per_group = (
        "count(*) AS articles, count(*) FILTER (WHERE status = 'error') AS errors, "
        "sum(attributions)::BIGINT AS attributions, sum(anonymous_sources)::BIGINT AS anonymous_sources, "
        f"sum(signals)::BIGINT AS signals, {signal_sums}, sum(techniques)::BIGINT AS techniques, "
        "count(*) FILTER (WHERE headline_verdict IS NOT NULL) AS checked_headlines, "
        "count(*) FILTER (WHERE headline_drops_attribution) AS dropped_attribution, "
        "round(count(*) FILTER (WHERE headline_drops_attribution) / "
        "NULLIF(count(*) FILTER (WHERE headline_verdict IS NOT NULL), 0), 4) AS dropped_share"
    )
    tables: dict[str, Any] = {}
    tables["overview"] = _rows(
        con,
        f"SELECT {per_group}, count(DISTINCT outlet_key) AS outlets, "
        "count(*) FILTER (WHERE outlet_key IS NULL) AS no_outlet, "
        "min(month) FILTER (WHERE month <> '(undated)') AS first_month, "
        "max(month) FILTER (WHERE month <> '(undated)') AS last_month FROM a",
    )[0]
    tables["by_outlet"] = _rows(
        con, f"SELECT outlet_key AS outlet, {per_group} FROM a WHERE outlet_key IS NOT NULL GROUP BY 1 ORDER BY articles DESC, 1"
    )
    tables["by_month"] = _rows(con, f"SELECT month, {per_group} FROM a GROUP BY 1 ORDER BY 1")
    tables["headline_verdicts"] = _rows(
        con,
        "SELECT COALESCE(headline_verdict, '(none)') AS verdict, count(*) AS articles "
        "FROM a WHERE status = 'ok' GROUP BY 1 ORDER BY 2 DESC, 1",
    )
    for by, key in (("outlet", "outlet_key"), ("month", "month")):
        tables[f"techniques_by_{by}"] = _rows(
            con,
            f"SELECT {key} AS {by}, e.key AS technique, sum(e.value)::BIGINT AS count FROM "
            f"(SELECT {key}, unnest(map_entries(techniques_by_label)) AS e FROM a "
            f"WHERE techniques_by_label IS NOT NULL AND {key} IS NOT NULL) "
            "GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2",
        )
        tables[f"signals_by_{by}"] = _rows(
            con,
            f"SELECT {key} AS {by}, e.key AS kind, sum(e.value)::BIGINT AS count FROM "
            f"(SELECT {key}, unnest(map_entries(signals_by_kind)) AS e FROM a "
            f"WHERE signals_by_kind IS NOT NULL AND {key} IS NOT NULL) "
            "GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2",
        )
    # one source however articles case it or open it ("The Defence Ministry" / "the Defence Ministry"); shown
    # under its first form in code-point order, so a capitalised one
    tables["top_sources"] = _rows(
        con,
        "SELECT min(name) AS source, count(DISTINCT row) AS articles, count(DISTINCT outlet_key) AS outlets FROM "
        "(SELECT row, outlet_key, name, lower(regexp_replace(trim(name), '^(the|a|an)\\s+', '', 'i')) AS key "
        "FROM (SELECT row, outlet_key, unnest(source_names) AS name FROM a WHERE source_names IS NOT NULL)) "
        f"GROUP BY key ORDER BY 2 DESC, 3 DESC, 1 LIMIT {int(top)}",
    )
    return tables


# ------------------------------------------------------------------ text


def _table_text(title: str, rows: list[dict[str, Any]], columns: list[str] | None = None) -> str:
    if not rows:
        return f"{title}\n  (none)\n"
    columns = columns or list(rows[0])
    cells = [[("" if r.get(c) is None else str(r.get(c))) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    lines = [title, "  " + "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=False))]
    for row in cells:
        lines.append("  " + "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=False)))
    return "\n".join(lines) + "\n"


def _no_outlet_note(n: int) -> str:
    return f"no outlet: {n} articles (no outlet field and no URL), left out of the per-outlet tables"


def stats_text(stats: dict[str, Any]) -> str:
    """The tables as plain text."""
    ov = stats["overview"]
    share = ov.get("dropped_share")
    parts = [
        f"{ov['articles']} articles ({ov['errors']} errors) from {ov['outlets']} outlets, "
        f"{ov.get('first_month') or '?'} to {ov.get('last_month') or '?'}",
        f"headline drops the attribution: {ov['dropped_attribution']} of {ov['checked_headlines']} checked headlines"
        + (f" ({share:.1%})" if share is not None else ""),
    ]
    if ov.get("no_outlet"):
        parts.append(_no_outlet_note(ov["no_outlet"]))
    parts.append("")
    group_cols = ["articles", "errors", "attributions", "anonymous_sources", "signals",
                  *[f"signals_{k}" for k in SIGNAL_KINDS], "techniques", "dropped_share"]
    parts.append(_table_text("Per outlet", stats["by_outlet"], ["outlet", *group_cols]))
    parts.append(_table_text("Per month", stats["by_month"], ["month", *group_cols]))
    parts.append(_table_text("Headline verdicts", stats["headline_verdicts"]))
    parts.append(_table_text("Techniques per outlet", stats["techniques_by_outlet"]))
    parts.append(_table_text("Techniques per month", stats["techniques_by_month"]))
    parts.append(_table_text("Most cited sources", stats["top_sources"]))
    return "\n".join(parts)


# ------------------------------------------------------------------ html


def _figures(stats: dict[str, Any]) -> list[tuple[str, Any]]:
    import plotly.graph_objects as go

    figs: list[tuple[str, Any]] = []

    def stacked(rows: list[dict[str, Any]], x: str, series: list[tuple[str, str]], title: str) -> None:
        if not rows:
            return
        fig = go.Figure()
        for column, label in series:
            fig.add_bar(name=label, x=[r[x] for r in rows], y=[r.get(column) or 0 for r in rows])
        fig.update_layout(barmode="stack", title=title, height=380, margin=dict(t=50, b=40, l=40, r=20))
        fig.update_xaxes(type="category")
        figs.append((title, fig))

    def long_stacked(rows: list[dict[str, Any]], x: str, key: str, title: str) -> None:
        if not rows:
            return
        xs = list(dict.fromkeys(r[x] for r in rows))
        fig = go.Figure()
        for label in sorted({r[key] for r in rows}):
            values = {r[x]: r["count"] for r in rows if r[key] == label}
            fig.add_bar(name=label, x=xs, y=[values.get(v, 0) for v in xs])
        fig.update_layout(barmode="stack", title=title, height=420, margin=dict(t=50, b=40, l=40, r=20))
        fig.update_xaxes(type="category")
        figs.append((title, fig))

    signal_series = [(f"signals_{k}", k.replace("_", " ")) for k in SIGNAL_KINDS]
    stacked(stats["by_outlet"], "outlet", signal_series, "Framing signals per outlet")
    stacked(stats["by_month"], "month", signal_series, "Framing signals per month")
    long_stacked(stats["techniques_by_outlet"], "outlet", "technique", "Propaganda techniques per outlet")
    long_stacked(stats["techniques_by_month"], "month", "technique", "Propaganda techniques per month")
    for by, x in (("by_outlet", "outlet"), ("by_month", "month")):
        rows = [r for r in stats[by] if r.get("dropped_share") is not None]
        if rows:
            fig = go.Figure(go.Bar(x=[r[x] for r in rows], y=[r["dropped_share"] for r in rows],
                                   text=[f"{r['dropped_attribution']}/{r['checked_headlines']}" for r in rows]))
            title = f"Share of headlines that drop the attribution, per {x}"
            fig.update_layout(title=title, yaxis=dict(tickformat=".0%", range=[0, 1]), height=360,
                              margin=dict(t=50, b=40, l=40, r=20))
            fig.update_xaxes(type="category")
            figs.append((title, fig))
    top = stats["top_sources"]
    if top:
        fig = go.Figure(go.Bar(x=[r["articles"] for r in top][::-1], y=[r["source"] for r in top][::-1], orientation="h"))
        title = "Most cited named sources (articles citing them)"
        fig.update_layout(title=title, height=max(300, 24 * len(top) + 100), margin=dict(t=50, b=40, l=200, r=20))
        fig.update_yaxes(type="category")
        figs.append((title, fig))
    return figs


def _table_html(title: str, rows: list[dict[str, Any]]) -> str:
    if not rows:
        return f"<h2>{esc(title)}</h2><p>(none)</p>"
    cols = list(rows[0])
    head = "".join(f"<th>{esc(c.replace('_', ' '))}</th>" for c in cols)
    body = "".join(
        "<tr>" + "".join(f"<td>{esc('' if r[c] is None else str(r[c]))}</td>" for c in cols) + "</tr>"
        for r in rows
    )
    return f"<h2>{esc(title)}</h2><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def stats_html(stats: dict[str, Any], source: str = "") -> str:
    """A self-contained HTML page: plotly.js inline (no CDN), the charts, then the tables."""
    import plotly.io as pio

    figs = _figures(stats)
    blocks = []
    for i, (_title, fig) in enumerate(figs):
        blocks.append(
            pio.to_html(fig, include_plotlyjs=(i == 0), full_html=False, config={"displaylogo": False},
                        default_width="100%")
        )
    if not figs:  # still self-contained and offline
        blocks.append("<p>No data to plot.</p>")
    ov = stats["overview"]
    share = ov.get("dropped_share")
    summary = (
        f"{ov['articles']} articles ({ov['errors']} errors) from {ov['outlets']} outlets, "
        f"{ov.get('first_month') or '?'} to {ov.get('last_month') or '?'}. "
        f"Headlines that drop the attribution: {ov['dropped_attribution']} of {ov['checked_headlines']} checked"
        + (f" ({share:.1%})." if share is not None else ".")
        + (f" {_no_outlet_note(ov['no_outlet']).capitalize()}." if ov.get("no_outlet") else "")
    )
    tables = "".join(
        _table_html(t, stats[k])
        for t, k in (
            ("Per outlet", "by_outlet"),
            ("Per month", "by_month"),
            ("Headline verdicts", "headline_verdicts"),
            ("Techniques per outlet", "techniques_by_outlet"),
            ("Techniques per month", "techniques_by_month"),
            ("Signals per outlet", "signals_by_outlet"),
            ("Most cited sources", "top_sources"),
        )
    )
    data = html.escape(json.dumps(stats, default=str))
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>newsaudit corpus view</title><style>"
        "body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1d1d1f}"
        "table{border-collapse:collapse;margin-bottom:1rem;font-size:.9rem}"
        "td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}th{background:#f0f0f0}"
        "</style></head><body>"
        f"<h1>newsaudit corpus view</h1><p>{esc(source)}</p><p id=\"overview\">{esc(summary)}</p>"
        + "".join(f"<div class=\"chart\">{b}</div>" for b in blocks)
        + tables
        + f"<script type=\"application/json\" id=\"stats-data\">{data}</script>"
        + "</body></html>"
    )


def write_stats(opts: StatsOptions) -> tuple[dict[str, Any], str]:
    """Compute the tables, write the HTML page when asked; return (tables, text)."""
    stats = corpus_stats(opts)
    trails_text = trails_html = ""
    if opts.trails:  # claim trails: one summary, as text and as an HTML fragment
        from .trail.summary import loss_summary, loss_summary_html, loss_summary_text

        stats["trails"] = loss_summary(opts.trails)
        trails_text, trails_html = "\n" + loss_summary_text(stats["trails"]), loss_summary_html(stats["trails"])
    if opts.html:
        out = Path(opts.html)
        out.parent.mkdir(parents=True, exist_ok=True)
        head, _sep, tail = stats_html(stats, source=opts.path).rpartition("</body>")
        out.write_text(head + trails_html + "</body>" + tail if head else trails_html + tail, encoding="utf-8")
    return stats, stats_text(stats) + trails_text
