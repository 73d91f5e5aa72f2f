"""``newsaudit load``: a thin wrapper over :func:`newsaudit.load.describe_inputs`."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from . import EXIT_ROWS_FAILED
from .options import DateField, IdField, OutletField, TextField, TitleField, UrlField

app = typer.Typer(rich_markup_mode=None)


@app.command("load")
def load_cli(
    spec: Annotated[str, typer.Argument(
        help="File, folder, dataset (.jsonl/.json/.csv/.tsv/.parquet), '-' for stdin, or an http(s) URL.")],
    id_field: IdField = None,
    title_field: TitleField = None,
    text_field: TextField = None,
    date_field: DateField = None,
    url_field: UrlField = None,
    outlet_field: OutletField = None,
    limit: Annotated[int, typer.Option("--limit", min=0, help="Show at most this many items (0: all).")] = 0,
    no_language: Annotated[bool, typer.Option("--no-language", help="Skip language detection.")] = False,
) -> None:
    """Load articles from SPEC and print one JSON line per article (or per bad row).

    Exit 1 when some rows could not be read (each has its error line)."""
    from ..load import FieldMap, LoadOptions, describe_inputs

    fields = FieldMap.from_flags(id=id_field, title=title_field, text=text_field, date=date_field, url=url_field,
                                 outlet=outlet_field)
    options = LoadOptions(spec=spec, fields=fields, allow_url=True, detect_language=not no_language, limit=limit)
    errors = 0
    for item in describe_inputs(options):
        errors += "error" in item
        typer.echo(json.dumps(item, ensure_ascii=False))
    if errors:
        typer.echo(f"newsaudit: {errors} row(s) could not be read; see their error lines", err=True)
        raise typer.Exit(EXIT_ROWS_FAILED)
