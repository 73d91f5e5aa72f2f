"""newsaudit.eval.ranking: MAP, R-precision and P@k of check-worthiness rankings, computed by hand."""

import pytest

from newsaudit.errors import EvalError
from newsaudit.eval import ranking as cs


@pytest.mark.parametrize(
    ("labels", "scores", "ap", "rp", "p5", "p10"),
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


@pytest.mark.parametrize(
    ("system", "reference", "expected"),
    [
        # all three better by 0.1: only the two all-same-sign patterns reach |mean| 0.1 -> p = 2/8
        ([0.3, 0.4, 0.5], [0.2, 0.3, 0.4], (0.1, 3, 0, 0.25)),
        # one tie, one loss: the tie is neither a win nor a loss
        ([0.5, 0.2, 0.1], [0.5, 0.4, 0.1], (-0.2 / 3, 0, 1, 1.0)),
    ],
)
def test_ranking_paired_difference_by_hand(system, reference, expected):
    from newsaudit.eval.ranking import CwReport, paired_difference

    names = [f"d{k}" for k in range(len(system))]
    a = CwReport(0, 0, 0, 0, dict(zip(names, system, strict=True)))
    b = CwReport(0, 0, 0, 0, dict(zip(names, reference, strict=True)))
    out = paired_difference(a, b)
    assert (round(out.mean_diff, 9), out.wins, out.losses, out.p_value) == (round(expected[0], 9), *expected[1:])
    assert out.debates == len(system)
    assert "sign-flip" in out.as_text()


def test_ranking_paired_difference_samples_many_debates_reproducibly():
    from newsaudit.eval.ranking import CwReport, paired_difference

    a = CwReport(0, 0, 0, 0, {f"d{k}": 0.3 + 0.01 * (k % 3) for k in range(30)})
    b = CwReport(0, 0, 0, 0, {f"d{k}": 0.3 for k in range(30)})
    first, second = paired_difference(a, b), paired_difference(a, b)
    assert first == second
    assert first.wins == 20
    assert first.p_value < 0.001
    with pytest.raises(EvalError):
        paired_difference(a, CwReport(0, 0, 0, 0, {"other": 0.1}))
