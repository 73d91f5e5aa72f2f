"""The Dask engine on a two-worker LocalCluster gives the same rows as the local engine."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from newsaudit.corpus.batch import BatchOptions, run_batch


def make_input(path, n=14):
    lines = []
    for i in range(n):
        if i == 4:
            lines.append("{not json")
            continue
        lines.append(json.dumps({
            "id": f"d{i}",
            "title": f"Ministry denies report {i}",
            "text": f"The ministry denied report {i} on Friday, a spokesman said. \"This is false,\" he told RT.",
            "date": "2024-05-0" + str(1 + i % 9),
            "outlet": "Daily" if i % 2 else "Herald",
        }))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_batch_dask_local_cluster_matches_local_engine(tmp_path):
    pytest.importorskip("distributed")
    src = make_input(tmp_path / "in.jsonl")
    local = run_batch(BatchOptions(str(src), str(tmp_path / "local.parquet"), chunk_size=3))
    dask = run_batch(BatchOptions(str(src), str(tmp_path / "dask.parquet"), chunk_size=3, engine="dask", workers=2))
    assert dask.engine == "dask"
    assert dask.rows == local.rows == 14
    a = pq.read_table(tmp_path / "local.parquet").to_pylist()
    b = pq.read_table(tmp_path / "dask.parquet").to_pylist()
    assert len(a) == len(b)
    for left, right in zip(a, b, strict=False):
        assert left == right


@pytest.mark.slow
def test_batch_process_pool_matches_in_process(tmp_path):
    src = make_input(tmp_path / "in.jsonl", n=8)
    run_batch(BatchOptions(str(src), str(tmp_path / "one.parquet"), chunk_size=2, article_timeout=None))
    pooled = run_batch(BatchOptions(str(src), str(tmp_path / "two.parquet"), chunk_size=2, workers=2))
    assert pooled.rows == 8
    assert pq.read_table(tmp_path / "one.parquet").to_pylist() == pq.read_table(tmp_path / "two.parquet").to_pylist()


@pytest.mark.slow
def test_batch_dask_existing_scheduler_address(tmp_path):
    """--scheduler ADDRESS: the batch joins a cluster that is already running (here: in-process workers)."""
    distributed = pytest.importorskip("distributed")
    import logging

    src = make_input(tmp_path / "in.jsonl", n=6)
    local = run_batch(BatchOptions(str(src), str(tmp_path / "local.parquet"), chunk_size=2))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None,
                                  silence_logs=logging.ERROR) as cluster:
        result = run_batch(BatchOptions(str(src), str(tmp_path / "dask.parquet"), chunk_size=2, engine="dask",
                                        scheduler=cluster.scheduler_address))
        assert len(cluster.workers) == 2  # the cluster outlives the batch
    assert result.rows == local.rows == 6
    assert pq.read_table(tmp_path / "local.parquet").to_pylist() == pq.read_table(tmp_path / "dask.parquet").to_pylist()
