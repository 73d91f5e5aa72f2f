"""newsaudit.eval.fnc_score: the FNC-1 score, F1 and confusion matrix, computed by hand."""

import pytest

from newsaudit.errors import EvalError
from newsaudit.eval import fnc_score as fs

GOLD = ["agree", "disagree", "discuss", "unrelated", "unrelated"]
PRED = ["agree", "discuss", "unrelated", "unrelated", "agree"]


@pytest.mark.parametrize(
    ("gold", "pred", "expected"),
    [
        ("agree", "agree", 1.0),
        ("disagree", "discuss", 0.25),  # related/unrelated right, label wrong
        ("discuss", "unrelated", 0.0),
        ("unrelated", "unrelated", 0.25),
        ("unrelated", "agree", 0.0),
    ],
)
def test_stance_score_pair_score(gold, pred, expected):
    assert fs.pair_score(gold, pred) == expected


def test_stance_score_hand_computed_report():
    rep = fs.report(GOLD, PRED)
    assert rep.score == 1.5
    assert rep.max_score == 3.5
    assert rep.relative == pytest.approx(1.5 / 3.5)
    assert rep.confusion == ((1, 0, 0, 0), (0, 0, 1, 0), (0, 0, 0, 1), (1, 0, 0, 1))
    assert rep.f1 == pytest.approx({"agree": 2 / 3, "disagree": 0.0, "discuss": 0.0, "unrelated": 0.5})
    assert rep.macro_f1 == pytest.approx((2 / 3 + 0.5) / 4)
    assert "relative" in rep.as_text()


def test_stance_score_perfect_is_one():
    assert fs.report(GOLD, GOLD).relative == 1.0


@pytest.mark.parametrize(("gold", "pred"), [(["agree"], []), (["agree"], ["maybe"])])
def test_stance_score_bad_input_raises(gold, pred):
    with pytest.raises(EvalError):
        fs.report(gold, pred)
