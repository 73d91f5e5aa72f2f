"""The command-line reference (``docs/cli.md``), generated from the typer app.

``python -m newsaudit.cli.reference > docs/cli.md`` writes it: every command and
command group that :data:`newsaudit.cli.COMMANDS` registers, with its help, its
usage line and each argument and option as ``--help`` shows them.  The page is
never edited by hand; ``tests/test_cli_reference.py`` fails when it is stale.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator

from typer.core import TyperGroup

from . import (
    COMMANDS,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_ROWS_FAILED,
    EXIT_USAGE,
    _click,
    command,
    walk,
)

#: The command that regenerates the page (named in its header and in the staleness test).
REGENERATE = "python -m newsaudit.cli.reference > docs/cli.md"

#: Every exit status a command returns, and what it means.
EXIT_STATUSES: tuple[tuple[int, str], ...] = (
    (EXIT_OK, "done; every row (every article, every report) went through"),
    (EXIT_ROWS_FAILED, "done, but some rows failed: each has its own error row or line (`analyze` of a dataset or "
                       "folder, `batch` whose output holds error rows, `load` with bad rows, `factcheck import` that "
                       "skipped malformed records), or `render validate` found the report invalid"),
    (EXIT_USAGE, "bad input or usage: a missing or unreadable input, a wrong option, a bad `--out`; nothing was "
                 "analysed"),
    (EXIT_INTERNAL, "internal error (a bug, or out of memory): one line naming it; set `NEWSAUDIT_DEBUG=1` for the "
                    "traceback"),
    (EXIT_INTERRUPTED, "interrupted (Ctrl-C)"),
)

INTRO = f"""\
# Command-line reference

<!-- Generated from the typer app by `{REGENERATE}`; do not edit by hand. -->

Run the installed command as `.venv/bin/newsaudit`, or activate the environment
first (`. .venv/bin/activate`) and type `newsaudit`. Every command has `--help`.
Errors are one line on stderr. Output paths (every `--out`, `--pred`,
`--probs-out`, `stats --html`) are checked before any work starts; missing
folders on the way are created.

## Exit statuses

| exit | meaning |
|---|---|
"""


def _escape(text: str) -> str:
    """``text`` safe as Markdown prose: no raw HTML, no emphasis from a stray asterisk."""
    return text.replace("<", "&lt;").replace("*", r"\*")


def _anchor(path: tuple[str, ...]) -> str:
    """The id MkDocs gives the heading ``newsaudit PATH``."""
    return re.sub(r"[^a-z0-9]+", "-", "newsaudit " + " ".join(path)).strip("-")


def _paragraphs(help_text: str) -> list[str]:
    """The help of a command as Markdown paragraphs (click's ``\\b`` markers dropped)."""
    lines = [line for line in help_text.strip().splitlines() if line.strip() != "\b"]
    blocks = re.split(r"\n\s*\n", "\n".join(lines))
    return [_escape(" ".join(part.split())) for part in blocks if part.strip()]


def _usage(path: tuple[str, ...], cmd: _click.Command) -> str:
    """``newsaudit PATH [OPTIONS] ARG ...``, arguments by name, optional ones in brackets."""
    pieces = ["newsaudit", *path, "[OPTIONS]"]
    for param in cmd.params:
        if param.param_type_name != "argument":
            continue
        name = (param.name or "").upper()
        if param.nargs == -1:
            name += "..."
        pieces.append(name if param.required else f"[{name}]")
    if isinstance(cmd, TyperGroup):
        pieces.append("COMMAND [ARGS]...")
    return " ".join(pieces)


def _param_lines(ctx: _click.Context, cmd: _click.Command) -> Iterator[str]:
    """One bullet per argument and option, as ``--help`` shows it."""
    for param in cmd.params:
        if getattr(param, "hidden", False):
            continue
        record = param.get_help_record(ctx)
        if record is None:
            continue
        names, help_text = record
        if param.param_type_name == "argument":
            names = (param.name or "").upper() + names[len(param.name or ""):]
        help_text = re.sub(r"\s+\[", " [", " ".join(help_text.split()))
        yield f"- `{names}`" + (f": {_escape(help_text)}" if help_text else "")


def _section(path: tuple[str, ...], cmd: _click.Command, subcommands: list[tuple[str, ...]]) -> list[str]:
    """The Markdown section of one command or group."""
    ctx = _click.Context(cmd, info_name=" ".join(("newsaudit", *path)))
    level = "#" * (len(path) + 1)
    out = [f"{level} newsaudit {' '.join(path)}", ""]
    for paragraph in _paragraphs(cmd.help or ""):
        out += [paragraph, ""]
    out += ["```", _usage(path, cmd), "```", ""]
    params = list(_param_lines(ctx, cmd))
    if params:
        out += [*params, ""]
    if subcommands:
        out += [f"Commands: {', '.join(f'[`{p[-1]}`](#{_anchor(p)})' for p in subcommands)}.", ""]
    return out


def render() -> str:
    """The whole reference page, in the order of ``newsaudit --help``."""
    lines = [INTRO.rstrip("\n")]
    lines += [f"| `{code}` | {meaning} |" for code, meaning in EXIT_STATUSES]
    lines += ["", "## Commands", "", "| command | what it does |", "|---|---|"]
    lines += [f"| [`{entry.name}`](#{_anchor((entry.name,))}) | {_escape(entry.help)} |" for entry in COMMANDS]
    lines.append("")
    found = list(walk(command()))
    for path, cmd in found:
        subcommands = [p for p, _ in found if len(p) == len(path) + 1 and p[:len(path)] == path]
        lines += _section(path, cmd, subcommands)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).rstrip("\n") + "\n"


def main() -> int:
    """Print the page on stdout."""
    sys.stdout.write(render())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
