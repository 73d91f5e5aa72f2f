"""``newsaudit render ...``: thin wrappers over :mod:`newsaudit.render.saved`
(:func:`~newsaudit.render.saved.render_saved`, :func:`~newsaudit.render.saved.render_sample`,
:func:`~newsaudit.render.saved.schema_json`, :func:`~newsaudit.render.saved.validate_saved`),
which take one :class:`~newsaudit.render.saved.RenderOptions`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from . import EXIT_ROWS_FAILED
from .options import Format, FormatOpt, OutFile, check_out, write_out

if TYPE_CHECKING:
    from ..render.saved import RenderOptions

app = typer.Typer(name="render", help="Render saved JSON reports; print or check the report schema.", no_args_is_help=True,
                  rich_markup_mode=None)

ReportPath = Annotated[str, typer.Argument(help="JSON report written by `newsaudit analyze --format json` ('-' for stdin).")]
Color = Annotated[bool | None, typer.Option(
    "--color/--no-color", help="ANSI colours in text output (default: when stdout is a terminal).")]
Width = Annotated[int, typer.Option("--width", help="Width of text output.")]


def _emit(text: str, out: str | None) -> None:
    if out:
        check_out(out)
        write_out(out, text if text.endswith("\n") else text + "\n")
        typer.echo(f"wrote {out}")
    else:
        typer.echo(text.rstrip("\n"))


def _options(path: str, fmt: Format, out: str | None, color: bool | None, width: int) -> RenderOptions:
    """The command line's choices as one RenderOptions (colour: the flag, else whether stdout is a terminal)."""
    from ..render.saved import RenderOptions

    use_color = sys.stdout.isatty() and not out if color is None else color
    return RenderOptions(path, fmt.value, out, use_color, width)


@app.command("report")
def report_cli(
    path: ReportPath = "-",
    fmt: FormatOpt = Format.text,
    out: OutFile = None,
    color: Color = None,
    width: Width = 100,
) -> None:
    """Render a saved JSON report again, as text, HTML or (validated) JSON."""
    from ..render.saved import render_saved

    _emit(render_saved(_options(path, fmt, out, color, width)), out)


@app.command("sample")
def sample_cli(
    fmt: FormatOpt = Format.text,
    out: OutFile = None,
    color: Color = None,
    width: Width = 100,
) -> None:
    """Render the built-in sample report (a demo of every section, no model needed)."""
    from ..render.saved import render_sample

    _emit(render_sample(_options("-", fmt, out, color, width)), out)


@app.command("schema")
def schema_cli(out: OutFile = None) -> None:
    """Print the JSON Schema (draft 2020-12) of the report."""
    from ..render.saved import schema_json

    _emit(schema_json(), out)


@app.command("validate")
def validate_cli(
    path: Annotated[str, typer.Argument(help="JSON report file ('-' for stdin).")] = "-",
) -> None:
    """Check a JSON report against the schema; list the problems, exit 1 if any."""
    from ..render.saved import RenderOptions, validate_saved

    result = validate_saved(RenderOptions(input=path))
    for problem in result.problems:
        typer.echo(problem)
    if result.problems:
        raise typer.Exit(EXIT_ROWS_FAILED)
    typer.echo(f"valid newsaudit report (schema {result.schema_version})")
