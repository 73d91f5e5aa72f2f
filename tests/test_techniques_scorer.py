"""SemEval-2020 Task 11 scorer: small cases computed by hand."""

import pytest

from newsaudit.eval.semeval import si_scores, tc_scores
from newsaudit.text.spans import merge_spans


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ([(0, 10), (5, 20)], [(0, 20)]),
        ([(5, 20), (0, 10), (30, 31)], [(0, 20), (30, 31)]),
        ([(0, 5), (5, 9)], [(0, 5), (5, 9)]),  # touching spans are not merged
        ([(3, 3), (0, 2)], [(0, 2)]),  # empty spans dropped
    ],
)
def test_scorer_merge_spans(text, expected):
    assert merge_spans(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # (gold, pred) -> (precision, recall, f1)
        (({"a": [(0, 10)]}, {"a": [(5, 15)]}), (0.5, 0.5, 0.5)),
        # overlapping gold spans are merged into (0, 20): P = 10/10, R = 10/20
        (({"a": [(0, 10), (5, 20)]}, {"a": [(0, 10)]}), (1.0, 0.5, 2 / 3)),
        # one prediction over two gold spans: P = (5+5)/15, R = (1+1)/2
        (({"a": [(0, 5), (10, 15)]}, {"a": [(0, 15)]}), (2 / 3, 1.0, 0.8)),
        # spans only meet within the same article
        (({"a": [(0, 4)], "b": [(0, 10)]}, {"a": [(0, 4)], "b": [(20, 30)]}), (0.5, 0.5, 0.5)),
        (({"a": [(0, 4)]}, {"b": [(0, 4)]}), (0.0, 0.0, 0.0)),
        (({"a": [(0, 4)]}, {}), (0.0, 0.0, 0.0)),
    ],
)
def test_scorer_si_partial_overlap(text, expected):
    gold, pred = text
    s = si_scores(gold, pred)
    assert (s.precision, s.recall, s.f1) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a span with two gold techniques needs both; multiplicity counts
        (
            (
                [("a", "X", 0, 5), ("a", "Y", 0, 5), ("a", "Z", 6, 9)],
                [("a", "Y", 0, 5), ("a", "Y", 0, 5), ("a", "Z", 6, 9)],
            ),
            2 / 3,
        ),
        (([("a", "X", 0, 5)], [("a", "X", 0, 5)]), 1.0),
        (([("a", "X", 0, 5)], [("a", "X", 0, 6)]), 0.0),
        (([("a", "X", 0, 5)], []), 0.0),
    ],
)
def test_scorer_tc_micro_f1(text, expected):
    gold, pred = text
    assert tc_scores(gold, pred).f1 == pytest.approx(expected)
