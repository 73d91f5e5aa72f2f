"""Tests of the newsaudit_attribution component (who said what)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsaudit.text.paragraphs import paragraph_bounds
from newsaudit.text.quotes import quotations
from newsaudit.types import Attribution

SEED = Path(__file__).resolve().parents[2] / "shared" / "samples" / "seed-article.txt"


@pytest.fixture(scope="module")
def nlp():
    """The analysis parse (the spaCy model with newsaudit_paragraphs, as the model was trained) and the
    attribution component with its defaults (the shipped model and the precision rules)."""
    from newsaudit.pipeline import parse_pipeline

    pipeline = parse_pipeline()
    pipeline.add_pipe("newsaudit_attribution")
    return pipeline


@pytest.fixture(scope="module")
def rules_nlp():
    """The same parse with the rule system alone (``model = "rules"``)."""
    from newsaudit.pipeline import parse_pipeline

    pipeline = parse_pipeline()
    pipeline.add_pipe("newsaudit_attribution", config={"model": "rules"})
    return pipeline


def attributions(nlp, text: str) -> tuple[Attribution, ...]:
    return nlp(text)._.attributions


def find(atts, cue: str | None = None, source: str | None = None) -> Attribution:
    for att in atts:
        if cue is not None and (att.cue is None or att.cue.text != cue):
            continue
        if source is not None and (att.source is None or att.source.text != source):
            continue
        return att
    raise AssertionError(f"no attribution with cue={cue!r} source={source!r} in {[a.to_dict() for a in atts]}")


def find_resolved(atts, source: str, cue: str | None = None) -> Attribution:
    """The attribution whose source, or the antecedent its relative-pronoun source resolves to ("a local resident
    who said": source "who", resolved "a local resident", as PolNeAR marks it), is ``source``."""
    for att in atts:
        who = att.resolved_source or att.source
        if who is not None and who.text == source and (cue is None or (att.cue is not None and att.cue.text == cue)):
            return att
    raise AssertionError(f"no attribution with source or resolved source {source!r} in {[a.to_dict() for a in atts]}")


# ----------------------------------------------------------------------------- quotes (no model)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He said “yes, we will” and left.", ["“yes, we will”"]),
        ('He said "yes, we will" and left.', ['"yes, we will"']),
        ("Il a dit « oui » hier.", ["« oui »"]),
        ("She called it ‘a farce’ twice.", ["‘a farce’"]),
        ("“They said ‘never’ to us,” she said.", ["“They said ‘never’ to us,”"]),
        ("It’s the mayor’s plan, not “ours.”", ["“ours.”"]),
        ("“Open and never closed.\n\nNext paragraph.", ["“Open and never closed."]),
        ("“First part.\n\n“Second part.\n\n“Last part.”\n\nAfter.", ["“First part.\n\n“Second part.\n\n“Last part.”"]),
        ("odd ” closer first, then “a real one”", ["“a real one”"]),
        ("“one “two” three", ["“one", "“two”"]),
        ('a " b " c "', []),
        ('say "a" and "b', ['"a"', '"b']),
    ],
)
def test_attribution_find_quotes(text, expected):
    assert [text[s:e] for s, e in quotations(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("a\n\nb", ["a", "b"]), ("  a  \nb\n\n\n", ["a", "b"]), ("", [])],
)
def test_attribution_paragraph_bounds(text, expected):
    assert [text[s:e] for s, e in paragraph_bounds(text)] == expected


# ----------------------------------------------------------------------------- forms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # (source, cue, content, kind)
        (
            "“We will win this war,” the minister said on Monday.",
            ("the minister", "said", "“We will win this war,”", "direct"),
        ),
        (
            "“We will win this war,” said the defence minister.",
            ("the defence minister", "said", "“We will win this war,”", "direct"),
        ),
        (
            "The minister said that the army would withdraw from the city.",
            ("The minister", "said", "that the army would withdraw from the city", "indirect"),
        ),
        (
            "The company said in a statement that its profits fell sharply.",
            ("The company", "said", "that its profits fell sharply", "indirect"),
        ),
        (
            "The mayor said the plan was “a total disaster” for the city.",
            ("The mayor", "said", "the plan was “a total disaster” for the city", "mixed"),
        ),
        (
            "According to the police, the suspect fled the scene in a car.",
            ("the police", "According to", "the suspect fled the scene in a car", "indirect"),
        ),
        (
            "The suspect fled the scene in a car, according to the police.",
            ("the police", "according to", "The suspect fled the scene in a car", "indirect"),
        ),
        (
            "The talks will resume next week, said the foreign minister.",
            ("the foreign minister", "said", "The talks will resume next week", "indirect"),
        ),
        (
            "None of the patients showed any symptoms of poisoning, witnesses said.",
            ("witnesses", "said", "None of the patients showed any symptoms of poisoning", "indirect"),
        ),
        (
            "The senator told reporters: “We have the votes and we will pass it.”",
            ("The senator", "told", "“We have the votes and we will pass it.”", "direct"),
        ),
        (
            'The senator said, "We have the votes and we will pass it."',
            ("The senator", "said", '"We have the votes and we will pass it."', "direct"),
        ),
        (
            "The official said: « Nous avons gagné la bataille. »",
            ("The official", "said", "« Nous avons gagné la bataille. »", "direct"),
        ),
        (
            "The minister said: ‘We have won the battle and the war.’",
            ("The minister", "said", "‘We have won the battle and the war.’", "direct"),
        ),
        (
            "Rt.com reports: The military alleged that rebels brought canisters of chlorine.",
            ("Rt.com", "reports", "The military alleged that rebels brought canisters of chlorine", "indirect"),
        ),
        (
            "The planned “provocation,” the Russian military said, is also to justify an offensive.",
            (
                "the Russian military",
                "said",
                "The planned “provocation,” the Russian military said, is also to justify an offensive",
                "mixed",
            ),
        ),
        (
            "Russia believes that such attacks will be covered widely in the Western media.",
            ("Russia", "believes", "that such attacks will be covered widely in the Western media", "indirect"),
        ),
    ],
)
def test_attribution_forms(nlp, text, expected):
    source, cue, content, kind = expected
    att = find(attributions(nlp, text), cue=cue)
    assert att.source is not None
    assert att.source.text == source
    assert att.content.text == content
    assert att.kind == kind
    assert text[att.content.start : att.content.end] == att.content.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "It was reported by Reuters that the talks had failed completely.",
            ("Reuters", "that the talks had failed completely"),
        ),
        (
            # the model misses a cue before a colon; the rule's colon relay reads it
            "The agency wrote:\n\nThe weather will be cold tomorrow and the roads will be icy.\n\nOther news.",
            ("The agency", "The weather will be cold tomorrow and the roads will be icy"),
        ),
        (
            "The senator said:\n\n“First we fix the roads.\n\n“Then we fix the schools.\n\n“Then the rest.”\n\nShe left.",
            ("The senator", "“First we fix the roads.\n\n“Then we fix the schools.\n\n“Then the rest.”"),
        ),
        (
            # alone in a one-sentence text 'said' gets P=0.33 from the model, under its 0.4 threshold: the rules' reading
            # of a plain speech verb the model passed over finds it
            "Officials met a local resident who said preparations for an attack were underway in the east.",
            ("a local resident", None),
        ),
    ],
)
def test_attribution_cross_sentence_and_passive(nlp, text, expected):
    source, content = expected
    att = find_resolved(attributions(nlp, text), source=source)
    if content is not None:
        assert att.content.text == content


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Maria Lopez visited the town on Monday. “It is a disaster,” she said.", "Maria Lopez"),
        ("John Smith visited the town on Monday. “It is a disaster,” he said.", "John Smith"),
        (
            "The Defense Ministry issued a warning. The military alleged the rebels had chlorine. "
            "“They brought canisters filled with chlorine,” it said.",
            "The military",
        ),
    ],
)
def test_attribution_pronoun_resolution(nlp, text, expected):
    att = find(attributions(nlp, text), cue="said")
    assert att.source is not None
    assert att.source.text.lower() in ("he", "she", "it", "they")
    assert att.resolved_source is not None
    assert att.resolved_source.text == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a coordinated group that spoke in the sentence before (the seed article's "They revealed")
        (
            "Eventually, a boy from the video, who was initially believed to be a victim, as well as medical staff at "
            "the hospital testified at a conference. They revealed that members of the group poured cold water over kids.",
            "a boy from the video, who was initially believed to be a victim, as well as medical staff at the hospital",
        ),
        ("The mayor and the police chief met residents on Monday. They said the road would reopen.", "The mayor and the police chief"),
        # a nearer plural speaker wins over an older named source
        ("Maria Lopez spoke first. Two farmers told reporters the river had flooded. They said the crops were lost.", "Two farmers"),
        # the group is nearer than the named source two sentences back
        ("Locals told him it was staged. Later, doctors and nurses testified in court. They said nobody was hurt.",
         "doctors and nurses"),
    ],
)
def test_attribution_plural_pronoun_resolves_to_group(nlp, text, expected):
    att = find(attributions(nlp, text), source="They")
    assert att.resolved_source is not None
    assert att.resolved_source.text == expected


@pytest.mark.parametrize(
    "text",
    [
        "Prices rose sharply in May. They said the rise would last.",  # no group that can speak
        "The results came in on Monday. They said nothing.",
        "The American people watched the hearing. They said the judges were biased.",  # a plural subject of no cue
        "The senator or his deputy will attend the talks. They said a deal was near.",  # "or" makes no group
    ],
)
def test_attribution_plural_pronoun_needs_a_speaking_group(nlp, text):
    first = text[: text.index(" ", text.index(" ") + 1)].lower()
    for att in attributions(nlp, text):
        assert att.resolved_source is None or not att.resolved_source.text.lower().startswith(first)


def test_attribution_seed_they_revealed_is_the_boy_and_the_staff(nlp, seed_path):
    att = find(attributions(nlp, seed_path.read_text(encoding="utf-8")), source="They", cue="revealed")
    assert att.resolved_source is not None
    assert att.resolved_source.text.startswith("a boy from the Douma")
    assert att.resolved_source.text.endswith("as well as medical staff at the hospital")


@pytest.mark.parametrize(
    "text",
    [
        "He said “this quote opens and never closes. Another sentence follows.",
        'She said " and then " and " again.',
        "” ” “ ‘ ’ « » \" said he.",
        "“\n\n“\n\n“",
        "They said:",
        "",
        "said",
    ],
)
def test_attribution_unbalanced_quotes_never_crash(nlp, text):
    doc = nlp(text)
    for att in doc._.attributions:
        for span in (att.content, att.source, att.cue, att.resolved_source):
            if span is not None:
                assert doc.text[span.start : span.end] == span.text
                assert 0 <= span.start < span.end <= len(doc.text)


def test_attribution_unclosed_quote_keeps_text(nlp):
    text = "He said “this quote opens and never closes and goes on. Then more."
    att = find(attributions(nlp, text), cue="said")
    assert att.content.text.startswith("“this quote opens")
    assert att.content.end >= text.index("goes on")


def test_attribution_ids_and_span_groups_aligned(nlp):
    text = (
        "“We will win,” the minister said. The mayor said the plan was bad. "
        "The suspect fled, according to the police."
    )
    doc = nlp(text)
    atts = doc._.attributions
    assert [a.id for a in atts] == [f"a{i}" for i in range(1, len(atts) + 1)]
    assert len(atts) >= 3
    starts = [min(a.content.start, a.cue.start) for a in atts]
    assert starts == sorted(starts)
    content = doc.spans["attribution_content"]
    assert len(content) == len(atts)
    for span, att in zip(content, atts, strict=False):
        assert span.label_ == att.kind
        assert span.start_char <= att.content.start
        assert att.content.end <= span.end_char
    for key, role in (("attribution_cue", "cue"), ("attribution_source", "source")):
        ids = doc.spans[key].attrs["attribution_ids"]
        assert ids == [a.id for a in atts if getattr(a, role) is not None]
    assert all(a.source_id is None and a.relayed_by is None for a in atts)


# ----------------------------------------------------------------------------- seed article

SEED_TEXT = (
    "US Special Forces are helping Jihadists in Syria to orchestrate a “chemical weapons attack”.\n\n"
    "“Our intelligence confirmed by three independent Syrian sources says that commanders of the so-called "
    "‘Free Syrian Army’ are preparing a serious provocation involving chemical warfare agents in Deir ez-Zor "
    "province,” the Russian Defense Ministry said in a statement.\n\n"
    "Rt.com reports: The military alleged the FSA militants are likely to employ chlorine to orchestrate the "
    "chemical incident. “To imitate yet another ‘chemical attack by the regime against peaceful civilians’, "
    "the rebels brought canisters filled with chlorine,” it said.\n\n"
    "The set-up could then be distributed in Western media. The planned “provocation,” the Russian military "
    "said, is also to justify an FSA offensive against Syrian troops on eastern bank of the Euphrates River.\n\n"
    "On the latest occasion in March, Russian Reconciliation Center received a tip-off from a local resident "
    "who said possible preparations for a “provocation” with the use of chemical agents were underway in "
    "Eastern Ghouta.\n\n"
    "According to the intelligence, Tahrir al-Sham group have placed “hermetically sealed containers,” next "
    "to a self-engineered turbine on one of the roofs in the Damascus suburb.\n\n"
    "Two weeks later, however, a reporter from German public broadcaster ZDF spoke to locals who told him the "
    "whole event was “staged.”\n\n"
    "None of the patients at the local hospitals showed any symptoms of chemical weapons poisoning, witnesses "
    "said.\n\n"
    "Russia believes that such attacks will be widely-covered in the Western media."
)


@pytest.fixture(scope="module")
def seed_atts(nlp):
    return attributions(nlp, SEED_TEXT)


def test_attribution_seed_ministry_quote(seed_atts):
    att = find(seed_atts, source="the Russian Defense Ministry")
    assert att.cue.text == "said"
    assert att.kind == "direct"
    assert att.content.text.startswith("“Our intelligence")
    assert att.content.text.endswith("province,”")


def test_attribution_seed_rt_reports(seed_atts):
    # The content is the reported sentence; the quotation after it has its own attribution ("..., it said"),
    # which the rule system swallowed into this content.
    att = find(seed_atts, source="Rt.com", cue="reports")
    assert att.content.text.startswith("The military alleged")
    assert att.content.text.endswith("the chemical incident")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # (source, cue, content prefix, kind)
        ("alleged", ("The military", "alleged", "the FSA militants are likely", "indirect")),
        ("Russian military", ("the Russian military", "said", "The planned “provocation,”", "mixed")),
        ("told", ("locals", "told", "the whole event was “staged.”", "mixed")),
        ("witnesses", ("witnesses", "said", "None of the patients", "indirect")),
        ("According", ("the intelligence", "According to", "Tahrir al-Sham group have placed", "mixed")),
        ("believes", ("Russia", "believes", "that such attacks", "indirect")),
    ],
)
def test_attribution_seed_expected(seed_atts, text, expected):
    source, cue, prefix, kind = expected
    att = find_resolved(seed_atts, cue=cue, source=source)
    assert att.content.text.startswith(prefix)
    assert att.kind == kind


def test_attribution_seed_it_resolved(seed_atts):
    att = find(seed_atts, source="it")
    assert att.kind == "direct"
    assert att.resolved_source is not None
    assert att.resolved_source.text in ("The military", "the Russian Defense Ministry")


def test_attribution_seed_local_resident(seed_atts):
    att = find_resolved(seed_atts, source="a local resident", cue="said")
    assert "preparations" in att.content.text


def test_attribution_seed_file(nlp):
    if not SEED.exists():
        pytest.skip(f"{SEED} is absent (the shared samples folder is not checked out)")
    text = SEED.read_text(encoding="utf-8")
    atts = attributions(nlp, text)
    sources = {a.source.text for a in atts if a.source}
    assert {"the Russian Defense Ministry", "Rt.com", "The military", "witnesses", "Russia"} <= sources


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "“We will win this war,” the minister said. “And we will rebuild.”\n\nOther news.",
            "“We will win this war,” the minister said. “And we will rebuild.”",
        ),
        (
            "''We will win this war,'' the minister said on Monday.",
            "''We will win this war,''",
        ),
    ],
)
def test_attribution_quote_continues_after_cue(nlp, text, expected):
    att = find(attributions(nlp, text), cue="said")
    assert att.content.text == expected
    assert att.kind == "direct"


def test_attribution_learned_cue_needs_speaker(nlp):
    # "show" is only in the learned lexicon: a patient count is no speaker.
    text = "None of the patients at the hospital showed any symptoms of poisoning."
    assert attributions(nlp, text) == ()


def test_attribution_missing_lexicon_is_a_named_error(nlp):
    from newsaudit.components.attribution import AttributionExtractor
    from newsaudit.errors import ModelError

    with pytest.raises(ModelError):
        AttributionExtractor(nlp, "x", cue_lexicon="/nonexistent/cues.txt")


def test_attribution_lexicons_can_be_switched_off(nlp):
    from newsaudit.components.attribution import AttributionExtractor

    bare = AttributionExtractor(nlp, "x", learned_lexicon="", rule_filter="", nouns="", verb_classes="")
    doc = bare(nlp.make_doc("He said so."))
    assert doc._.attributions == ()
    assert "show" not in bare.cues
    assert "say" in bare.cues


def test_attribution_rerun_is_stable(nlp):
    text = "“We will win,” the minister said. The mayor said the plan was bad."
    doc = nlp(text)
    first = doc._.attributions
    again = nlp.get_pipe("newsaudit_attribution")(doc)._.attributions
    assert first == again


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Lynch: No outside influence on FBI probe into Clinton emails.\n\nThe attorney general spoke on Tuesday.",
            ("Lynch", "No outside influence on FBI probe into Clinton emails"),
        ),
        pytest.param(
            "Carly Fiorina: “Bill Clinton is fair game.”\n\nShe spoke in Iowa.",
            ("Carly Fiorina", "“Bill Clinton is fair game.”"),
            marks=pytest.mark.xfail(reason="the model's source is 'Carly' (the first name only) before a headline colon",
                                    strict=True),
        ),
    ],
)
def test_attribution_name_colon(nlp, text, expected):
    source, content = expected
    att = find(attributions(nlp, text), cue=":")
    assert att.source.text == source
    assert att.content.text == content


def test_attribution_pronoun_resolves_to_a_surname_source(nlp):
    text = ("Its chief executive, Dana Okoro, told reporters the plant was safe. Engineers may not finish until "
            "next month, a spokesperson for the agency said. Okoro said the firm was cooperating. "
            "She added that any suggestion of negligence was baseless.")
    att = find(attributions(nlp, text), source="She")
    assert att.resolved_source is not None
    assert att.resolved_source.text == "Okoro"
