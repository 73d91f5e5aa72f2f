"""--article-timeout: a stuck article's worker process is killed and replaced, the article becomes an
error row, the batch goes on.  The analysis is monkeypatched inside the worker processes (they are
spawned, so the patch travels as the worker's entry point, this module's ``patched_worker_main``)."""

from __future__ import annotations

import json
import multiprocessing
import time

import pyarrow.parquet as pq
import pytest

import newsaudit.corpus.engines as engines
from newsaudit.corpus.batch import BatchOptions, run_batch


def patched_worker_main(conn, options, parent_pid):
    """Runs in the worker process: a fake analysis (no spaCy, no model) that stalls on STALL and dies on DIE."""
    import os
    import sys
    import types

    from newsaudit.types import Report

    def analyze(article, options=None):
        if "STALL" in article.body:
            time.sleep(600)
        if "DIE" in article.body:
            os._exit(3)
        return Report(article=article)

    fake = types.ModuleType("newsaudit.pipeline")
    fake.build_pipeline = lambda options=None: None
    fake.warm_up = lambda options=None: None
    fake.analyze = analyze
    fake.analyze_many = lambda articles, options=None: (analyze(a) for a in articles)
    sys.modules["newsaudit.pipeline"] = fake
    import newsaudit.corpus.engines as worker_engines

    worker_engines._worker_main(conn, options, parent_pid)


def write(path, bodies):
    path.write_text("".join(json.dumps({"id": f"r{i}", "title": f"T{i}", "text": b, "outlet": "Daily"}) + "\n"
                            for i, b in enumerate(bodies, start=1)), encoding="utf-8")
    return path


@pytest.mark.slow
def test_batch_article_timeout_kills_stuck_article(tmp_path, monkeypatch):
    monkeypatch.setattr(engines, "_worker_main", patched_worker_main)
    src = write(tmp_path / "in.jsonl", ["fine one", "this one will STALL", "fine three", "this one will DIE", "fine five"])
    out = tmp_path / "o.parquet"
    started = time.monotonic()
    result = run_batch(BatchOptions(str(src), str(out), chunk_size=5, article_timeout=1.5))
    elapsed = time.monotonic() - started
    rows = pq.read_table(out).to_pylist()
    assert [(r["row"], r["id"], r["status"]) for r in rows] == [
        (1, "r1", "ok"), (2, "r2", "error"), (3, "r3", "ok"), (4, "r4", "error"), (5, "r5", "ok")]
    assert rows[1]["error"].startswith("article timeout: the analysis ran past 1.5 s (--article-timeout)")
    assert "worker process stopped (exit code 3)" in rows[3]["error"]
    assert (rows[1]["headline"], rows[1]["outlet"]) == ("T2", "Daily")
    assert result.errors == result.output_errors == 2
    assert elapsed < 60, elapsed  # the stalled article did not hold the batch for its 600 s
    assert multiprocessing.active_children() == []  # the stuck worker was ended, not left running


def _short_rows(n: int) -> list[str]:
    return [f"Officials said on Monday that the bridge number {i} would reopen next week, the ministry confirmed."
            for i in range(n)]


@pytest.mark.slow
def test_batch_article_timeout_does_not_cascade_to_the_next_articles(tmp_path):
    """A 3 MB article first, then seven short ones, --article-timeout 1: the big one times out, and each
    replacement worker is warm before it takes an article, so the short ones all succeed."""
    from tests.test_cli import run_cli

    big = " ".join(["The ministry said the plant was shelled on Friday and officials denied it."] * 41_000)
    assert len(big) > 3_000_000
    src = write(tmp_path / "in.jsonl", [big, *_short_rows(7)])
    out = tmp_path / "o.parquet"
    r = run_cli(["batch", src, "--out", out, "--article-timeout", "1", "--no-progress"], timeout=600)
    rows = pq.read_table(out).to_pylist()
    assert [r["status"] for r in rows] == ["error"] + ["ok"] * 7, [r["error"] for r in rows]
    assert rows[0]["error"].startswith("article timeout: the analysis ran past 1 s")
    assert r.returncode == 1
    # the failed row is listed at the end, as analyze lists its failed rows
    assert "1 of 8 rows could not be analysed" in r.stdout
    assert "  row 1 (id 'r1'): article timeout" in r.stdout


@pytest.mark.slow
def test_batch_killed_leaves_no_worker_alive(tmp_path):
    """kill -9 of a running batch: its worker processes end with it (within a few seconds), quietly."""
    import os
    import signal
    import subprocess

    import psutil

    from tests.test_cli import newsaudit_command

    src = write(tmp_path / "in.jsonl", _short_rows(400))
    proc = subprocess.Popen([*newsaudit_command(), "batch", str(src), "--out", str(tmp_path / "o.parquet"),
                             "--workers", "2", "--chunk-size", "4", "--no-progress"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        workers: list[psutil.Process] = []
        while time.monotonic() < deadline and len(workers) < 2:
            time.sleep(0.5)
            workers = [p for p in psutil.Process(proc.pid).children(recursive=True) if "spawn_main" in " ".join(p.cmdline())]
        assert len(workers) == 2, "the batch did not start its workers"
        while time.monotonic() < deadline and not list((tmp_path / "o.parquet.parts").glob("part-*.parquet")):
            time.sleep(0.2)  # mid-batch: some chunks are written
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        _gone, alive = psutil.wait_procs(workers, timeout=10)
        alive = [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        assert not alive, f"workers still running 10 s after the batch was killed: {[p.pid for p in alive]}"
    finally:
        if proc.poll() is None:
            proc.kill()
    _out, err = proc.communicate(timeout=10)
    assert "Traceback" not in err, err
