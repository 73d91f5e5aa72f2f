"""Reading and writing SemEval-2020 Task 11 files (PTC corpus layout).

``DIR/train-articles/articleID.txt``, ``DIR/train-labels-task1-span-identification/
articleID.task1-SI.labels`` (``id<TAB>start<TAB>end``) and
``DIR/train-labels-task2-technique-classification/articleID.task2-TC.labels``
(``id<TAB>technique<TAB>start<TAB>end``).  Offsets are characters, end exclusive.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import EvalError, InputError

#: The 14 techniques of the PTC corpus, in the task's order.
TECHNIQUES: tuple[str, ...] = (
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
)

_ID = re.compile(r"article(\d+)\.txt$")


@dataclass
class PtcArticle:
    id: str
    text: str
    si: list[tuple[int, int]] = field(default_factory=list)
    tc: list[tuple[str, int, int]] = field(default_factory=list)


def article_id(path: Path) -> str:
    """``article123.txt`` -> ``123``; any other ``NAME.txt`` -> ``NAME``."""
    m = _ID.search(path.name)
    return m.group(1) if m else path.stem


def read_text(path: Path) -> str:
    # newline="" keeps "\r\n" as is: offsets count every character of the file.
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def read_articles(articles_dir: str | Path) -> dict[str, str]:
    """``{articleID: text}`` for every ``*.txt`` in ``articles_dir`` (sorted by id)."""
    folder = Path(articles_dir)
    if not folder.is_dir():
        raise InputError(f"articles folder not found: {folder}")
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise InputError(f"no .txt articles in {folder}")
    out: dict[str, str] = {}
    for path in files:
        try:
            out[article_id(path)] = read_text(path)
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    return out


def _labels(path: Path, n_fields: int) -> list[list[str]]:
    rows = []
    for lineno, line in enumerate(read_text(path).splitlines(), 1):
        if not line.strip():
            continue
        parts = line.rstrip("\r\n").split("\t")
        if len(parts) != n_fields:
            raise EvalError(f"{path}:{lineno}: expected {n_fields} tab-separated fields, got {len(parts)}")
        rows.append(parts)
    return rows


def load_corpus(data_dir: str | Path, limit: int | None = None) -> list[PtcArticle]:
    """The PTC training corpus under ``data_dir`` (articles + SI + TC labels)."""
    root = Path(data_dir)
    art_dir = root / "train-articles"
    if not art_dir.is_dir():
        raise EvalError(f"PTC corpus not found: {art_dir} is missing (expected the SemEval-2020 Task 11 layout)")
    texts = read_articles(art_dir)
    si_dir = root / "train-labels-task1-span-identification"
    tc_dir = root / "train-labels-task2-technique-classification"
    out: list[PtcArticle] = []
    for aid, text in texts.items():
        art = PtcArticle(aid, text)
        si_path = si_dir / f"article{aid}.task1-SI.labels"
        tc_path = tc_dir / f"article{aid}.task2-TC.labels"
        try:
            if si_path.is_file():
                art.si = [(int(s), int(e)) for _a, s, e in _labels(si_path, 3)]
            if tc_path.is_file():
                art.tc = [(t, int(s), int(e)) for _a, t, s, e in _labels(tc_path, 4)]
        except ValueError as exc:
            raise EvalError(f"article {aid}: bad offset in labels ({exc})") from exc
        for t, _s, _e in art.tc:
            if t not in TECHNIQUES:
                raise EvalError(f"article {aid}: unknown technique {t!r}")
        if not art.si and art.tc:
            art.si = [(s, e) for _t, s, e in art.tc]
        out.append(art)
        if limit and len(out) >= limit:
            break
    return out


@dataclass(frozen=True)
class TemplateLine:
    lineno: int
    article_id: str
    start: int
    end: int


def read_template(path: str | Path, texts: dict[str, str]) -> list[TemplateLine]:
    """Lines ``articleID<TAB>?<TAB>start<TAB>end`` of an official TC template,
    checked against the articles (clear error naming the line otherwise)."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"template file not found: {p}")
    out: list[TemplateLine] = []
    for lineno, line in enumerate(read_text(p).splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 4:
            raise InputError(f"{p}:{lineno}: expected 'articleID<TAB>?<TAB>start<TAB>end', got {len(parts)} fields")
        aid, _label, s, e = parts
        try:
            start, end = int(s), int(e)
        except ValueError:
            raise InputError(f"{p}:{lineno}: start/end are not integers: {s!r}, {e!r}") from None
        if aid not in texts:
            raise InputError(f"{p}:{lineno}: article {aid!r} is not in the articles folder")
        n = len(texts[aid])
        if not 0 <= start < end <= n:
            raise InputError(f"{p}:{lineno}: span {start}-{end} is outside article {aid} (length {n})")
        out.append(TemplateLine(lineno, aid, start, end))
    return out


def format_si(rows: Iterable[tuple[str, int, int]]) -> str:
    return "".join(f"{a}\t{s}\t{e}\n" for a, s, e in rows)


def format_tc(rows: Iterable[tuple[str, str, int, int]]) -> str:
    return "".join(f"{a}\t{t}\t{s}\t{e}\n" for a, t, s, e in rows)
