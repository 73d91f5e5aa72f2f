"""The rules' reading of plain speech the attribution model passed over (newsaudit.components.attribution.missed),
each rule run on a parsed text with no found attribution, and through the whole component."""

from __future__ import annotations

import pytest

from newsaudit.components.attribution.candidates import CueLexicons
from newsaudit.components.attribution.content import RuleContext
from newsaudit.components.attribution.missed import missed_according, missed_headline_cue, missed_noun, missed_speech
from newsaudit.components.attribution.spans import Found


@pytest.fixture(scope="module")
def nlp():
    from newsaudit.pipeline import parse_pipeline

    return parse_pipeline()


@pytest.fixture(scope="module")
def component():
    from newsaudit.pipeline import parse_pipeline

    pipeline = parse_pipeline()
    pipeline.add_pipe("newsaudit_attribution")
    return pipeline


@pytest.fixture(scope="module")
def lexicons():
    return CueLexicons.load()


def _read(found: list[Found], text: str) -> list[tuple[str | None, str, str]]:
    return [(text[f.source[0]:f.source[1]] if f.source else None, text[f.cue[0]:f.cue[1]], text[f.content[0]:f.content[1]])
            for f in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("According to the mayor, the bridge will close in May.", [("the mayor", "According to", "the bridge will close in May")]),
        # a fragment with no content of its own: the sentence before, in the paragraph before
        ("Pretty much the same, right?\nAccording to MSNBC, basically.",
         [("MSNBC", "According to", "Pretty much the same, right?")]),
    ],
)
def test_attribution_missed_according_to(nlp, lexicons, text, expected):
    assert _read(missed_according(RuleContext(nlp(text), lexicons), []), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Trump was defensive, and Trump boasted, “That makes me smart.”", [("Trump", "boasted", "“That makes me smart.”")]),
        # a relative pronoun stays the source, as PolNeAR marks it; the antecedent is resolved
        ("Clinton faced an architect who said he was stiffed.", [("who", "said", "he was stiffed")]),
        # a document's clause speaks for whoever issued it
        ("He released a letter from his doctor that says he is in excellent health.",
         [("He", "says", "he is in excellent health")]),
        # negated: no report of speech
        ("The senator did not say that the bill would pass.", []),
        # a verb inside a quotation is the quoted speaker's: only the outer cue
        ("“I think the plan will fail,” the mayor said.", [("the mayor", "said", "“I think the plan will fail,”")]),
        # the generic "you" speaks for nobody
        ("You think the vote is rigged, and you say so.", []),
        # a clause before a verb of reporting, a quoted title inside it
        ('Marla Quinn will replace Daniel Reyes as host of "Late Hour", the network announced on Friday.',
         [("the network", "announced", 'Marla Quinn will replace Daniel Reyes as host of "Late Hour"')]),
        # ... but not before a verb of thought
        ("Perez was a fine choice for the Cabinet, Bush thought.", []),
    ],
)
def test_attribution_missed_speech_verb(nlp, lexicons, text, expected):
    assert _read(missed_speech(RuleContext(nlp(text), lexicons), [], lexicons.core_cues), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The move took place despite repeated warnings from his attorney that the showdown was fruitless.",
         [("his attorney", "warnings", "that the showdown was fruitless")]),
        ("The claims by the campaign that the poll was rigged were false.",
         [("the campaign", "claims", "that the poll was rigged")]),
        # no speaker after "from" or "by"
        ("The warnings that the showdown was fruitless went unheeded.", []),
    ],
)
def test_attribution_missed_speech_noun(nlp, lexicons, text, expected):
    assert _read(missed_noun(RuleContext(nlp(text), lexicons), []), text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the parser reads "insider claims" as one noun: the headline's speaker and cue
        ("Star's wedding called off, insider claims\n\nThe singer is single again.",
         [("insider", "claims", "Star's wedding called off")]),
        # not the sentence's last word, or no speaker noun before it: no attribution
        ("Star's wedding called off, insider claims show\n\nThe singer is single again.", []),
        ("The lawsuit over the wedding, insurance claims and debts is over.", []),
    ],
)
def test_attribution_missed_headline_cue(nlp, lexicons, text, expected):
    assert _read(missed_headline_cue(RuleContext(nlp(text), lexicons), []), text) == expected


def test_attribution_missed_nothing_a_found_content_holds(nlp, lexicons):
    """A cue inside a found attribution's content is what that source said, not a missed attribution."""
    text = "The mayor said that the senator claimed the bill would pass."
    doc = nlp(text)
    outer = Found("indirect", (text.index("that"), len(text) - 1), (0, 9), (10, 14), "model:say", doc[1])
    assert missed_speech(RuleContext(doc, lexicons), [outer], lexicons.core_cues) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pretty much the same, right?\nAccording to MSNBC, basically.", [("MSNBC", "Pretty much the same, right?")]),
        ("The move took place despite repeated warnings from his attorney that the showdown was fruitless.",
         [("his attorney", "that the showdown was fruitless")]),
    ],
)
def test_attribution_missed_through_the_component(component, text, expected):
    found = [(a.source.text if a.source else None, a.content.text) for a in component(text)._.attributions]
    assert found == expected


def test_attribution_missed_fragment_before_a_reporting_cue_is_its_clause(component):
    """The model took "Marla" as all that "the network announced"; the clause before the cue is the content."""
    text = ('Marla Quinn named new host of "Late Hour"\n\nMarla Quinn will replace Daniel Reyes as host of "Late Hour", '
            "the network announced on Friday.\n\nQuinn, 41, has hosted a weekly comedy podcast since 2019. She will "
            "start in April.")
    announced = [a for a in component(text)._.attributions if a.cue is not None and a.cue.text == "announced"]
    assert [(a.source.text if a.source else None, a.content.text) for a in announced] == [
        ("the network", 'Marla Quinn will replace Daniel Reyes as host of "Late Hour"')]
