"""Plain functions behind the CLI and the spaCy component."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..options import check_peak
from ..text.windows import split_windows
from ..types import Technique
from .explain import reason
from .model import TechniquesModel, get_model
from .semeval import format_si, format_tc, read_articles, read_template

#: Texts longer than this are cut into windows (at paragraph/line/sentence
#: breaks) and each window is analysed; offsets are shifted back, nothing is dropped.
WINDOW_CHARS = 50_000
FORMATS = ("semeval-si", "semeval-tc", "jsonl")


def _windows(text: str, size: int) -> list[tuple[int, str]]:
    out, pos = [], 0
    for piece in split_windows(text, size):
        out.append((pos, piece))
        pos += len(piece)
    return out


def _worth_analysing(text: str) -> bool:
    """At least two words: a blank or one-word text has no technique spans."""
    return len(text.split()) >= 2


def detect(text: str, model: TechniquesModel | None = None, model_dir: str | None = None,
           window_chars: int = WINDOW_CHARS, peak: float | None = None) -> list[Technique]:
    """Technique spans of ``text`` (SI then TC), offsets into ``text``; ``peak``
    overrides the model's bar for keeping a span."""
    if not _worth_analysing(text):
        return []
    model = model or get_model(model_dir)
    out: list[Technique] = []
    for offset, piece in _windows(text, window_chars):
        if not _worth_analysing(piece):
            continue
        for f in model.predict(piece, peak=peak):
            s, e = f.start + offset, f.end + offset
            out.append(Technique(f.technique, s, e, text[s:e], round(f.score, 4), reason(f, piece)))
    return out


def detect_spans(text: str, model: TechniquesModel, window_chars: int = WINDOW_CHARS,
                 peak: float | None = None) -> list[tuple[int, int]]:
    """SI only: propaganda spans of ``text``."""
    if not _worth_analysing(text):
        return []
    out = []
    for offset, piece in _windows(text, window_chars):
        if _worth_analysing(piece):
            feats = model.features(piece)
            out += [(s + offset, e + offset) for s, e, _p in model.spans(feats, peak=peak)]
    return out


def classify_spans(text: str, spans: list[tuple[int, int]], model: TechniquesModel, aid: str = "") -> list[str]:
    """TC only: one technique per span, in order (a span listed k times gets its k best)."""
    from .train import predict_tc

    if not spans:
        return []
    feats = model.features(text)
    return [row[1] for row in predict_tc(model, feats, aid, spans)]


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
