"""Why a span was flagged: what the technique means (a data file), the model's
two probabilities (is it propaganda at all; which technique), the runner-up
technique, and the words of the cue lexicon found in the span."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ...errors import ModelError
from ...lexicons import DATA_DIR, numbered_rows
from . import TECHNIQUES
from .features import load_lexicon

DEFINITIONS_PATH = DATA_DIR / "techniques" / "definitions.tsv"
#: cue words quoted in one reason at most
MAX_CUES = 5


@lru_cache(maxsize=4)
def load_definitions(path: str = str(DEFINITIONS_PATH)) -> dict[str, str]:
    """technique -> one-line definition; every one of the 14 techniques, no other."""
    try:
        rows = numbered_rows(path)
    except OSError as exc:
        raise ModelError(f"technique definitions unreadable: {path} ({exc.strerror})") from exc
    out: dict[str, str] = {}
    for lineno, cells in rows:
        if len(cells) != 2 or not cells[1]:
            raise ModelError(f"{path}:{lineno}: expected 'technique<TAB>definition'")
        if cells[0] not in TECHNIQUES:
            raise ModelError(f"{path}:{lineno}: unknown technique {cells[0]!r}")
        out[cells[0]] = cells[1]
    missing = [t for t in TECHNIQUES if t not in out]
    if missing:
        raise ModelError(f"{path}: no definition for {', '.join(missing)}")
    return out


def lexicon_cues(span_text: str) -> list[tuple[str, str]]:
    """(cue as written, lexicon category) for each lexicon term in ``span_text``,
    in text order, each cue once."""
    cats, pats = load_lexicon()
    lower = span_text.lower()
    found = sorted((m.start(), m.group(), cat) for cat, pat in zip(cats, pats, strict=False) for m in pat.finditer(lower))
    out: list[tuple[str, str]] = []
    for _pos, cue, cat in found:
        if (cue, cat) not in out:
            out.append((cue, cat))
    return out


@dataclass(frozen=True)
class Finding:
    """One technique span as the model sees it."""

    technique: str
    start: int
    end: int
    #: span_prob x technique_prob
    score: float
    #: mean probability of the span's tokens of being in any propaganda span (SI)
    span_prob: float
    #: probability of ``technique`` among the 14, for this span (TC)
    technique_prob: float
    runner_up: str
    runner_up_prob: float


def reason(f: Finding, text: str) -> str:
    """One sentence a reader can check: definition, then the evidence."""
    evidence = [
        f"model: propaganda probability {f.span_prob:.2f} x technique probability {f.technique_prob:.2f} = score {f.score:.2f}",
        f"next most likely technique: {f.runner_up} ({f.runner_up_prob:.2f})",
    ]
    cues: dict[str, list[str]] = {}
    for word, cat in lexicon_cues(text[f.start : f.end]):
        cues.setdefault(word, []).append(cat.replace("_", " "))
    if cues:
        evidence.append("cue words: " + ", ".join(
            f"'{w}' ({', '.join(cats)} lexicon{'s' if len(cats) > 1 else ''})" for w, cats in list(cues.items())[:MAX_CUES]))
    return f"{load_definitions()[f.technique]} ({'; '.join(evidence)})"
