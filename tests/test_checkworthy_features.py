"""newsaudit.models.checkworthy.cues: the ClaimBuster-style counts the check-worthiness model weighs."""

from __future__ import annotations

from dataclasses import fields

import pytest

from newsaudit.models.checkworthy import Features, features_from_span, load_cues
from newsaudit.models.checkworthy.features import CB_NAMES, dense_names


def test_checkworthy_features_cues_loaded():
    cues = load_cues()
    assert "because" in cues.causal
    assert "think" in cues.opinion_verbs
    assert "say" in cues.light_verbs
    assert len(cues.opinion_words) > 6000
    assert "likely" in cues.hedges


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


def test_checkworthy_features_names_follow_the_counts():
    assert tuple(f.name for f in fields(Features)) == CB_NAMES
    names = dense_names(False, False)
    assert names[: len(CB_NAMES) + 1] == [f"cb:{n}" for n in CB_NAMES] + ["log_len"]
    assert len(dense_names(False, True)) == len(names) + 96
