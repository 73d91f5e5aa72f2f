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
