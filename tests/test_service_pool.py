"""The analysis pool with worker processes: a time-out stops the work, a dead worker is replaced,
and decoding / HTML extraction run in the workers, not on the server's event loop.

A worker process does not see monkeypatching done here, so these tests name
their stand-in analyses by import path (``ServiceSettings.analysis_function``):
the functions below, imported by the worker as ``test_service_pool:...``
(pytest puts tests/ on ``sys.path``, and a spawned worker gets the same path).
"""

from __future__ import annotations

import os
import time
from dataclasses import replace

import psutil
import pytest
from fastapi.testclient import TestClient

from newsaudit.service.app import ServiceSettings, create_app
from newsaudit.types import Report

HERE = __name__  # "test_service_pool" as the worker imports it


def pid_analysis(article, options):
    """A stand-in analysis that tells which process ran it (in the article id)."""
    return Report(article=replace(article, id=f"pid:{os.getpid()}"))


def slow_analysis(article, options):
    """A stand-in analysis that would hold its worker for a minute."""
    time.sleep(60)
    return Report(article=article)


def dying_analysis(article, options):
    """A stand-in analysis whose worker dies (as if killed for memory)."""
    os._exit(3)


def process_app(function: str, **settings) -> TestClient:
    app = create_app(ServiceSettings(analysis_function=f"{HERE}:{function}", workers=1, queue=2, **settings))
    return app


def wait_idle(client: TestClient, within_s: float) -> float:
    """Seconds until /v1/health shows no work in progress (fails after ``within_s``)."""
    start = time.monotonic()
    while time.monotonic() - start < within_s:
        if client.get("/v1/health").json()["in_progress"] == 0:
            return time.monotonic() - start
        time.sleep(0.05)
    pytest.fail(f"/v1/health still shows work in progress {within_s} s after the 504")


def test_service_timeout_stops_the_work():
    app = process_app("slow_analysis", timeout_s=1.5)
    with TestClient(app) as c:
        app.state.pool.start(wait_s=60)  # the worker is up: the time limit is all the analysis's
        (old_pid,) = app.state.pool.pids()
        r = c.post("/v1/analyze", json={"body": "The minister resigned, officials said."})
        assert r.status_code == 504, r.text
        assert "longer than 1.5 s" in r.json()["detail"]
        assert wait_idle(c, within_s=5) < 5
        # The worker that ran it is gone (killed, not left sleeping) and a fresh one stands in.
        deadline = time.monotonic() + 5
        while psutil.pid_exists(old_pid) and psutil.Process(old_pid).status() != psutil.STATUS_ZOMBIE:
            assert time.monotonic() < deadline, "the timed-out worker is still running"
            time.sleep(0.05)
        assert app.state.pool.replaced == 1
        deadline = time.monotonic() + 10
        while not app.state.pool.pids() and time.monotonic() < deadline:
            time.sleep(0.05)  # the replacement starts in the background
        assert app.state.pool.pids()
        assert old_pid not in app.state.pool.pids()


def test_service_queued_request_past_its_queue_limit_never_starts():
    app = process_app("slow_analysis", timeout_s=3.0, queue_timeout_s=1.0)
    with TestClient(app) as c:
        app.state.pool.start(wait_s=60)
        import threading

        codes: list[int] = []
        threads = [threading.Thread(target=lambda: codes.append(c.post("/v1/analyze", json={"body": "One."}).status_code))
                   for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert sorted(codes) == [503, 504]  # the queued one waited 1 s for a worker, the running one ran 3 s
        wait_idle(c, within_s=5)
        assert app.state.pool.replaced == 1  # only the running one had to be killed


def test_service_worker_death_gives_503_and_a_new_worker():
    app = process_app("dying_analysis", timeout_s=20)
    with TestClient(app) as c:
        r = c.post("/v1/analyze", json={"body": "The minister resigned."})
        assert r.status_code == 503, r.text
        assert "worker stopped" in r.json()["detail"]
        assert r.headers["retry-after"] == "1"
        assert c.get("/v1/health").json()["in_progress"] == 0
        deadline = time.monotonic() + 10
        while not app.state.pool.pids() and time.monotonic() < deadline:
            time.sleep(0.05)  # the replacement starts in the background
        assert app.state.pool.pids()  # replaced


def test_service_html_extraction_runs_in_a_worker(monkeypatch):
    import newsaudit.load

    def not_here(*args, **kwargs):
        raise AssertionError("decoding or HTML extraction ran in the server process")

    # The server process must not extract (nor decode a raw body): a worker process, which does not see
    # these patches, does.  (A JSON body is decoded and parsed here: that takes milliseconds for 2 MB.)
    for name in ("load_html", "load_bytes", "load_text"):
        monkeypatch.setattr(newsaudit.load, name, not_here)
    html = ("<html><head><title>Storm hits coast</title></head><body><article><h1>Storm hits coast</h1><p>"
            + "A storm hit the coast on Monday, according to the weather service. " * 3 + "</p></article></body></html>")
    app = process_app("pid_analysis", timeout_s=30)
    with TestClient(app) as c:
        with monkeypatch.context() as patch:
            patch.setattr(newsaudit.load, "decode_bytes", not_here)
            r = c.post("/v1/analyze", content=html.encode("latin-1"),
                       headers={"Content-Type": "text/html; charset=latin-1"})
        assert r.status_code == 200, r.text
        article = r.json()["article"]
        assert "storm hit the coast" in article["body"]
        assert article["id"].startswith("pid:")
        assert int(article["id"][4:]) != os.getpid()
        r = c.post("/v1/analyze", json={"html": html})
        assert r.status_code == 200, r.text
        assert int(r.json()["article"]["id"][4:]) != os.getpid()


def test_service_worker_errors_keep_their_status():
    app = process_app("pid_analysis", timeout_s=30)
    with TestClient(app) as c:
        r = c.post("/v1/analyze", content=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", headers={"Content-Type": "text/plain"})
        assert r.status_code == 415
        assert "binary upload" in r.json()["detail"]
        r = c.post("/v1/analyze", json={"html": "<html><body><p></p></body></html>"})
        assert r.status_code == 422, r.text


@pytest.mark.slow
def test_service_real_pipeline_in_a_worker_process():
    app = create_app(ServiceSettings(workers=1, timeout_s=120, preload=True))
    with TestClient(app) as c:  # the lifespan starts the worker and loads the model in it
        assert c.get("/v1/health").json()["model_loaded"] is True
        r = c.post("/v1/analyze", json={"headline": "Minister quits",
                                         "body": "The minister resigned on Monday, officials said."})
        assert r.status_code == 200, r.text
        assert r.json()["article"]["text"].startswith("Minister quits\n\n")
        assert len(app.state.pool.pids()) == 1
    assert not app.state.pool.pids()  # the lifespan's end stopped the worker


@pytest.mark.parametrize(
    ("settings", "message"),
    [({"isolation": "fork"}, "isolation"), ({"analysis_function": "newsaudit.pipeline.analyze"}, "module:function")],
)
def test_service_settings_refuse_bad_pool_options(settings, message):
    with pytest.raises(ValueError, match=message):
        ServiceSettings(**settings)
