"""Reading and writing SemEval-2020 Task 11 files (PTC corpus layout), and the techniques
model's predictions in those formats (``newsaudit eval techniques-predict``).

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
from ..models.techniques import TECHNIQUES
from ..models.techniques.detect import classify_spans, detect, detect_spans
from ..models.techniques.model import get_model
from ..options import check_peak

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


#: The formats of :func:`predict`.
FORMATS = ("semeval-si", "semeval-tc", "jsonl")


@dataclass(frozen=True)
class PredictOptions:
    articles: str
    format: str = "semeval-si"
    #: TC template (``articleID<TAB>?<TAB>start<TAB>end``), required for semeval-tc.
    spans: str | None = None
    model_dir: str | None = None
    out: str | None = None
    #: keep a detected span only if one token reaches this probability (None: the model's own)
    peak: float | None = None


def predict(opts: PredictOptions) -> str:
    """Predictions for every article of a folder, as the text of a SemEval file."""
    if opts.format not in FORMATS:
        raise InputError(f"unknown format {opts.format!r}; use one of {', '.join(FORMATS)}")
    check_peak(opts.peak, "--peak")
    texts = read_articles(opts.articles)
    if opts.format == "semeval-tc":
        if not opts.spans:
            raise InputError("--format semeval-tc needs --spans TEMPLATE (articleID<TAB>?<TAB>start<TAB>end lines)")
        lines = read_template(opts.spans, texts)
        model = get_model(opts.model_dir)
        by_article: dict[str, list] = {}
        for line in lines:
            by_article.setdefault(line.article_id, []).append(line)
        labels: dict[int, str] = {}
        for aid, group in by_article.items():
            techs = classify_spans(texts[aid], [(ln.start, ln.end) for ln in group], model, aid)
            for ln, tech in zip(group, techs, strict=False):
                labels[ln.lineno] = tech
        return format_tc((ln.article_id, labels[ln.lineno], ln.start, ln.end) for ln in lines)
    model = get_model(opts.model_dir)
    if opts.format == "semeval-si":
        rows = [(aid, s, e) for aid, text in texts.items() for s, e in detect_spans(text, model, peak=opts.peak)]
        return format_si(rows)
    import json

    return "".join(
        json.dumps({"article_id": aid, "techniques": [t.to_dict() for t in detect(text, model, peak=opts.peak)]}) + "\n"
        for aid, text in texts.items()
    )


def write_output(text: str, out: str | None) -> None:
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(text, encoding="utf-8")
