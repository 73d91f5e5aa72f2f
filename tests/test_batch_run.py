"""Batch analysis to Parquet: one row per input row, errors as rows, field mapping, resume."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from newsaudit.batch import (
    OUTPUT_COLUMNS,
    BatchOptions,
    _write_part,
    parts_dir,
    process_chunk,
    run_batch,
)
from newsaudit.errors import DatasetError, InputError
from newsaudit.load import FieldMap
from newsaudit.options import AnalyzeOptions

ROWS = [
    {"id": "a1", "title": "Minister quits", "text": "The minister resigned on Monday, officials said.",
     "date": "2024-01-05", "outlet": "Daily"},
    {"id": "a2", "title": "Storm hits coast", "text": "A storm hit the coast, according to the weather service.",
     "date": "2024-02-01", "outlet": "Herald"},
    {"id": "a3", "title": "Empty", "text": ""},
    "this line is not JSON",
    {"id": "a5", "title": "Talks", "text": "\"We will talk,\" the president said.", "date": "2024-02-11",
     "outlet": "Daily"},
    {"id": "a6", "title": "Rain", "text": "Rain is expected on Tuesday, forecasters said.", "date": "2024-03-02"},
]


def write_jsonl(path: Path, rows=ROWS) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read(path) -> list[dict]:
    return pq.read_table(path).to_pylist()


def test_batch_one_row_per_input_row(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl")
    seen: list[tuple[int, int | None]] = []
    result = run_batch(BatchOptions(str(src), str(tmp_path / "out.parquet"), chunk_size=2),
                       progress=lambda done, total: seen.append((done, total)))
    rows = read(tmp_path / "out.parquet")
    assert [r["row"] for r in rows] == list(range(len(ROWS)))
    assert tuple(pq.read_schema(tmp_path / "out.parquet").names) == OUTPUT_COLUMNS
    assert (result.rows, result.new_rows, result.skipped_rows, result.errors) == (6, 6, 0, 2)
    assert [r["status"] for r in rows] == ["ok", "ok", "error", "error", "ok", "ok"]
    assert "empty text" in rows[2]["error"] and rows[2]["id"] == "a3"
    assert "not valid JSON" in rows[3]["error"]
    ok = rows[0]
    assert (ok["id"], ok["headline"], ok["date"], ok["outlet"]) == ("a1", "Minister quits", "2024-01-05", "Daily")
    report = json.loads(ok["report_json"])
    assert report["article"]["id"] == "a1"
    assert ok["attributions"] == len(report["attributions"])
    assert ok["headline_verdict"] == (report["headline_check"] or {}).get("verdict")
    assert seen[0] == (0, 6) and seen[-1] == (6, 6)
    assert not parts_dir(tmp_path / "out.parquet").exists()


def test_batch_field_mapping_csv(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("key,head,content,when\nk1,Minister quits,\"The minister resigned, officials said.\",2024-01-05\n"
                   "k2,Nothing,,2024-01-06\n", encoding="utf-8")
    fields = FieldMap(id="key", title="head", text="content", date="when")
    run_batch(BatchOptions(str(src), str(tmp_path / "o.parquet"), fields=fields))
    rows = read(tmp_path / "o.parquet")
    assert [(r["id"], r["status"], r["date"]) for r in rows] == [("k1", "ok", "2024-01-05"), ("k2", "error", None)]
    assert rows[0]["headline"] == "Minister quits"


def test_batch_folder_of_files(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Minister quits\n\nThe minister resigned on Monday, officials said.\n", encoding="utf-8")
    (folder / "b.html").write_text("<html><head><title>Storm</title></head><body><article><h1>Storm</h1><p>"
                                   + "A storm hit the coast, according to the weather service. " * 3
                                   + "</p></article></body></html>", encoding="utf-8")
    (folder / "c.txt").write_bytes(b"\x00\x01\x02\x03binary\x00" * 20)
    result = run_batch(BatchOptions(str(folder), str(tmp_path / "o.parquet")))
    rows = read(tmp_path / "o.parquet")
    assert [r["id"] for r in rows] == ["a.txt", "b.html", "c.txt"]
    assert [r["status"] for r in rows] == ["ok", "ok", "error"]
    assert result.errors == 1 and rows[2]["error"]


def test_batch_resume_after_partial_run(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl")
    out = tmp_path / "out.parquet"
    # What a run killed after its first chunk leaves behind: one committed part.
    from newsaudit.batch import _iter_items

    items = list(_iter_items(BatchOptions(str(src), str(out))))
    parts = parts_dir(out)
    parts.mkdir()
    _write_part(parts, process_chunk(items[:2], AnalyzeOptions()))
    (parts / ".tmp-part-000000000002-dead.parquet").write_bytes(b"half-written")
    result = run_batch(BatchOptions(str(src), str(out), resume=True, chunk_size=3))
    assert (result.rows, result.new_rows, result.skipped_rows) == (6, 4, 2)
    assert [r["row"] for r in read(out)] == list(range(6))
    # Resuming a finished output does nothing and keeps every row once.
    again = run_batch(BatchOptions(str(src), str(out), resume=True))
    assert (again.rows, again.new_rows, again.skipped_rows) == (6, 0, 6)
    assert [r["row"] for r in read(out)] == list(range(6))


def test_batch_resume_refuses_changed_input(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", ROWS[:2])
    out = tmp_path / "out.parquet"
    run_batch(BatchOptions(str(src), str(out)))
    write_jsonl(src, [dict(ROWS[1], id="other"), ROWS[0]])
    with pytest.raises(DatasetError, match="input changed"):
        run_batch(BatchOptions(str(src), str(out), resume=True))


def test_batch_without_resume_starts_over(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", ROWS[:2])
    out = tmp_path / "out.parquet"
    run_batch(BatchOptions(str(src), str(out)))
    result = run_batch(BatchOptions(str(src), str(out)))
    assert (result.rows, result.new_rows, result.skipped_rows) == (2, 2, 0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"engine": "spark"}, "unknown engine"),
        ({"chunk_size": 0}, "chunk size"),
        ({"input": "/nonexistent/in.jsonl"}, "not found"),
    ],
)
def test_batch_bad_options(tmp_path, kwargs, message):
    opts = {"input": str(write_jsonl(tmp_path / "in.jsonl", ROWS[:1])), "out": str(tmp_path / "o.parquet"), **kwargs}
    with pytest.raises(InputError, match=message):
        run_batch(BatchOptions(**opts))


def test_batch_process_chunk_survives_unexpected_errors(monkeypatch):
    import newsaudit.pipeline as pipeline
    from newsaudit.types import Article

    def broken_many(articles, options):
        raise RuntimeError("boom")
        yield  # pragma: no cover

    def analyze_one(article, options):
        if "bad" in article.body:
            raise ValueError("cannot")
        from newsaudit.types import Report

        return Report(article=article)

    monkeypatch.setattr(pipeline, "analyze_many", broken_many)
    monkeypatch.setattr(pipeline, "analyze", analyze_one)
    rows = process_chunk([(0, Article(body="good")), (1, Article(body="bad")), (2, ("load failed", "x"))], AnalyzeOptions())
    assert [(r["row"], r["status"]) for r in rows] == [(0, "ok"), (1, "error"), (2, "error")]
    assert rows[1]["error"] == "internal error: ValueError: cannot"
    assert rows[2]["error"] == "load failed" and rows[2]["id"] == "x"


def test_batch_cli(tmp_path):
    from typer.testing import CliRunner

    from newsaudit.batch_cli import app

    src = write_jsonl(tmp_path / "in.jsonl", ROWS[:3])
    out = tmp_path / "o.parquet"
    r = CliRunner().invoke(app, ["batch", str(src), "--out", str(out), "--no-progress"])
    assert r.exit_code == 0, r.output
    assert len(read(out)) == 3
    r = CliRunner().invoke(app, ["stats", str(out)])
    assert r.exit_code == 0, r.output
    assert "3 articles (1 errors)" in r.output
