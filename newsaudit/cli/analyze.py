"""``newsaudit analyze`` and ``newsaudit version``: thin wrappers over
:func:`newsaudit.corpus.reports.write_reports`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from . import EXIT_ROWS_FAILED
from .options import (
    AnyLanguage,
    DateField,
    Db,
    Format,
    FormatOpt,
    IdField,
    Model,
    OutletField,
    Techniques,
    TechniquesPeak,
    TextField,
    TitleField,
    UrlField,
    analysis_options,
    check_out,
)

app = typer.Typer(rich_markup_mode=None)


@app.command("analyze")
def analyze_cli(
    input: Annotated[str, typer.Argument(
        help="A text or HTML file, a dataset (JSONL/CSV/Parquet), a folder, a URL, or - for stdin.")],
    format: FormatOpt = Format.text,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write here instead of stdout (a folder for HTML of several articles).")] = None,
    model: Model = None,
    techniques: Techniques = False,
    techniques_peak: TechniquesPeak = None,
    db: Db = None,
    any_language: AnyLanguage = False,
    id_field: IdField = None,
    title_field: TitleField = None,
    text_field: TextField = None,
    date_field: DateField = None,
    url_field: UrlField = None,
    outlet_field: OutletField = None,
) -> None:
    """Analyse an article: attributions, sources, relay chain, headline check, signals, claims."""
    from ..corpus.reports import ReportsOptions, write_reports
    from ..load import FieldMap

    fields = FieldMap.from_flags(id=id_field, title=title_field, text=text_field, date=date_field, url=url_field,
                                 outlet=outlet_field)
    options = analysis_options(model=model, techniques=techniques, techniques_peak=techniques_peak, db=db,
                               any_language=any_language)
    if out is not None and format is not Format.html:
        check_out(out, kind="file")  # now, before the model loads (HTML of several articles wants a folder)
    req = ReportsOptions(input, format, out, options, fields, color=format is Format.text and sys.stdout.isatty())
    failed = write_reports(req, lambda text: typer.echo(text, nl=not text.endswith("\n")), typer.echo)
    if out:
        typer.echo(f"wrote {out}")
    if failed:
        typer.echo(f"newsaudit: {failed} article(s) failed; see their error rows", err=True)
        raise typer.Exit(EXIT_ROWS_FAILED)


@app.command("version")
def version_cli() -> None:
    """Print the newsaudit version and the JSON schema version."""
    from .. import __version__
    from ..types import SCHEMA_VERSION

    typer.echo(f"newsaudit {__version__} (report schema {SCHEMA_VERSION})")
