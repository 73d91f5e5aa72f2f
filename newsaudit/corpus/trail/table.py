"""TRAIL.parquet: its columns (name, type, meaning), one row's shape, the Arrow schema and the writer."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    import pyarrow

#: The columns of TRAIL.parquet, in order: (name, arrow type name, meaning).  Later work
#: adds columns, never renames them (docs/trails.md).
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("trail_id", "int32", "Trail number, 1 = first in trail order (most articles, then most attribution drops)."),
    ("id", "string", "The article id from the batch output."),
    ("date", "string", "The article's date as in the batch output."),
    ("outlet", "string", "The article's outlet (else the host of its URL)."),
    ("statement", "string", "The statement as this article words it."),
    ("start", "int32", "Offset of the statement in the article text (headline, blank line, body)."),
    ("end", "int32", "Offset just after the statement."),
    ("origin_source", "string", "The original source: the named source most articles of the trail credit (the "
                                "earliest on ties), or null when none is named."),
    ("attributed_to", "string", "Who this article attributes it to, or null."),
    ("relayed_via", "string", "The outlet or body it is relayed through in this article, or null."),
    ("carried_as", "string", "attributed | relayed | unattributed | denied (an attribution whose cue denies, or a "
                             "statement that denies the trail's claim)."),
    ("headline_states_it", "bool", "The article's headline asserts this statement."),
    ("headline_verdict", "string", "The article's headline verdict (null without a headline)."),
    ("similarity", "float32", "Cosine similarity to the trail's representative statement."),
    ("trail_articles", "int32", "Articles in the trail."),
    ("representative", "string", "The trail's representative statement."),
    ("origin_id", "string", "Id of the trail's earliest article."),
    ("origin_date", "string", "Date of the trail's earliest article."),
    ("origin_outlet", "string", "Outlet of the trail's earliest article."),
    ("drops_attribution", "bool", "This article asserts it without attribution (body, or headline stating it as "
                                  "fact) after an earlier article attributed it; never a denial or a hedge."),
    ("kind", "string", "attribution | claim | headline: where the statement comes from in the report."),
    ("ref", "string", "The report's id of that attribution or claim (a3, c5)."),
    ("factcheck_review", "string", "Review id of the best fact-check match of the statement's claim, or null."),
    ("input", "string", "The batch output file the article comes from."),
    ("row", "int64", "The article's row in that file."),
    ("modality", "string", "asserted | reported | denied: how this statement carries the trail's claim (the "
                           "representative): attributed, relayed or hedged is reported; see corpus/trail/modality.py."),
    ("trail_asserted", "int32", "Outlets of the trail that assert the claim (an article without outlet counts alone)."),
    ("trail_reported", "int32", "Outlets of the trail that report it (attributed, relayed or hedged)."),
    ("trail_denied", "int32", "Outlets of the trail that deny it."),
    ("trail_sequence", "string", "How the trail's articles carried it, in date order ('reported > asserted > denied'; "
                                 "an article with two ways reads 'reported+denied')."),
)
TRAIL_COLUMNS = tuple(c[0] for c in COLUMNS)


class TrailRow(TypedDict):
    """One row of TRAIL.parquet: the :data:`COLUMNS`, in their order."""

    trail_id: int
    id: str | None
    date: str | None
    outlet: str | None
    statement: str
    start: int
    end: int
    origin_source: str | None
    attributed_to: str | None
    relayed_via: str | None
    carried_as: str
    headline_states_it: bool
    headline_verdict: str | None
    similarity: float
    trail_articles: int
    representative: str
    origin_id: str | None
    origin_date: str | None
    origin_outlet: str | None
    drops_attribution: bool
    kind: str
    ref: str
    factcheck_review: str | None
    input: str
    row: int
    modality: str
    trail_asserted: int
    trail_reported: int
    trail_denied: int
    trail_sequence: str


def trail_schema() -> pyarrow.Schema:
    import pyarrow as pa

    types = {"int32": pa.int32(), "int64": pa.int64(), "string": pa.string(), "bool": pa.bool_(),
             "float32": pa.float32()}
    return pa.schema([(name, types[t]) for name, t, _doc in COLUMNS])


def write_table(rows: list[TrailRow], out: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    out.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pylist([{c: r.get(c) for c in TRAIL_COLUMNS} for r in rows], schema=trail_schema())
    tmp = out.with_name(f".{out.name}.tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, out)
