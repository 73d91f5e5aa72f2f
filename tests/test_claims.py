"""newsaudit_claims: check-worthy sentences tied to attributions or the article's voice."""

from __future__ import annotations

import pytest

from newsaudit.components.claims import ClaimsComponent, best_attribution, sentence_units
from newsaudit.extensions import register_extensions
from newsaudit.types import Attribution, Span

HEADLINE = "Russia says rebels plan chemical attack in Syria"
BODY = (
    "The Russian Defense Ministry said on Tuesday that 40 rebels had brought canisters of chlorine to Idlib. "
    "The town was shelled by government forces in March, killing 12 civilians. "
    "Is this the end? "
    "It rained. "
    "I think this is a terrible idea and I hope it fails."
)
TEXT = HEADLINE + "\n\n" + BODY


@pytest.fixture(scope="module")
def claims_component(bare_nlp):
    register_extensions()
    return ClaimsComponent(bare_nlp, "newsaudit_claims")


def _attribution(text: str, content: str, source: str | None, source_id: str | None, aid: str = "a1") -> Attribution:
    start = text.index(content)
    src = None
    if source:
        s = text.index(source)
        src = Span.of(text, s, s + len(source))
    return Attribution(id=aid, kind="indirect", content=Span.of(text, start, start + len(content)), source=src, source_id=source_id)


def _doc(bare_nlp, component, text, attributions):
    doc = bare_nlp(text)
    doc._.attributions = attributions
    return component(doc)


def test_claims_tied_to_attribution(bare_nlp, claims_component):
    attr = _attribution(
        TEXT, "40 rebels had brought canisters of chlorine to Idlib", "The Russian Defense Ministry", "s1"
    )
    doc = _doc(bare_nlp, claims_component, TEXT, (attr,))
    claims = doc._.claims
    first_body = next(c for c in claims if c.span.text.startswith("The Russian Defense Ministry"))
    assert first_body.voice == "attributed"
    assert first_body.attribution_id == "a1"
    assert first_body.source_id == "s1"
    shelled = next(c for c in claims if c.span.text.startswith("The town was shelled"))
    assert shelled.voice == "article"
    assert shelled.attribution_id is None
    assert shelled.source_id is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Is this the end?", False),
        ("It rained.", False),
        ("I think this is a terrible idea and I hope it fails.", False),
        ("The town was shelled by government forces in March, killing 12 civilians.", True),
        ("The Russian Defense Ministry said on Tuesday that 40 rebels had brought canisters of chlorine to Idlib.", True),
    ],
)
def test_claims_checkworthy_selection(bare_nlp, claims_component, text, expected):
    doc = _doc(bare_nlp, claims_component, TEXT, ())
    picked = {c.span.text for c in doc._.claims}
    assert (text in picked) is expected


def test_claims_headline_included_first_and_ids_in_text_order(bare_nlp, claims_component):
    doc = _doc(bare_nlp, claims_component, TEXT, None)
    claims = doc._.claims
    assert claims[0].span.text == HEADLINE
    assert any("headline" in r for r in claims[0].reasons)
    assert [c.id for c in claims] == [f"c{i}" for i in range(1, len(claims) + 1)]
    assert [c.span.start for c in claims] == sorted(c.span.start for c in claims)
    for c in claims:
        assert TEXT[c.span.start : c.span.end] == c.span.text
        assert 0.0 <= c.score <= 1.0
        assert c.reasons
    group = doc.spans["claims"]
    assert [sp.text for sp in group] == [c.span.text for c in claims]
    assert {sp.label_ for sp in group} <= {"attributed", "article"}


def test_claims_attributions_none_or_empty(bare_nlp, claims_component):
    for attributions in (None, ()):
        doc = _doc(bare_nlp, claims_component, TEXT, attributions)
        assert all(c.voice == "article" for c in doc._.claims)


def test_claims_doc_without_parser(bare_nlp, claims_component):
    doc = bare_nlp.make_doc(TEXT)
    doc = claims_component(doc)
    assert doc._.claims
    assert doc._.claims[0].span.text == HEADLINE


def test_claims_empty_doc(bare_nlp, claims_component):
    doc = claims_component(bare_nlp(""))
    assert doc._.claims == ()


def test_claims_sentence_units_cut_at_headline(bare_nlp):
    register_extensions()
    doc = bare_nlp(TEXT)
    units = sentence_units(doc)
    assert units[0][0].text == HEADLINE
    assert units[0][1] is True
    assert all(not is_head for _, is_head in units[1:])


@pytest.mark.parametrize(
    ("contents", "expected"),
    [
        # A quote that fills the sentence beats a long relay scope containing it.
        ([(0, 200, "scope"), (10, 48, "quote")], "quote"),
        ([(60, 90, "elsewhere")], None),
        ([(0, 14, "edge")], "edge"),
        # Two characters of overlap at a boundary do not tie a sentence to an attribution.
        ([(0, 12, "touching")], None),
    ],
)
def test_claims_best_attribution(contents, expected):
    text = "x" * 200
    attrs = tuple(
        Attribution(id=name, kind="direct", content=Span.of(text, s, e)) for s, e, name in contents
    )
    best = best_attribution(attrs, 10, 50)
    assert (best.id if best else None) == expected
