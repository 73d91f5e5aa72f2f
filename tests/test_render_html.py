"""The self-contained HTML report."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import replace
from html.parser import HTMLParser

import pytest

from newsaudit.render import html_fragment, html_styles, to_html
from newsaudit.render.marks import Mark, highlight, report_marks
from newsaudit.render.sample import sample_report
from newsaudit.types import Article, Attribution, Report, Signal, Source, Span, Technique

VOID = {"meta", "br", "input", "img", "hr", "link", "wbr", "col", "area", "base", "source", "track", "embed"}


class Checker(HTMLParser):
    """Checks nesting; collects text per highlight (data-hl) and the article text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.errors: list[str] = []
        self.hl_text: dict[str, list[str]] = defaultdict(list)
        self.hl_attrs: dict[str, dict] = {}
        self.article: list[str] = []
        self.ids: list[str] = []
        self.elements: list[tuple[str, dict]] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.elements.append((tag, a))
        if "id" in a:
            self.ids.append(a["id"])
        if tag in VOID:
            return
        if tag == "a" and any(t == "a" for t, _ in self.stack):
            self.errors.append("nested <a>")
        self.stack.append((tag, a))
        if "data-hl" in a:
            self.hl_attrs.setdefault(a["data-hl"], a)

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1][0] if self.stack else 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data):
        for _tag, a in self.stack:
            if "data-hl" in a:
                self.hl_text[a["data-hl"]].append(data)
        if any("na-article-text" in a.get("class", "") for _, a in self.stack):
            self.article.append(data)
        if self.stack and self.stack[-1][0] == "script":
            self.scripts.append(data)

    def classes(self, cls: str) -> list[dict]:
        return [a for _, a in self.elements if cls in a.get("class", "").split()]


def check(html: str) -> Checker:
    c = Checker()
    c.feed(html)
    c.close()
    assert c.errors == []
    assert c.stack == []
    return c


@pytest.fixture(scope="module")
def report() -> Report:
    return sample_report()


@pytest.fixture(scope="module")
def page(report) -> str:
    return to_html(report)


@pytest.fixture(scope="module")
def parsed(page) -> Checker:
    return check(page)


def _expected_spans(report: Report) -> list[tuple[str, int, int]]:
    out = []
    for a in report.attributions:
        out += [("na-content", p.start, p.end) for p in a.content_pieces or (a.content,)]
        if a.source:
            out.append(("na-source", a.source.start, a.source.end))
        if a.cue:
            out.append(("na-cue", a.cue.start, a.cue.end))
    out += [("na-signal", s.span.start, s.span.end) for s in report.signals]
    out += [("na-technique", t.start, t.end) for t in report.techniques]
    out += [("na-claim", c.span.start, c.span.end) for c in report.claims]
    return out


def test_render_html_well_formed(parsed):
    assert len(parsed.ids) == len(set(parsed.ids)), "duplicate ids"


def test_render_html_article_text_intact(report, parsed):
    assert "".join(parsed.article) == report.article.text


def test_render_html_highlight_offsets(report, parsed):
    text = report.article.text
    got = sorted(
        (cls, text.index("".join(parsed.hl_text[hl]), 0), "".join(parsed.hl_text[hl]))
        for hl, a in parsed.hl_attrs.items()
        for cls in ("na-content", "na-source", "na-cue", "na-signal", "na-technique", "na-claim")
        if cls in a["class"].split()
    )
    assert len(got) == len(_expected_spans(report))
    for cls, start, end in _expected_spans(report):
        assert (cls, start, text[start:end]) in got or any(
            g[0] == cls and g[2] == text[start:end] for g in got
        ), (cls, text[start:end])


def test_render_html_each_highlight_text_equals_offsets(report):
    # marks built by hand: the text of every data-hl equals text[start:end], crossing or not
    text = report.article.text
    spans = [*_expected_spans(report), ("x", 5, 40), ("y", 30, 80), ("z", 75, 200), ("w", 0, len(text))]
    marks = [Mark(s, e, "signal", f"na-hl {c}", hl=f"h{i}") for i, (c, s, e) in enumerate(spans)]
    c = check(f'<div class="na-article-text">{highlight(text, marks)}</div>')
    assert "".join(c.article) == text
    for i, (_, s, e) in enumerate(spans):
        assert "".join(c.hl_text[f"h{i}"]) == text[s:e]


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("abcdefghij", [(0, 5), (3, 8)]),  # crossing
        ("abcdefghij", [(0, 10), (0, 10), (2, 4)]),  # identical + nested
        ("abcdefghij", [(0, 3), (3, 6), (6, 10)]),  # touching
        ("abcdefghij", [(1, 9), (2, 5), (4, 8), (7, 10)]),  # chain of crossings
        ("a<b>&\"c'", [(0, 3), (2, 8)]),  # characters to escape
        ("abc", [(0, 0), (2, 9), (-1, 2)]),  # invalid spans are skipped
    ],
)
def test_render_html_overlaps_nest(text, spans):
    marks = [Mark(s, e, "content", "na-hl na-content", href="#x", hl=f"h{i}") for i, (s, e) in enumerate(spans)]
    c = check(f'<div class="na-article-text">{highlight(text, marks)}</div>')
    assert "".join(c.article) == text
    for i, (s, e) in enumerate(spans):
        if 0 <= s < e <= len(text):
            assert "".join(c.hl_text[f"h{i}"]) == text[s:e]
        else:
            assert f"h{i}" not in c.hl_text


def test_render_html_script_is_escaped():
    evil = "<script>alert('x')</script>"
    body = f"He said: “{evil} & more” in the <b>end</b>."
    article = Article(body=body, headline=f"Headline {evil}", url="https://example.org/a?x=1&y=<2>")
    t = article.text
    start = t.index("“") + 1
    report = Report(
        article=article,
        attributions=(Attribution("a1", "direct", Span.of(t, start, t.index("”")), source_id="s1"),),
        sources=(Source("s1", f"Evil {evil}", "person", "named", reason=evil),),
        signals=(Signal("scare_quote", Span.of(t, t.index("<b>"), t.index("</b>") + 4), evil),),
        warnings=(evil,),
    )
    page = to_html(report)
    c = check(page)
    assert evil not in page
    assert "<b>end" not in page
    assert "&lt;script&gt;" in page
    # the only real scripts are ours: the JSON data and the behaviour
    tags = [a for t_, a in c.elements if t_ == "script"]
    assert len(tags) == 2
    data = json.loads(page.split('id="newsaudit-data">')[1].split("</script>")[0])
    assert data["article"]["text"] == t
    assert "".join(c.article) == t


def test_render_html_no_external_urls(report, page, parsed):
    for tag, attrs in parsed.elements:
        for key in ("href", "src", "data-href", "action"):
            value = attrs.get(key)
            if value is not None:
                assert value.startswith("#"), (tag, key, value)
    assert "url(" not in html_styles()
    assert "@import" not in html_styles()
    # http only appears where the report's own data holds it (as text)
    allowed = {report.article.url, *(m.url for c in report.claims for m in c.matches)}
    found = set(re.findall(r"https?://[^\s\"'<>\\]+", page)) - {"https://json-schema.org/draft/2020-12/schema"}
    assert found <= allowed


def test_render_html_headline_check_first(page, parsed):
    assert page.index('id="headline-check"') < page.index('id="article"')
    verdicts = parsed.classes("na-verdict")
    assert verdicts
    assert "na-verdict-headline-drops-attribution" in verdicts[0]["class"]
    assert 'href="#quote-a1"' in page


def test_render_html_links_quotes_to_sources(report, parsed):
    ids = set(parsed.ids)
    for a in parsed.classes("na-content"):
        if "data-attribution" not in a:
            continue  # legend sample
        target = a.get("href") or a.get("data-href")
        assert target, a
        assert target[1:] in ids, a
    for s in report.sources:
        assert f"source-{s.id}" in ids
    quote = [a for a in parsed.classes("na-content") if a.get("data-attribution") == "a1"][0]
    assert quote["href"] == "#source-s2"
    assert "Russian Defense Ministry" in quote["title"]


@pytest.mark.parametrize(
    ("selector", "minimum"),
    [
        ("na-attribution", 12),
        ("na-cue", 4),
        ("na-source", 4),
        ("na-signal-scare_quote", 3),
        ("na-technique", 4),
        ("na-claim", 2),
        ("na-source-card", 3),
        ("na-relay-node", 4),
        ("na-technique-count", 3),
        ("na-definition", 3),
        ("na-technique-item", 4),
        ("na-claim-item", 2),
        ("na-factcheck", 1),
        ("na-warning", 1),
        ("na-legend", 1),
    ],
)
def test_render_html_stable_classes(parsed, selector, minimum):
    assert len(parsed.classes(selector)) >= minimum


def test_render_html_sections(parsed, page):
    sections = ("headline-check", "legend", "article", "sources", "relay", "attributions", "signals", "claims", "techniques", "warnings")
    for section in sections:
        assert section in parsed.ids, section
    assert "Loaded_Language</span> × 2" in page


def test_render_html_technique_title_gives_reason(report):
    t = report.techniques[0]
    why = "Strong words (model: score 0.91)"
    page = to_html(replace(report, techniques=(replace(t, reason=why),)))
    assert f'title="technique: {t.technique}: {why}"' in page
    assert f'title="technique: {report.techniques[1].technique} (score' in to_html(report)
    # the list gives the evidence once, without repeating the definition, and links to the highlight
    from newsaudit.models.techniques.explain import load_definitions

    full = f"{load_definitions()[t.technique]} (model: score 0.91)"
    page = to_html(replace(report, techniques=(replace(t, reason=full),)))
    assert '<a href="#technique-text-1">' in page
    assert 'id="technique-text-1"' in page
    assert '<span class="na-muted">(model: score 0.91)</span>' in page


def test_render_html_relay_nested(page):
    i = page.index('id="relay"')
    part = page[i : page.index("</section>", i)]
    names = ["article", "Rt.com", "Russian Defense Ministry", "three independent Syrian sources"]
    pos = [part.index(n) for n in names]
    assert pos == sorted(pos)
    assert part.count("<ul") == 4


def test_render_html_claims_sorted(page):
    i = page.index('id="claims"')
    assert page.index('id="claim-c2"', i) < page.index('id="claim-c1"', i)


def test_render_html_titles_give_reasons(parsed):
    signal = [a for a in parsed.classes("na-signal-hedge") if "data-hl" in a][0]
    assert "hedge 'likely'" in signal["title"]


def test_render_html_fragment_has_no_wrapper(report):
    frag = html_fragment(report)
    assert frag.startswith('<div class="newsaudit-report"')
    assert "<html" not in frag
    assert "<style" not in frag
    assert "<script" not in frag
    check(frag)
    assert ".na-hl" in html_styles()


def test_render_html_out_of_range_spans_warn(report):
    bad = replace(report, techniques=(*report.techniques, Technique("Doubt", 5, 99999, "x", 0.5)))
    page = to_html(bad)
    check(page)
    assert "technique highlight 5:99999 skipped" in page


def test_render_html_minimal_report():
    page = to_html(Report(article=Article(body="Just a body.")))
    c = check(page)
    assert "".join(c.article) == "Just a body."
    assert "the article has no headline" in page


def test_render_html_random_overlaps_stay_well_formed():
    import random

    rng = random.Random(7)
    text = "“Quoted <words> & more,” she said. " * 40
    marks = []
    for i in range(300):
        start = rng.randrange(len(text) - 1)
        end = min(len(text), start + rng.randrange(1, 120))
        layer = rng.choice(list(RANK_LAYERS))
        marks.append(Mark(start, end, layer, f"na-hl na-{layer}", href="#s" if layer == "content" else None, hl=f"h{i}"))
    c = check(f'<div class="na-article-text">{highlight(text, marks)}</div>')
    assert "".join(c.article) == text
    for m in marks:
        assert "".join(c.hl_text[m.hl]) == text[m.start : m.end]


RANK_LAYERS = ("claim", "content", "technique", "signal", "source", "cue")


def test_render_html_interrupted_quote_marked_piece_by_piece():
    from test_render_text import _interrupted_quote

    report = _interrupted_quote()
    page = to_html(report)
    check(page)
    a = report.attributions[0]
    assert "The fire spread fast … Three people died." in page
    marks = [m for m in report_marks(report) if m.layer == "content"]
    assert [(m.start, m.end) for m in marks] == [(p.start, p.end) for p in a.content_pieces]
    assert [m.first_id for m in marks] == ["quote-a1", None]


@pytest.mark.parametrize("control", ["\u202e", "\u202d", "\u2067", "\u200f", "\u200b", "\ufeff", "\u2060"])
def test_render_html_bidi_and_zero_width_controls_are_neutralised(control):
    """A headline with an RLO (or any bidi or zero-width control) cannot reorder or hide text in the report:
    outside the article it is written out visibly; in the article text it is isolated in its own <bdi>
    (the offsets still join to the text)."""
    headline = f"Minister {control}sdrawkcab{control} resigns"
    article = Article(body=f"The minister resigned{control}, officials said.", headline=headline, id=f"x{control}y")
    page = to_html(replace(sample_report(), article=article, attributions=(), sources=(), relay_chains=(),
                           signals=(), claims=(), techniques=(), headline_check=None))
    c = check(page)
    assert "".join(c.article) == article.text  # the characters are kept, isolated
    shown = page.split('<script type="application/json"')[0]  # the embedded report data is not shown
    outside = re.sub(r'<bdi class="na-ctl"[^>]*>.</bdi>', "", shown)
    assert control not in outside
    code = f"U+{ord(control):04X}"
    assert f"⟨{code}⟩" in outside  # written out visibly (the headline, the id)
    assert f'<bdi class="na-ctl" data-cp="{code}"' in shown
