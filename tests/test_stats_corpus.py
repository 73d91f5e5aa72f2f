"""The corpus view: DuckDB tables over a batch output, text and self-contained HTML."""

from __future__ import annotations

import re

import pytest

from newsaudit.corpus.rows import error_row, rows_to_table
from newsaudit.corpus.stats import StatsOptions, corpus_stats, stats_html, stats_text, write_stats
from newsaudit.errors import DatasetError, FailedRow


def row(n, outlet, date, verdict, signals=None, techniques=None, sources=(), url=None):
    signals = signals or {}
    r = {
        "row": n, "id": f"a{n}", "status": "ok", "error": None, "headline": f"H{n}", "date": date,
        "outlet": outlet, "url": url, "language": "en", "attributions": 2, "sources": len(sources),
        "named_sources": len(sources), "anonymous_sources": 1, "claims": 1, "relay_depth": 1,
        "headline_verdict": verdict,
        "headline_drops_attribution": None if verdict is None else verdict == "headline-drops-attribution",
        "signals": sum(signals.values()), "techniques": sum((techniques or {}).values()),
        "signals_by_kind": signals, "techniques_by_label": techniques or {}, "source_names": list(sources),
        "report_json": "{}",
    }
    for kind in ("scare_quote", "hedge", "loaded", "label"):
        r[f"signals_{kind}"] = signals.get(kind, 0)
    return r


@pytest.fixture
def corpus(tmp_path):
    import pyarrow.parquet as pq

    rows = [
        row(0, "RT", "2018-06-12", "headline-drops-attribution", {"scare_quote": 3, "hedge": 1},
            {"Loaded_Language": 2, "Doubt": 1}, ("Russian Defense Ministry", "Rt.com")),
        row(1, "RT", "2018-06-20", "headline-attributes", {"scare_quote": 1}, {"Loaded_Language": 1},
            ("Russian Defense Ministry",)),
        row(2, None, "2018-07-01", "headline-drops-attribution", {"loaded": 2}, None, ("Reuters",),
            url="https://www.example.org/news/1"),
        row(3, "Daily", None, None, {}, None, ()),
        error_row(FailedRow("row 5: empty text", row=4, id="a4")),
    ]
    path = tmp_path / "out.parquet"
    pq.write_table(rows_to_table(rows), path)
    return path


def test_stats_overview_and_dropped_share(corpus):
    s = corpus_stats(StatsOptions(str(corpus)))
    ov = s["overview"]
    assert (ov["articles"], ov["errors"], ov["checked_headlines"], ov["dropped_attribution"]) == (5, 1, 3, 2)
    assert ov["dropped_share"] == pytest.approx(2 / 3, abs=1e-4)
    assert (ov["first_month"], ov["last_month"]) == ("2018-06", "2018-07")


def test_stats_per_outlet_and_month(corpus):
    s = corpus_stats(StatsOptions(str(corpus)))
    outlets = {r["outlet"]: r for r in s["by_outlet"]}
    assert set(outlets) == {"RT", "example.org", "Daily"}  # url host when no outlet; none at all is not an outlet
    assert outlets["RT"]["articles"] == 2
    assert outlets["RT"]["signals_scare_quote"] == 4
    assert outlets["RT"]["dropped_share"] == 0.5
    months = {r["month"]: r for r in s["by_month"]}
    assert months["2018-06"]["articles"] == 2
    assert months["(undated)"]["articles"] == 2
    tech = {(r["outlet"], r["technique"]): r["count"] for r in s["techniques_by_outlet"]}
    assert tech == {("RT", "Loaded_Language"): 3, ("RT", "Doubt"): 1}
    by_month = {(r["month"], r["technique"]): r["count"] for r in s["techniques_by_month"]}
    assert by_month[("2018-06", "Loaded_Language")] == 3


def test_stats_most_cited_sources(corpus):
    s = corpus_stats(StatsOptions(str(corpus), top=2))
    assert s["top_sources"][0] == {"source": "Russian Defense Ministry", "articles": 2, "outlets": 1}
    assert len(s["top_sources"]) == 2


def test_stats_most_cited_sources_one_source_however_cased(tmp_path):
    """Articles that write "The Defence Ministry" and "the Defence Ministry" cite one source (shown capitalised)."""
    import pyarrow.parquet as pq

    rows = [row(0, "Wire", "2026-03-01", None, sources=("The Defence Ministry",)),
            row(1, "Relay", "2026-03-02", None, sources=("the Defence Ministry", "Rt.com")),
            row(2, "Wire", "2026-03-02", None, sources=("the defence ministry",))]
    path = tmp_path / "out.parquet"
    pq.write_table(rows_to_table(rows), path)
    top = corpus_stats(StatsOptions(str(path)))["top_sources"]
    assert top[0] == {"source": "The Defence Ministry", "articles": 3, "outlets": 2}
    assert [r["source"] for r in top] == ["The Defence Ministry", "Rt.com"]


def test_stats_html_is_self_contained(corpus, tmp_path):
    s = corpus_stats(StatsOptions(str(corpus)))
    page = stats_html(s)
    assert not re.search(r"<script[^>]+src=", page)  # plotly.js inline, no CDN
    assert "Plotly.newPlot" in page
    assert len(page) > 1_000_000
    assert "Propaganda techniques per outlet" in page
    assert "Most cited named sources" in page
    out = tmp_path / "view" / "stats.html"
    _stats, text = write_stats(StatsOptions(str(corpus), html=str(out)))
    assert out.is_file()
    assert "Per outlet" in text


def test_stats_text_mentions_share(corpus):
    text = stats_text(corpus_stats(StatsOptions(str(corpus))))
    assert "2 of 3 checked headlines (66.7%)" in text


@pytest.mark.parametrize(("content", "message"), [(None, "no such Parquet file"), (b"not parquet", "not a newsaudit batch output")])
def test_stats_bad_input(tmp_path, content, message):
    path = tmp_path / "x.parquet"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(DatasetError, match=message):
        corpus_stats(StatsOptions(str(path)))


def test_stats_rejects_foreign_parquet(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "other.parquet"
    pq.write_table(pa.table({"a": [1, 2]}), path)
    with pytest.raises(DatasetError, match="not a newsaudit batch output"):
        corpus_stats(StatsOptions(str(path)))


def test_stats_no_outlet_is_not_an_outlet(corpus):
    """The error row has neither outlet nor URL: counted apart, in no per-outlet table, ranking or count."""
    s = corpus_stats(StatsOptions(str(corpus)))
    assert (s["overview"]["outlets"], s["overview"]["no_outlet"]) == (3, 1)
    assert all(r["outlet"] is not None and r["outlet"] != "(unknown)" for r in s["by_outlet"])
    assert sum(r["articles"] for r in s["by_outlet"]) == s["overview"]["articles"] - 1
    assert all(r["outlet"] is not None for r in s["signals_by_outlet"] + s["techniques_by_outlet"])
    text = stats_text(s)
    assert "from 3 outlets" in text
    assert "no outlet: 1 articles (no outlet field and no URL), left out of the per-outlet tables" in text
    assert "(unknown)" not in text
    assert "(unknown)" not in stats_html(s)


def test_stats_cli_html_prints_one_line(corpus, tmp_path):
    from typer.testing import CliRunner

    from newsaudit.cli.batch import app

    out = tmp_path / "view.html"
    result = CliRunner().invoke(app, ["stats", str(corpus), "--html", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file()
    assert result.output.strip().splitlines() == [f"wrote {out} (5 articles)"]
    text = CliRunner().invoke(app, ["stats", str(corpus)])
    assert "Per outlet" in text.output
    assert "wrote" not in text.output
