"""Batch outputs in, statements out: the files ``newsaudit trail`` reads.

:func:`read_statements` reads every ``status == "ok"`` row of one or more
outputs of ``newsaudit batch`` a few rows at a time and turns each report into
its statements (:mod:`.statements`); error rows, and ok rows whose report cannot
be read, are skipped and counted.  :func:`read_texts` reads back the texts of
the rows the HTML view shows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ...errors import DatasetError, InputError
from .statements import ArticleInfo, StatementSet, headline_verdict, report_shape_problem, statements_from_report

#: Columns of a batch output that the trail reads.
BATCH_COLUMNS = ("row", "id", "status", "date", "outlet", "url", "report_json")

_HOST = re.compile(r"^[A-Za-z]+://(?:www\.)?([^/:?#]+)")


def check_inputs(paths: Sequence[str | Path]) -> list[Path]:
    """The input files, each checked to be a readable batch output."""
    import pyarrow.parquet as pq

    if not paths:
        raise InputError("no input: give one or more outputs of `newsaudit batch`")
    out = []
    for p in paths:
        path = Path(p)
        if not path.is_file():
            raise InputError(f"input not found: {path}")
        try:
            names = set(pq.ParquetFile(path).schema_arrow.names)
        except Exception as exc:
            raise DatasetError(f"{path}: not a Parquet file ({exc})") from exc
        missing = [c for c in ("row", "status", "report_json") if c not in names]
        if missing:
            raise DatasetError(f"{path}: not a newsaudit batch output (no column {', '.join(missing)})")
        out.append(path)
    return out


def iter_rows(path: Path, batch_size: int = 256) -> Iterator[dict[str, Any]]:
    """The rows of one batch output, a few at a time (bounded memory)."""
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    columns = [c for c in BATCH_COLUMNS if c in pf.schema_arrow.names]
    for batch in pf.iter_batches(batch_size=batch_size, columns=columns):
        yield from batch.to_pylist()


def read_statements(paths: Sequence[str | Path], min_words: int = 5, post_max_words: int = 0) -> StatementSet:
    """Every statement of every ok row of the inputs (see the module docs)."""
    result = StatementSet()
    for n, path in enumerate(check_inputs(paths)):
        for row in iter_rows(path):
            result.rows += 1
            if row.get("status") != "ok" or not row.get("report_json"):
                result.errors += 1
                continue
            index = len(result.articles)
            try:
                data = json.loads(row["report_json"])
                wrong = report_shape_problem(data)
                if wrong:
                    raise ValueError(wrong)
                statements, headline_claim = statements_from_report(data, index, min_words, post_max_words)
            except (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError):
                result.errors += 1  # bad JSON, or a report of the wrong shape
                continue
            outlet = row.get("outlet") or None
            if not outlet and row.get("url"):
                m = _HOST.match(str(row["url"]))
                outlet = m.group(1) if m else None
            check = data.get("headline_check") if isinstance(data.get("headline_check"), dict) else None
            result.articles.append(ArticleInfo(
                input=n, row=int(row["row"]), id=row.get("id"), date=row.get("date") or None, outlet=outlet,
                headline_verdict=headline_verdict(check), headline_claim=headline_claim,
            ))
            result.statements.extend(statements)
    return result


def read_texts(paths: Sequence[str | Path], wanted: dict[int, set[int]]) -> dict[tuple[int, int], str]:
    """(input, row) -> article text, for the rows in ``wanted`` (input -> rows)."""
    out: dict[tuple[int, int], str] = {}
    for n, path in enumerate(paths):
        rows = wanted.get(n)
        if not rows:
            continue
        for row in iter_rows(Path(path)):
            if int(row["row"]) in rows and row.get("report_json"):
                try:
                    out[(n, int(row["row"]))] = json.loads(row["report_json"])["article"]["text"]
                except (ValueError, KeyError, TypeError):
                    continue
    return out
