"""Attribution evaluation on PolNeAR (Newell, Margolin and Ruths, LREC 2018).

Corpus layout (a split directory)::

    SPLIT/text/NAME.txt                      the article text
    SPLIT/attributions/NAME_ANNOTATOR.ann    brat standoff (T spans, E links)

**Annotator policy.**  Some articles have several ``.ann`` files (one per
annotator).  We always use the *first* one in sorted file-name order, so every
run scores against the same, single gold standard.

**Gold.**  Every ``E`` line (``Attribution`` and ``Attribution-no-source``) is
one gold attribution with a content span, a cue span and an optional source.
A discontinuous span (``START END;START END``) keeps its fragments, and a second
content span under the role ``Content2`` adds its fragments to the content (a
discontinuous content is the union of its pieces).  ``E`` lines without a content
are skipped.

**Measures** (all micro-averaged over the articles; see :class:`Score`):

``content-exact``
    a prediction matches a gold attribution when its content offsets equal the
    gold content's extent (first fragment start, last fragment end), after
    stripping whitespace at both ends of both.  One-to-one.
``content-overlap``
    a prediction matches a gold attribution when their contents share at least
    one character (any gold fragment).  Pairs are made one-to-one, greedily by
    the number of shared characters.  P = matched predictions / predictions,
    R = matched gold / gold.
``source`` and ``cue``
    end to end, within the content-overlap pairs: tp = pairs whose predicted
    and gold source (cue) overlap; fp = predictions with a source (cue) that
    are not such a pair; fn = gold attributions with a source (cue) that are
    not such a pair.  So a source is only right if its attribution was found.

The **strict measures** (``strict partial``, ``strict jaccard``,
``strict exact``, ``strict source``, ``strict cue``; :func:`.scorer.strict_score`)
compare characters after trimming white space, quote marks and end punctuation
at the edges of every piece, pair relations one to one by most shared content
characters, and give partial credit |p∩g|/|p| (precision) and |p∩g|/|g|
(recall) per pair; Jaccard>=0.5 counts a pair when |p∩g|/|p∪g| >= 0.5;
source and cue count a pair when the two spans overlap or both are absent.

**Baseline.**  :func:`baseline_predict`: text inside double quote marks (three
words or more) is content, attributed to the nearest say-verb within 60
characters after or before the quote (no parse; no source).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import EvalError
from .scorer import STRICT_MEASURES, Score, StrictScore, match_one_to_one, strict_score

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from ..models.attribution.types import Relation

Fragments = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class GoldAttribution:
    content: Fragments
    cue: Fragments | None = None
    source: Fragments | None = None


@dataclass(frozen=True)
class PredAttribution:
    content: tuple[int, int]
    cue: tuple[int, int] | None = None
    source: tuple[int, int] | None = None
    #: the quoted parts of a content interrupted by its own source and cue (``Attribution.content_pieces``)
    pieces: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class PolnearArticle:
    name: str
    text: str
    gold: tuple[GoldAttribution, ...]
    annotator: str = ""


@dataclass(frozen=True)
class AttributionEvalOptions:
    """Options of :func:`evaluate` (the ``newsaudit eval attribution`` command)."""

    directory: str
    pred: str | None = None
    limit: int | None = None
    baseline: bool = True
    model: str | None = None
    batch_size: int = 16


@dataclass
class EvalResult:
    articles: int
    gold: int
    scores: dict[str, dict[str, Score]] = field(default_factory=dict)  # system -> measure -> Score
    strict: dict[str, StrictScore] = field(default_factory=dict)  # system -> the strict measures

    def to_dict(self) -> dict[str, object]:
        return {
            "articles": self.articles,
            "gold": self.gold,
            "scores": {s: {m: sc.to_dict() for m, sc in ms.items()} for s, ms in self.scores.items()},
            "strict": {s: sc.to_dict() for s, sc in self.strict.items()},
        }


MEASURES = ("content-exact", "content-overlap", "source", "cue")
#: The strict measures shown beside :data:`MEASURES` (``overlap`` is left out: it is ``content-overlap`` after trimming).
STRICT_SHOWN = tuple(m for m in STRICT_MEASURES if m != "overlap")

# --------------------------------------------------------------------------- reading


def _gold(relations: Iterable[Relation]) -> tuple[GoldAttribution, ...]:
    return tuple(GoldAttribution(content=r.content, cue=r.cue, source=r.source) for r in relations)


def read_ann(path: str | Path) -> tuple[GoldAttribution, ...]:
    """Gold attributions of one brat ``.ann`` file, in file order (read by the one PolNeAR reader,
    :mod:`newsaudit.models.attribution.polnear`; the content is the union of the ``Content`` and ``Content2``
    spans, its pieces sorted)."""
    from ..models.attribution.polnear import parse_ann

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalError(f"cannot read {path}: {exc}") from exc
    return _gold(parse_ann(text, str(path), content_roles=("Content", "Content2")))


def load_split(directory: str | Path, limit: int | None = None) -> list[PolnearArticle]:
    """Articles of a PolNeAR split dir (``text/`` + ``attributions/``), sorted by name.

    Articles without any ``.ann`` file are skipped; with several, the first in
    sorted order is used (see the module docstring).  Read by the one PolNeAR
    reader, :func:`newsaudit.models.attribution.polnear.load_split`."""
    from ..models.attribution.polnear import load_split as read_split

    return [
        PolnearArticle(name=a.name, text=a.text, gold=_gold(a.gold), annotator=a.annotator)
        for a in read_split(directory, limit=limit, content_roles=("Content", "Content2"))
    ]


# --------------------------------------------------------------------------- predicting


def attribution_pipeline(model: str | None = None) -> Language:
    """A fresh spaCy pipeline with only newsaudit's attribution component added."""
    # the imports declare the factories
    import newsaudit.components.attribution
    import newsaudit.components.paragraphs  # noqa: F401

    from ..nlp import load_fresh, resolve_model_name

    nlp = load_fresh(resolve_model_name(model))
    nlp.add_pipe("newsaudit_paragraphs", before="parser")  # as analyze parses (the model was trained so)
    nlp.add_pipe("newsaudit_attribution")
    return nlp


def predictions_from_doc(doc: Doc) -> list[PredAttribution]:
    out = []
    for att in doc._.attributions or ():
        out.append(
            PredAttribution(
                content=(att.content.start, att.content.end),
                cue=(att.cue.start, att.cue.end) if att.cue else None,
                source=(att.source.start, att.source.end) if att.source else None,
                pieces=tuple((piece.start, piece.end) for piece in att.content_pieces),
            )
        )
    return out


def system_predict(texts: Sequence[str], model: str | None = None, batch_size: int = 16) -> Iterator[list[PredAttribution]]:
    """Run the attribution pipeline over ``texts`` (with ``nlp.pipe``)."""
    nlp = attribution_pipeline(model)
    for doc in nlp.pipe(texts, batch_size=batch_size):
        yield predictions_from_doc(doc)


_SAY = re.compile(
    r"\b(said|says|say|told|tells|stated|added|wrote|asked|according to|reported|claimed|explained)\b",
    re.IGNORECASE,
)
_QUOTE = re.compile(r"[“\"]([^“”\"\n]+)[”\"]")


def baseline_predict(text: str, window: int = 60) -> list[PredAttribution]:
    """The plain rule baseline: quoted text (3+ words) with the nearest say-verb."""
    out = []
    for m in _QUOTE.finditer(text):
        if len(m.group(1).split()) < 3:
            continue
        after = _SAY.search(text, m.end(), min(len(text), m.end() + window))
        before = None
        for b in _SAY.finditer(text, max(0, m.start() - window), m.start()):
            before = b
        cue = None
        if after and (before is None or after.start() - m.end() <= m.start() - before.end()):
            cue = after
        elif before:
            cue = before
        if cue is None:
            continue
        out.append(PredAttribution(content=(m.start(), m.end()), cue=(cue.start(), cue.end())))
    return out


# --------------------------------------------------------------------------- scoring


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _overlap(span: tuple[int, int], frags: Fragments) -> int:
    return sum(max(0, min(span[1], e) - max(span[0], s)) for s, e in frags)


def score_article(text: str, predicted: Sequence[PredAttribution], gold: Sequence[GoldAttribution]) -> dict[str, Score]:
    """The four measures (see the module docstring) for one article."""
    scores: dict[str, Score] = {}
    # Exact content match (one-to-one on identical stripped extents).
    gold_extents = [_strip(text, g.content[0][0], g.content[-1][1]) for g in gold]
    pred_extents = [_strip(text, *p.content) for p in predicted]
    exact = match_one_to_one(pred_extents, gold_extents, lambda p, g: 1.0 if p == g else 0.0)
    scores["content-exact"] = Score.from_counts(len(exact), len(predicted), len(gold))
    # Overlap content match.
    pairs = match_one_to_one(predicted, gold, lambda p, g: float(_overlap(p.content, g.content)))
    scores["content-overlap"] = Score.from_counts(len(pairs), len(predicted), len(gold))
    for role in ("source", "cue"):
        tp = 0
        for i, j in pairs:
            p_span, g_span = getattr(predicted[i], role), getattr(gold[j], role)
            if p_span is not None and g_span is not None and _overlap(p_span, g_span) > 0:
                tp += 1
        n_pred = sum(1 for p in predicted if getattr(p, role) is not None)
        n_gold = sum(1 for g in gold if getattr(g, role) is not None)
        scores[role] = Score.from_counts(tp, n_pred, n_gold)
    return scores


def as_pieces(p: PredAttribution) -> GoldAttribution:
    """A prediction as pieces, the form the strict measures read."""
    return GoldAttribution(content=p.pieces or (p.content,), cue=(p.cue,) if p.cue else None, source=(p.source,) if p.source else None)


def score_corpus(
    articles: Sequence[PolnearArticle], predictions: Iterable[Sequence[PredAttribution]]
) -> dict[str, Score]:
    totals = {m: Score() for m in MEASURES}
    for article, predicted in zip(articles, predictions, strict=True):
        for measure, score in score_article(article.text, predicted, article.gold).items():
            totals[measure] = totals[measure] + score
    return totals


def strict_corpus(articles: Sequence[PolnearArticle], predictions: Iterable[Sequence[PredAttribution]]) -> StrictScore:
    """The strict measures summed over the articles (micro-averaged)."""
    total = StrictScore()
    for article, predicted in zip(articles, predictions, strict=True):
        total = total + strict_score(article.text, [as_pieces(p) for p in predicted], article.gold)
    return total


def write_predictions(path: str | Path, articles: Sequence[PolnearArticle], predictions: Sequence[Sequence[PredAttribution]]) -> None:
    """One JSON line per article: ``{"article": NAME, "attributions": [{"source", "cue", "content"}]}``."""
    with Path(path).open("w", encoding="utf-8") as fh:
        for article, predicted in zip(articles, predictions, strict=True):
            row = {
                "article": article.name,
                "attributions": [
                    {
                        "source": list(p.source) if p.source else None,
                        "cue": list(p.cue) if p.cue else None,
                        "content": list(p.content),
                    }
                    for p in predicted
                ],
            }
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def evaluate(options: AttributionEvalOptions) -> EvalResult:
    """Run the system (and the baseline) over a PolNeAR split and score them."""
    articles = load_split(options.directory, options.limit)
    texts = [a.text for a in articles]
    predicted = list(system_predict(texts, options.model, options.batch_size))
    result = EvalResult(articles=len(articles), gold=sum(len(a.gold) for a in articles))
    result.scores["newsaudit"] = score_corpus(articles, predicted)
    result.strict["newsaudit"] = strict_corpus(articles, predicted)
    if options.baseline:
        base = [baseline_predict(t) for t in texts]
        result.scores["baseline"] = score_corpus(articles, base)
        result.strict["baseline"] = strict_corpus(articles, base)
    if options.pred:
        write_predictions(options.pred, articles, predicted)
    return result


# --------------------------------------------------------------------------- learned cue lexicon
