"""The strict attribution measures (newsaudit.eval.scorer.strict_score), computed by hand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsaudit.eval.polnear import GoldAttribution, PolnearArticle, PredAttribution, read_ann, strict_corpus
from newsaudit.eval.scorer import (
    EDGE_CHARS,
    StrictScore,
    char_ranges,
    intersection,
    match_one_to_one,
    range_size,
    strict_score,
    trim_piece,
)

R = GoldAttribution


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (("“Yes.”", (0, 6)), (1, 4)),
        (('  "Hello, world," ', (0, 18)), (3, 15)),
        (("abc", (0, 3)), (0, 3)),
        (("...", (0, 3)), (3, 3)),
        (("— no —", (0, 6)), (2, 4)),
        (("it's", (0, 4)), (0, 4)),
        (("«Non!»", (0, 6)), (1, 4)),
        (("x", (-3, 9)), (0, 1)),  # clipped to the text
    ],
)
def test_eval_strict_trim_piece(text, expected):
    assert trim_piece(text[0], *text[1]) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # pieces “A b,” and “c d.” trim to "A b" and "c d"; given out of order
        (("“A b,” he said, “c d.”", ((16, 22), (0, 6))), ((1, 4), (17, 20))),
        # overlapping pieces merge
        (("“A b,” he said, “c d.”", ((0, 4), (2, 6))), ((1, 4),)),
        # absent and empty spans have no characters
        (("“A b,” he said, “c d.”", None), ()),
        (("... said", ((0, 3),)), ()),
    ],
)
def test_eval_strict_char_ranges_union_of_pieces(text, expected):
    assert char_ranges(*text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ((((0, 10),), ((5, 15),)), 5),
        ((((0, 3), (6, 9)), ((2, 7),)), 2),
        ((((0, 3),), ((3, 6),)), 0),
        (((), ((3, 6),)), 0),
    ],
)
def test_eval_strict_intersection(text, expected):
    assert intersection(*text) == expected


def test_eval_strict_pairing_greedy_by_largest_overlap():
    # p0 overlaps g0 by 4 and g1 by 6; p1 overlaps g1 by 2 only: p0-g1 goes first, p1 is left alone
    pred = [((0, 10),), ((12, 20),)]
    gold = [((0, 4),), ((4, 14),)]
    assert match_one_to_one(pred, gold, lambda p, g: float(intersection(p, g))) == [(0, 1)]


TEXT = "0123456789" * 10  # nothing to trim


def test_eval_strict_partial_credit_by_hand():
    gold = [R(((0, 10),), ((20, 22),), ((30, 35),)), R(((50, 60),), ((62, 64),), None)]
    pred = [
        R(((0, 5),), ((21, 23),), ((34, 36),)),  # inside g0: |p∩g|=5, |p|=5, |g|=10
        R(((55, 70),), ((62, 63),), ((40, 41),)),  # with g1: |p∩g|=5, |p|=15, |g|=10
        R(((80, 90),), None, None),  # unpaired
    ]
    s = strict_score(TEXT, pred, gold)
    p, r, f = s.prf("partial")
    assert p == pytest.approx((5 / 5 + 5 / 15) / 3)
    assert r == pytest.approx((5 / 10 + 5 / 10) / 2)
    assert f == pytest.approx(2 * p * r / (p + r))
    assert s.jaccard == 1  # pair 0 is 5/10 = 0.5 (counts); pair 1 is 5/20
    assert s.prf("jaccard")[:2] == pytest.approx((1 / 3, 1 / 2))
    assert s.exact == 0
    assert s.source == 1  # pair 1 predicted a source where gold has none
    assert s.cue == 2
    assert s.overlap == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # both sources absent: a source match
        (((None, None), (((19, 23),), ((19, 23),))), (1, 1)),
        # gold source, none predicted: no match
        (((((25, 28),), None), (((19, 23),), ((19, 23),))), (0, 1)),
        # predicted source that trims to nothing against an absent gold source: both absent
        (((None, ((14, 15),)), (((19, 23),), ((19, 23),))), (1, 1)),
        # cues that do not overlap
        (((None, None), (((19, 23),), ((14, 18),))), (1, 0)),
    ],
)
def test_eval_strict_absent_roles(text, expected):
    t = "“We will win,” she said, so."
    (gold_src, pred_src), (gold_cue, pred_cue) = text
    s = strict_score(t, [R(((1, 12),), pred_cue, pred_src)], [R(((0, 14),), gold_cue, gold_src)])
    assert (s.source, s.cue) == expected


def test_eval_strict_exact_after_trimming():
    text = "“We will win,” she said."
    s = strict_score(text, [R(((1, 12),), ((19, 23),))], [R(((0, 14),), ((19, 23),))])
    assert s.exact == 1
    assert s.jaccard == 1
    assert s.source == 1
    assert s.cue == 1
    assert s.prf("partial") == pytest.approx((1.0, 1.0, 1.0))


def test_eval_strict_discontinuous_gold():
    text = "“A b c,” he said. “d e f.”"
    gold = [R(((0, 8), (18, 26)), ((11, 15),), ((8, 10),))]
    pred = [R(((0, 26),), ((11, 15),), ((9, 11),))]
    # gold: "A b c" + "d e f" = 10 characters; the prediction trims to 1..24 = 23
    s = strict_score(text, pred, gold)
    assert s.prf("partial")[:2] == pytest.approx((10 / 23, 1.0))
    assert s.jaccard == 0
    assert s.source == 1


def test_eval_strict_exact_is_its_own_matching():
    # p0 overlaps g0 (0,12) as much as g1 (0,10): the pair goes to the earlier gold, exact still finds g1
    s = strict_score(TEXT, [R(((0, 10),))], [R(((0, 12),)), R(((0, 10),))])
    assert s.overlap == 1
    assert s.exact == 1
    assert s.prf("exact") == pytest.approx((1.0, 0.5, 2 / 3))


def test_eval_strict_empty_prediction_counts_but_never_pairs():
    s = strict_score("... said", [R(((0, 3),))], [R(((4, 8),))])
    assert s.n_pred == 1
    assert s.overlap == 0
    assert s.prf("partial") == (0.0, 0.0, 0.0)


def test_eval_strict_micro_average_over_articles():
    a = PolnearArticle("a", TEXT, (R(((0, 10),)),))
    b = PolnearArticle("b", TEXT, (R(((0, 10),)), R(((20, 30),))))
    total = strict_corpus([a, b], [[PredAttribution((0, 10))], []])
    assert total == strict_score(TEXT, [R(((0, 10),))], a.gold) + strict_score(TEXT, [], b.gold)
    assert total.prf("partial") == pytest.approx((1.0, 1 / 3, 0.5))
    assert StrictScore().prf("cue") == (0.0, 0.0, 0.0)
    with pytest.raises(ValueError, match="unknown measure 'nope'"):
        total.prf("nope")


def test_eval_strict_read_ann_content2_and_unsorted_pieces(tmp_path):
    path = tmp_path / "a_x1.ann"
    path.write_text(
        "T1\tCue 4 8\tsaid\nT2\tContent 30 35;9 20\tx\nT3\tContent 40 45\ty\nT4\tAttribution 4 8\tsaid\n"
        "E1\tAttribution:T4 Content:T2 Cue:T1 Content2:T3\nE2\tAttribution:T4 Cue:T1\n",
        encoding="utf-8",
    )
    assert read_ann(path) == (R(content=((9, 20), (30, 35), (40, 45)), cue=((4, 8),), source=None),)


_TEXTS = st.text(alphabet=st.sampled_from(list("ab .,“”\"'—\n")), max_size=30)


@given(_TEXTS, st.integers(-5, 35), st.integers(-5, 35))
def test_eval_strict_trim_piece_properties(text, start, end):
    s, e = trim_piece(text, start, end)
    assert 0 <= s <= e <= len(text)
    if e > s:
        assert text[s] not in EDGE_CHARS
        assert text[e - 1] not in EDGE_CHARS
        assert max(0, start) <= s
        assert e <= min(len(text), end)


@given(_TEXTS, st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=4),
       st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=4))
def test_eval_strict_ranges_properties(text, a, b):
    ra, rb = char_ranges(text, a), char_ranges(text, b)
    for ranges in (ra, rb):
        assert all(s < e for s, e in ranges)
        assert all(ranges[k][1] < ranges[k + 1][0] for k in range(len(ranges) - 1))
    shared = intersection(ra, rb)
    assert shared == intersection(rb, ra)
    assert 0 <= shared <= min(range_size(ra), range_size(rb))
    chars_a = {i for s, e in ra for i in range(s, e)}
    chars_b = {i for s, e in rb for i in range(s, e)}
    assert shared == len(chars_a & chars_b)


@given(_TEXTS, st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), min_size=1, max_size=4))
def test_eval_strict_self_scores_one(text, pieces):
    rel = R(tuple(pieces))
    s = strict_score(text, [rel], [rel])
    if char_ranges(text, rel.content):
        assert s.prf("partial") == pytest.approx((1.0, 1.0, 1.0))
        assert s.exact == s.jaccard == s.source == s.cue == 1
    else:
        assert s.overlap == 0
