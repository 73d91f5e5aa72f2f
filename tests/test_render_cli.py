"""The `newsaudit render` sub-commands (typer app in newsaudit.cli.render, library in newsaudit.render.saved)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from newsaudit.cli.render import app
from newsaudit.errors import RenderError
from newsaudit.render import to_json
from newsaudit.render.sample import sample_report
from newsaudit.render.saved import RenderOptions, render_saved
from newsaudit.types import SCHEMA_VERSION

runner = CliRunner()


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    path = tmp_path_factory.mktemp("render") / "report.json"
    path.write_text(to_json(sample_report()), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [("text", "HEADLINE DROPS ATTRIBUTION"), ("html", 'id="headline-check"'), ("json", f'"schema_version": "{SCHEMA_VERSION}"')],
)
def test_render_cli_report(saved, fmt, expected):
    result = runner.invoke(app, ["report", str(saved), "--format", fmt])
    assert result.exit_code == 0, result.output
    assert expected in result.output
    assert "\x1b[" not in result.output


def test_render_cli_report_to_file(saved, tmp_path):
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["report", str(saved), "-f", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_render_cli_validate(saved, tmp_path):
    assert runner.invoke(app, ["validate", str(saved)]).exit_code == 0
    bad = tmp_path / "bad.json"
    data = json.loads(saved.read_text(encoding="utf-8"))
    del data["sources"]
    bad.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1
    assert "missing key 'sources'" in result.output


def test_render_cli_schema_and_sample():
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output)["$id"].endswith(f"/{SCHEMA_VERSION}/report.schema.json")
    result = runner.invoke(app, ["sample", "--format", "text", "--no-color"])
    assert result.exit_code == 0
    assert "Relay chain" in result.output


def test_render_cli_errors_are_named(tmp_path):
    with pytest.raises(RenderError, match="cannot read report"):
        render_saved(RenderOptions(str(tmp_path / "missing.json")))
    broken = tmp_path / "broken.json"
    broken.write_text("{nope", encoding="utf-8")
    with pytest.raises(RenderError, match="not JSON"):
        render_saved(RenderOptions(str(broken)))
    good = tmp_path / "good.json"
    good.write_text(to_json(sample_report()), encoding="utf-8")
    with pytest.raises(RenderError, match="unknown report format"):
        render_saved(RenderOptions(str(good), fmt="pdf"))


def test_render_cli_every_command_has_help():
    for command in app.registered_commands:
        assert command.callback.__doc__, command.name
