"""newsaudit.checkworthy: the feature-based check-worthiness scorer."""

from __future__ import annotations

import pytest

from newsaudit.components.checkworthy import Features, Weights, features_from_span, load_cues, score_features

FACTUAL = Features(n_tokens=20, numbers=2, dates=1, entities=2, event_verb=True)
OPINION = Features(n_tokens=10, first_person_opinion=1, opinion_words=3)


@pytest.mark.parametrize(
    ("features", "expected"),
    [
        (FACTUAL, "high"),
        (Features(n_tokens=15, entities=2, event_verb=True, causal=1), "high"),
        (OPINION, "low"),
        (Features(n_tokens=12, numbers=1, question=True), "low"),
        (Features(n_tokens=3, numbers=1), "low"),
        (Features(n_tokens=12), "low"),
    ],
)
def test_checkworthy_score_levels(features, expected):
    score, reasons = score_features(features)
    assert 0.0 <= score <= 1.0
    assert (score >= 0.5) is (expected == "high")


@pytest.mark.parametrize(
    ("base", "changed"),
    [
        (Features(n_tokens=12), Features(n_tokens=12, numbers=1)),
        (Features(n_tokens=12), Features(n_tokens=12, dates=1)),
        (Features(n_tokens=12), Features(n_tokens=12, entities=1)),
        (Features(n_tokens=12), Features(n_tokens=12, comparatives=1)),
        (Features(n_tokens=12, first_person_opinion=1), Features(n_tokens=12)),
        (Features(n_tokens=12, hedges=2), Features(n_tokens=12)),
        (Features(n_tokens=12, question=True), Features(n_tokens=12)),
    ],
)
def test_checkworthy_feature_direction(base, changed):
    assert score_features(changed)[0] > score_features(base)[0]


def test_checkworthy_reasons_name_features_and_contributions():
    _, reasons = score_features(FACTUAL)
    assert reasons[0].startswith("contains a number or quantity x2 (+")
    assert any(r.startswith("contains a date or time") for r in reasons)
    assert any("reports an event" in r for r in reasons)
    _, reasons = score_features(OPINION)
    assert any("first/second-person opinion" in r and "(-" in r for r in reasons)


def test_checkworthy_counts_are_capped():
    many = score_features(Features(n_tokens=30, numbers=50))[0]
    three = score_features(Features(n_tokens=30, numbers=3))[0]
    assert many == three


def test_checkworthy_custom_weights():
    zero = Weights(bias=0.0, numbers=0.0, dates=0.0, entities=0.0, event_verb=0.0)
    assert score_features(FACTUAL, zero)[0] == 0.5


def test_checkworthy_cues_loaded():
    cues = load_cues()
    assert "because" in cues.causal and "think" in cues.opinion_verbs and "say" in cues.light_verbs
    assert len(cues.opinion_words) > 6000 and "likely" in cues.hedges


@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        ("Officials said 40 people were killed in Aleppo on Monday.", "numbers", 1),
        ("Officials said 40 people were killed in Aleppo on Monday.", "dates", 1),
        ("The blast was caused by a gas leak.", "causal", 1),
        ("I think the plan is wonderful.", "first_person_opinion", 1),
        ("Is the plan working?", "question", True),
        ("The army captured the town.", "event_verb", True),
        ("Prices rose faster than wages.", "comparatives", 1),
    ],
)
def test_checkworthy_features_from_span(bare_nlp, text, field, expected):
    doc = bare_nlp(text)
    features = features_from_span(doc[:])
    value = getattr(features, field)
    if isinstance(expected, bool):
        assert value is expected
    else:
        assert value >= expected
