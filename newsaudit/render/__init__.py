"""Render a :class:`~newsaudit.types.Report` as JSON, terminal text or a self-contained HTML page.

>>> from newsaudit.render import render
>>> render(report, "html")  # doctest: +SKIP

Submodules: :mod:`.json` (JSON, schema validation, reading reports back),
:mod:`.text` (rich terminal summary), :mod:`.html` (HTML page and fragment).
"""

from __future__ import annotations

from ..errors import RenderError
from ..types import Report
from .html import html_fragment, html_script, html_styles, to_html
from .json import from_json, load_schema, report_from_dict, to_json, validate_report
from .text import to_text

#: Formats :func:`render` knows.
FORMATS = ("json", "text", "html")

__all__ = [
    "FORMATS",
    "from_json",
    "html_fragment",
    "html_script",
    "html_styles",
    "load_schema",
    "render",
    "report_from_dict",
    "to_html",
    "to_json",
    "to_text",
    "validate_report",
]


def render(report: Report, fmt: str, *, color: bool = False, width: int = 100) -> str:
    """``report`` in format ``fmt`` (``json``, ``text`` or ``html``).

    ``color`` and ``width`` only apply to ``text``.  Raises :class:`RenderError`
    for an unknown format.
    """
    key = (fmt or "").strip().lower()
    if key == "json":
        return to_json(report)
    if key == "text":
        return to_text(report, color=color, width=width)
    if key == "html":
        return to_html(report)
    raise RenderError(f"unknown report format {fmt!r}; choose one of: {', '.join(FORMATS)}")
