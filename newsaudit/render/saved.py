"""Saved reports: render a JSON report file again, render the built-in sample, the
schema, and validate a report file.  Each takes one :class:`RenderOptions`
(``newsaudit render ...`` only builds it)."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import RenderError
from . import render
from .json import _schema_text, from_json, validate_report

__all__ = ["RenderOptions", "ValidationResult", "read_saved", "render_sample", "render_saved", "schema_json",
           "validate_saved"]


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


@dataclass(frozen=True)
class ValidationResult:
    """The problems of a saved report against the schema (none: valid) and its ``schema_version``."""

    problems: list[str]
    schema_version: object = None


def read_saved(path: str) -> str:
    """The text of a saved report (``-``: stdin); :class:`RenderError` when it cannot be read."""
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RenderError(f"cannot read report {path}: {exc.__class__.__name__}: {exc}") from None


def render_saved(options: RenderOptions) -> str:
    """Render the saved JSON report ``options.input`` in ``options.fmt``."""
    report = from_json(read_saved(options.input))
    return render(report, options.fmt, color=options.color, width=options.width)


def render_sample(options: RenderOptions) -> str:
    """Render the built-in hand-made sample report (no pipeline needed)."""
    from .sample import sample_report

    return render(sample_report(), options.fmt, color=options.color, width=options.width)


def schema_json(options: RenderOptions | None = None) -> str:
    """The JSON Schema of the report."""
    return _schema_text()


def validate_saved(options: RenderOptions) -> ValidationResult:
    """Check the saved report ``options.input`` against the schema; :class:`RenderError` when it is not JSON."""
    text = read_saved(options.input)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RenderError(f"not JSON: {exc.msg} at line {exc.lineno}") from None
    version = data.get("schema_version") if isinstance(data, dict) else None
    return ValidationResult(validate_report(data), version)
