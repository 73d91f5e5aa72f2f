"""FNC-1 files (Fake News Challenge stage 1) and the fixed dev split by Body ID.

``train_bodies.csv`` has the columns ``Body ID`` and ``articleBody``;
``train_stances.csv`` has ``Headline``, ``Body ID`` and (optionally)
``Stance``, one of agree, disagree, discuss, unrelated.

Dev split (:func:`dev_split`; docs/evaluation.md and the stance model card): the distinct
Body IDs of the bodies file, sorted as integers, are shuffled with
``random.Random(2017)``; the first ``round(0.2 * n)`` are dev, the rest train.
A body is never on both sides; a headline may be (FNC-1 pairs each headline
with many bodies).
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import BenchmarkFileError
from ..models.stance.model import LABELS

DEV_SEED = 2017
#: Seed of the cross-validation folds by body inside the training side (the stance recipe).
FOLD_SEED = 2018
DEV_FRACTION = 0.2
#: What ``--split`` accepts: every row, the dev bodies' rows, the training bodies' rows.
SPLITS = ("all", "dev", "train")


def body_order(body_ids: Iterable[str]) -> list[str]:
    """Distinct body ids sorted as integers (others last, by text): the order every split shuffles."""
    return sorted(set(body_ids), key=lambda b: (int(b) if b.isdigit() else 10**12, b))


def body_folds(body_ids: Iterable[str], k: int = 5, seed: int = FOLD_SEED) -> list[set[str]]:
    """``k`` disjoint sets of body ids (sorted, shuffled with ``random.Random(seed)``, dealt round) for CV by body."""
    ids = body_order(body_ids)
    random.Random(seed).shuffle(ids)
    return [set(ids[i::k]) for i in range(k)]


@dataclass(frozen=True)
class Pair:
    """One row of a stances file (``row``: its 1-based record number)."""

    headline: str
    body_id: str
    stance: str | None
    row: int = 0


def _open_rows(path: str | Path, required: Sequence[str]) -> tuple[list[dict[str, str]], list[str]]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            rows = list(reader)
            fields = list(reader.fieldnames or [])
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise BenchmarkFileError(f"cannot read {path}: {exc}") from exc
    missing = [c for c in required if c not in fields]
    if missing:
        raise BenchmarkFileError(f"{path}: missing column(s) {', '.join(missing)} (it has: {', '.join(fields) or 'none'})")
    return rows, fields


def read_bodies(path: str | Path) -> dict[str, str]:
    """``Body ID -> articleBody`` from a ``train_bodies.csv``-style file."""
    rows, _ = _open_rows(path, ("Body ID", "articleBody"))
    return {r["Body ID"].strip(): r["articleBody"] or "" for r in rows}


def read_pairs(path: str | Path) -> list[Pair]:
    """Pairs in file order; ``stance`` is None when the file has no Stance column."""
    rows, fields = _open_rows(path, ("Headline", "Body ID"))
    labelled = "Stance" in fields
    out = []
    for i, r in enumerate(rows, 1):
        stance = (r.get("Stance") or "").strip() if labelled else None
        if labelled and stance not in LABELS:
            raise BenchmarkFileError(f"{path}: row {i}: Stance {stance!r} is not one of {', '.join(LABELS)}")
        out.append(Pair(r["Headline"] or "", (r["Body ID"] or "").strip(), stance, i))
    return out


def dev_split(body_ids: Iterable[str], fraction: float = DEV_FRACTION, seed: int = DEV_SEED) -> tuple[set[str], set[str]]:
    """(train body ids, dev body ids): sorted ids shuffled with ``random.Random(seed)``, the first share is dev."""
    ids = body_order(body_ids)
    random.Random(seed).shuffle(ids)
    n_dev = round(fraction * len(ids))
    return set(ids[n_dev:]), set(ids[:n_dev])


def select_split(pairs: Sequence[Pair], bodies: Iterable[str], split: str) -> list[Pair]:
    """The pairs of ``split`` (``all``, ``dev``, ``train``), the split made over the bodies file's ids."""
    if split not in SPLITS:
        raise BenchmarkFileError(f"unknown split {split!r}; expected one of {', '.join(SPLITS)}")
    if split == "all":
        return list(pairs)
    train, dev = dev_split(bodies)
    keep = dev if split == "dev" else train
    return [p for p in pairs if p.body_id in keep]
