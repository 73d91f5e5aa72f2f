"""newsaudit_attribute_ruler and newsaudit_lemmatizer give the stock components' output: tags, parts of speech,
morphology, lemmas and dependency labels, token by token."""

from __future__ import annotations

import numpy
import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG

ATTRS = [TAG, POS, MORPH, LEMMA, DEP, HEAD]


@pytest.fixture(scope="module")
def parse_nlp():
    from newsaudit.pipeline import parse_pipeline

    return parse_pipeline()


@pytest.fixture(scope="module")
def stock_nlp():
    from newsaudit.nlp import load_fresh, resolve_model_name

    nlp = load_fresh(resolve_model_name())
    nlp.add_pipe("newsaudit_paragraphs", before="parser")
    return nlp


def _same(stock_nlp, parse_nlp, text: str) -> None:
    want, got = stock_nlp(text), parse_nlp(text)
    assert [t.text for t in got] == [t.text for t in want]
    diff = numpy.nonzero((want.to_array(ATTRS) != got.to_array(ATTRS)).any(axis=1))[0]
    assert not len(diff), [(want[i].text, want[i].pos_, got[i].pos_, str(want[i].morph), str(got[i].morph),
                            want[i].lemma_, got[i].lemma_) for i in diff[:5]]


def test_token_attributes_twins_replace_the_stock_components(parse_nlp):
    names = parse_nlp.pipe_names
    assert "attribute_ruler" not in names
    assert "lemmatizer" not in names
    assert names.index("newsaudit_attribute_ruler") < names.index("newsaudit_lemmatizer") < names.index("ner")
    assert {"attribute_ruler", "lemmatizer"} <= set(parse_nlp.disabled)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the multi-token patterns: each pair's lemma, and the token that takes it
        ("We're gonna win, let's go.", {"gon": "go", "na": "to", "'s": "us"}),
        ("Y'all ain't seen nothin' yet.", {"ai": "be", "nothin'": "nothing"}),
        ("There is a problem and there are two more.", {"is": "be", "are": "be"}),
        # dependency-conditioned patterns: an object pronoun's case, an auxiliary's part of speech
        ("She gave it to you and me.", {"gave": "give", "it": "it"}),
        ("He didn't say whether he has finished.", {"n't": "not", "has": "have"}),
        ("", {}),
        ("   \n\n  ", {}),
    ],
)
def test_token_attributes_same_as_stock(stock_nlp, parse_nlp, text, expected):
    _same(stock_nlp, parse_nlp, text)
    doc = parse_nlp(text)
    for word, lemma in expected.items():
        assert any(t.text == word and t.lemma_ == lemma for t in doc), (word, [(t.text, t.lemma_) for t in doc])


def test_token_attributes_same_as_stock_on_articles(stock_nlp, parse_nlp):
    texts = [(ROOT / "examples" / "article.txt").read_text(encoding="utf-8")]
    from attribution_cases import GROUPS

    texts += [text for cases in GROUPS.values() for text, _ in cases]
    for text in texts:
        _same(stock_nlp, parse_nlp, text)


WORDS = ["The", "minister", "said", "is", "are", "'s", "gonna", "gon", "na", "let", "y'", "all", "ai", "n't",
         "nothin'", "it", "you", "I", "there", "did", "have", "been", "running", "ran", "better", "\n", "  ", ",",
         ".", "\"", "Reuters", "reported", "that", "do", "does", "cannot", "who", "which", "gotta", "c'mon"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(WORDS), max_size=30))
def test_token_attributes_same_as_stock_on_any_words(stock_nlp, parse_nlp, words):
    _same(stock_nlp, parse_nlp, " ".join(words))


def test_token_attributes_pattern_it_cannot_read_keeps_the_stock_ruler():
    import spacy

    from newsaudit.components.token_attributes import can_index, use_twins

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "big", "OP": "+"}]], {"LEMMA": "big"})
    assert not can_index(ruler)
    assert use_twins(nlp) == []
    assert nlp.pipe_names == ["attribute_ruler"]


def test_token_attributes_ruler_patterns_of_every_kind_as_stock():
    import spacy
    from spacy.tokens import Doc

    from newsaudit.components.token_attributes import IndexedAttributeRuler, can_index

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": {"IN": ["big", "large"]}}]], {"LEMMA": "size", "POS": "ADJ"})
    ruler.add([[{"LOWER": {"REGEX": "^l"}}]], {"POS": "NOUN"})  # a later pattern wins
    ruler.add([[{"LOWER": "very"}, {"LOWER": {"NOT_IN": ["small"]}}]], {"MORPH": "Degree=Pos"}, index=-1)
    ruler.add([[{"IS_SPACE": True}]], {"TAG": "_SP"})
    assert can_index(ruler)
    fast = IndexedAttributeRuler(nlp, stock="attribute_ruler")
    words = ["a", "very", "large", " ", "very", "small", "big", "lamp"]
    want, got = ruler(Doc(nlp.vocab, words=words)), fast(Doc(nlp.vocab, words=words))
    assert [(t.pos_, t.lemma_, str(t.morph), t.tag_) for t in got] == [(t.pos_, t.lemma_, str(t.morph), t.tag_) for t in want]
    assert [t.pos_ for t in got][2] == "NOUN"
    assert str(got[2].morph) == "Degree=Pos"
    assert got[3].tag_ == "_SP"
