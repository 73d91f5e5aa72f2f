"""Reading PolNeAR v1.0.0 (Newell, Margolin and Ruths, LREC 2018) for training and scoring.

A split folder holds ``text/NAME.txt`` and ``attributions/NAME_ANNOTATOR.ann``
(brat standoff).  ``T`` lines are spans (``Tn<TAB>Label START END[;START END]<TAB>text``),
``E`` lines link them (``En<TAB>Attribution:Tk Content:Tc Cue:Tq Source:Ts [Content2:Td]``).

Decisions (kept fixed everywhere in this package):

* **Content2.**  A few relations carry a second content span under the role
  ``Content2``; it is added to the content as more pieces (a discontinuous
  content is the union of its pieces).
* **Relations without content** (a handful of ``E`` lines) are skipped.
* **Discuss** spans (annotators' notes to each other) are not relations.
* **Several annotators.**  :attr:`AnnotatedArticle.annotations` keeps every annotator's
  relations, in sorted file-name order.  *Scoring* always uses the first
  annotator in sorted file-name order (:attr:`AnnotatedArticle.gold`), the policy that
  ``newsaudit eval attribution`` already follows, so that every run scores
  against one fixed gold standard.  Training may use all of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ...errors import BenchmarkFileError
from .types import Piece, Pieces, Relation

#: The roles whose spans make a relation's content (training reads both; see the module docstring).
CONTENT_ROLES = ("Content", "Content2")


@dataclass(frozen=True)
class AnnotatedArticle:
    """One PolNeAR article with every annotator's relations."""

    name: str
    text: str
    #: (annotator id, relations), sorted by .ann file name.
    annotations: tuple[tuple[str, tuple[Relation, ...]], ...]

    @property
    def gold(self) -> tuple[Relation, ...]:
        """The scoring gold standard: the first annotator in sorted file-name order."""
        return self.annotations[0][1] if self.annotations else ()

    @property
    def annotator(self) -> str:
        return self.annotations[0][0] if self.annotations else ""


def _pieces(offsets: str) -> Pieces:
    out = []
    for part in offsets.split(";"):
        start, end = part.split()
        out.append((int(start), int(end)))
    return tuple(out)


def parse_ann(
    content: str, where: str = "<ann>", content_roles: tuple[str, ...] = CONTENT_ROLES, file_order: bool = False
) -> tuple[Relation, ...]:
    """Relations of one brat ``.ann`` text, in ``E`` line order; the content is the union of the spans of
    ``content_roles`` (``("Content",)``: what ``newsaudit eval attribution``'s measures have always read), its pieces
    sorted (``file_order``: as the file lists them, which ``eval attribution``'s extent has always read)."""
    spans: dict[str, Pieces] = {}
    links: list[dict[str, list[str]]] = []
    for line in content.splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        if line.startswith("T"):
            label_offsets = parts[1].split(" ", 1)
            if len(label_offsets) != 2:
                continue
            try:
                spans[parts[0]] = _pieces(label_offsets[1])
            except ValueError as exc:
                raise BenchmarkFileError(f"{where}: bad span line {line[:60]!r}") from exc
        elif line.startswith("E"):
            roles: dict[str, list[str]] = {}
            for item in parts[1].split():
                role, _, ref = item.partition(":")
                roles.setdefault(role, []).append(ref)
            links.append(roles)
    relations = []
    for roles in links:
        pieces: list[Piece] = []
        for role in content_roles:
            for ref in roles.get(role, []):
                pieces.extend(spans.get(ref, ()))
        if not pieces:
            continue
        cue = spans.get(roles.get("Cue", [""])[0])
        source = spans.get(roles.get("Source", [""])[0])
        relations.append(Relation(content=tuple(pieces if file_order else sorted(pieces)), cue=cue, source=source))
    return tuple(relations)


def load_split(
    directory: str | Path, limit: int | None = None, content_roles: tuple[str, ...] = CONTENT_ROLES, file_order: bool = False
) -> list[AnnotatedArticle]:
    """Annotated articles of a PolNeAR split folder, sorted by name (unannotated ones skipped); the one
    PolNeAR reader of newsaudit (:mod:`newsaudit.eval.polnear` reads through it)."""
    root = Path(directory)
    text_dir, ann_dir = root / "text", root / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise BenchmarkFileError(f"{root} is not a PolNeAR split: it needs text/ and attributions/ folders")
    anns: dict[str, list[Path]] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        name, _, _annotator = ann.stem.rpartition("_")
        anns.setdefault(name, []).append(ann)
    articles = []
    for txt in sorted(text_dir.glob("*.txt")):
        files = anns.get(txt.stem)
        if not files:
            continue
        try:
            annotations = tuple(
                (f.stem.rpartition("_")[2], parse_ann(f.read_text(encoding="utf-8"), str(f), content_roles, file_order)) for f in files
            )
            text = txt.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise BenchmarkFileError(f"cannot read {txt.stem}: {exc}") from exc
        articles.append(AnnotatedArticle(name=txt.stem, text=text, annotations=annotations))
        if limit is not None and len(articles) >= limit:
            break
    if not articles:
        raise BenchmarkFileError(f"no annotated articles found in {root}")
    return articles


def iter_training_views(
    articles: list[AnnotatedArticle], policy: str = "all"
) -> Iterator[tuple[AnnotatedArticle, tuple[Relation, ...], float]]:
    """(article, relations, weight) for training.

    ``policy``: ``"first"`` uses only the scoring annotator; ``"all"`` uses every
    annotator's relations as a separate view of the article, each weighted
    ``1 / number of annotators`` so that a doubly annotated article weighs as much
    as any other while the model sees both readings where they disagree.
    """
    if policy not in ("first", "all"):
        raise BenchmarkFileError(f"unknown annotator policy {policy!r}")
    for article in articles:
        if policy == "first" or len(article.annotations) == 1:
            yield article, article.gold, 1.0
        else:
            w = 1.0 / len(article.annotations)
            for _annotator, relations in article.annotations:
                yield article, relations, w
