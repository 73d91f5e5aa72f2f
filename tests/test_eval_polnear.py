"""Evaluation on 3 PolNeAR train articles (skipped when the corpus is absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def train_dir(shared_data: Path) -> Path:
    path = shared_data / "polnear" / "train"
    if not (path / "text").is_dir():
        pytest.skip(f"PolNeAR is absent ({path}); it lives in ../shared/data, outside the repository")
    return path


def test_eval_polnear_three_train_articles(train_dir, tmp_path):
    from newsaudit.eval.polnear import AttributionEvalOptions, evaluate

    pred = tmp_path / "pred.jsonl"
    result = evaluate(AttributionEvalOptions(directory=str(train_dir), pred=str(pred), limit=3, baseline=True))
    assert result.articles == 3
    assert result.gold > 0
    system, baseline = result.scores["newsaudit"], result.scores["baseline"]
    assert system["content-overlap"].tp > 0
    assert system["content-overlap"].f1 > baseline["content-overlap"].f1
    assert result.strict["newsaudit"].prf("partial")[2] > result.strict["baseline"].prf("partial")[2] > 0
    rows = [json.loads(line) for line in pred.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 3
    for row in rows:
        assert set(row) == {"article", "attributions"}
        text = (train_dir / "text" / f"{row['article']}.txt").read_text(encoding="utf-8")
        for att in row["attributions"]:
            start, end = att["content"]
            assert 0 <= start < end <= len(text)


def test_eval_polnear_cli(train_dir):
    from typer.testing import CliRunner

    from newsaudit.cli.eval import app

    result = CliRunner().invoke(app, ["attribution", str(train_dir), "--limit", "1", "--no-baseline", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data["scores"]) == {"newsaudit"}
    assert set(data["scores"]["newsaudit"]) == {"content-exact", "content-overlap", "source", "cue"}
    strict = data["strict"]["newsaudit"]
    assert set(strict) == {"partial", "jaccard", "exact", "source", "cue", "overlap", "counts"}
    assert 0 < strict["partial"]["f1"] <= 1


def test_eval_polnear_strict_rows_in_table(train_dir):
    from typer.testing import CliRunner

    from newsaudit.cli.eval import app

    result = CliRunner().invoke(app, ["attribution", str(train_dir), "--limit", "1"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for measure in ("strict partial", "strict jaccard", "strict exact", "strict source", "strict cue"):
        assert measure in result.output
