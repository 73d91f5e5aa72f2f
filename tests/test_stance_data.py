"""newsaudit.eval.fnc: FNC-1 files and the fixed dev split by Body ID."""

from __future__ import annotations

import random

import pytest

from newsaudit.errors import BenchmarkFileError
from newsaudit.eval import fnc as fd
from newsaudit.eval.fnc import body_folds


def test_stance_data_dev_split_documented_procedure():
    ids = [str(i) for i in range(50)]
    train, dev = fd.dev_split(ids)
    expected = sorted(range(50))
    random.Random(2017).shuffle(expected)
    assert dev == {str(i) for i in expected[:10]}
    assert train | dev == set(ids)
    assert not train & dev


def test_stance_data_dev_split_ignores_input_order():
    ids = [str(i) for i in range(30)]
    assert fd.dev_split(ids) == fd.dev_split(list(reversed(ids)))


def test_stance_data_body_folds_partition():
    ids = {str(i) for i in range(23)}
    folds = body_folds(ids, 5)
    assert set().union(*folds) == ids
    assert sum(len(f) for f in folds) == 23


def test_stance_data_read_pairs_without_stance(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text('Headline,Body ID\n"A, b",3\n', encoding="utf-8")
    assert fd.read_pairs(p) == [fd.Pair("A, b", "3", None, 1)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Headline,Body ID,Stance\nA,1,maybe\n", "row 1: Stance 'maybe'"),
        ("Headline,Stance\nA,agree\n", "missing column(s) Body ID"),
        ("", "missing column(s) Headline, Body ID"),
    ],
)
def test_stance_data_bad_stances_file_raises(tmp_path, text, message):
    p = tmp_path / "s.csv"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(BenchmarkFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        fd.read_pairs(p)


def test_stance_data_missing_file_raises(tmp_path):
    with pytest.raises(BenchmarkFileError, match="cannot read"):
        fd.read_bodies(tmp_path / "absent.csv")


@pytest.mark.parametrize(("split", "expected"), [("all", 4), ("dev", 1), ("train", 3)])
def test_stance_data_select_split_by_body(split, expected):
    bodies = ["1", "2", "3", "4", "5"]
    _train, dev = fd.dev_split(bodies)
    (dev_id,) = dev
    other = [b for b in bodies if b != dev_id]
    pairs = [fd.Pair("h", b, "agree") for b in [dev_id, *other[:3]]]
    picked = fd.select_split(pairs, bodies, split)
    assert len(picked) == expected
    assert all((p.body_id == dev_id) == (split == "dev") for p in picked) or split == "all"


def test_stance_data_unknown_split_raises():
    with pytest.raises(BenchmarkFileError, match="unknown split"):
        fd.select_split([], [], "test")
