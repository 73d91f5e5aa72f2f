"""The CLI: every command has help and an entry in the CLI reference (docs/cli.md); errors are one line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from newsaudit.cli import main, walk

ROOT = Path(__file__).resolve().parents[1]


def _commands():
    """(path, command) of every command (not the groups) of the CLI."""
    return [(path, cmd) for path, cmd in walk() if not hasattr(cmd, "list_commands")]


COMMANDS = [path for path, _ in _commands()]


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
def test_cli_every_command_has_help(path, capsys):
    assert main([*path, "--help"]) == 0
    out = capsys.readouterr().out
    assert "Usage" in out
    cmd = dict(_commands())[path]
    assert (cmd.help or "").strip(), f"newsaudit {' '.join(path)} has no help text"


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
def test_cli_every_command_in_reference(path):
    reference = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    heading = "#" * (len(path) + 1) + " newsaudit " + " ".join(path)
    assert re.search(rf"^{re.escape(heading)}$", reference, re.M), (
        f"docs/cli.md has no entry for newsaudit {' '.join(path)}: regenerate it with "
        "`.venv/bin/python -m newsaudit.cli.reference > docs/cli.md`")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ([ "analyze", "/no/such/file.txt"], "no/such/file.txt"),
        (["analyze", "--format", "nope", "x"], "nope"),
        (["analyz", "x"], "No such command 'analyz'. Did you mean 'analyze'?"),  # suggested from the lazy registry
    ],
)
def test_cli_errors_are_one_line(text, expected, capsys):
    code = main(text)
    assert code != 0
    err = capsys.readouterr().err.strip()
    assert expected in err
    assert "Traceback" not in err


def test_cli_module_entry_point_runs():
    proc = subprocess.run([sys.executable, "-m", "newsaudit", "version"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0
    assert "newsaudit" in proc.stdout


# --------------------------------------------------------------------------- exit codes
# The CLI reference's table (docs/cli.md): 0 ok, 1 some rows failed or report invalid, 2 bad input or
# usage, 70 internal error.  Run as the installed `newsaudit`, in a subprocess:
# that is where a swallowed exit status shows.

GOOD_ROWS = [
    {"id": "g1", "title": "Minister quits", "text": "The minister resigned on Monday, officials said.",
     "date": "2024-01-05", "outlet": "Daily"},
    {"id": "g2", "title": "Storm hits coast", "text": "A storm hit the coast, according to the weather service.",
     "url": "https://example.org/storm"},
]


def newsaudit_command() -> list[str]:
    """The installed console script (its shebang is this venv's python), else ``python -m newsaudit``."""
    script = Path(sys.executable).with_name("newsaudit")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "newsaudit"]


def run_cli(args, cwd=None, env=None, timeout=300):
    import os

    return subprocess.run([*newsaudit_command(), *map(str, args)], capture_output=True, text=True, timeout=timeout,
                          cwd=cwd, env={**os.environ, **(env or {})})


def _write_jsonl(path: Path, rows) -> Path:
    import json

    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """One small dataset for every exit-code case (built once)."""
    import json

    import pyarrow.parquet as pq

    from newsaudit.corpus.rows import error_row, rows_to_table
    from newsaudit.errors import FailedRow
    from newsaudit.render import to_json
    from newsaudit.render.sample import sample_report

    d = tmp_path_factory.mktemp("cli")
    _write_jsonl(d / "good.jsonl", GOOD_ROWS)
    _write_jsonl(d / "mixed.jsonl", [GOOD_ROWS[0], "{not json", {"id": "e1", "title": "Empty", "text": ""}])
    (d / "bad-folder").mkdir()
    (d / "bad-folder" / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    (d / "bad-folder" / "empty.txt").write_bytes(b"")
    (d / "report.json").write_text(to_json(sample_report()), encoding="utf-8")
    invalid = json.loads((d / "report.json").read_text(encoding="utf-8"))
    del invalid["sources"]
    (d / "invalid.json").write_text(json.dumps(invalid), encoding="utf-8")
    (d / "notjson.json").write_text("{nope", encoding="utf-8")
    pq.write_table(rows_to_table([error_row(FailedRow("x", row=1, id="a1"))]), d / "out.parquet")
    (d / "fc.csv").write_text("claim,verdict,url\nThe minister resigned on Monday,False,https://example.org/r1\n"
                              "A storm hit the coast,True,https://example.org/r2\n", encoding="utf-8")
    (d / "q.tsv").write_text("q1\tminister resigned Monday\nq2\tstorm coast\n", encoding="utf-8")
    (d / "qrels").write_text("q1 0 https://example.org/r1 1\nq2 0 https://example.org/r2 1\n", encoding="utf-8")
    (d / "bodies.csv").write_text('Body ID,articleBody\n1,"The council passed the budget on Monday, officials said."\n'
                                  '2,"A storm hit the coast. The weather service denied reports that a town was flooded."\n',
                                  encoding="utf-8")
    (d / "stances.csv").write_text("Headline,Body ID,Stance\nCouncil passes budget,1,agree\nTown flooded by storm,2,disagree\n"
                                   "Council passes budget,2,unrelated\n", encoding="utf-8")
    (d / "clef.csv").write_text("line_number,speaker,text,label,file_name\n1,A,We cut taxes by 40 percent in 2017.,1,d1.tsv\n"
                                "2,B,Thank you very much.,0,d1.tsv\n3,A,Is that so?,0,d1.tsv\n", encoding="utf-8")
    assert main(["factcheck", "import", str(d / "fc.csv"), "--db", str(d / "fc.db"), "--encoder", "hashing-64"]) == 0
    return d


ARTICLE = ROOT / "examples" / "article.txt"

#: (command path, arguments after it, expected status); every command has a good and a bad case.
EXIT_CASES = [
    (("analyze",), [ARTICLE, "-f", "json"], 0),
    (("analyze",), ["{d}/mixed.jsonl", "-f", "json"], 1),
    (("analyze",), ["{d}/bad-folder"], 1),
    (("analyze",), ["{d}/missing.txt"], 2),
    (("version",), [], 0),
    (("version",), ["--nope"], 2),
    (("load",), ["{d}/good.jsonl", "--no-language"], 0),
    (("load",), ["{d}/mixed.jsonl", "--no-language"], 1),
    (("load",), ["{d}/missing.jsonl"], 2),
    (("serve",), ["--help"], 0),
    (("serve",), ["--port", "not-a-number"], 2),
    (("batch",), ["{d}/good.jsonl", "--out", "{d}/b-good.parquet", "--no-progress"], 0),
    (("batch",), ["{d}/mixed.jsonl", "--out", "{d}/b-mixed.parquet", "--no-progress"], 1),
    (("batch",), ["{d}/missing.jsonl", "--out", "{d}/b-missing.parquet", "--no-progress"], 2),
    (("stats",), ["{d}/out.parquet"], 0),
    (("stats",), ["{d}/missing.parquet"], 2),
    (("trail",), ["{d}/out.parquet", "--out", "{d}/trail.parquet", "--encoder", "hashing-64"], 0),
    (("trail",), ["{d}/missing.parquet", "--out", "{d}/trail-missing.parquet", "--encoder", "hashing-64"], 2),
    (("render", "report"), ["{d}/report.json", "-f", "text"], 0),
    (("render", "report"), ["{d}/notjson.json"], 2),
    (("render", "sample"), ["-f", "json"], 0),
    (("render", "sample"), ["-f", "pdf"], 2),
    (("render", "schema"), [], 0),
    (("render", "schema"), ["--out", "{d}"], 2),
    (("render", "validate"), ["{d}/report.json"], 0),
    (("render", "validate"), ["{d}/invalid.json"], 1),
    (("render", "validate"), ["{d}/notjson.json"], 2),
    (("eval", "attribution"), ["--help"], 0),
    (("eval", "attribution"), ["{d}/no-such-split"], 2),
    (("eval", "gate"), ["--help"], 0),
    (("eval", "gate"), ["--data", "{d}/no-such-data"], 2),
    (("train", "cues"), ["--help"], 0),
    (("train", "cues"), ["{d}/no-such-split", "--out", "{d}"], 2),
    (("train", "rules"), ["--help"], 0),
    (("train", "first-names"), ["--help"], 0),
    (("train", "first-names"), ["--out", "{d}"], 2),
    (("train", "rules"), ["{d}/no-such-split", "--out", "{d}"], 2),
    (("eval", "stance"), ["--bodies", "{d}/bodies.csv", "--stances", "{d}/stances.csv", "--pred", "{d}/stance-pred.csv"], 0),
    (("eval", "stance"), ["--bodies", "{d}/bodies.csv", "--stances", "{d}/missing.csv"], 2),
    (("eval", "checkworthy"), ["{d}/clef.csv", "--pred", "{d}/cw-pred.tsv"], 0),
    (("eval", "checkworthy"), ["{d}/stances.csv"], 2),
    (("eval", "trail"), ["--help"], 0),
    (("eval", "sources"), ["--help"], 0),
    (("eval", "emergent"), ["--help"], 0),
    (("eval", "emergent"), ["{d}/missing.csv"], 2),
    (("train", "modality"), ["--help"], 0),
    (("train", "modality"), ["{d}/missing.csv", "--no-cv"], 2),
    (("eval", "sources"), ["--polnear", "{d}/no-such-split", "--entities", "{d}/no-such-layer"], 2),
    (("eval", "trail"), ["--data", "{d}/no-such-clef", "--work", "{d}/trail-eval"], 2),
    (("train", "attribution"), ["--help"], 0),
    (("train", "attribution"), ["--data", "{d}/no-such-split", "--out", "{d}/attr-model"], 2),
    (("train", "attribution"), ["--data", "{d}", "--out", "{d}/attr-model"], 2),
    (("train", "attribution"), ["--data", "{d}/no-such-split", "--out", "{d}/attr-model", "--annotators", "some"], 2),
    (("train", "stance"), ["--help"], 0),
    (("train", "stance"), ["--bodies", "{d}/bodies.csv", "--stances", "{d}/missing.csv", "--out", "{d}/stance-model"], 2),
    (("train", "checkworthy"), ["--help"], 0),
    (("train", "checkworthy"), ["{d}/missing.csv", "--out", "{d}/cw-model"], 2),
    (("train", "techniques"), ["--help"], 0),
    (("train", "techniques"), ["--data", "{d}/no-such-corpus", "--out", "{d}/model"], 2),
    (("eval", "techniques-predict"), ["--help"], 0),
    (("eval", "techniques-predict"), ["{d}/no-such-folder"], 2),
    (("eval", "techniques"), ["--help"], 0),
    (("eval", "techniques"), ["--data", "{d}/no-such-corpus"], 2),
    (("eval", "techniques-probs"), ["--help"], 0),
    (("eval", "techniques-probs"), ["{d}/missing.npz", "--data", "{d}/no-such-corpus"], 2),
    (("factcheck", "import"), ["{d}/fc.csv", "--db", "{d}/fc.db", "--encoder", "hashing-64"], 0),
    (("factcheck", "import"), [ROOT / "tests" / "data" / "factcheck" / "claimreviews.jsonl", "--db", "{d}/fc3.db",
                               "--encoder", "hashing-64"], 1),
    (("factcheck", "import"), ["{d}/missing.csv", "--db", "{d}/fc2.db"], 2),
    (("factcheck", "search"), ["minister resigned", "--db", "{d}/fc.db"], 0),
    (("factcheck", "search"), ["  ", "--db", "{d}/fc.db"], 2),
    (("factcheck", "rank"), ["--queries", "{d}/q.tsv", "--db", "{d}/fc.db"], 0),
    (("factcheck", "rank"), ["--queries", "{d}/missing.tsv", "--db", "{d}/fc.db"], 2),
    (("eval", "factcheck"), ["--queries", "{d}/q.tsv", "--qrels", "{d}/qrels", "--db", "{d}/fc.db"], 0),
    (("eval", "factcheck"), ["--queries", "{d}/q.tsv", "--qrels", "{d}/missing", "--db", "{d}/fc.db"], 2),
    (("eval", "clef"), ["--help"], 0),
    (("eval", "clef"), ["{d}/no-such-clef", "--db", "{d}/clef.db"], 2),
]


@pytest.mark.parametrize(("path", "args", "expected"), EXIT_CASES,
                         ids=[f"{' '.join(p)}-{i}-exit{e}" for i, (p, _a, e) in enumerate(EXIT_CASES)])
def test_cli_exit_codes(data, path, args, expected):
    proc = run_cli([*path, *(str(a).format(d=data) for a in args)], cwd=data)
    assert proc.returncode == expected, proc.stderr[-2000:]
    if expected == 2 and "--help" not in args:
        lines = proc.stderr.strip().splitlines()
        assert "Traceback" not in proc.stderr
        assert len(lines) == 1, proc.stderr
        assert lines[0].startswith("newsaudit: error: "), proc.stderr


def test_cli_exit_cases_cover_every_command():
    covered = {(path, expected == 0) for path, _args, expected in EXIT_CASES}
    for path in COMMANDS:
        assert (path, True) in covered, f"no good exit-code case for {' '.join(path)}"
        assert (path, False) in covered, f"no bad exit-code case for {' '.join(path)}"


def test_cli_exit_code_table_in_reference():
    from newsaudit import cli

    reference = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for code in (cli.EXIT_OK, cli.EXIT_ROWS_FAILED, cli.EXIT_USAGE, cli.EXIT_INTERNAL, cli.EXIT_INTERRUPTED):
        assert re.search(rf"^\| `?{code}`? \|", reference, re.M), f"docs/cli.md exit-code table has no row for {code}"


def test_cli_internal_error_is_one_line_exit_70(monkeypatch, capsys):
    import newsaudit.render.saved as saved

    def broken(options):
        raise RuntimeError("a bug")

    monkeypatch.setattr(saved, "render_sample", broken)
    assert main(["render", "sample"]) == 70
    err = capsys.readouterr().err.strip()
    assert err.splitlines() == ["newsaudit: internal error: RuntimeError: a bug (set NEWSAUDIT_DEBUG=1 for the traceback)"]


# --------------------------------------------------------------------------- --out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["analyze", ARTICLE, "-o", "{d}"], "is a folder"),
        (["analyze", ARTICLE, "-o", "{d}/afile/x.json"], "is a file, not a folder"),
        (["batch", "{d}/good.jsonl", "--out", "{d}", "--no-progress"], "is a folder"),
        (["batch", "{d}/good.jsonl", "--out", "{d}/afile/sub/x.parquet", "--no-progress"], "is a file, not a folder"),
        (["stats", "{d}/out.parquet", "--html", "{d}"], "is a folder"),
        (["render", "report", "{d}/report.json", "--out", "{d}"], "is a folder"),
        (["render", "sample", "--out", "{d}/afile/r.txt"], "is a file, not a folder"),
        (["eval", "attribution", "{d}", "--pred", "{d}"], "is a folder"),
        (["eval", "stance", "--bodies", "{d}/b.csv", "--stances", "{d}/s.csv", "--pred", "{d}"], "is a folder"),
        (["eval", "checkworthy", "{d}/c.csv", "--pred", "{d}"], "is a folder"),
        (["train", "attribution", "--data", "{d}", "--out", "{d}/afile"], "is a file; give a folder"),
        (["train", "stance", "--bodies", "{d}/b.csv", "--stances", "{d}/s.csv", "--out", "{d}/afile"], "is a file; give a folder"),
        (["train", "checkworthy", "{d}/c.csv", "--out", "{d}/afile"], "is a file; give a folder"),
        (["train", "techniques", "--data", "{d}", "--out", "{d}/afile"], "is a file; give a folder"),
        (["eval", "techniques-predict", "{d}", "--out", "{d}"], "is a folder"),
        (["eval", "techniques", "--data", "{d}", "--probs-out", "{d}"], "is a folder"),
        (["factcheck", "rank", "--queries", "{d}/q.tsv", "--out", "{d}"], "is a folder"),
    ],
    ids=lambda v: " ".join(map(str, v[:2])) if isinstance(v, list) else None,
)
def test_cli_bad_out_is_one_line_exit_2(tmp_path, args, message):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    (tmp_path / "good.jsonl").write_text("{}\n", encoding="utf-8")
    (tmp_path / "q.tsv").write_text("q1\tx\n", encoding="utf-8")
    (tmp_path / "report.json").write_text("{}", encoding="utf-8")
    (tmp_path / "out.parquet").write_text("", encoding="utf-8")
    proc = run_cli([str(a).format(d=tmp_path) for a in args])
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("newsaudit: error: "), proc.stderr
    assert message in lines[0], proc.stderr


@pytest.mark.skipif(not hasattr(__import__("os"), "geteuid") or __import__("os").geteuid() == 0,
                    reason="root may write into any folder")
def test_cli_out_in_unwritable_folder_is_refused(tmp_path):
    from newsaudit.cli.options import check_out
    from newsaudit.errors import OutputError

    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    with pytest.raises(OutputError, match="not writable"):
        check_out(locked / "x.json")


def test_cli_every_out_option_is_checked():
    from newsaudit.cli import out_options

    found = {(path, param.name): kind for path, param, kind in out_options()}
    expected = {
        (("analyze",), "out"): "any",
        (("batch",), "out"): "file",
        (("stats",), "html"): "file",
        (("trail",), "out"): "file",
        (("trail",), "html"): "file",
        (("render", "report"), "out"): "file",
        (("render", "sample"), "out"): "file",
        (("render", "schema"), "out"): "file",
        (("eval", "attribution"), "pred"): "file",
        (("train", "cues"), "out"): "file",
        (("train", "rules"), "out"): "file",
        (("eval", "stance"), "pred"): "file",
        (("eval", "checkworthy"), "pred"): "file",
        (("train", "first-names"), "out"): "file",
        (("eval", "emergent"), "pred"): "file",
        (("train", "modality"), "out"): "folder",
        (("train", "modality"), "pred"): "file",
        (("train", "stance"), "out"): "folder",
        (("train", "checkworthy"), "out"): "folder",
        (("eval", "trail"), "work"): "folder",
        (("train", "attribution"), "out"): "folder",
        (("train", "techniques"), "out"): "folder",
        (("eval", "techniques-predict"), "out"): "file",
        (("eval", "techniques"), "probs_out"): "file",
        (("factcheck", "rank"), "out"): "file",
    }
    assert found == expected


# --------------------------------------------------------------------------- poison rows, HTML names, text errors


@pytest.mark.slow
def test_cli_analyze_poison_row_does_not_stop_dataset(tmp_path):
    """A JSONL title holding a lone surrogate (a JSON escape): the good rows still come out, one line per row."""
    import json

    src = tmp_path / "rows.jsonl"
    src.write_text(json.dumps(GOOD_ROWS[0]) + "\n"
                   + '{"id": "poison", "title": "Bad \\ud800 title", "text": "A storm hit the coast, officials said."}\n'
                   + json.dumps(GOOD_ROWS[1]) + "\n", encoding="utf-8")
    proc = run_cli(["analyze", src, "-f", "json"])
    assert proc.returncode in (0, 1), proc.stderr  # 0 when the loader repairs the text to U+FFFD
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(lines) == 3
    assert [lines[0]["article"]["id"], lines[2]["article"]["id"]] == ["g1", "g2"]
    poison = lines[1]
    if proc.returncode == 1:
        assert poison["row"] == 2
        assert poison["id"] == "poison"
        assert poison["error"]
    else:
        assert "\ufffd" in poison["article"]["headline"]


@pytest.mark.parametrize("fmt", ["json", "text", "html"])
def test_cli_analyze_unwritable_result_becomes_error_row(tmp_path, monkeypatch, fmt):
    """A result that cannot be rendered or serialised gives its row an error; the other rows go on."""
    from newsaudit.corpus import reports
    from newsaudit.load import FieldMap
    from newsaudit.options import AnalyzeOptions
    from newsaudit.types import Article, Report

    def fake_each(items, options):
        for item in items:
            yield Report(article=item) if isinstance(item, Article) else item

    real_render = __import__("newsaudit.render", fromlist=["render"]).render

    def render(report, fmt_, **kw):
        if report.article.id == "g2":
            return "bad \ud800 text"  # cannot be written as UTF-8
        return real_render(report, fmt_, **kw)

    monkeypatch.setattr("newsaudit.corpus.chunks.analyze_each", fake_each)
    monkeypatch.setattr("newsaudit.render.render", render)
    if fmt == "json":
        monkeypatch.setattr(Report, "to_dict", lambda self: {"id": self.article.id, "bad": "\ud800"} if self.article.id == "g2"
                            else {"id": self.article.id})
    src = _write_jsonl(tmp_path / "rows.jsonl", [*GOOD_ROWS, dict(GOOD_ROWS[0], id="g3")])
    out = tmp_path / ("html" if fmt == "html" else f"out.{fmt}")
    notes: list[str] = []
    req = reports.ReportsOptions(str(src), reports.Format(fmt), out, AnalyzeOptions(), FieldMap())
    assert reports.write_reports(req, lambda _t: None, notes.append) == 1
    if fmt == "html":
        assert sorted(p.name for p in out.iterdir()) == ["g1.html", "g3.html"]
        assert any("row 2 (id 'g2')" in n and "UnicodeEncodeError" in n for n in notes)
    else:
        text = out.read_text(encoding="utf-8")
        assert ('"row": 2, "id": "g2"' if fmt == "json" else "row 2 (id 'g2')") in text
        assert "g1" in text
        assert "g3" in text


def test_cli_analyze_html_names_are_unique(tmp_path, monkeypatch):
    """ids a/b, a:b, dup, dup: four files for four articles, and the row -> file mapping is printed."""
    from newsaudit.corpus import reports
    from newsaudit.load import FieldMap
    from newsaudit.options import AnalyzeOptions
    from newsaudit.types import Article, Report

    monkeypatch.setattr("newsaudit.corpus.chunks.analyze_each",
                        lambda items, options: (Report(article=i) if isinstance(i, Article) else i for i in items))
    rows = [dict(GOOD_ROWS[0], id=i) for i in ("a/b", "a:b", "dup", "dup")]
    src = _write_jsonl(tmp_path / "rows.jsonl", rows)
    notes: list[str] = []
    req = reports.ReportsOptions(str(src), reports.Format.html, tmp_path / "html", AnalyzeOptions(), FieldMap())
    assert reports.write_reports(req, lambda _t: None, notes.append) == 0
    files = sorted(p.name for p in (tmp_path / "html").iterdir())
    assert files == ["a_b-2.html", "a_b.html", "dup-4.html", "dup.html"]
    assert notes == [f"row 1 (id 'a/b') -> {tmp_path / 'html' / 'a_b.html'}",
                     f"row 2 (id 'a:b') -> {tmp_path / 'html' / 'a_b-2.html'}",
                     f"row 3 (id 'dup') -> {tmp_path / 'html' / 'dup.html'}",
                     f"row 4 (id 'dup') -> {tmp_path / 'html' / 'dup-4.html'}"]


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        (["a/b", "a:b"], ["a_b.html", "a_b-2.html"]),
        (["Dup", "dup", "dup"], ["Dup.html", "dup-2.html", "dup-3.html"]),
        ([None, "", "../.."], ["article-1.html", "article-2.html", "article-3.html"]),
        (["x", "x-2", "x"], ["x.html", "x-2.html", "x-3.html"]),
        (["x-3", "x", "x", "x"], ["x-3.html", "x.html", "x-3-2.html", "x-4.html"]),
    ],
)
def test_cli_html_file_name(ids, expected):
    from newsaudit.corpus.reports import html_file_name

    used: set[str] = set()
    assert [html_file_name(i, row, used) for row, i in enumerate(ids, start=1)] == expected


def test_cli_analyze_text_lists_errors_at_the_end(tmp_path, monkeypatch):
    from newsaudit.corpus import reports
    from newsaudit.load import FieldMap
    from newsaudit.options import AnalyzeOptions
    from newsaudit.types import Article, Report

    monkeypatch.setattr("newsaudit.corpus.chunks.analyze_each",
                        lambda items, options: (Report(article=i) if isinstance(i, Article) else i for i in items))
    src = _write_jsonl(tmp_path / "rows.jsonl", [GOOD_ROWS[0], "{broken", GOOD_ROWS[1]])
    pieces: list[str] = []
    req = reports.ReportsOptions(str(src), reports.Format.text, None, AnalyzeOptions(), FieldMap())
    assert reports.write_reports(req, pieces.append) == 1
    text = "".join(pieces)
    assert not any(p.lstrip().startswith("{") for p in pieces)  # no raw JSON among the reports
    tail = text[text.index("1 of 3 rows could not be analysed:"):]
    assert len(pieces) == 3
    assert pieces[-1].startswith("1 of 3 rows could not be analysed:")
    assert re.search(r"^  row 2 \(id '2'\): rows\.jsonl row 2: not valid JSON", tail, re.M), tail


# --------------------------------------------------------------------------- help at 80 columns


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
def test_cli_help_is_complete_at_80_columns(path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    assert main([*path, "--help"]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "…" not in out
    cmd = dict(_commands())[path]
    for param in cmd.params:
        if getattr(param, "help", None):
            assert _words(param.help) in _words(out), f"{param.name}: help cut or missing"


def test_cli_analyze_help_at_80_columns_subprocess():
    proc = run_cli(["analyze", "--help"], env={"COLUMNS": "80", "TERMINAL_WIDTH": "80"})
    assert proc.returncode == 0
    cmd = dict(_commands())[("analyze",)]
    for param in cmd.params:
        if getattr(param, "help", None):
            assert _words(param.help) in _words(proc.stdout), param.name


@pytest.mark.parametrize(("args", "expected"), [
    (["analyze", "x.txt", "--format", "pdf"],
     "newsaudit: error: --format: 'pdf' is not one of json, text, html (see 'newsaudit analyze --help')"),
    (["batch", "x.jsonl"], "newsaudit: error: missing option --out (see 'newsaudit batch --help')"),
    (["analyze"], "newsaudit: error: missing argument INPUT (see 'newsaudit analyze --help')"),
    (["eval", "trail", "--threshold", "abc"], "newsaudit: error: --threshold: not a number (see 'newsaudit eval trail --help')"),
    (["evl"], "newsaudit: error: No such command 'evl'. Did you mean 'eval'? (see 'newsaudit --help')"),
])
def test_cli_usage_error_is_one_line_naming_the_option(args, expected):
    proc = run_cli(args)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [expected]
    assert "{" not in proc.stderr
    assert "Value error" not in proc.stderr


def test_cli_help_names_arguments_in_capitals():
    proc = run_cli(["analyze", "--help"])
    assert proc.returncode == 0
    assert proc.stdout.startswith("Usage: newsaudit analyze [OPTIONS] INPUT")
