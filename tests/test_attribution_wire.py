"""Precision on wire copy: what a careful reader does not call an attribution, and quotations cut as a reader
reads them (the newsaudit_attribution component over a parse, the shipped model and the precision rules)."""

from __future__ import annotations

import pytest
from test_attribution_precision import norm


@pytest.fixture(scope="module")
def attribution_nlp():
    from newsaudit.pipeline import parse_pipeline

    nlp = parse_pipeline()
    nlp.add_pipe("newsaudit_attribution")
    return nlp


def _clean(text: str) -> str:
    return norm(text).strip('"“”,.?! ')


def _found(nlp, text):
    return [(a.kind, a.source.text if a.source else None, a.cue.text if a.cue else None,
             [p.text for p in a.content_pieces] or [a.content.text]) for a in nlp(text)._.attributions]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # (text, the cue that must not make an attribution); publishing or running a story is an act of the outlet
        ("Lin's Instagram feed showed images of the protest in Portland.", "showed"),
        ("Lin set up an IndieGoGo page to raise money for the group.", "set"),
        ("RT did not publish any evidence for the claim.", "publish"),
        ("The paper ran stories about the fire for a week.", "ran"),
    ],
)
def test_attribution_wire_acts_are_no_attributions(attribution_nlp, text, expected):
    assert not any(cue and norm(cue).lower() == expected for _k, _s, cue, _c in _found(attribution_nlp, text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a quotation over two paragraphs is one content in two pieces
        ("\"We will build ten thousand homes in five years. We will do it without raising taxes.\n\n"
         "\"And we will start this year,\" Holt said.",
         ("direct", "Holt", ["We will build ten thousand homes in five years. We will do it without raising taxes.",
                             "And we will start this year"])),
        # an opening quote left unclosed runs to the next paragraph's closing mark
        ("\"We will build homes. We will not raise taxes.\n\nWe will start this year,\" Holt said.",
         ("direct", "Holt", ["We will build homes. We will not raise taxes.", "We will start this year"])),
        # a quotation over three paragraphs, each opened and only the last closed (news style)
        ("Judge Castell spoke on Friday.\n\n\"When I started, a case took a year.\n\n"
         "\"We have fewer clerks than in 1995.\n\n\"I hope my successors are heard,\" she said.",
         ("direct", "she", ["When I started, a case took a year.", "We have fewer clerks than in 1995.",
                            "I hope my successors are heard"])),
    ],
)
def test_attribution_wire_quote_over_paragraphs_is_joined(attribution_nlp, text, expected):
    found = _found(attribution_nlp, text)
    assert any(k == expected[0] and s == expected[1] and [_clean(p) for p in c] == [_clean(p) for p in expected[2]]
               for k, s, _cue, c in found), found


@pytest.mark.parametrize(
    "text",
    [
        "'I think the plan is fair,' said resident Tom Byrne.",
        "'I think the election was stolen,' Mark Evans, a local councillor, said.",
    ],
)
def test_attribution_wire_single_quotes_are_direct(attribution_nlp, text):
    found = _found(attribution_nlp, text)
    assert found, found
    assert all(k == "direct" for k, _s, _cue, _c in found), found


def test_attribution_wire_source_inside_the_quote_frame_is_cut_out(attribution_nlp):
    """A regression guard (today's rules already cut it): the content never swallows its source."""
    found = _found(attribution_nlp, "\"This is a disgrace,\" Flynn, a top Trump surrogate, said on Monday.")
    assert [(s, c) for _k, s, _cue, c in found] == [("Flynn, a top Trump surrogate,", ["\"This is a disgrace,\""])]


def test_attribution_wire_refusal_is_no_content(attribution_nlp):
    text = "The Kremlin declined to comment. A spokesman for the company did not respond to a request for comment."
    assert _found(attribution_nlp, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # transcript turns: NAME: words
        ("Partial transcript as follows:\n\n\"WALLACE: Will she be there tomorrow?\n\n\"PENCE: She will not be attending.\n\n"
         "\"WALLACE: Thank you, governor.",
         [("WALLACE", "Will she be there tomorrow?"), ("PENCE", "She will not be attending."), ("WALLACE", "Thank you, governor.")]),
        # quotations signed with a dash
        ("“He represents our greatest shame.” ― Sonya Herridge\n“He is a bully and nothing more.” ― Pamela Padilla",
         [("Sonya Herridge", "He represents our greatest shame."), ("Pamela Padilla", "He is a bully and nothing more.")]),
    ],
)
def test_attribution_wire_layout_attributions(attribution_nlp, text, expected):
    found = _found(attribution_nlp, text)
    got = [(s, _clean(c[0])) for k, s, _cue, c in found if k == "direct"]
    assert got == [(s, _clean(c)) for s, c in expected], found


def test_attribution_wire_one_capitals_line_is_no_transcript(attribution_nlp):
    assert _found(attribution_nlp, "UPDATE: The road has reopened.\n\nTraffic is flowing again.") == []
