"""CLI for rendering saved reports: ``newsaudit render ...`` (mounted by the top-level CLI).

Commands are thin wrappers over :func:`render_saved`, :func:`render_sample` and
:func:`schema_json`, which take one :class:`RenderOptions`.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import typer

from ..errors import RenderError
from . import FORMATS, render
from .json import _schema_text, from_json

app = typer.Typer(help="Render saved newsaudit JSON reports as text, HTML or JSON.", no_args_is_help=True)


@dataclass(frozen=True)
class RenderOptions:
    #: A JSON report file (``--format json`` output); ``-`` reads stdin.
    input: str = "-"
    #: json | text | html
    fmt: str = "text"
    #: Write here instead of standard output.
    out: str | None = None
    #: ANSI colours in text output.
    color: bool = False
    #: Text output width.
    width: int = 100


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RenderError(f"cannot read report {path}: {exc.__class__.__name__}: {exc}") from None


def render_saved(options: RenderOptions) -> str:
    """Render the saved JSON report ``options.input`` in ``options.fmt``."""
    report = from_json(_read(options.input))
    return render(report, options.fmt, color=options.color, width=options.width)


def render_sample(options: RenderOptions) -> str:
    """Render the built-in hand-made sample report (no pipeline needed)."""
    from .sample import sample_report

    return render(sample_report(), options.fmt, color=options.color, width=options.width)


def schema_json(options: RenderOptions | None = None) -> str:
    """The JSON Schema of the report."""
    return _schema_text()


def _emit(text: str, out: str | None) -> None:
    if out:
        from ..cli import check_out, write_out

        check_out(out)
        write_out(out, text if text.endswith("\n") else text + "\n")
        typer.echo(f"wrote {out}", err=True)
    else:
        typer.echo(text.rstrip("\n"))


_FORMAT_HELP = f"Output format: {', '.join(FORMATS)}."
_FMT = typer.Option("text", "--format", "-f", help=_FORMAT_HELP)
_OUT = typer.Option(None, "--out", "-o", help="Write to this file instead of standard output.")
_COLOR = typer.Option(None, "--color/--no-color", help="ANSI colours in text output (default: when stdout is a terminal).")
_WIDTH = typer.Option(100, help="Width of text output.")


def _options(path: str, fmt: str, out: str | None, color: bool | None, width: int) -> RenderOptions:
    """The command line's choices as one :class:`RenderOptions` (colour: the flag, else whether stdout is a terminal)."""
    use_color = sys.stdout.isatty() and not out if color is None else color
    return RenderOptions(path, fmt, out, use_color, width)


@app.command("report")
def report_cmd(
    path: str = typer.Argument("-", help="JSON report written by `newsaudit analyze --format json` ('-' for stdin)."),
    fmt: str = _FMT,
    out: str | None = _OUT,
    color: bool | None = _COLOR,
    width: int = _WIDTH,
) -> None:
    """Render a saved JSON report again, as text, HTML or (validated) JSON."""
    _emit(render_saved(_options(path, fmt, out, color, width)), out)


@app.command("sample")
def sample_cmd(
    fmt: str = _FMT,
    out: str | None = _OUT,
    color: bool | None = _COLOR,
    width: int = _WIDTH,
) -> None:
    """Render the built-in sample report (a demo of every section, no model needed)."""
    _emit(render_sample(_options("-", fmt, out, color, width)), out)


@app.command("schema")
def schema_cmd(
    out: str | None = _OUT,
) -> None:
    """Print the JSON Schema (draft 2020-12) of the report."""
    _emit(schema_json(), out)


@app.command("validate")
def validate_cmd(
    path: str = typer.Argument("-", help="JSON report file ('-' for stdin)."),
) -> None:
    """Check a JSON report against the schema; list the problems, exit 1 if any."""
    from .json import validate_report

    text = _read(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RenderError(f"not JSON: {exc.msg} at line {exc.lineno}") from None
    problems = validate_report(data)
    for p in problems:
        typer.echo(p)
    if problems:
        raise typer.Exit(1)
    typer.echo("valid newsaudit report (schema " + str(data.get("schema_version")) + ")")
