"""The techniques commands: ``newsaudit train techniques`` and ``newsaudit eval techniques[-probs|-predict]``."""

import pytest
from typer.testing import CliRunner

from newsaudit.cli.eval import app
from newsaudit.cli.train import app as train_app
from newsaudit.errors import InputError

runner = CliRunner()


def _articles(tmp_path):
    arts = tmp_path / "articles"
    arts.mkdir()
    (arts / "article1.txt").write_text(
        "Shameful traitors\n\nThese corrupt traitors want to destroy our great nation!\n", encoding="utf-8"
    )
    return arts


@pytest.mark.parametrize(("text", "expected"), [("train", "--out"), ("techniques-predict", "--format"), ("techniques", "--folds")])
def test_cli_help(text, expected):
    res = runner.invoke(train_app, ["techniques", "--help"]) if text == "train" else runner.invoke(app, [text, "--help"])
    assert res.exit_code == 0
    assert expected in res.output


def test_cli_predict_si_and_tc(tmp_path):
    arts = _articles(tmp_path)
    out = tmp_path / "si.txt"
    res = runner.invoke(app, ["techniques-predict", str(arts), "--format", "semeval-si", "--out", str(out)])
    assert res.exit_code == 0, res.output
    for line in out.read_text().splitlines():
        assert line.split("\t")[0] == "1"
    template = tmp_path / "tpl.txt"
    template.write_text("1\t?\t0\t17\n", encoding="utf-8")
    res = runner.invoke(app, ["techniques-predict", str(arts), "--format", "semeval-tc", "--spans", str(template)])
    assert res.exit_code == 0, res.output
    aid, tech, s, e = res.output.strip().split("\t")
    assert (aid, s, e) == ("1", "0", "17")
    assert tech


def test_cli_predict_template_outside_article(tmp_path):
    arts = _articles(tmp_path)
    template = tmp_path / "tpl.txt"
    template.write_text("1\t?\t0\t17\n1\t?\t50\t5000\n", encoding="utf-8")
    res = runner.invoke(app, ["techniques-predict", str(arts), "--format", "semeval-tc", "--spans", str(template)])
    assert isinstance(res.exception, InputError)
    assert ":2:" in str(res.exception)
    assert "outside article 1" in str(res.exception)


def test_cli_predict_tc_needs_template(tmp_path):
    res = runner.invoke(app, ["techniques-predict", str(_articles(tmp_path)), "--format", "semeval-tc"])
    assert isinstance(res.exception, InputError)
    assert "--spans" in str(res.exception)


@pytest.mark.parametrize(("peak", "expected"), [("0.99", 0), ("-1", 1)])
def test_cli_predict_peak(tmp_path, peak, expected):
    arts = _articles(tmp_path)
    res = runner.invoke(app, ["techniques-predict", str(arts), "--format", "semeval-si", "--peak", peak])
    if expected:
        assert isinstance(res.exception, InputError)
        assert "--peak must be between 0 and 1" in str(res.exception)
    else:
        assert res.exit_code == 0


def test_cli_eval_lines_give_precision_recall_per_peak():
    from newsaudit.train.techniques_cv import cv_lines as eval_lines

    def s(p, r, f):
        return {"precision": p, "recall": r, "f1": f, "n_pred": 1, "n_gold": 1}

    res = {
        "articles": 3, "folds": 2, "n_layers": 3, "quantize": True, "members": ["conv"],
        "si": s(0.372, 0.503, 0.428), "si_threshold": [0.3, 0.5], "si_best_threshold": [0.35, 0.5],
        "si_by_threshold": {"0.3/0.0": s(0.29, 0.66, 0.40), "0.3/0.5": s(0.372, 0.503, 0.428),
                            "0.3/0.7": s(0.442, 0.262, 0.329), "0.35/0.5": s(0.39, 0.47, 0.4285)},
        "tc": {"f1": 0.63, "n_gold": 10}, "tc_per_technique": {"Doubt": {"f1": 0.6, "n_gold": 5, "n_pred": 4}},
    }
    text = "\n".join(eval_lines(res))
    assert "SI  F1 0.4280  P 0.3720  R 0.5030" in text
    assert "best [0.35, 0.5]: F1 0.4285" in text
    assert "by peak at threshold 0.3 (higher: fewer, surer spans): 0.0: P 0.290" in text
    assert "0.5: P 0.372 R 0.503 F1 0.428, 0.7: P 0.442 R 0.262 F1 0.329" in text
    assert "0.35/" not in text
    assert "TC  micro-F1 0.6300  (10 spans)" in text
    assert "Doubt" in text


def _probs_corpus(tmp_path):
    """A one-article PTC-like corpus (gold span 'bbbb') and two saved probability files."""
    import numpy as np

    root = tmp_path / "ptc"
    (root / "train-articles").mkdir(parents=True)
    (root / "train-articles" / "article1.txt").write_text("aaaa bbbb cccc dddd", encoding="utf-8")
    (root / "train-labels-task1-span-identification").mkdir()
    (root / "train-labels-task1-span-identification" / "article1.task1-SI.labels").write_text("1\t5\t9\n", encoding="utf-8")
    offsets = np.array([[0, 4], [5, 9], [10, 14], [15, 19]], np.int32)
    chunk = np.zeros(4, np.int32)
    files = []
    for name, row in (("a.npz", [0.1, 0.9, 0.2, 0.1]), ("b.npz", [0.1, 0.3, 0.6, 0.1])):
        np.savez(tmp_path / name, **{"1/members": np.array([row], np.float32), "1/offsets": offsets, "1/chunk": chunk})
        files.append(str(tmp_path / name))
    return root, files


@pytest.mark.parametrize(("which", "grid", "expected"), [
    ((0,), "0.3", 1.0),  # 'bbbb' alone
    ((0, 1), "0.3", 8 / 13),  # mean 0.1 0.6 0.4 0.1: 'bbbb cccc', P 4/9, R 1
    ((0, 1), "0.45", 1.0),
])
def test_techniques_eval_probs_averages_files(tmp_path, which, grid, expected):
    import json

    root, files = _probs_corpus(tmp_path)
    res = runner.invoke(app, ["techniques-probs", *[files[i] for i in which], "--data", str(root), "--thresholds", grid, "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["taggers"] == len(which)
    assert out["articles"] == 1
    assert out["si_by_threshold"][f"{float(grid)}/0.5"]["f1"] == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize(("bad", "expected"), [("rows", "has 1 tagger rows"), ("offsets", "other tokens"), ("article", "not in")])
def test_techniques_eval_probs_rejects_mismatched_files(tmp_path, bad, expected):
    import numpy as np

    from newsaudit.errors import EvalError

    root, files = _probs_corpus(tmp_path)
    z = dict(np.load(files[1]))
    if bad == "rows":  # a second article only one file has
        (root / "train-articles" / "article2.txt").write_text("eeee", encoding="utf-8")
        z.update({"2/members": np.array([[0.5]], np.float32), "2/offsets": np.array([[0, 4]], np.int32), "2/chunk": np.zeros(1, np.int32)})
    elif bad == "offsets":
        z["1/offsets"] = z["1/offsets"] + 1
    else:
        z = {k.replace("1/", "9/"): v for k, v in z.items()}
    np.savez(files[1], **z)
    res = runner.invoke(app, ["techniques-probs", *files, "--data", str(root)])
    assert isinstance(res.exception, EvalError)
    assert expected in str(res.exception)
