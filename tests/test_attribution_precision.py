"""What a careful reader extracts, case by case: the newsaudit_attribution component with the
shipped model and the precision rules.  Cases are (text, expected) in attribution_cases.py, grouped by form;
the ones the model still gets wrong are xfail with the reason (:data:`XFAIL`)."""

from __future__ import annotations

import re

import pytest
from attribution_cases import GROUPS

from newsaudit.components.attribution.precision import PrecisionLexicon, default_lexicon, document_nouns, publisher

#: White space, quote marks and end punctuation trimmed at the edges before comparing (as the strict scorer does).
EDGE_CHARS = set(" \t\n\r\"'“”‘’«»„.,;:!?")

#: "group-index" -> why the shipped model still gets the case wrong.
XFAIL: dict[str, str] = {}


@pytest.fixture(scope="module")
def nlp():
    from newsaudit.pipeline import parse_pipeline

    pipeline = parse_pipeline()
    pipeline.add_pipe("newsaudit_attribution")
    return pipeline


def extract(nlp, text: str) -> list[tuple[str | None, str | None, list[str]]]:
    out = []
    for a in nlp(text)._.attributions:
        pieces = [p.text for p in a.content_pieces] or [a.content.text]
        out.append((a.source.text if a.source else None, a.cue.text if a.cue else None, pieces))
    return out


def norm(value: str) -> str:
    s, e = 0, len(value)
    while s < e and value[s] in EDGE_CHARS:
        s += 1
    while e > s and value[e - 1] in EDGE_CHARS:
        e -= 1
    out = re.sub(r"\s+", " ", value[s:e])
    return out[5:] if out.lower().startswith("that ") else out


def matches(found, expected) -> bool:
    source, cue, content = found
    e_source, e_cue, e_content = expected
    if (source is None) != (e_source is None):
        return False
    if e_source is not None and norm(source) not in {norm(alt) for alt in e_source.split("|")}:
        return False
    if cue is None or norm(cue).lower() != norm(e_cue).lower():
        return False
    pieces = e_content if isinstance(e_content, list) else [e_content]
    return [norm(p) for p in content if norm(p)] == [norm(p) for p in pieces]


def show(found) -> str:
    return "\n".join(f"  source={s!r} cue={c!r} content={ps!r}" for s, c, ps in found) or "  (no attribution)"


def _param(group: str, i: int, text: str, expected):
    key = f"{group}-{i}"
    marks = [pytest.mark.xfail(reason=XFAIL[key], strict=True)] if key in XFAIL else []
    return pytest.param(text, expected, id=key, marks=marks)


CASES = [_param(group, i, text, expected) for group, cases in GROUPS.items() for i, (text, expected) in enumerate(cases)]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_attribution_precision_careful_reader(nlp, text, expected):
    found = extract(nlp, text)
    unmatched = list(found)
    missing = []
    for exp in expected:
        hit = next((f for f in unmatched if matches(f, exp)), None)
        if hit is None:
            missing.append(exp)
        else:
            unmatched.remove(hit)
    assert not missing, f"\nexpected {expected}\nfound:\n{show(found)}"
    assert not unmatched, f"\nexpected {expected}\nfound:\n{show(found)}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A reporter spoke to locals who told him the whole event was staged.", "locals"),
        # a relative clause on a predicate noun (or its conjunct or apposition) speaks for the copula's subject, not
        # the list's last noun: a PolNeAR editor's note whose claim trail's origin_source read "rampant xenophobe"
        ("Editor’s note: Donald Trump is a serial liar, rampant xenophobe, racist, misogynist, birther and bully who "
         "has repeatedly said that he would ban all Muslims from entering the U.S.", "Donald Trump"),
        ("The man is a doctor who said the clinic had closed.", "The man"),
        ("Editor’s note: Donald Trump regularly incites political violence and is a serial liar, rampant xenophobe, "
         "racist and bully who has repeatedly said that he would ban all Muslims from entering the U.S.", "Donald Trump"),
    ],
)
def test_attribution_precision_relative_pronoun_antecedent(nlp, text, expected):
    found = [a for a in nlp(text)._.attributions if a.source is not None and a.source.text.lower() == "who"]
    assert len(found) == 1
    assert found[0].resolved_source is not None
    assert found[0].resolved_source.text == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Washington Post ran a feature that profiled a supporter.", "The Washington Post"),
        ("He released a letter from his doctor that says he is in excellent health.", "He"),
        # a verb of receiving or reading issues nothing
        ("The senator received a letter that says the plant will close.", None),
        # a first person is no publisher the rules resolve
        ("I released a letter that says the plant will close.", None),
    ],
)
def test_attribution_precision_document_publisher(nlp, text, expected):
    doc = nlp(text)
    noun = next(t for t in doc if t.dep_ == "dobj" and t.lemma_.lower() in document_nouns())
    found = publisher(noun)
    assert (doc[found.left_edge.i : found.right_edge.i + 1].text if found is not None else None) == expected


def test_attribution_precision_lexicons_read():
    lex = default_lexicon()
    assert lex.non_speech["approve"] == "always"
    assert {"decline", "refuse"} <= lex.refuse_lemmas
    assert "respond" in lex.negated_lemmas


def test_attribution_precision_lexicon_folder(tmp_path):
    (tmp_path / "non_speech_cues.tsv").write_text("# test\nbless\talways\n", encoding="utf-8")
    (tmp_path / "refusal_patterns.tsv").write_text("# test\nrefuse-lemma\tshrug\ncontent-regex\t^no comment$\n", encoding="utf-8")
    lex = PrecisionLexicon.load(tmp_path)
    assert lex.non_speech == {"bless": "always"}
    assert lex.refuse_lemmas == frozenset({"shrug"})
    assert [p.pattern for p in lex.content_patterns] == ["^no comment$"]
