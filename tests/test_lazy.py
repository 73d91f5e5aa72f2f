"""Start-up: a plain analysis imports no heavy library it does not use."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

#: Libraries only some features need: none of them may load for a plain analysis.
HEAVY = ("torch", "fastapi", "dask", "distributed", "plotly", "duckdb", "hnswlib", "sklearn", "sentence_transformers")

LIBRARY_RUN = """
import json, sys
from newsaudit.lazy import spacy_without_torch
spacy_without_torch()  # what a process entry point does (the CLI, a worker): thinc imports without torch
import newsaudit
report = newsaudit.analyze(newsaudit.Article(headline="Council passes budget", body="The mayor said the budget passed."))
print(json.dumps({"attributions": len(report.attributions), "loaded": [m for m in %r if m in sys.modules]}))
"""


@pytest.mark.slow
def test_lazy_library_analyze_imports_no_heavy_library() -> None:
    proc = subprocess.run([sys.executable, "-c", LIBRARY_RUN % (HEAVY,)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["attributions"] >= 1
    assert out["loaded"] == []


#: The library as a program embedding it uses it: nothing of the start-up policy may reach this process.
LIBRARY_SIDE_EFFECTS = """
import json, sys
import newsaudit
newsaudit.analyze(newsaudit.Article(headline="Council passes budget", body="The mayor said the budget passed."))
import thinc.compat
print(json.dumps({"torch_hidden": "torch" in sys.modules and sys.modules["torch"] is None,
                  "thinc_has_torch": bool(thinc.compat.has_torch)}))
"""


@pytest.mark.slow
def test_lazy_library_analyze_leaves_the_process_alone() -> None:
    proc = subprocess.run([sys.executable, "-c", LIBRARY_SIDE_EFFECTS], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out == {"torch_hidden": False, "thinc_has_torch": True}  # torch is installed: thinc found it as usual


@pytest.mark.slow
def test_lazy_spacy_without_torch_leaves_torch_importable() -> None:
    code = (
        "import sys\n"
        "from newsaudit.lazy import spacy_without_torch\n"
        "spacy_without_torch()\n"
        "import spacy, thinc.compat\n"
        "assert 'torch' not in sys.modules and not thinc.compat.has_torch\n"
        "import torch\n"
        "print(torch.__name__)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "torch"


# --------------------------------------------------------------------------- the command line

#: A tiny wrapper: run the CLI's main() in this process, then list the heavy modules it loaded.
CLI_RUN = """
import contextlib, io, json, sys
from newsaudit.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    rc = main(%r)
print(json.dumps({"rc": rc, "out": out.getvalue(), "loaded": [m for m in %r if m in sys.modules]}))
"""


def _run_cli(args: list[str], modules: tuple[str, ...]) -> dict:
    proc = subprocess.run([sys.executable, "-c", CLI_RUN % (args, modules)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_lazy_cli_analyze_imports_no_heavy_library(tmp_path) -> None:
    article = tmp_path / "short.txt"
    article.write_text("date 2024-01-05 Council passes budget\n\nThe council passed the budget on Monday, "
                       "the mayor said.\n", encoding="utf-8")
    result = _run_cli(["analyze", str(article), "-f", "json"], HEAVY)
    assert result["rc"] == 0
    assert json.loads(result["out"])["article"]["headline"] == "Council passes budget"
    assert result["loaded"] == []


#: What ``newsaudit version`` and ``newsaudit --help`` do without: the command modules' libraries,
#: and pydantic (typer's parameter coercion; a help flag needs none).
LIGHT = (*HEAVY, "spacy", "thinc", "numpy", "pyarrow", "rich", "pydantic", "newsaudit.load", "newsaudit.corpus.batch",
         "newsaudit.render", "newsaudit.cli.batch", "newsaudit.cli.render", "newsaudit.cli.factcheck")


@pytest.mark.parametrize(("args", "expected"), [(["version"], "newsaudit "), (["--help"], "Commands")])
def test_lazy_cli_version_and_help_import_no_command_module(args, expected) -> None:
    result = _run_cli(args, LIGHT)
    assert result["rc"] == 0
    assert expected in result["out"]
    assert result["loaded"] == []


def test_lazy_cli_help_lists_every_command_from_the_registry() -> None:
    """`newsaudit --help` shows the registry's one-line help; it must be the command's own."""
    from newsaudit.cli import COMMANDS, load_command

    for entry in COMMANDS:
        command = load_command(entry)
        assert command is not None, entry.name
        own = " ".join((command.help or "").split("\n\n")[0].split())
        assert own == entry.help, f"{entry.name}: registry help {entry.help!r} is not the command's {own!r}"


def test_lazy_batch_output_columns_without_pyarrow() -> None:
    code = ("import sys\nfrom newsaudit.corpus.batch import OUTPUT_COLUMNS\n"
            "print(len(OUTPUT_COLUMNS), 'pyarrow' in sys.modules, 'duckdb' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    n, pyarrow, duckdb = proc.stdout.split()
    assert int(n) > 20
    assert pyarrow == "False"
    assert duckdb == "False"


@pytest.mark.slow
def test_lazy_startup_benchmark_rows() -> None:
    """benchmarks/startup.py gives make bench one row per command (a benchmark: no time is asserted)."""
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[1])  # benchmarks/ sits beside newsaudit/
    if root not in sys.path:
        sys.path.insert(0, root)
    from benchmarks.startup import lines, startup_rows

    rows = startup_rows(runs=1)
    assert [row["measurement"] for row in rows] == ["newsaudit version", "newsaudit analyze"]
    for row in rows:
        assert row["median_s"] > 0
        assert row["median_cpu_s"] > 0
        assert row["peak_rss_mb"] > 0
        assert row["runs"] == 1
    assert [line.split(":")[0] for line in lines(rows)] == ["startup newsaudit version", "startup newsaudit analyze"]
