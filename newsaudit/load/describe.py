"""What the loaders make of an input, one JSON-ready record per item (``newsaudit load``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import typer

from ..errors import (
    NewsauditError,
)
from .folders import iter_inputs
from .records import FieldMap

app = typer.Typer(help="Read articles (text, HTML, URL, stdin, datasets, folders) and show what was loaded.")


@dataclass(frozen=True)
class LoadOptions:
    """Options of :func:`describe_inputs` (and the ``load`` CLI command)."""

    spec: str
    fields: FieldMap = field(default_factory=FieldMap)
    allow_url: bool = True
    detect_language: bool = True
    #: Show at most this many items (0: all).
    limit: int = 0


def describe_inputs(options: LoadOptions) -> Iterator[dict[str, Any]]:
    """One JSON-ready dict per input item: the article's fields (with body
    length instead of body) and detected language, or ``{"error": ...}``."""
    from ..text.language import profile_language

    for n, item in enumerate(iter_inputs(options.spec, options.fields, allow_url=options.allow_url), start=1):
        if options.limit and n > options.limit:
            return
        if isinstance(item, NewsauditError):
            yield {"id": getattr(item, "id", None), "row": getattr(item, "row", None),
                   "error": type(item).__name__, "message": str(item)}
            continue
        data = item.to_dict()
        body = data.pop("body")
        data.pop("text", None)
        data["body_chars"] = len(body)
        if options.detect_language and item.language is None:
            profile = profile_language(item.text)
            data["language"] = profile.language
            data["language_confidence"] = round(profile.confidence, 3)
            data["warnings"] = data["warnings"] + list(profile.warnings)
        yield data


@app.command("load")
def load_command(
    spec: str = typer.Argument(..., help="File, folder, dataset (.jsonl/.json/.csv/.tsv/.parquet), '-' for stdin, or an http(s) URL."),
    title_field: str | None = typer.Option(None, "--title-field", help="Dataset column holding the headline."),
    text_field: str | None = typer.Option(None, "--text-field", help="Dataset column holding the article text."),
    date_field: str | None = typer.Option(None, "--date-field", help="Dataset column holding the date."),
    id_field: str | None = typer.Option(None, "--id-field", help="Dataset column holding the article id (default: row number)."),
    url_field: str | None = typer.Option(None, "--url-field", help="Dataset column holding the URL."),
    outlet_field: str | None = typer.Option(None, "--outlet-field", help="Dataset column holding the outlet name."),
    limit: int = typer.Option(0, "--limit", help="Show at most this many items (0: all)."),
    no_language: bool = typer.Option(False, "--no-language", help="Skip language detection."),
) -> None:
    """Load articles from SPEC and print one JSON line per article (or per bad row)."""
    fields_ = FieldMap.from_flags(id=id_field, title=title_field, text=text_field, date=date_field, url=url_field, outlet=outlet_field)
    options = LoadOptions(spec=spec, fields=fields_, allow_url=True, detect_language=not no_language, limit=limit)
    for item in describe_inputs(options):
        typer.echo(json.dumps(item, ensure_ascii=False))
