"""The service under faults: input that names its own codec, slow clients, warm workers that take over
after a time-out, and what a response carries (no server header, offline docs)."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from newsaudit.service import work
from newsaudit.service.app import ServiceSettings, create_app
from newsaudit.types import Report

HERE = __name__  # the stand-in analyses below, as a worker process imports them


def client(**settings) -> TestClient:
    return TestClient(create_app(ServiceSettings(**{"isolation": "thread", **settings})))


@pytest.fixture
def calls(monkeypatch):
    seen: list = []

    def run(article, options):
        seen.append(article)
        return Report(article=article)

    monkeypatch.setattr(work, "run_analysis", run)
    return seen


BODY = "The minister resigned on Monday, officials said, and the ministry confirmed it later."


@pytest.mark.parametrize(
    ("ctype", "content"),
    [
        ("application/json; charset=undefined", b'{"body": "' + BODY.encode() + b'"}'),
        ("application/json; charset=punycode", b'{"body": "' + BODY.encode() + b'"}'),
        ("text/plain; charset=punycode", BODY.encode()),
        ("text/plain; charset=undefined", BODY.encode()),
        ("text/plain; charset=utf-7", b"Caf+AOk- " + BODY.encode()),
        ("text/plain; charset=rot13", BODY.encode()),
        ("text/plain; charset=unicode_escape", b"\\u00e9 " + BODY.encode()),
        ("text/plain; charset=replacement", BODY.encode()),
        ("text/html; charset=uu_codec", b"<html><body><article><p>" + BODY.encode() + b"</p></article></body></html>"),
    ],
)
def test_service_unknown_charset_label_is_a_warning_never_a_500(calls, ctype, content):
    r = client().post("/v1/analyze", content=content, headers={"Content-Type": ctype})
    assert r.status_code == 200, r.text
    article = calls[0]
    assert BODY in article.body
    label = ctype.split("charset=")[1]
    if "json" not in ctype:
        assert any(f"charset '{label}'" in w and "not a known text encoding; ignored" in w for w in article.warnings)


def test_service_utf7_text_is_not_decoded_as_utf7(calls):
    """UTF-7 would silently drop the text after an encoded surrogate: the label is not honoured."""
    r = client().post("/v1/analyze", content=b"A +2D3cAA- B said the minister resigned on Monday.",
                      headers={"Content-Type": "text/plain; charset=utf-7"})
    assert r.status_code == 200, r.text
    assert calls[0].body == "A +2D3cAA- B said the minister resigned on Monday."


@pytest.mark.parametrize("label", ["windows-1251", "cp1251", " Windows-1251 ", "WINDOWS-1251"])
def test_service_whatwg_charset_label_is_honoured(calls, label):
    text = "Министр ушёл в отставку, сообщили чиновники в понедельник."
    r = client().post("/v1/analyze?any_language=true", content=text.encode("cp1251"),
                      headers={"Content-Type": f"text/plain; charset={label}"})
    assert r.status_code == 200, r.text
    assert calls[0].body == text
    assert calls[0].warnings == ("request body: input is not UTF-8; decoded as windows-1251 (declared by the "
                                 "Content-Type header)",)


def test_service_sends_no_server_header():
    from newsaudit.service import server

    captured = {}

    def fake_run(app, **kwargs):
        captured.update(kwargs)

    import uvicorn

    original = uvicorn.run
    uvicorn.run = fake_run
    try:
        server.serve(ServiceSettings())
    finally:
        uvicorn.run = original
    assert captured["server_header"] is False


def test_service_redoc_fetches_nothing_from_outside():
    c = client()
    page = c.get("/redoc")
    assert page.status_code == 200
    assert "img-src 'self' data:" in page.headers["content-security-policy"]
    (script,) = [s for s in __import__("re").findall(r'src="([^"]+)"', page.text) if s.endswith(".js")]
    js = c.get(script)
    assert js.status_code == 200
    assert len(js.text) > 100_000
    assert "cdn.redoc.ly" not in js.text
    assert "https://" not in js.text.split("redocly logo")[1][:200]
    assert "img-src 'self' data:" in c.get("/docs").headers["content-security-policy"]


# ---------------------------------------------------------------- the body-read time limit


def _slow_body_status(timeout_s: float, delay_s: float) -> tuple[int | None, float]:
    """POST a body whose second half arrives after ``delay_s``, straight to the ASGI app (no server)."""
    app = create_app(ServiceSettings(isolation="thread", body_timeout_s=timeout_s))
    sent: list[dict] = []
    chunks = [b'{"body": "The minister ', b'resigned."}']

    async def receive() -> dict:
        if not chunks:
            await asyncio.sleep(3600)  # waiting for a disconnect
        if len(chunks) == 1:
            await asyncio.sleep(delay_s)
        return {"type": "http.request", "body": chunks.pop(0), "more_body": bool(chunks)}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/v1/analyze", "raw_path": b"/v1/analyze", "query_string": b"",
             "headers": [(b"content-type", b"application/json")], "http_version": "1.1", "scheme": "http",
             "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 5555), "root_path": "", "app": app}
    started = time.monotonic()
    asyncio.run(app(scope, receive, send))
    status = next((m["status"] for m in sent if m["type"] == "http.response.start"), None)
    return status, time.monotonic() - started


def test_service_slow_body_gets_408_at_the_body_time_limit(monkeypatch):
    monkeypatch.setattr(work, "run_analysis", lambda article, options: Report(article=article))
    status, took = _slow_body_status(timeout_s=0.5, delay_s=30)
    assert status == 408
    assert took < 5


def test_service_body_within_the_time_limit_is_read(monkeypatch):
    monkeypatch.setattr(work, "run_analysis", lambda article, options: Report(article=article))
    status, _took = _slow_body_status(timeout_s=5, delay_s=0.2)
    assert status == 200


# ---------------------------------------------------------------- warm workers, the time limit


def pid_or_slow_analysis(article, options):
    """A stand-in analysis: holds its worker for a minute on SLOW, else tells which process ran it."""
    if "SLOW" in article.body:
        time.sleep(60)
    return Report(article=replace(article, id=f"pid:{os.getpid()}"))


def test_service_request_after_a_504_goes_to_a_warm_worker():
    """The worker of a timed-out request is replaced in the background: the next request does not wait
    for that cold start while another worker is free."""
    app = create_app(ServiceSettings(analysis_function=f"{HERE}:pid_or_slow_analysis", workers=2, queue=4, timeout_s=1.5,
                                     preload=True))  # warm: each worker has run the stand-in analysis once
    with TestClient(app) as c:
        app.state.pool.start(wait_s=60)
        answers = [c.post("/v1/analyze", json={"body": "Warm up."}).json() for _ in range(2)]
        assert all("article" in a for a in answers), answers
        pids = {a["article"]["id"] for a in answers}
        assert len(pids) == 2  # both workers have run a job (ready workers are taken in turn)
        r = c.post("/v1/analyze", json={"body": "This one is SLOW."})
        assert r.status_code == 504, r.text
        started = time.monotonic()
        r = c.post("/v1/analyze", json={"body": "The minister resigned."})
        assert r.status_code == 200, r.text
        assert time.monotonic() - started < 1.0  # a warm worker, not the one starting in the background


def test_service_time_limit_counts_from_the_analysis_not_the_wait():
    """With one worker, the request after a 504 waits for the replacement to start; that wait is not
    part of its analysis' time limit."""
    app = create_app(ServiceSettings(analysis_function=f"{HERE}:pid_or_slow_analysis", workers=1, queue=4, timeout_s=0.6,
                                     queue_timeout_s=60, preload=True))  # warm: the stand-in analysis has run once
    with TestClient(app) as c:
        app.state.pool.start(wait_s=60)
        assert c.post("/v1/analyze", json={"body": "This one is SLOW."}).status_code == 504
        started = time.monotonic()
        r = c.post("/v1/analyze", json={"body": "The minister resigned."})
        waited = time.monotonic() - started
        assert r.status_code == 200, r.text
        assert waited > 0.6  # it waited for a fresh worker longer than the limit, and still ran
        assert app.state.pool.replaced == 1


@pytest.mark.slow
def test_service_workers_are_warm_before_ready():
    """A preloaded worker has analysed an article before it is ready: the first request runs at warm speed."""
    app = create_app(ServiceSettings(workers=1, timeout_s=60, preload=True))
    with TestClient(app) as c:
        assert c.get("/v1/health").json()["model_loaded"] is True
        started = time.monotonic()
        r = c.post("/v1/analyze", json={"headline": "Storm hits coast",
                                         "body": "A storm hit the coast on Monday, the weather service said."})
        took = time.monotonic() - started
        assert r.status_code == 200, r.text
        assert took < 0.8, took  # a cold first analysis costs about a second more


def test_service_concurrent_requests_all_answered():
    """Many short requests at once on two workers: every one answered, none timed out."""
    app = create_app(ServiceSettings(analysis_function=f"{HERE}:pid_or_slow_analysis", workers=2, queue=64,
                                     timeout_s=10))
    codes: list[int] = []
    with TestClient(app) as c:
        app.state.pool.start(wait_s=60)

        def one() -> None:
            codes.append(c.post("/v1/analyze", json={"body": "The minister resigned."}).status_code)

        threads = [threading.Thread(target=one) for _ in range(40)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert codes == [200] * 40


_POOL_SERVER = """
import sys, threading, time
sys.path.insert(0, {root!r})
from newsaudit.service.pool import WorkPool
pool = WorkPool(2, 2, 900.0)
pool.start(wait_s=120)
for _ in range(2):  # both workers busy: a job that would hold each for ten minutes
    threading.Thread(target=pool._call, args=(time.monotonic(), "time:sleep", (600,)), daemon=True).start()
time.sleep(1)
print(" ".join(str(p) for p in pool.pids()), flush=True)
time.sleep(600)
"""


def test_service_killed_server_leaves_no_worker_alive():
    """kill -9 of the process that holds the pool while its workers are busy: they end with it (within a few
    seconds), quietly, instead of running their jobs on under PID 1."""
    import signal
    import subprocess
    import sys
    from pathlib import Path

    import psutil

    root = str(Path(__file__).resolve().parents[1])
    proc = subprocess.Popen([sys.executable, "-c", _POOL_SERVER.format(root=root)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        pids = [int(p) for p in line.split()]
        assert len(pids) == 2, (line, proc.stderr.read() if proc.poll() is not None else "")
        workers = [psutil.Process(p) for p in pids]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        _gone, alive = psutil.wait_procs(workers, timeout=10)
        alive = [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        assert not alive, f"workers still running 10 s after the server was killed: {[p.pid for p in alive]}"
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "Traceback" not in proc.stderr.read()
