"""``newsaudit techniques`` commands (the typer app in newsaudit.techniques.cli)."""

import pytest
from typer.testing import CliRunner

from newsaudit.errors import InputError
from newsaudit.techniques.cli import app

runner = CliRunner()


def _articles(tmp_path):
    arts = tmp_path / "articles"
    arts.mkdir()
    (arts / "article1.txt").write_text(
        "Shameful traitors\n\nThese corrupt traitors want to destroy our great nation!\n", encoding="utf-8"
    )
    return arts


@pytest.mark.parametrize("text, expected", [("train", "--out"), ("predict", "--format"), ("eval", "--folds")])
def test_cli_help(text, expected):
    res = runner.invoke(app, [text, "--help"])
    assert res.exit_code == 0 and expected in res.output


def test_cli_predict_si_and_tc(tmp_path):
    arts = _articles(tmp_path)
    out = tmp_path / "si.txt"
    res = runner.invoke(app, ["predict", str(arts), "--format", "semeval-si", "--out", str(out)])
    assert res.exit_code == 0, res.output
    for line in out.read_text().splitlines():
        assert line.split("\t")[0] == "1"
    template = tmp_path / "tpl.txt"
    template.write_text("1\t?\t0\t17\n", encoding="utf-8")
    res = runner.invoke(app, ["predict", str(arts), "--format", "semeval-tc", "--spans", str(template)])
    assert res.exit_code == 0, res.output
    aid, tech, s, e = res.output.strip().split("\t")
    assert (aid, s, e) == ("1", "0", "17") and tech


def test_cli_predict_template_outside_article(tmp_path):
    arts = _articles(tmp_path)
    template = tmp_path / "tpl.txt"
    template.write_text("1\t?\t0\t17\n1\t?\t50\t5000\n", encoding="utf-8")
    res = runner.invoke(app, ["predict", str(arts), "--format", "semeval-tc", "--spans", str(template)])
    assert isinstance(res.exception, InputError)
    assert ":2:" in str(res.exception) and "outside article 1" in str(res.exception)


def test_cli_predict_tc_needs_template(tmp_path):
    res = runner.invoke(app, ["predict", str(_articles(tmp_path)), "--format", "semeval-tc"])
    assert isinstance(res.exception, InputError) and "--spans" in str(res.exception)


@pytest.mark.parametrize("peak, expected", [("0.99", 0), ("-1", 1)])
def test_cli_predict_peak(tmp_path, peak, expected):
    arts = _articles(tmp_path)
    res = runner.invoke(app, ["predict", str(arts), "--format", "semeval-si", "--peak", peak])
    if expected:
        assert isinstance(res.exception, InputError) and "--peak must be between 0 and 1" in str(res.exception)
    else:
        assert res.exit_code == 0


def test_cli_eval_lines_give_precision_recall_per_peak():
    from newsaudit.techniques.cli import eval_lines

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
    assert "SI  F1 0.4280  P 0.3720  R 0.5030" in text and "best [0.35, 0.5]: F1 0.4285" in text
    assert "by peak at threshold 0.3 (higher: fewer, surer spans): 0.0: P 0.290" in text
    assert "0.5: P 0.372 R 0.503 F1 0.428, 0.7: P 0.442 R 0.262 F1 0.329" in text and "0.35/" not in text
    assert "TC  micro-F1 0.6300  (10 spans)" in text and "Doubt" in text
