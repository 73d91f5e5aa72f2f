"""newsaudit.eval.clef2019: CLEF 2019 CheckThat! Task 1 files, leave-one-debate-out folds, the held-out debates."""

import pytest

from newsaudit.errors import BenchmarkFileError
from newsaudit.eval import clef2019 as cd

NAMES = [f"d{i}.tsv" for i in range(5)]


def test_checkworthy_data_gate_split_holds_out_named_debates():
    train, held = cd.gate_split(NAMES, heldout=("d1.tsv", "d3.tsv"))
    assert held == ["d1.tsv", "d3.tsv"]
    assert train == ["d0.tsv", "d2.tsv", "d4.tsv"]


def test_checkworthy_data_gate_split_default_is_four_fixed_debates():
    assert len(cd.GATE_HELDOUT) == 4
    names = list(cd.GATE_HELDOUT) + NAMES
    train, held = cd.gate_split(names)
    assert sorted(held) == sorted(cd.GATE_HELDOUT)
    assert train == NAMES


def test_checkworthy_data_gate_split_missing_debate_raises():
    with pytest.raises(BenchmarkFileError):
        cd.gate_split(NAMES)


def test_checkworthy_data_leave_one_out_covers_each_debate_once():
    folds = cd.leave_one_out(NAMES)
    assert [te for _tr, te in folds] == [[n] for n in NAMES]
    assert all(te[0] not in tr for tr, te in folds)


@pytest.mark.parametrize(
    ("text", "err"),
    [
        ("line_number,speaker,text,label,file_name\n1,A,hi,2,x.tsv\n", "not 0 or 1"),
        ("line_number,speaker,text,label,file_name\none,A,hi,1,x.tsv\n", "not an integer"),
        ("speaker,text\nA,hi\n", "missing column"),
        ("line_number,speaker,text,label,file_name\n1,A,hi,1,x.tsv\n1,A,ho,0,x.tsv\n", "appears twice"),
        ("line_number,speaker,text,label,file_name\n", "no rows"),
    ],
)
def test_checkworthy_data_read_clef_bad_rows_raise(tmp_path, text, err):
    p = tmp_path / "f.csv"
    p.write_text(text)
    with pytest.raises(BenchmarkFileError, match=err):
        cd.read_clef(p)


def test_checkworthy_data_read_clef_and_group(tmp_path):
    p = tmp_path / "f.csv"
    p.write_text("line_number,speaker,text,label,file_name\n2,A,b,0,x.tsv\n1,A,a,1,x.tsv\n1,B,c,0,w.tsv\n")
    groups = cd.debates(cd.read_clef(p))
    assert list(groups) == ["w.tsv", "x.tsv"]
    assert [r.text for r in groups["x.tsv"]] == ["a", "b"]
