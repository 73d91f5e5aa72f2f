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


def patched_worker_main(conn, options):
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
    fake.analyze = analyze
    fake.analyze_many = lambda articles, options=None: (analyze(a) for a in articles)
    sys.modules["newsaudit.pipeline"] = fake
    import newsaudit.corpus.engines as worker_engines

    worker_engines._worker_main(conn, options)


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
