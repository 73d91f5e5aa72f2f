"""CLEF 2019 CheckThat! Task 1 files; leave-one-debate-out folds; the held-out debates of the gate.

A file has the columns ``line_number,speaker,text,label,file_name`` (``label``
0/1, optional: without it the rows can be scored but not evaluated).

The evaluation gate holds out four fixed debates (:data:`GATE_HELDOUT`) and
trains on the other fifteen: one primary debate, one vice-presidential debate,
one scripted speech and one rally, 3,857 sentences with 95 check-worthy ones,
chosen to span the genres of the training set (not tuned on scores).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import BenchmarkFileError

GATE_HELDOUT: tuple[str, ...] = (
    "20160414_9dem.tsv",
    "20161005_vice_pres.tsv",
    "20170228_trump_address.tsv",
    "20180916_trump_miami.tsv",
)
COLUMNS = ("line_number", "speaker", "text", "label", "file_name")


@dataclass(frozen=True)
class ClefRow:
    """One sentence of a debate (``label`` None when the file has no label column)."""

    file_name: str
    line_number: int
    speaker: str
    text: str
    label: int | None


def read_clef(path: str | Path) -> list[ClefRow]:
    """Rows in file order; ``label`` is None when the file has no label column."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            rows = list(reader)
            names = reader.fieldnames or []
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise BenchmarkFileError(f"cannot read {path}: {exc}") from exc
    missing = [c for c in ("line_number", "text", "file_name") if c not in names]
    if missing:
        raise BenchmarkFileError(f"{path}: missing column(s) {', '.join(missing)}")
    out = []
    for i, r in enumerate(rows, 1):
        lab = r.get("label")
        if lab not in (None, "", "0", "1"):
            raise BenchmarkFileError(f"{path}: row {i}: label {lab!r} is not 0 or 1")
        try:
            line = int(r["line_number"])
        except (TypeError, ValueError) as exc:
            raise BenchmarkFileError(f"{path}: row {i}: line_number {r['line_number']!r} is not an integer") from exc
        out.append(ClefRow(r["file_name"] or "", line, r.get("speaker") or "", r["text"] or "", int(lab) if lab else None))
    seen: set[tuple[str, int]] = set()
    for i, row in enumerate(out, 1):
        if (row.file_name, row.line_number) in seen:
            raise BenchmarkFileError(f"{path}: row {i}: line {row.line_number} of {row.file_name!r} appears twice")
        seen.add((row.file_name, row.line_number))
    if not out:
        raise BenchmarkFileError(f"{path}: no rows")
    return out


def debates(rows: Iterable[ClefRow]) -> dict[str, list[ClefRow]]:
    """Rows grouped by debate, each debate in line-number order, debates sorted by name."""
    groups: dict[str, list[ClefRow]] = {}
    for r in rows:
        groups.setdefault(r.file_name, []).append(r)
    return {k: sorted(v, key=lambda r: r.line_number) for k, v in sorted(groups.items())}


def gate_split(names: Sequence[str], heldout: Sequence[str] = GATE_HELDOUT) -> tuple[list[str], list[str]]:
    """(training debates, held-out debates); every held-out name must be present."""
    missing = [h for h in heldout if h not in names]
    if missing:
        raise BenchmarkFileError(f"gate debates missing from the data: {', '.join(missing)}")
    return [n for n in names if n not in heldout], [n for n in names if n in heldout]


def leave_one_out(names: Sequence[str]) -> list[tuple[list[str], list[str]]]:
    """Leave-one-debate-out folds: (train names, [held-out name]) for each debate."""
    return [([m for m in names if m != n], [n]) for n in names]
