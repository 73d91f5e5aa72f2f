"""The scale benchmark, run small."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.factcheck import clustered_vectors, exact_top_k, run_bench, synthetic_records


def test_factcheck_bench_small_run(tmp_path):
    result = run_bench(3000, queries=50, workdir=tmp_path)
    assert result["store_rows"] == 3000
    assert result["store_import_rows_per_s"] > 0
    assert result["ann_recall_at_10"] >= 0.95
    assert result["ann_query_p95_ms"] >= result["ann_query_p50_ms"] > 0
    assert "synthetic" in result["note"]
    assert list(tmp_path.iterdir()) == []  # the temporary store is gone


def test_factcheck_bench_synthetic_records_are_distinct():
    records = [r for _w, r in synthetic_records(500)]
    assert len({r.key for r in records}) == 500
    assert all(len(r.claim.split()) == 14 for r in records)


def test_factcheck_bench_exact_top_k_matches_argsort():
    data, _ = clustered_vectors(400, dim=16, clusters=10)
    q = data[:7]
    expected = np.argsort(-(q @ data.T), axis=1)[:, :5]
    assert (exact_top_k(data, q, 5, block=3) == expected).all()


@pytest.mark.parametrize(("args", "expected"), [(["--n", "200", "--queries", "5", "--no-ann"], 0), (["--n", "many"], 2)])
def test_factcheck_bench_command_exit_codes(args, expected):
    """The scale benchmark moved from `newsaudit factcheck bench` to `python -m benchmarks.factcheck`."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    proc = subprocess.run([sys.executable, "-m", "benchmarks.factcheck", *args], cwd=root, capture_output=True, text=True, timeout=300)
    assert proc.returncode == expected, proc.stderr
