"""Headline check verdicts on small Docs with hand-set attributions."""

from __future__ import annotations

import pytest

from newsaudit.components.headline import check_headline, content_lemmas
from newsaudit.extensions import register_extensions
from newsaudit.types import Attribution, Source, Span, Verdict


def _doc(nlp, headline, body, quoted=None, source=None):
    register_extensions()
    text = f"{headline}\n\n{body}" if headline else body
    doc = nlp(text)
    atts, sources = (), ()
    if quoted:
        c = text.index(quoted)
        s = text.index(source)
        atts = (Attribution("a1", "direct", Span(c, c + len(quoted), quoted), Span(s, s + len(source), source), source_id="s1"),)
        sources = (Source("s1", source, "official", "named", (atts[0].source,), ("a1",)),)
    doc._.attributions = atts
    doc._.sources = sources
    return doc


CASES = [
    (
        ("Ministry says rebels plan chemical attack in Idlib", "Rebels plan a chemical attack in Idlib, the ministry said.", None, None),
        Verdict.HEADLINE_ATTRIBUTES,
    ),
    (
        (
            "Rebels plan chemical attack in Idlib",
            "“Rebels plan a chemical attack in Idlib,” the ministry said on Monday.",
            "“Rebels plan a chemical attack in Idlib,”",
            "the ministry",
        ),
        Verdict.HEADLINE_DROPS_ATTRIBUTION,
    ),
    (
        (
            "Football club wins the national cup final",
            "“Rebels plan a chemical attack in Idlib,” the ministry said on Monday.",
            "“Rebels plan a chemical attack in Idlib,”",
            "the ministry",
        ),
        Verdict.NOT_IN_BODY,
    ),
    (
        ("Flood kills ten people in Riverton", "A flood killed ten people in Riverton on Monday. Roads were closed.", None, None),
        Verdict.BODY_ASSERTS_TOO,
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_headline_verdicts(bare_nlp, text, expected):
    doc = _doc(bare_nlp, *text)
    check = check_headline(doc)
    assert check is not None
    assert check.verdict == expected, check.reason
    assert 0.0 <= check.score <= 1.0
    assert check.headline.text == text[0]
    assert check.reason


def test_headline_dropped_points_at_attribution(bare_nlp):
    doc = _doc(bare_nlp, *CASES[1][0])
    check = check_headline(doc)
    assert check.matches
    assert check.matches[0].attribution_id == "a1"
    assert "the ministry" in check.reason
    m = check.matches[0].span
    assert doc.text[m.start : m.end] == m.text


def test_headline_absent_gives_none(bare_nlp):
    doc = _doc(bare_nlp, "", "Just one paragraph with no headline.")
    assert check_headline(doc) is None


@pytest.mark.parametrize(("text", "expected"), [("American jihadists", {"us", "militant"}), ("the 3 airstrikes", {"3", "strike"})])
def test_headline_content_lemmas_equivalents(bare_nlp, text, expected):
    assert set(content_lemmas(bare_nlp(text)[:])) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("RT: rebels preparing chemical provocation", "RT"),
        ("Bernie Sanders: ‘Of Course’ Hillary Clinton Is Qualified To Be President.", "Bernie Sanders"),
        ("Idlib: rebels accused of staging attack", None),  # a name the parser knows no entity for: a topic, to be safe
        ("Judicial Watch: State Department Hid Key Clinton Benghazi Email For Years.", "Judicial Watch"),
        ("Russia: US plans provocation in Syria", "Russia"),
        ("Breaking: Federal Judge Just Gave Hillary Some Of The Worst News", None),  # a label (headline_labels.txt)
        ("The Latest: Trump urges supporters to monitor polling places.", None),
        ("Ukraine: what happens next", None),  # a topic: wh-opening
        ("Ted Cruz: Constitutional conservative or another typical career politician?", None),  # a question
        ("Rebels plan chemical attack in Idlib", None),
    ],
)
def test_headline_source_prefix(bare_nlp, text, expected):
    """A headline opening "Name: ..." attributes what follows to Name (the tagger and entities decide)."""
    from newsaudit.components.headline import source_prefix

    assert source_prefix(bare_nlp(text)[:]) == expected


def test_headline_source_prefix_makes_it_attributed(bare_nlp):
    doc = _doc(bare_nlp, "RT: rebels preparing chemical provocation", "Rebels were preparing a chemical provocation, the ministry said.")
    check = check_headline(doc)
    assert check is not None
    assert check.verdict == Verdict.HEADLINE_ATTRIBUTES
    assert "'RT:'" in check.reason


@pytest.mark.parametrize(
    ("headline", "body", "expected"),
    [
        # the source of the word the headline puts in scare quotes is not the source of its claim
        ('The city\'s "bold" transit plan is a gift to developers',
         'City Hall calls its new transit plan "bold." It is nothing of the kind.', Verdict.NOT_IN_BODY),
        # a source that says what the headline says of its subject is
        ('The city\'s "bold" transit plan is a gift to developers',
         'The transit plan is a gift to developers, the council\'s auditor said on Monday.',
         Verdict.HEADLINE_DROPS_ATTRIBUTION),
    ],
)
def test_headline_scare_quoted_word_is_not_the_claim(headline, body, expected):
    from newsaudit.pipeline import analyze
    from newsaudit.types import Article

    check = analyze(Article(headline=headline, body=body)).headline_check
    assert check is not None
    assert check.verdict == expected, check.reason
