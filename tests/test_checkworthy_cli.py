"""newsaudit eval checkworthy: the printed measures, the --pred format (every row, input order), --cv."""

from __future__ import annotations

from pathlib import Path

import pytest

import newsaudit
from newsaudit.cli import main

ROWS = [
    ("d1.tsv", 2, "Thank you all for coming tonight.", 0),
    ("d1.tsv", 1, "We cut taxes by 40 percent in 2017, the largest cut in history.", 1),
    ("d1.tsv", 3, "Is that what you want?", 0),
    ("d2.tsv", 1, "Unemployment fell to 3.7 percent last year, the lowest in 50 years.", 1),
    ("d2.tsv", 2, "I think we can do better.", 0),
    ("d2.tsv", 3, "Good evening.", 0),
]


@pytest.fixture
def clef(tmp_path):
    path = tmp_path / "clef.csv"
    lines = ["line_number,speaker,text,label,file_name"] + [f'{n},A,"{t}",{lab},{f}' for f, n, t, lab in ROWS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_checkworthy_cli_measures_and_pred(clef, capsys):
    pred = clef.parent / "pred.tsv"
    assert main(["eval", "checkworthy", str(clef), "--pred", str(pred)]) == 0
    out = capsys.readouterr().out
    for expected in ("MAP: ", "R-precision: ", "P@5: ", "P@10: ", "debates: 2", "wrote 6 scores to"):
        assert expected in out
    lines = [line.split("\t") for line in pred.read_text(encoding="utf-8").splitlines()]
    assert [(f, int(n)) for f, n, _s in lines] == [(f, n) for f, n, _t, _l in ROWS]  # input order, every row
    scores = {(f, int(n)): float(s) for f, n, s in lines}
    assert scores[("d1.tsv", 1)] > scores[("d1.tsv", 2)]
    assert scores[("d2.tsv", 1)] > scores[("d2.tsv", 3)]
    assert "MAP: 1.0000" in out  # both check-worthy sentences rank first in their debate


def test_checkworthy_cli_cross_validation_with_baseline(clef, capsys):
    assert main(["eval", "checkworthy", str(clef), "--cv", "--baseline"]) == 0
    out = capsys.readouterr().out
    assert "leave-one-debate-out cross-validation: 6 sentences" in out
    assert "baseline (word 1-2-gram" in out
    assert out.count("MAP: ") == 2
    assert "model against baseline: MAP difference " in out
    assert "two-sided sign-flip test over debates: p = " in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cv", "--held-out"], "give --cv or --held-out, not both"),
        (["--baseline"], "--baseline needs --cv or --held-out"),
        (["--held-out"], "gate debates missing from the data"),
    ],
)
def test_checkworthy_cli_bad_usage_is_one_line_exit_2(clef, capsys, args, message):
    code = main(["eval", "checkworthy", str(clef), *args])
    err = capsys.readouterr().err.strip()
    assert code == 2, err
    assert len(err.splitlines()) == 1, err
    assert message in err, err


@pytest.mark.slow
@pytest.mark.corpus
def test_checkworthy_cli_train_on_two_debates(shared_data, tmp_path):
    """The shipped recipe trained on two CLEF debates writes a folder the model loads, and ranks their sentences."""
    import csv

    from newsaudit.eval.checkworthy import CheckworthyEvalOptions, evaluate_checkworthy
    from newsaudit.train.checkworthy_cv import CheckworthyTrainOptions, train_checkworthy_file

    with open(shared_data / "checkworthy" / "clef2019-task1-train.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = [r for r in reader if r["file_name"] in ("20181010_medicare.tsv", "20190108_oval_office.tsv")]
        fields = reader.fieldnames
    path = tmp_path / "two.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fields)
        writer.writeheader()
        writer.writerows(rows)
    shipped = Path(newsaudit.__file__).parent / "data" / "checkworthy" / "model"
    # the shipped table, not a fresh distillation of MiniLM (torch, 40 s to 2 min): the same table either way
    summary = train_checkworthy_file(CheckworthyTrainOptions(str(path), str(tmp_path / "model"), table_from=str(shipped)))
    assert summary.n_sentences == len(rows)
    assert sorted(summary.debates) == ["20181010_medicare.tsv", "20190108_oval_office.tsv"]
    result = evaluate_checkworthy(CheckworthyEvalOptions(str(path), model_dir=str(tmp_path / "model")))
    assert result.report.map > 0.5  # in-sample
