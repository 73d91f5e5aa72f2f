"""newsaudit eval stance: the printed report, the --pred format (every input row, input order), errors."""

from __future__ import annotations

import csv

import pytest

from newsaudit.cli import main

BODIES = ('Body ID,articleBody\n'
          '1,"The council passed the budget on Monday, officials said. The vote was 7 to 2."\n'
          '2,"Reports that a shark bit a surfer are false, the coast guard said. No one was hurt."\n')
STANCES = ("Headline,Body ID,Stance\n"
           "Council passes budget,1,agree\n"
           "Shark bites surfer,2,disagree\n"
           "Council passes budget,2,unrelated\n"
           "Shark bites surfer,2,disagree\n")


@pytest.fixture
def files(tmp_path):
    (tmp_path / "bodies.csv").write_text(BODIES, encoding="utf-8")
    (tmp_path / "stances.csv").write_text(STANCES, encoding="utf-8")
    (tmp_path / "unlabelled.csv").write_text("Headline,Body ID\n" + "".join(
        line.rsplit(",", 1)[0] + "\n" for line in STANCES.splitlines()[1:]), encoding="utf-8")
    return tmp_path


def _pred(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_stance_cli_report_and_pred(files, capsys):
    assert main(["eval", "stance", "--bodies", str(files / "bodies.csv"), "--stances", str(files / "stances.csv"),
                 "--pred", str(files / "pred.csv")]) == 0
    out = capsys.readouterr().out
    for expected in ("pairs: 4 (2 bodies, 2 headlines)", "FNC-1 score:", "relative", "macro-F1:", "per-class F1:",
                     "confusion (rows gold, columns predicted):", "contradicted-in-body (", "wrote 4 predictions to"):
        assert expected in out
    rows = _pred(files / "pred.csv")
    assert rows[0] == ["Headline", "Body ID", "Stance"]
    assert [r[:2] for r in rows[1:]] == [["Council passes budget", "1"], ["Shark bites surfer", "2"],
                                         ["Council passes budget", "2"], ["Shark bites surfer", "2"]]
    assert all(r[2] in {"agree", "disagree", "discuss", "unrelated"} for r in rows[1:])
    assert rows[2] == rows[4]  # the same pair twice: the same prediction, both rows kept


def test_stance_cli_pred_without_stance_column(files, capsys):
    assert main(["eval", "stance", "--bodies", str(files / "bodies.csv"), "--stances", str(files / "unlabelled.csv"),
                 "--pred", str(files / "pred.csv")]) == 0
    assert capsys.readouterr().out.strip() == f"wrote 4 predictions to {files / 'pred.csv'}"
    assert len(_pred(files / "pred.csv")) == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--stances", "{d}/unlabelled.csv"], "has no Stance column: nothing to score"),
        (["--stances", "{d}/stances.csv", "--baseline"], "--baseline needs --split dev"),
        (["--stances", "{d}/stances.csv", "--split", "test"], "unknown split 'test'"),
        (["--stances", "{d}/orphan.csv"], "not in the bodies file, e.g. '9' (row 1)"),
    ],
)
def test_stance_cli_bad_input_is_one_line_exit_2(files, capsys, args, message):
    (files / "orphan.csv").write_text("Headline,Body ID,Stance\nX,9,agree\n", encoding="utf-8")
    code = main(["eval", "stance", "--bodies", str(files / "bodies.csv"), *(a.format(d=files) for a in args)])
    err = capsys.readouterr().err.strip()
    assert code == 2, err
    assert len(err.splitlines()) == 1, err
    assert message in err, err


def _subset(shared_data, tmp_path, bodies_wanted):
    """A stances file of the FNC-1 training pairs of the given bodies (and the full bodies file)."""
    fnc = shared_data / "fnc1"
    with open(fnc / "train_stances.csv", encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["Body ID"] in bodies_wanted]
    path = tmp_path / "stances.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, ["Headline", "Body ID", "Stance"])
        writer.writeheader()
        writer.writerows(rows)
    return fnc / "train_bodies.csv", path, rows


@pytest.mark.slow
@pytest.mark.corpus
def test_stance_cli_dev_bodies_score_well(shared_data, tmp_path):
    """40 dev bodies' pairs (about a tenth of dev): the shipped model stays near its dev figures."""
    from newsaudit.eval.fnc import dev_split, read_bodies
    from newsaudit.eval.stance import StanceEvalOptions, evaluate_stance

    bodies_csv = shared_data / "fnc1" / "train_bodies.csv"
    _train, dev = dev_split(read_bodies(bodies_csv))
    wanted = set(sorted(dev, key=int)[:40])
    bodies_csv, stances, rows = _subset(shared_data, tmp_path, wanted)
    result = evaluate_stance(StanceEvalOptions(str(bodies_csv), str(stances), split="dev"))
    assert len(result.pairs) == len(rows) > 500
    assert result.report.relative > 0.8
    assert result.report.macro_f1 > 0.55


@pytest.mark.slow
@pytest.mark.corpus
def test_stance_cli_train_small_writes_a_loadable_model(shared_data, tmp_path):
    from newsaudit.models.stance import StanceModel
    from newsaudit.train.stance import StanceTrainOptions, train_stance_files

    bodies_csv, stances, _rows = _subset(shared_data, tmp_path, {str(i) for i in range(0, 120)})
    summary = train_stance_files(StanceTrainOptions(str(bodies_csv), str(stances), str(tmp_path / "model"), split="all"))
    model = StanceModel.load(tmp_path / "model")
    assert model.config["train"]["n_pairs"] == summary.n_pairs
    assert "contradiction" in model.config
    assert "Source: computed from the FNC-1 training bodies" in (tmp_path / "model" / "vocab.tsv").read_text(encoding="utf-8")
