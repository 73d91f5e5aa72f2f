"""The rows of a batch output: one per input row, an analysed article's counts or an input row's error.

An article's row is read from its report's summary (:func:`newsaudit.report.summarize`);
an error row from a :class:`newsaudit.errors.FailedRow`, so the CLI's error lines,
batch's error rows and ``newsaudit load`` give a failed row the same fields.

Nothing here imports pyarrow until a table is made: :data:`OUTPUT_COLUMNS` is a
plain tuple.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..errors import ERROR_FIELDS, FailedRow, clean_text
from ..types import HEDGE, LABEL, LOADED, SCARE_QUOTE, Report, Verdict

if TYPE_CHECKING:
    import pyarrow

__all__ = [
    "META_FIELDS",
    "OUTPUT_COLUMNS",
    "SIGNAL_KINDS",
    "checked",
    "clean_text",
    "error_row",
    "output_schema",
    "report_row",
    "rows_to_table",
]

#: Signal kinds that get their own count column (``signals_<kind>``).
SIGNAL_KINDS = (SCARE_QUOTE, HEDGE, LOADED, LABEL)

#: The input fields an error row keeps.
META_FIELDS = ERROR_FIELDS

#: Every output column and its Arrow type, in order ("map" is string -> int32, "list" a list of strings).
COLUMN_TYPES: tuple[tuple[str, str], ...] = (
    ("row", "int64"),
    ("id", "string"),
    ("status", "string"),  # "ok" | "error"
    ("error", "string"),
    ("headline", "string"),
    ("date", "string"),
    ("outlet", "string"),
    ("url", "string"),
    ("language", "string"),
    ("attributions", "int32"),
    ("sources", "int32"),
    ("named_sources", "int32"),
    ("anonymous_sources", "int32"),
    ("claims", "int32"),
    ("relay_depth", "int32"),
    ("headline_verdict", "string"),
    ("headline_drops_attribution", "bool"),
    ("signals", "int32"),
    *((f"signals_{kind}", "int32") for kind in SIGNAL_KINDS),
    ("techniques", "int32"),
    ("signals_by_kind", "map"),
    ("techniques_by_label", "map"),
    ("source_names", "list"),
    ("report_json", "string"),
)

#: Column names of the output, in order.
OUTPUT_COLUMNS = tuple(name for name, _type in COLUMN_TYPES)


def output_schema() -> pyarrow.Schema:
    """The Parquet schema of a batch output (one row per input row)."""
    import pyarrow as pa

    types = {
        "int64": pa.int64(),
        "int32": pa.int32(),
        "string": pa.string(),
        "bool": pa.bool_(),
        "map": pa.map_(pa.string(), pa.int32()),
        "list": pa.list_(pa.string()),
    }
    return pa.schema([(name, types[kind]) for name, kind in COLUMN_TYPES])


def _empty_row(row: int) -> dict[str, Any]:
    return dict.fromkeys(OUTPUT_COLUMNS) | {"row": row}


def report_row(row: int, report: Report) -> dict[str, Any]:
    """The output row of one analysed article: its input fields and its summary's counts.

    A report made without a summary (built by hand) is summarised here.
    """
    summary: dict[str, Any] = dict(report.summary or {})
    if not summary or "source_names" not in summary:
        from ..report import summarize

        summary = dict(summarize(report))
    article = report.article
    signals_by_kind = {k: int(v) for k, v in (summary.get("signals_by_kind") or {}).items()}
    verdict = summary.get("headline_verdict")
    out = _empty_row(row)
    out.update(
        id=article.id,
        status="ok",
        headline=article.headline,
        date=article.date,
        outlet=article.outlet,
        url=article.url,
        language=article.language,
        **{name: int(summary.get(name) or 0) for name in (
            "attributions", "sources", "named_sources", "anonymous_sources", "claims", "relay_depth", "signals",
            "techniques")},
        headline_verdict=verdict,
        headline_drops_attribution=None if verdict is None else verdict == Verdict.HEADLINE_DROPS_ATTRIBUTION,
        signals_by_kind=signals_by_kind,
        techniques_by_label={k: int(v) for k, v in (summary.get("techniques_by_label") or {}).items()},
        source_names=list(summary.get("source_names") or ()),
        report_json=json.dumps(report.to_dict(), ensure_ascii=False),
    )
    for kind in SIGNAL_KINDS:
        out[f"signals_{kind}"] = signals_by_kind.get(kind, 0)
    return out


def error_row(failed: FailedRow, language: str | None = None) -> dict[str, Any]:
    """The output row of an input row that could not be analysed: its :class:`~newsaudit.errors.FailedRow`
    (row, id, headline, date, outlet, url, error), and the article's ``language`` when it was detected."""
    out = _empty_row(failed.row if failed.row is not None else 0)
    out.update({name: getattr(failed, name) for name in META_FIELDS})
    out.update(status="error", error=failed.error, language=language)
    return out


def rows_to_table(rows: list[dict[str, Any]]) -> pyarrow.Table:
    import pyarrow as pa

    return pa.Table.from_pylist(rows, schema=output_schema())


def checked(row: dict[str, Any]) -> dict[str, Any]:
    """``row`` if pyarrow can store it, else an error row saying why (same row number, same input fields)."""
    try:
        rows_to_table([row])
        return row
    except Exception as exc:
        reason = f"internal error: the result cannot be stored ({type(exc).__name__}: {exc})"
    bad = error_row(FailedRow.of(reason, row=row["row"], item={k: row.get(k) for k in META_FIELDS}))
    try:
        rows_to_table([bad])
        return bad
    except Exception:
        return error_row(FailedRow.of(reason, row=row["row"]))
