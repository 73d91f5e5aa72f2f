"""The modality model: plain-text cues and features, the shipped folder, readings with the words that decided them,
and a plain ``analyze`` start-up that never imports torch."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsaudit.errors import ModelFileError
from newsaudit.models.modality import DENSE_NAMES, LABELS, MODEL_DIR, ModalityModel, find_cues, load_modality_model, words
from newsaudit.models.modality.features import pair_features


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bale reportedly in final talks", [("hedge", "reportedly"), ("talks", "talks")]),
        ("Bale is in talks, according to Variety", [("talks", "in talks"), ("attribution", "according to")]),
        ("Report was not true, studio says", [("attribution", "report"), ("denial", "not true"), ("attribution", "says")]),
        ("Bale won't play Jobs", [("negation", "won't")]),
        ("Bale WON’T play Jobs", [("negation", "won't")]),
        ("Bale to play Jobs", []),
    ],
)
def test_modality_model_cues(text, expected):
    assert [(c.kind, c.text) for c in find_cues(words(text))] == expected


@given(st.text(max_size=80))
def test_modality_model_cue_offsets_hold(text):
    for c in find_cues(words(text)):
        assert text[c.start:c.end].lower().replace("’", "'").split() == c.text.split()


def test_modality_model_features_read_the_claim():
    claim = "Christian Bale will play Steve Jobs"
    same = dict(zip(DENSE_NAMES, pair_features(claim, claim).dense, strict=True))
    negated = dict(zip(DENSE_NAMES, pair_features(claim, "Christian Bale will not play Steve Jobs").dense, strict=True))
    assert same["claim_overlap"] == 1.0
    assert same["negation_diff"] == 0
    assert same["negated_claim_words"] == 0
    assert negated["negation_diff"] == 1
    assert negated["negated_claim_words"] >= 1
    asked = dict(zip(DENSE_NAMES, pair_features(claim, "Is Bale going to play Jobs?").dense, strict=True))
    assert asked["question"] == asked["question_end"] == asked["question_opening"] == 1.0
    assert len(pair_features("", "").dense) == len(DENSE_NAMES)


@pytest.mark.parametrize(
    ("text", "label", "cue"),
    [
        ("Christian Bale will play Steve Jobs in Danny Boyle's film", "asserted", None),
        ("Christian Bale will reportedly play Steve Jobs in Danny Boyle's film", "reported", "reportedly"),
        ("Is Christian Bale going to play Steve Jobs?", "reported", "?"),
        ("Bale is in final talks to play Jobs, according to Variety", "reported", "according to"),
        ("Christian Bale has withdrawn from the role of Steve Jobs", "denied", "withdrawn"),
        ("Christian Bale will not play Steve Jobs in Danny Boyle's film", "denied", "not"),
    ],
)
def test_modality_model_reads_the_shipped_model(text, label, cue):
    reading = load_modality_model().read("Christian Bale will play Steve Jobs in Danny Boyle's film", text, 100)
    assert reading.label == label, reading
    assert set(reading.probs) == set(LABELS)
    assert abs(sum(reading.probs.values()) - 1) < 1e-3
    if cue is not None:
        assert cue in [c.text for c in reading.cues]
    for c in reading.cues:
        assert text[c.start - 100:c.end - 100] == c.text


def test_modality_model_save_load_roundtrip(tmp_path):
    model = load_modality_model()
    model.save(tmp_path / "m", ["test copy"])
    again = ModalityModel.load(tmp_path / "m")
    pairs = [("Bale will play Jobs", "Bale will reportedly play Jobs"), ("Bale will play Jobs", "Bale quits the role")]
    assert np.allclose(again.probabilities([pair_features(*p) for p in pairs]),
                       model.probabilities([pair_features(*p) for p in pairs]))


def test_modality_model_folder_errors(tmp_path):
    with pytest.raises(ModelFileError):
        ModalityModel.load(tmp_path)
    (tmp_path / "config.json").write_text('{"labels": ["asserted", "reported", "denied"], "dense_names": ["x"]}')
    with pytest.raises(ModelFileError, match="other features"):
        ModalityModel.load(tmp_path)
    assert (MODEL_DIR / "config.json").is_file()
    assert (MODEL_DIR.parent / "MODEL_CARD.md").is_file()


def test_modality_model_plain_analyze_imports_no_torch():
    """As an entry point runs it (the CLI, a worker: spaCy without torch), an analysis reads modality in numpy."""
    code = ("import sys; from newsaudit.lazy import spacy_without_torch; spacy_without_torch(); "
            "from newsaudit import Article, analyze; "
            "r = analyze(Article(headline='Bale to play Jobs', body='Bale will reportedly play Jobs, Variety said.')); "
            "assert r.headline_check.headline_modality is not None; print(sys.modules.get('torch') is not None)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("text", "claim", "label"),
    [
        ("Christian Bale could play Steve Jobs", "Christian Bale play Steve Jobs", "reported"),
        ("Is Christian Bale going to play Steve Jobs?", "Is Christian Bale going to play Steve Jobs", "reported"),
        ("Bale reportedly in talks to play Jobs", "Bale to play Jobs", "reported"),
        ("Christian Bale to play Steve Jobs", "Christian Bale to play Steve Jobs", "asserted"),
        ("Christian Bale will not play Steve Jobs", "Christian Bale will not play Steve Jobs", "asserted"),
    ],
)
def test_modality_model_own_reading_against_the_bare_claim(text, claim, label):
    from newsaudit.models.modality.cues import bare_claim

    assert bare_claim(text) == claim
    assert load_modality_model().read_own(text).label == label
