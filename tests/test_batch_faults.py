"""A batch killed with SIGKILL mid-way and resumed writes every row exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from newsaudit.corpus.batch import BatchOptions, parts_dir, run_batch

N = 120


def make_input(path: Path) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(N):
            if i % 37 == 5:
                fh.write("{broken json\n")
                continue
            fh.write(json.dumps({
                "id": f"art-{i}",
                "title": f"Council approves budget {i}",
                "text": f"The council approved budget number {i} on Monday, officials said. "
                        f"\"It is a fair plan,\" the mayor told reporters.",
                "date": f"2024-{1 + i % 12:02d}-01",
                "outlet": ["Daily", "Herald", "Courier"][i % 3],
            }) + "\n")
    return path


@pytest.mark.slow
def test_batch_sigkill_then_resume_writes_each_row_once(tmp_path):
    src = make_input(tmp_path / "in.jsonl")
    out = tmp_path / "out.parquet"
    parts = parts_dir(out)
    code = (
        "import sys; from newsaudit.corpus.batch import BatchOptions, run_batch; "
        "run_batch(BatchOptions(sys.argv[1], sys.argv[2], chunk_size=4))"
    )
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-c", code, str(src), str(out)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    killed = False
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and proc.poll() is None:
            if parts.is_dir() and len(list(parts.glob("part-*.parquet"))) >= 3:
                os.kill(proc.pid, signal.SIGKILL)
                killed = True
                break
            time.sleep(0.01)
    finally:
        if proc.poll() is None and not killed:
            proc.kill()
        proc.wait(30)
    assert killed, f"the batch finished before it could be killed: {proc.stderr.read().decode()[-500:]}"
    assert not out.exists()
    committed = sum(pq.ParquetFile(p).metadata.num_rows for p in parts.glob("part-*.parquet"))
    assert 0 < committed < N

    result = run_batch(BatchOptions(str(src), str(out), resume=True, chunk_size=16))
    rows = pq.read_table(out, columns=["row", "id", "status"]).to_pylist()
    assert [r["row"] for r in rows] == list(range(1, N + 1))  # every row, once, in order, numbered from 1
    assert result.skipped_rows >= committed
    assert result.new_rows == N - result.skipped_rows
    broken = {i + 1 for i in range(N) if i % 37 == 5}
    assert {r["row"] for r in rows if r["status"] == "error"} == broken
    assert all(r["id"] == f"art-{r['row'] - 1}" for r in rows if r["row"] not in broken)
    assert not parts.exists()
