"""newsaudit.eval.ranking: MAP, R-precision and P@k of check-worthiness rankings, computed by hand."""

import pytest

from newsaudit.errors import EvalError
from newsaudit.eval import ranking as cs


@pytest.mark.parametrize(
    "labels,scores,ap,rp,p5,p10",
    [
        ([0, 1, 0, 1], [0.9, 0.8, 0.7, 0.1], 0.5, 0.5, 0.4, 0.2),
        ([1, 0, 0], [0.1, 0.5, 0.2], 1 / 3, 0.0, 0.2, 0.1),
        ([1, 0], [0.5, 0.5], 1.0, 1.0, 0.2, 0.1),  # tie: input order
        ([0, 0], [0.5, 0.4], 0.0, 0.0, 0.0, 0.0),
    ],
)
def test_checkworthy_score_measures(labels, scores, ap, rp, p5, p10):
    assert cs.average_precision(labels, scores) == pytest.approx(ap)
    assert cs.r_precision(labels, scores) == pytest.approx(rp)
    assert cs.precision_at(labels, scores, 5) == pytest.approx(p5)
    assert cs.precision_at(labels, scores, 10) == pytest.approx(p10)


def test_checkworthy_score_report_is_mean_over_debates():
    rep = cs.report(["a", "a", "a", "a", "b", "b"], [0, 1, 0, 1, 1, 0], [0.9, 0.8, 0.7, 0.1, 0.1, 0.2])
    assert rep.per_debate_ap == pytest.approx({"a": 0.5, "b": 0.5})
    assert rep.map == pytest.approx(0.5)
    assert rep.p_at_5 == pytest.approx((0.4 + 0.2) / 2)


def test_checkworthy_score_bad_input_raises():
    with pytest.raises(EvalError):
        cs.report(["a"], [1, 0], [0.1])
