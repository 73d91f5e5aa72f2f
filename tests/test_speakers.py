"""Speaker resolution pieces: pronoun features, gender of names and titles, the writer of a first person,
and the first-name list shipped from nomquamgender's data."""

from __future__ import annotations

import importlib.util

import pytest

from newsaudit.components.genders import agrees, first_names, pronoun_features, words_gender
from newsaudit.components.speakers import BODY, GROUP, PERSON, Candidate, SpeakerResolver, fits, mention_kind, wanted
from newsaudit.components.writers import writer_at
from newsaudit.lexicons import LEXICON_DIR, header
from newsaudit.types import Span


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("he", (3, "sing", "m")),
        ("She", (3, "sing", "f")),
        ("its", (3, "sing", "n")),
        ("their", (3, "plur", None)),
        ("we", (1, "plur", None)),
        ("I", (1, "sing", None)),
        ("Obama", None),
    ],
)
def test_speakers_pronoun_features(text, expected):
    assert pronoun_features(text) == expected


def test_speakers_pronoun_features_read_morphology(bare_nlp):
    doc = bare_nlp("She said his plan would fail.")
    assert pronoun_features("She", doc[0]) == (3, "sing", "f")
    assert pronoun_features("his", doc[2]) == (3, "sing", "m")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ((["Mrs.", "Clinton"], None), "f"),
        ((["Transport", "chief"], "Maria"), "f"),
        ((["the", "spokesman"], None), "m"),
        ((["Senator"], "Paul"), "m"),
        (([], "Hillary"), "f"),
        (([], "Barack"), "m"),
        (([], "Taylor"), None),  # borne by both: no gender
        (([], "Melezia"), None),  # not in the list: unknown, agrees with both
        ((["Mr.", "and", "Mrs."], None), None),  # the words disagree
    ],
)
def test_speakers_words_gender(text, expected):
    assert words_gender(*text) == expected


def test_speakers_unknown_gender_agrees_with_both():
    assert agrees(None, "f")
    assert agrees(None, "m")
    assert agrees("f", None)
    assert not agrees("m", "f")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (("she", Candidate(0, 5, PERSON, "m", True)), False),
        (("she", Candidate(0, 5, PERSON, None, True)), True),
        (("she", Candidate(0, 5, BODY, "n", True)), False),  # an outlet is not "she"
        (("it", Candidate(0, 5, BODY, "n", True)), True),
        (("it", Candidate(0, 5, PERSON, None, True)), False),
        (("they", Candidate(0, 5, GROUP, None, True)), True),
    ],
)
def test_speakers_candidate_agreement(text, expected):
    kind, gender = wanted(text[0])
    assert fits(text[1], kind, gender) == expected


def test_speakers_entity_features_outweigh_the_mention():
    """"Lopez" alone has no gender; the entity it belongs to (Maria Lopez) has."""
    lopez = Candidate(0, 5, PERSON, None, True, group=0)
    assert not fits(lopez, PERSON, "m", (PERSON, "f"))


OZ = ("Donald Trump said on Thursday that he was in excellent health, in an interview with Oz.\n\n"
      "For years, Oz has been dogged by charges of questionable advice. He has promoted unproven therapies.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "Oz" tagged a person once: the untagged subject "Oz" later is that person, the topic "He" goes on about
        ((OZ, "PERSON"), "Oz"),
        # a one-word name the tagger calls an organisation is no person
        ((OZ, "ORG"), "Donald Trump"),
    ],
)
def test_speakers_one_word_name_tagged_a_person_elsewhere(bare_nlp, text, expected):
    from spacy.tokens import Span as SpacySpan

    from newsaudit.components.speakers import SpeakerResolver
    from newsaudit.types import Span

    body, label = text
    doc = bare_nlp(body)
    first = next(t for t in doc if t.text == "Oz")
    doc.ents = [e for e in doc.ents if e.label_ in ("PERSON", "DATE")] + [SpacySpan(doc, first.i, first.i + 1, label)]
    at = body.index("He has")
    found = SpeakerResolver(doc).resolve(Span(at, at + 2, "He"))
    assert found is not None
    assert body[found.start : found.end] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a letters page: each "I" is the next signature's
        (("LETTERS.\n\nI cannot fathom it.\n\nMichael Pravica.\n\nHenderson, Nev.\n\nI hope so.\n\nChris Smith.", [10, 75]),
         ["Michael Pravica", "Chris Smith"]),
        # an opinion piece introduces its author at the end
        (("I grew up in a survivalist household.\n\nCharlotte Meehan is playwright-in-residence at Wheaton College.", [0]),
         ["Charlotte Meehan"]),
        # a heading is no signature, and a plain story names no writer
        (("I was there.\n\nThe Economy\n\nIt grew.", [0]), [None]),
        (("We examine its record on human rights.\n\nHuman Rights.\n\nThe council failed.", [0]), [None]),
    ],
)
def test_speakers_writer_of_a_first_person(text, expected):
    body, positions = text
    got = [writer_at(body, pos) for pos in positions]
    assert [g.text if g else None for g in got] == expected


def test_speakers_first_names_list_has_source_and_licence():
    lines = " ".join(header(LEXICON_DIR / "first_names.tsv"))
    assert "nomquamgender" in lines
    assert "MIT" in lines
    assert first_names()["maria"] == "f"
    assert first_names()["john"] == "m"


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("nomquamgender") is None, reason="nomquamgender is not installed")
def test_speakers_first_names_list_is_what_the_package_gives(tmp_path):
    from newsaudit.train.first_names import write_first_names

    out = tmp_path / "first_names.tsv"
    write_first_names(out)
    assert out.read_text(encoding="utf-8") == (LEXICON_DIR / "first_names.tsv").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the possessor of a source mention stays a candidate of its own, and "he" of "his doctor" is not the doctor
        (("Gary Johnson’s doctor wrote to the paper. He released a letter from his doctor on Friday.",
          "Gary Johnson’s doctor", "He"), "Gary Johnson"),
        # without "his doctor" in the pronoun's clause the doctor, the subject before, goes on
        (("Gary Johnson’s doctor wrote to the paper. He released a letter on Friday.", "Gary Johnson’s doctor", "He"),
         "Gary Johnson’s doctor"),
    ],
)
def test_speakers_possessor_is_someone_else(bare_nlp, text, expected):
    article, source, pronoun = text
    resolver = SpeakerResolver(bare_nlp(article))
    start = article.index(source)
    resolver.add(Candidate(start, start + len(source), PERSON, None, True, group=0))
    at = article.index(pronoun + " released")
    found = resolver.resolve(Span(at, at + len(pronoun), pronoun), speaker=True)
    assert found is not None
    assert article[found.start : found.end] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A woman who lives across the road , and who asked not to be named", (PERSON, "f")),
        ("A man who works at the clinic and who did not give a name", (PERSON, "m")),
        ("Tom Reed and Maria Lopez", (GROUP, None)),
    ],
)
def test_speakers_mention_kind_and_of_a_relative_clause(bare_nlp, text, expected):
    doc = bare_nlp(text)
    words = [(t.lower_, t.ent_type_, t.pos_) for t in doc]
    assert mention_kind(words, [t.tag_ for t in doc]) == expected
