"""``newsaudit analyze``'s output: the reports of one article or of a whole dataset.

:func:`write_reports` takes one :class:`ReportsOptions`.  One article gives one
report (and its error is raised); a dataset or a folder gives one result per
input row, in input order, rows numbered from 1, a failed row getting its
:class:`~newsaudit.errors.FailedRow`.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, TextIO

from ..errors import FailedRow, InputError, OutputError
from ..options import AnalyzeOptions
from .output import check_out, write_out

__all__ = ["Format", "ReportsOptions", "failure_lines", "html_file_name", "write_reports"]


class Format(StrEnum):
    """The formats of ``newsaudit analyze``."""

    json = "json"
    text = "text"
    html = "html"


@dataclass(frozen=True)
class ReportsOptions:
    """What to analyse and where its reports go (``newsaudit analyze``'s parsed arguments)."""

    #: A file, a dataset, a folder, a URL, or ``-`` for stdin.
    input: str
    format: Format
    #: A file (one report, JSON Lines, text), a folder (HTML of several articles), or None: ``emit``.
    out: Path | None
    options: AnalyzeOptions
    fields: Any  # newsaudit.load.FieldMap
    #: ANSI colours in text output.
    color: bool = False


Emit = Callable[[str], None]


def write_reports(req: ReportsOptions, emit: Emit, note: Emit = lambda _m: None) -> int:
    """Analyse every article of ``req.input``; hand each rendered piece to ``emit``
    (or write it under ``req.out``); ``note`` gets messages for stderr.  Returns
    how many articles failed.

    One article: one report, and its error is raised.  Several (a dataset or a
    folder): one result per input row, in input order, numbered from 1.  JSON
    gives JSON Lines with an error line (``row``, ``id``, the row's headline,
    date, outlet and url when known, ``error``, ``error_type``) for a bad row;
    text gives the reports, then the list of the rows that failed; HTML needs
    ``--out`` naming a folder and writes one file per article, under a name
    made unique with the row number where two ids would collide, and ``note``s
    which row went to which file.  A row whose result cannot be rendered or
    written as text gets an error of its own; the other rows go on.
    """
    from ..load import iter_inputs

    items = iter_inputs(req.input, req.fields, allow_url=True)
    first = next(items, None)
    if first is None:
        raise InputError(f"{req.input}: no article found")
    second = next(items, None)
    if second is None:  # a single article
        return _analyze_one(req, first, emit)
    return _analyze_many(req, itertools.chain([first, second], items), emit, note)


def _analyze_one(req: ReportsOptions, item: object, emit: Emit) -> int:
    if isinstance(item, FailedRow):
        raise item.exception()
    if req.out:
        check_out(req.out, kind="file")
    from ..pipeline import analyze
    from ..render import render

    text = render(analyze(item, req.options), req.format.value, color=req.color)  # type: ignore[arg-type]
    if req.out:
        write_out(req.out, text)
    else:
        emit(text)
    return 0


def _open_sink(req: ReportsOptions) -> TextIO | None:
    """Where many results go: None for standard output or a folder of HTML files (made here), else the
    ``--out`` file, opened for writing."""
    html = req.format is Format.html
    if html and req.out is None:
        raise InputError("several articles: --format html needs --out FOLDER")
    if req.out is None:
        return None
    check_out(req.out, kind="folder" if html else "file")
    if html:
        req.out.mkdir(parents=True, exist_ok=True)
        return None
    try:
        return req.out.open("w", encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write {req.out}: {exc.strerror or exc}") from None


def _row_piece(req: ReportsOptions, row: int, item: object, result: object, names: set[str], note: Emit,
               failures: list[FailedRow]) -> str | None:
    """One row's output (None when it has none here: an HTML file, or a failure outside JSON); a row that
    failed, or whose report cannot be rendered, is added to ``failures``."""
    if not isinstance(result, BaseException | FailedRow):
        try:
            return _render_row(req, row, result, names, note)
        except OutputError:
            raise
        except Exception as exc:
            result = exc
    failure = FailedRow.of(result, row=row, item=item)
    failures.append(failure)
    return json.dumps(failure.to_dict(), ensure_ascii=False) if req.format is Format.json else None


def _analyze_many(req: ReportsOptions, items: Iterable[object], emit: Emit, note: Emit) -> int:
    from .chunks import analyze_each, batched

    sink = _open_sink(req)
    write = sink.write if sink is not None else emit
    failures: list[FailedRow] = []
    names: set[str] = set()
    row = 0
    try:
        for chunk in batched(items, max(1, req.options.batch_size)):
            for item, result in zip(chunk, analyze_each(chunk, req.options), strict=True):
                row += 1
                piece = _row_piece(req, row, item, result, names, note, failures)
                if piece is not None:
                    write(piece + "\n")
        if failures and req.format is not Format.json:
            lines = failure_lines(failures, row)
            if req.format is Format.html:
                for line in lines:
                    note(line)
            else:
                write("\n".join(lines) + "\n")
    except OSError as exc:
        if sink is not None:
            raise OutputError(f"cannot write {req.out}: {exc.strerror or exc}") from None
        raise
    finally:
        if sink is not None:
            sink.close()
    return len(failures)


def _render_row(req: ReportsOptions, row: int, report: Any, names: set[str], note: Emit) -> str | None:
    """One row's output, checked to be writable as UTF-8 (HTML: written to its own file, None returned)."""
    from ..render import render

    if req.format is Format.html:
        data = render(report, "html").encode("utf-8")
        path = req.out / html_file_name(report.article.id, row, names)  # type: ignore[operator]
        write_out(path, data)
        note(f"row {row}{_id_note(report.article.id)} -> {path}")
        return None
    if req.format is Format.json:
        piece = json.dumps(report.to_dict(), ensure_ascii=False)
    else:
        piece = render(report, "text", color=req.color)
    piece.encode("utf-8")  # a lone surrogate fails here, for this row alone
    return piece


def _id_note(row_id: str | None) -> str:
    return f" (id {row_id!r})" if row_id is not None else ""


def failure_lines(failures: list[FailedRow], rows: int | None = None) -> list[str]:
    """The list of the rows that failed, as ``analyze`` and ``batch`` end with:
    ``N of M rows could not be analysed:`` then ``  row R (id 'ID'): error`` per row."""
    head = f"{len(failures)} of {rows} rows" if rows is not None else f"{len(failures)} rows"
    lines = [f"{head} could not be analysed:"]
    lines += [f"  row {f.row}{_id_note(f.id)}: {f.error}" for f in failures]
    return lines


def html_file_name(article_id: str | None, row: int, used: set[str]) -> str:
    """A file name for one article's HTML report, unique among ``used`` (compared case-insensitively,
    which it extends): the id made safe for a file name, else ``article-ROW``; ``-ROW`` is added
    when that name is taken (and a counter if it still is)."""
    base = re.sub(r"[^\w.-]+", "_", article_id or "").strip("._")[:120] or f"article-{row}"
    name = base
    n = 1
    while name.casefold() in used:
        name = f"{base}-{row}" if n == 1 else f"{base}-{row}-{n}"
        n += 1
    used.add(name.casefold())
    return name + ".html"
