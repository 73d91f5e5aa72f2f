"""A large article through the real CLI: it must finish, keep every paragraph, and stay bounded in memory.

The test writes 0.25 MB (three parse windows, so that the joins are crossed; about 40 s on the 2-core machine)
so that `make test` stays within its budget; set NEWSAUDIT_TEST_ARTICLE_MB=5 for the 5 MB article that
docs/benchmarks.md times (about 4 minutes, 2.6 GB).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_pipeline_large_article_finishes_bounded(tmp_path):
    from newsaudit.load import load_file

    size = int(float(os.environ.get("NEWSAUDIT_TEST_ARTICLE_MB", "0.25")) * 1_000_000)

    example = load_file(ROOT / "examples" / "article.txt")
    paragraph = example.body + "\n\n"
    repeats = size // len(paragraph) + 1
    body = paragraph * repeats
    path = tmp_path / "big.txt"
    path.write_text(f"date 2025-03-14 {example.headline}\n\n{body}", encoding="utf-8")
    assert path.stat().st_size >= size
    out = tmp_path / "big.json"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run(
        [sys.executable, "-m", "newsaudit", "analyze", str(path), "--format", "json", "--out", str(out)],
        capture_output=True, text=True, timeout=1500,
    )
    assert proc.returncode == 0, proc.stderr
    peak_mb = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    assert peak_mb < 4000, f"peak memory {peak_mb:.0f} MB"
    report = json.loads(out.read_text(encoding="utf-8"))
    text = report["article"]["text"]
    assert len(text) >= size  # nothing truncated
    last = max(a["content"]["end"] for a in report["attributions"])
    assert last > len(text) - 5_000  # attributions found up to the end
    # every attribution of the example is found in every copy
    per_copy = len(report["attributions"]) / repeats
    assert per_copy >= 15
