"""A small hand-built :class:`Report` (after the project's seed article).

Used by the render tests, by ``docs/report.md`` and as a demo for the
renderers without running the pipeline: two outlets/officials relaying an
anonymous source (relay depth 3), a headline that drops the attribution,
framing signals, claims and techniques, some of them overlapping.
"""

from __future__ import annotations

from dataclasses import replace

from ..types import (
    Article,
    Attribution,
    Claim,
    FactCheckMatch,
    HeadlineCheck,
    HeadlineMatch,
    HeadlineStance,
    ModalityReading,
    RelayNode,
    Report,
    Signal,
    Source,
    Span,
    Technique,
)

HEADLINE = "US Special Forces are helping Jihadists in Syria to orchestrate a “chemical weapons attack”"
BODY = (
    "“Our intelligence confirmed by three independent Syrian sources says that commanders of the "
    "so-called ‘Free Syrian Army’ are preparing a serious provocation,” the Russian Defense Ministry "
    "said in a statement.\n\n"
    "Rt.com reports: The military alleged the FSA militants are likely to employ chlorine. "
    "The planned “provocation” is also to justify an offensive."
)


def _at(text: str, needle: str, after: int = 0) -> Span:
    start = text.index(needle, after)
    return Span.of(text, start, start + len(needle))


def sample_report() -> Report:
    """The sample report (deterministic; every span matches ``article.text``)."""
    article = Article(
        body=BODY,
        headline=HEADLINE,
        id="seed-mini",
        date="2018-06-12",
        url="https://example.org/news/seed-mini",
        outlet="example.org",
        language="en",
    )
    t = article.text
    q_inner = _at(
        t,
        "Our intelligence confirmed by three independent Syrian sources says that commanders of the "
        "so-called ‘Free Syrian Army’ are preparing a serious provocation,",
    )
    a1 = Attribution(
        id="a1",
        kind="direct",
        content=q_inner,
        source=_at(t, "the Russian Defense Ministry"),
        cue=_at(t, "said in a statement"),
        source_id="s2",
        relayed_by="s1",
        rule="quote-comma-source-said",
    )
    a2 = Attribution(
        id="a2",
        kind="indirect",
        content=_at(t, "commanders of the so-called ‘Free Syrian Army’ are preparing a serious provocation"),
        source=_at(t, "three independent Syrian sources"),
        cue=_at(t, "says that"),
        source_id="s3",
        relayed_by="s2",
        rule="source-says-that",
    )
    a3 = Attribution(
        id="a3",
        kind="indirect",
        content=_at(t, "The military alleged the FSA militants are likely to employ chlorine."),
        source=_at(t, "Rt.com"),
        cue=_at(t, "reports:"),
        source_id="s1",
        rule="source-reports-colon",
    )
    a4 = Attribution(
        id="a4",
        kind="indirect",
        content=_at(t, "the FSA militants are likely to employ chlorine"),
        source=_at(t, "The military"),
        cue=_at(t, "alleged"),
        source_id="s2",
        relayed_by="s1",
        rule="source-alleged-clause",
    )
    sources = (
        Source("s1", "Rt.com", "outlet", "named", (_at(t, "Rt.com"),), ("a3",), "outlet name ending in .com"),
        Source(
            "s2",
            "Russian Defense Ministry",
            "official",
            "named",
            (_at(t, "the Russian Defense Ministry"), _at(t, "The military")),
            ("a1", "a4"),
            "government body (Ministry); 'The military' resolved to it",
        ),
        Source(
            "s3",
            "three independent Syrian sources",
            "unknown",
            "anonymous",
            (_at(t, "three independent Syrian sources"),),
            ("a2",),
            "unnamed plural 'sources'",
            cited_by="s2",
        ),
    )
    chain = RelayNode(
        "article",
        "article",
        children=(
            RelayNode(
                "Rt.com",
                "outlet",
                "s1",
                ("a3",),
                children=(
                    RelayNode(
                        "Russian Defense Ministry",
                        "official",
                        "s2",
                        ("a1", "a4"),
                        children=(RelayNode("three independent Syrian sources", "unknown", "s3", ("a2",)),),
                    ),
                ),
            ),
        ),
    )
    headline_check = HeadlineCheck(
        headline=Span.of(t, 0, len(HEADLINE)),
        claim=Span.of(t, 0, len(HEADLINE)),
        verdict="headline-drops-attribution",
        score=0.71,
        matches=(HeadlineMatch("a1", q_inner, 0.71, "Russian Defense Ministry",
                               ModalityReading("reported", {"asserted": 0.0078, "reported": 0.956, "denied": 0.0363},
                                               (_at(t, "said in a statement"),))),),
        reason="the headline states as fact what the body attributes to Russian Defense Ministry (a1)",
        concern="high",
        concern_reasons=(
            "an accusation, not a routine fact: 'provocation'",
            "one party backs the claim: Russian Defense Ministry",
            "Russian Defense Ministry is an interested party: a government or military speaking of another state or armed group (us)",
        ),
        headline_modality=ModalityReading("asserted", {"asserted": 0.8431, "reported": 0.1507, "denied": 0.0062}),
        stance=HeadlineStance(
            "discuss",
            {"agree": 0.1035, "disagree": 0.022, "discuss": 0.8743, "unrelated": 0.0002},
            (_at(t, BODY.split("\n\n", 1)[0]),),  # the first body paragraph
        ),
    )
    provocation = t.index("The planned")
    signals = (
        Signal("loaded", _at(t, "Jihadists"), "loaded term 'jihadists' (lexicon: loaded)", "loaded"),
        Signal("scare_quote", _at(t, "“chemical weapons attack”"), "short quoted phrase with no speaker", None),
        Signal("label", _at(t, "so-called"), "distancing label 'so-called'", "labels"),
        Signal("scare_quote", _at(t, "‘Free Syrian Army’"), "short quoted phrase after 'so-called'", None),
        Signal("hedge", _at(t, "likely"), "hedge 'likely' (lexicon: hedges)", "hedges"),
        Signal("scare_quote", _at(t, "“provocation”", provocation), "short quoted phrase with no speaker", None),
    )
    claim_article = _at(t, "The planned “provocation” is also to justify an offensive.")
    claims = (
        Claim("c1", claim_article, 0.58, "article", reasons=("future-intent verb 'justify'",)),
        Claim(
            "c2",
            q_inner,
            0.83,
            "attributed",
            attribution_id="a1",
            source_id="s2",
            reasons=("numeric source count", "accusation verb 'preparing'"),
            matches=(
                FactCheckMatch(
                    "fc-0042",
                    "US forces prepare chemical attack in Syria",
                    0.74,
                    verdict="False",
                    normalised_verdict="false",
                    publisher="Example Checks",
                    date="2018-06-20",
                    url="https://example.org/factcheck/42",
                ),
            ),
        ),
    )

    def tech(label: str, span: Span, score: float) -> Technique:
        return Technique(label, span.start, span.end, span.text, score)

    techniques = (
        tech("Loaded_Language", _at(t, "Jihadists"), 0.91),
        tech("Name_Calling,Labeling", _at(t, "so-called ‘Free Syrian Army’"), 0.77),
        tech("Loaded_Language", _at(t, "serious provocation"), 0.66),
        tech("Doubt", _at(t, "likely to employ chlorine"), 0.41),
    )
    report = Report(
        article=article,
        attributions=(a1, a2, a3, a4),
        sources=sources,
        relay_chains=(chain,),
        headline_check=headline_check,
        signals=signals,
        claims=claims,
        techniques=techniques,
        warnings=("sample report built by hand, not by the pipeline",),
    )
    try:
        from ..report import summarize
    except ImportError:  # spaCy missing: summary stays empty
        return report
    return replace(report, summary=summarize(report))
