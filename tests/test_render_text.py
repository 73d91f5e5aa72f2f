"""The rich terminal summary."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from newsaudit.render import to_text
from newsaudit.render.sample import sample_report
from newsaudit.types import Article, Report, Span

ANSI = re.compile(r"\x1b\[")


@pytest.fixture(scope="module")
def report() -> Report:
    return sample_report()


@pytest.fixture(scope="module")
def plain(report) -> str:
    return to_text(report)


def test_render_text_no_ansi_without_color(plain):
    assert not ANSI.search(plain)


def test_render_text_ansi_with_color(report):
    assert ANSI.search(to_text(report, color=True))


def test_render_text_verdict_first(plain):
    verdict = plain.index("HEADLINE DROPS ATTRIBUTION")
    for later in ("Sources", "Relay chain", "Attributions", "Framing signals", "Top claims", "Techniques", "Warnings"):
        assert plain.index(later) > verdict, later
    assert "score 0.71" in plain
    assert "Russian Defense Ministry [a1]" in plain


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("relay", "article → Rt.com → Russian Defense Ministry → three independent Syrian sources"),
        ("tree", "└── Rt.com (outlet)"),
        ("anonymous", "three independent Syrian sources (unknown)"),
        ("voices", "3 independent voices (2 named, 1 anonymous)"),
        ("source table", "official"),
        ("attribution", "Russian Defense Ministry → said in a statement →"),
        ("signal kind", "scare_quote (3)"),
        ("technique count", "Loaded_Language ×2"),
        ("technique span", "@185 Name_Calling,Labeling (0.77)"),
        ("claim voice", "attributed (Russian Defense"),
        ("fact-check", "false Example Checks"),
        ("warning", "! sample report built by hand"),
    ],
)
def test_render_text_contains(plain, text, expected):
    assert expected in plain, text


def test_render_text_techniques_best_first_and_capped(report):
    from newsaudit.render.text import TOP_TECHNIQUES

    t = report.techniques[0]
    many = tuple(replace(t, score=round(0.01 * i, 2)) for i in range(TOP_TECHNIQUES + 3))
    plain = to_text(replace(report, techniques=many), width=120)
    assert "(0.10)" in plain
    assert "(0.03)" in plain
    assert "(0.02)" not in plain
    assert plain.index("(0.10)") < plain.index("(0.09)")
    assert "… 3 more; reasons in --format json or html" in plain


def test_render_text_claims_sorted_by_score(plain):
    assert plain.index("0.83") < plain.index("0.58")


def test_render_text_width_respected(report):
    for line in to_text(report, width=60).splitlines():
        assert len(line) <= 60


def test_render_text_markup_in_article_stays_text():
    body = "The minister said [bold red]nothing[/] happened."
    article = Article(body=body, headline="[link=x]Click[/link]")
    t = article.text
    from newsaudit.types import Attribution, HeadlineCheck

    start = t.index("[bold")
    attribution = Attribution("a1", "indirect", Span.of(t, start, start + len("[bold red]nothing[/] happened")))
    head = Span.of(t, 0, len(article.headline))
    report = Report(
        article=article,
        attributions=(attribution,),
        headline_check=HeadlineCheck(head, head, "not-in-body", 0.1, reason="no [i]support[/i]"),
    )
    out = to_text(report)
    assert "[bold red]nothing[/]" in out
    assert "[link=x]Click[/link]" in out
    assert "no [i]support[/i]" in out


def test_render_text_minimal_report():
    out = to_text(Report(article=Article(body="Just a body.")))
    assert "no headline" in out
    assert not ANSI.search(out)


def test_render_text_no_headline_check_run(report):
    out = to_text(replace(report, headline_check=None))
    assert "not run" in out


def _interrupted_quote() -> Report:
    body = '"The fire spread fast," police spokesman Jonas Keller told reporters. "Three people died."'
    article = Article(body=body)
    t = article.text
    from newsaudit.types import Attribution

    first = Span.of(t, t.index("The fire"), t.index(",\""))
    second = Span.of(t, t.index("Three"), t.index("died.") + len("died."))
    whole = Span.of(t, first.start, second.end)
    source = Span.of(t, t.index("police"), t.index(" told"))
    cue = Span.of(t, t.index("told"), t.index("told") + 4)
    att = Attribution("a1", "direct", whole, source=source, cue=cue, content_pieces=(first, second))
    return Report(article=article, attributions=(att,))


def test_render_text_interrupted_quote_shows_its_pieces():
    report = _interrupted_quote()
    assert report.attributions[0].said() == "The fire spread fast … Three people died."
    out = to_text(report)
    assert "The fire spread fast … Three people died." in out
    # the content column does not repeat the source and cue that interrupt the quotation
    content_column = out.split("told →", 1)[1]
    assert "Jonas Keller" not in content_column


def test_render_text_whole_content_when_in_one_piece(report):
    a = report.attributions[0]
    assert not a.content_pieces
    assert a.said() == a.content.text
