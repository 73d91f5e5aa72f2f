"""The CLI: every command has help and a README entry; errors are one line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from newsaudit.cli import app, main

ROOT = Path(__file__).resolve().parents[1]


def _commands(typer_app, prefix=()):
    import typer.main

    group = typer.main.get_command(typer_app)
    out = []

    def walk(cmd, path):
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, path + (name,))
        else:
            out.append((path, cmd))

    walk(group, prefix)
    return out


COMMANDS = [path for path, _ in _commands(app)]


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
def test_cli_every_command_has_help(path, capsys):
    assert main([*path, "--help"]) == 0
    out = capsys.readouterr().out
    assert "Usage" in out
    cmd = dict(_commands(app))[path]
    assert (cmd.help or "").strip(), f"newsaudit {' '.join(path)} has no help text"


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
def test_cli_every_command_in_readme(path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(r"newsaudit " + r"\s+".join(map(re.escape, path)) + r"\b", readme), f"README has no entry for newsaudit {' '.join(path)}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ([ "analyze", "/no/such/file.txt"], "no/such/file.txt"),
        (["analyze", "--format", "nope", "x"], "nope"),
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
    assert proc.returncode == 0 and "newsaudit" in proc.stdout
