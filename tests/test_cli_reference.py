"""The command-line reference page (docs/cli.md) is generated from the typer app and kept current."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsaudit.cli import walk
from newsaudit.cli.reference import REGENERATE, render

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "cli.md"


def test_cli_reference_is_current():
    assert PAGE.read_text(encoding="utf-8") == render(), f"docs/cli.md is stale: regenerate it with `.venv/bin/{REGENERATE}`"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a <b> c", "a &lt;b> c"),
        ("2 * 3", r"2 \* 3"),
        ("plain `code`", "plain `code`"),
    ],
)
def test_cli_reference_escapes_help_text(text, expected):
    from newsaudit.cli.reference import _escape

    assert _escape(text) == expected


def test_cli_reference_lists_groups_and_their_commands():
    page = render()
    for path, cmd in walk():
        level = "#" * (len(path) + 1)
        assert f"\n{level} newsaudit {' '.join(path)}\n" in page
        if hasattr(cmd, "list_commands"):
            assert "COMMAND [ARGS]..." in page.split(f"{level} newsaudit {' '.join(path)}\n", 1)[1].split("\n#", 1)[0]
