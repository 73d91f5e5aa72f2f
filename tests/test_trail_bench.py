"""The claim-trail scale benchmark (benchmarks/trail.py), run small: its generated corpus is a real batch output."""

from __future__ import annotations

import pyarrow.parquet as pq

from benchmarks.trail import generate_corpus, run_trail_bench
from newsaudit.corpus.trail.inputs import read_statements


def test_trail_bench_generated_corpus_is_a_batch_output(tmp_path):
    info = generate_corpus(tmp_path / "gen.parquet", 12, per_article=10)
    assert info["articles"] == 12
    assert info["statements"] >= 12 * 5
    assert pq.read_table(tmp_path / "gen.parquet").num_rows == 12
    data = read_statements([tmp_path / "gen.parquet"])
    assert data.errors == 0
    assert len(data.articles) == 12
    assert len(data.statements) > 0


def test_trail_bench_lines_say_generated(tmp_path):
    lines = run_trail_bench(8, workdir=str(tmp_path), workers=1, encoder="hashing-64")
    assert lines[0].startswith("trail bench corpus: GENERATED, 8 articles")
    assert any("trail bench re-run with --threshold 0.75" in line and "embedded 0 texts" in line for line in lines), lines
