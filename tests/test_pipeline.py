"""The whole pipeline: the seed article's findings, batching, windowing, errors."""

from __future__ import annotations

from dataclasses import replace

import pytest

from newsaudit.errors import LanguageError, NewsauditError
from newsaudit.options import AnalyzeOptions
from newsaudit.pipeline import analyze, analyze_many
from newsaudit.text.windows import split_windows
from newsaudit.types import Article, Report


@pytest.fixture(scope="module")
def seed_report(seed_path) -> Report:
    from newsaudit.load import load_file

    return analyze(load_file(seed_path))


def test_pipeline_seed_headline_drops_attribution(seed_report):
    check = seed_report.headline_check
    assert check is not None
    assert check.verdict == "headline-drops-attribution"
    assert check.matches
    assert any(m.attribution_id for m in check.matches)


def test_pipeline_seed_relay_chain(seed_report):
    (root,) = seed_report.relay_chains
    # the ministry is the Russian state's voice: one node, the state, voiced by the ministry
    assert root.path() == ["article", "Rt.com", "Russia", "three independent Syrian sources"]
    (rt,) = [c for c in root.children if c.name == "Rt.com"]
    (state,) = rt.children
    assert [v.name for v in state.voices] == ["the Russian Defense Ministry"]
    by_name = {s.name: s for s in seed_report.sources}
    assert by_name["the Russian Defense Ministry"].speaks_for == by_name["Russia"].id
    assert (by_name["three independent Syrian sources"].role, by_name["three independent Syrian sources"].identity) == \
        ("unknown", "anonymous")
    assert by_name["Rt.com"].role == "outlet"
    assert by_name["the Russian Defense Ministry"].role == "official"


def test_pipeline_seed_ministry_quote(seed_report):
    text = seed_report.article.text
    quotes = [a for a in seed_report.attributions if a.source and a.source.text == "the Russian Defense Ministry"]
    assert quotes
    assert quotes[0].kind == "direct"
    assert quotes[0].cue.text == "said"
    assert quotes[0].content.text.startswith("“Our intelligence")
    for a in seed_report.attributions:
        for part in (a.source, a.cue, a.content):
            if part is not None:
                assert text[part.start : part.end] == part.text


@pytest.mark.parametrize("word", ["chemical weapons attack", "provocation", "regime", "atrocity", "staged"])
def test_pipeline_seed_scare_quotes(seed_report, word):
    scare = [s.span.text for s in seed_report.signals if s.kind == "scare_quote"]
    assert any(word in s for s in scare), scare


def test_pipeline_seed_pronoun_resolved(seed_report):
    it = [a for a in seed_report.attributions if a.source and a.source.text == "it"]
    assert it
    assert it[0].resolved_source is not None
    assert it[0].source_id == next(s.id for s in seed_report.sources if s.name == "the Russian Defense Ministry")


def test_pipeline_report_json_keys(seed_report):
    data = seed_report.to_dict()
    for key in ("schema_version", "article", "attributions", "sources", "relay_chains", "headline_check", "signals", "claims"):
        assert key in data
    att = data["attributions"][0]
    for key in ("source", "cue", "content", "kind", "source_id", "relayed_by"):
        assert key in att
    assert set(att["content"]) == {"text", "start", "end"}


def test_pipeline_analyze_many_one_result_per_input():
    bad = LanguageError("not English")
    items = [
        Article(headline="Storm hits coast", body="The storm hit the coast on Monday, officials said.", id="1", language="en"),
        bad,
        Article(headline="", body="“It was terrible,” said Ann Lee, a resident.", id="3", language="en"),
    ]
    results = list(analyze_many(items, AnalyzeOptions(batch_size=2)))
    assert len(results) == 3
    assert isinstance(results[0], Report)
    assert results[0].article.id == "1"
    assert results[1] is bad
    assert isinstance(results[2], Report)
    assert results[2].attributions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a" * 10, 1),
        ("para one.\n\npara two.\n\npara three.", 3),
        ("x" * 25, 3),
    ],
)
def test_pipeline_split_windows_lossless(text, expected):
    pieces = split_windows(text, 12)
    assert "".join(pieces) == text
    assert len(pieces) == expected


def test_pipeline_windowed_long_article_keeps_offsets():
    para = "“We will not give up,” the mayor said on Monday. Residents reportedly left the “safe” zone.\n\n"
    body = para * 60
    article = Article(headline="Mayor vows to fight on", body=body, language="en")
    small = replace(AnalyzeOptions(), window_chars=1500)
    windowed = analyze(article, small)
    whole = analyze(article)
    assert len(windowed.attributions) == len(whole.attributions) >= 60
    for a in windowed.attributions:
        assert article.text[a.content.start : a.content.end] == a.content.text
    assert windowed.attributions[-1].content.start > 5000


def test_pipeline_rejects_non_english():
    german = Article(
        headline="Sturm an der Küste",
        body="Der Sturm traf am Montag die Küste, sagten die Behörden. Viele Häuser wurden beschädigt und die Straßen waren gesperrt.",
    )
    with pytest.raises(NewsauditError, match="English"):
        analyze(german)
    report = analyze(german, AnalyzeOptions(any_language=True))
    assert report.article.language == "de"


def test_pipeline_components_declare_what_they_assign_and_require():
    """Every newsaudit factory declares ``assigns`` and ``requires``, and spaCy finds nothing a component
    requires that no component before it assigns."""
    from spacy.language import Language

    import newsaudit.components.techniques  # noqa: F401
    from newsaudit.pipeline import COMPONENTS, TECHNIQUES_COMPONENT, build_pipeline

    for name in (*COMPONENTS, "newsaudit_paragraphs", TECHNIQUES_COMPONENT):
        meta = Language.get_factory_meta(name)
        assert meta.assigns, f"{name} declares no assigns"
    problems = build_pipeline().analyze_pipes(pretty=False)["problems"]
    assert {k: v for k, v in problems.items() if v} == {}
