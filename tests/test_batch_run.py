"""Batch analysis to Parquet: one row per input row, errors as rows, field mapping, resume."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from newsaudit.corpus.batch import (
    OUTPUT_COLUMNS,
    BatchOptions,
    _write_part,
    parts_dir,
    process_chunk,
    run_batch,
)
from newsaudit.errors import DatasetError, FailedRow, InputError
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
    assert [r["row"] for r in rows] == list(range(1, len(ROWS) + 1))  # 1-based record numbers
    assert tuple(pq.read_schema(tmp_path / "out.parquet").names) == OUTPUT_COLUMNS
    assert (result.rows, result.new_rows, result.skipped_rows, result.errors) == (6, 6, 0, 2)
    assert [r["status"] for r in rows] == ["ok", "ok", "error", "error", "ok", "ok"]
    assert "empty text" in rows[2]["error"]
    assert rows[2]["id"] == "a3"
    assert "not valid JSON" in rows[3]["error"]
    assert "row 4" in rows[3]["error"]
    assert result.output_errors == 2
    ok = rows[0]
    assert (ok["id"], ok["headline"], ok["date"], ok["outlet"]) == ("a1", "Minister quits", "2024-01-05", "Daily")
    report = json.loads(ok["report_json"])
    assert report["article"]["id"] == "a1"
    assert ok["attributions"] == len(report["attributions"])
    assert ok["headline_verdict"] == (report["headline_check"] or {}).get("verdict")
    assert seen[0] == (0, 6)
    assert seen[-1] == (6, 6)
    assert not parts_dir(tmp_path / "out.parquet").exists()


def test_batch_output_columns_are_the_schema():
    from newsaudit.corpus.rows import output_schema

    assert tuple(output_schema().names) == OUTPUT_COLUMNS


def test_batch_report_row_reads_the_summary():
    """A report's row comes from report.summary (newsaudit.report.summarize), not from counting again."""
    from newsaudit.corpus.rows import report_row
    from newsaudit.render.sample import sample_report
    from newsaudit.report import summarize

    report = sample_report()
    summary = summarize(report)
    row = report_row(7, report)
    assert row["row"] == 7
    assert row["status"] == "ok"
    for key in ("attributions", "sources", "named_sources", "anonymous_sources", "claims", "relay_depth", "signals",
                "techniques", "signals_by_kind", "techniques_by_label", "source_names", "headline_verdict"):
        assert row[key] == summary[key], key
    assert summary["source_names"]
    assert len(set(summary["source_names"])) == len(summary["source_names"])


def test_batch_error_row_is_the_failed_row():
    from newsaudit.corpus.rows import error_row

    failed = FailedRow.of("in.jsonl row 2: not valid JSON", error_type="InputError", row=2,
                          item={"id": "b2", "headline": "Bad \ud800 row", "outlet": "Herald"})
    record = failed.to_dict()
    row = error_row(failed)
    assert {k: row[k] for k in ("row", "id", "headline", "outlet", "error")} == {
        k: record[k] for k in ("row", "id", "headline", "outlet", "error")}
    assert record["headline"] == "Bad \ufffd row"
    assert record["error_type"] == "InputError"
    assert "date" not in record
    assert row["date"] is None


def test_batch_field_mapping_csv(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("key,head,content,when\nk1,Minister quits,\"The minister resigned, officials said.\",2024-01-05\n"
                   "k2,Nothing,,2024-01-06\n", encoding="utf-8")
    fields = FieldMap(id="key", title="head", text="content", date="when")
    run_batch(BatchOptions(str(src), str(tmp_path / "o.parquet"), fields=fields, article_timeout=None))
    rows = read(tmp_path / "o.parquet")
    # an error row keeps the input's date
    assert [(r["id"], r["status"], r["date"]) for r in rows] == [("k1", "ok", "2024-01-05"), ("k2", "error", "2024-01-06")]
    assert rows[0]["headline"] == "Minister quits"


def test_batch_folder_of_files(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Minister quits\n\nThe minister resigned on Monday, officials said.\n", encoding="utf-8")
    (folder / "b.html").write_text("<html><head><title>Storm</title></head><body><article><h1>Storm</h1><p>"
                                   + "A storm hit the coast, according to the weather service. " * 3
                                   + "</p></article></body></html>", encoding="utf-8")
    (folder / "c.txt").write_bytes(b"\x00\x01\x02\x03binary\x00" * 20)
    result = run_batch(BatchOptions(str(folder), str(tmp_path / "o.parquet"), article_timeout=None))
    rows = read(tmp_path / "o.parquet")
    assert [r["id"] for r in rows] == ["a.txt", "b.html", "c.txt"]
    assert [r["status"] for r in rows] == ["ok", "ok", "error"]
    assert result.errors == 1
    assert rows[2]["error"]


def test_batch_resume_after_partial_run(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl")
    out = tmp_path / "out.parquet"
    # What a run killed after its first chunk leaves behind: one committed part.
    from newsaudit.corpus.batch import _iter_items

    items = list(_iter_items(BatchOptions(str(src), str(out))))
    parts = parts_dir(out)
    parts.mkdir()
    _write_part(parts, process_chunk(items[:2], AnalyzeOptions()))
    (parts / ".tmp-part-000000000003-dead.parquet").write_bytes(b"half-written")
    result = run_batch(BatchOptions(str(src), str(out), resume=True, chunk_size=3, article_timeout=None))
    assert (result.rows, result.new_rows, result.skipped_rows) == (6, 4, 2)
    assert [r["row"] for r in read(out)] == list(range(1, 7))
    # Resuming a finished output does nothing and keeps every row once (its error rows still give exit 1).
    again = run_batch(BatchOptions(str(src), str(out), resume=True, article_timeout=None))
    assert (again.rows, again.new_rows, again.skipped_rows, again.errors, again.output_errors) == (6, 0, 6, 0, 2)
    assert [r["row"] for r in read(out)] == list(range(1, 7))


def test_batch_resume_refuses_changed_input(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", ROWS[:2])
    out = tmp_path / "out.parquet"
    run_batch(BatchOptions(str(src), str(out), article_timeout=None))
    write_jsonl(src, [dict(ROWS[1], id="other"), ROWS[0]])
    with pytest.raises(DatasetError, match="input changed"):
        run_batch(BatchOptions(str(src), str(out), resume=True, article_timeout=None))


def test_batch_without_resume_starts_over(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", ROWS[:2])
    out = tmp_path / "out.parquet"
    run_batch(BatchOptions(str(src), str(out), article_timeout=None))
    result = run_batch(BatchOptions(str(src), str(out), article_timeout=None))
    assert (result.rows, result.new_rows, result.skipped_rows) == (2, 2, 0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"engine": "spark"}, "unknown engine"),
        ({"chunk_size": 0}, "chunk size"),
        ({"article_timeout": -1}, "article timeout"),
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
    rows = process_chunk([(1, Article(body="good")), (2, Article(body="bad")), (3, FailedRow("load failed", id="x", row=3))],
                         AnalyzeOptions())
    assert [(r["row"], r["status"]) for r in rows] == [(1, "ok"), (2, "error"), (3, "error")]
    assert rows[1]["error"] == "internal error: ValueError: cannot"
    assert rows[2]["error"] == "load failed"
    assert rows[2]["id"] == "x"


def test_batch_cli(tmp_path):
    from typer.testing import CliRunner

    from newsaudit.cli.batch import app

    src = write_jsonl(tmp_path / "in.jsonl", ROWS[:3])
    out = tmp_path / "o.parquet"
    r = CliRunner().invoke(app, ["batch", str(src), "--out", str(out), "--no-progress", "--article-timeout", "0"])
    assert r.exit_code == 1, r.output  # the output holds an error row
    assert len(read(out)) == 3
    # the failed rows are listed at the end (row, id, error), as analyze lists them
    assert f"1 of 3 rows could not be analysed (their error rows are in {out}):" in r.output
    assert "  row 3 (id 'a3'): in.jsonl row 3: empty text" in r.output
    r = CliRunner().invoke(app, ["stats", str(out)])
    assert r.exit_code == 0, r.output
    assert "3 articles (1 errors)" in r.output


def test_batch_error_rows_keep_input_fields(tmp_path, monkeypatch):
    """A loader's row error and an article that fails analysis both keep id, headline, date, outlet and url."""
    import newsaudit.load as load
    import newsaudit.pipeline as pipeline
    from newsaudit.errors import LanguageError
    from newsaudit.types import Article, Report

    bad = FailedRow("in.jsonl row 2: text field holds a number", "InputError", row=2, id="b2", headline="Bad row",
                    date="2024-02-02", outlet="Herald", url="https://example.org/2")
    inputs = [Article(body="ok", headline="Good", id="g1", outlet="Daily"), bad,
              Article(body="Der Minister ist zurückgetreten.", headline="Rücktritt", id="de3", date="2024-03-03",
                      outlet="Zeitung", url="https://example.de/3")]
    monkeypatch.setattr(load, "iter_inputs", lambda spec, fields=None, **kw: iter(inputs))

    def analyze_many(articles, options):
        for a in articles:
            yield LanguageError("the article looks like 'de'") if a.id == "de3" else Report(article=a)

    monkeypatch.setattr(pipeline, "build_pipeline", lambda options=None: None)
    monkeypatch.setattr(pipeline, "analyze_many", analyze_many)
    src = write_jsonl(tmp_path / "in.jsonl", ROWS[:3])
    run_batch(BatchOptions(str(src), str(tmp_path / "o.parquet"), article_timeout=None))
    rows = read(tmp_path / "o.parquet")
    keep = ("row", "id", "status", "headline", "date", "outlet", "url")
    assert [tuple(r[k] for k in keep) for r in rows] == [
        (1, "g1", "ok", "Good", None, "Daily", None),
        (2, "b2", "error", "Bad row", "2024-02-02", "Herald", "https://example.org/2"),
        (3, "de3", "error", "Rücktritt", "2024-03-03", "Zeitung", "https://example.de/3"),
    ]
    assert rows[1]["error"] == "in.jsonl row 2: text field holds a number"
    assert "looks like 'de'" in rows[2]["error"]


def test_batch_poison_row_does_not_stop_dataset(tmp_path):
    """A JSONL title holding a lone surrogate: every row still gets its result, in a worker process, and resume is clean."""
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(ROWS[0]) + "\n"
                   + '{"id": "p2", "title": "Bad \\ud800 title", "text": "A storm hit the coast, officials said.", '
                     '"outlet": "Herald"}\n'
                   + json.dumps(ROWS[1]) + "\n", encoding="utf-8")
    out = tmp_path / "o.parquet"
    result = run_batch(BatchOptions(str(src), str(out)))
    rows = read(out)
    assert [(r["row"], r["id"]) for r in rows] == [(1, "a1"), (2, "p2"), (3, "a2")]
    assert rows[0]["status"] == rows[2]["status"] == "ok"
    poison = rows[1]
    assert poison["outlet"] == "Herald"
    assert "\ufffd" in poison["headline"]
    assert result.errors == (poison["status"] == "error")
    again = run_batch(BatchOptions(str(src), str(out), resume=True, article_timeout=None))
    assert (again.rows, again.new_rows, again.skipped_rows) == (3, 0, 3)


@pytest.mark.parametrize(
    ("how", "message"),
    [("unstorable", "cannot be stored (UnicodeEncodeError"), ("unserialisable", "cannot be serialised (TypeError")],
)
def test_batch_unwritable_result_becomes_error_row(monkeypatch, tmp_path, how, message):
    """A result pyarrow refuses, or whose JSON cannot be made, gives that row an error row; its chunk still writes."""
    import newsaudit.corpus.chunks as chunks
    import newsaudit.pipeline as pipeline
    from newsaudit.types import Article, Report

    monkeypatch.setattr(pipeline, "build_pipeline", lambda options=None: None)
    monkeypatch.setattr(pipeline, "analyze_many", lambda articles, options: (Report(article=a) for a in articles))
    real = chunks.report_row

    def report_row(row, report):
        if report.article.id != "x2":
            return real(row, report)
        if how == "unserialisable":
            raise TypeError("Object of type set is not JSON serializable")
        return real(row, report) | {"report_json": "{\"bad\": \"\ud800\"}"}

    monkeypatch.setattr(chunks, "report_row", report_row)
    items = [(i, Article(body="text", headline="Head", id=f"x{i}", outlet="Daily")) for i in (1, 2, 3)]
    rows = process_chunk(items, AnalyzeOptions())
    assert [(r["row"], r["status"]) for r in rows] == [(1, "ok"), (2, "error"), (3, "ok")]
    assert message in rows[1]["error"]
    assert (rows[1]["id"], rows[1]["headline"], rows[1]["outlet"]) == ("x2", "Head", "Daily")
    parts = tmp_path / "parts"
    parts.mkdir()
    assert pq.read_table(_write_part(parts, rows)).num_rows == 3


def test_batch_dask_chunk_failing_whole_is_retried_row_by_row():
    """The Dask engine's chunks: a task that fails as a whole is redone one row at a time."""
    from concurrent.futures import Future

    from newsaudit.corpus.engines import _bounded
    from newsaudit.corpus.rows import error_row
    from newsaudit.types import Article

    def submit(chunk):
        future = Future()
        if len(chunk) > 1:
            future.set_exception(RuntimeError("KilledWorker"))
        elif chunk[0][1].id == "dies":
            future.set_exception(RuntimeError("KilledWorker again"))
        else:
            future.set_result([error_row(FailedRow("fine", row=chunk[0][0], id=chunk[0][1].id)) | {"status": "ok", "error": None}])
        return future

    chunks = [[(1, Article(body="a", id="a")), (2, Article(body="b", id="dies")), (3, Article(body="c", id="c"))]]
    (rows,) = list(_bounded(iter(chunks), submit, 2))
    assert [(r["row"], r["id"], r["status"]) for r in rows] == [(1, "a", "ok"), (2, "dies", "error"), (3, "c", "ok")]
    assert "KilledWorker again" in rows[1]["error"]
