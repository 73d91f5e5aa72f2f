"""``newsaudit serve``: its options reach the service settings (the server itself is not started)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from newsaudit.cli import serve as service_cli


@pytest.fixture
def captured(monkeypatch):
    seen = []
    monkeypatch.setattr("newsaudit.service.server.serve", seen.append)
    monkeypatch.delenv("NEWSAUDIT_TECHNIQUES_PEAK", raising=False)
    return seen


@pytest.mark.parametrize(
    ("args", "peak", "any_language"),
    [
        ([], None, False),
        (["--techniques", "--techniques-peak", "0.7"], 0.7, False),
        (["--any-language"], None, True),
    ],
)
def test_service_serve_analysis_flags(captured, args, peak, any_language):
    result = CliRunner().invoke(service_cli.app, args)
    assert result.exit_code == 0, result.output
    (settings,) = captured
    assert settings.analyze.techniques_peak == peak
    assert settings.analyze.any_language is any_language
    assert settings.isolation == "process"
    assert settings.preload is True


def test_service_serve_worker_flags(captured):
    result = CliRunner().invoke(service_cli.app, ["--workers", "3", "--timeout", "5", "--max-worker-rss", "0"])
    assert result.exit_code == 0, result.output
    (settings,) = captured
    assert (settings.workers, settings.timeout_s, settings.max_worker_rss_mb) == (3, 5.0, None)


def test_service_serve_help_names_the_flags():
    result = CliRunner().invoke(service_cli.app, ["--help"], terminal_width=200)
    assert "--techniques-peak" in result.output
    assert "--any-language" in result.output
