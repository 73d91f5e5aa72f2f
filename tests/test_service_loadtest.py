"""The bounded loopback load test behind `make bench` (a small run)."""

from __future__ import annotations

import pytest

from benchmarks.service import _percentile, run_loadtest


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [([1.0], 0.5, 1.0), ([1.0, 2.0, 3.0], 0.5, 2.0), ([1.0, 2.0, 3.0, 4.0], 0.5, 2.5), ([0.0, 10.0], 0.95, 9.5)],
)
def test_service_loadtest_percentile(values, q, expected):
    assert _percentile(values, q) == pytest.approx(expected)


@pytest.mark.slow
def test_service_loadtest_small_run_has_no_5xx():
    result = run_loadtest(n=24, concurrency=6)
    assert result["status_counts"] == {"200": 24}
    assert result["errors_5xx"] == 0
    assert result["failures"] == 0
    assert 0 < result["p50_ms"] <= result["p95_ms"] <= result["max_ms"]
    assert result["server_peak_rss_mb"] > 50


def test_service_loadtest_server_runs_on_the_fast_loop_and_parser():
    """uvicorn picks uvloop and httptools by itself when they are installed (they are dependencies of
    the service): about a quarter more searches a second than asyncio and h11 on two cores."""
    from uvicorn.config import Config

    config = Config(app=lambda scope, receive, send: None, loop="auto", http="auto")
    config.load()
    loop = config.get_loop_factory()()
    try:
        assert type(loop).__module__.startswith("uvloop")
    finally:
        loop.close()
    assert config.http_protocol_class.__name__ == "HttpToolsProtocol"
