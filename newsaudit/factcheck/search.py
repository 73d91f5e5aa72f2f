"""Hybrid retrieval: BM25 (SQLite FTS5) + embeddings (hnswlib), fused.

For each query: the top ``candidates`` by BM25, by cosine to the claim
vectors and by cosine to the title vectors are pooled, with every review of the same
claim (equal up to case and punctuation); every pooled review gets its exact
cosines from the stored vectors, duplicates share their best values, and the
three rankings (BM25, claim cosine, title cosine) over the pool are fused by
weighted reciprocal rank fusion; ties go to the earliest-imported review.  A hit keeps
every number it was ranked by, so a match can say why it was found.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import FactCheckError
from ..types import FactCheckMatch
from .index import VectorIndex
from .store import FactCheckStore, StoredReview

#: Reciprocal rank fusion: score = sum of weight / (RRF_K + rank) over the BM25,
#: claim-cosine and title-cosine rankings of the candidate pool.  Chosen by a
#: grid search on the CLEF 2020 Task 2 *train* split (MAP@5 0.915 there);
#: see docs/evaluation.md for the dev score.
RRF_K = 5
WEIGHTS = (1.25, 1.0, 0.5)

_URL = re.compile(r"(?:https?://|pic\.twitter\.com/|www\.)\S+", re.I)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_TAG = re.compile(r"[#@](\w+)")
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def normalise_query(text: str) -> str:
    """Drop URLs, split ``#CamelCaseTags`` and ``@handles`` into words, squeeze spaces."""
    text = _URL.sub(" ", text)
    text = _TAG.sub(lambda m: " " + _CAMEL.sub(" ", m.group(1)).replace("_", " ") + " ", text)
    return re.sub(r"\s+", " ", text).strip()


_STOPWORDS_FILE = Path(__file__).with_name("data") / "stopwords.txt"


def _stop_words() -> frozenset[str]:
    lines = _STOPWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


_STOP: frozenset[str] | None = None


def fts_query(text: str, max_terms: int = 64) -> str:
    """An FTS5 MATCH expression: the query's distinct non-stop words, OR-ed."""
    global _STOP
    if _STOP is None:
        _STOP = _stop_words()
    terms: list[str] = []
    for tok in _TOKEN.findall(text.lower()):
        if len(tok) < 2 or tok in _STOP or tok in terms:
            continue
        terms.append(tok)
        if len(terms) >= max_terms:
            break
    return " OR ".join(f'"{t}"' for t in terms)


@dataclass(frozen=True)
class Hit:
    """One retrieved review and why: its fused score and the evidence behind it."""

    review: StoredReview
    score: float
    rank: int
    bm25: float
    bm25_rank: int | None
    claim_cosine: float
    title_cosine: float | None
    claim_rank: int | None
    title_rank: int | None

    @property
    def similarity(self) -> float:
        """The best cosine similarity between the query and the claim or title."""
        return max(self.claim_cosine, self.title_cosine if self.title_cosine is not None else -1.0)

    def to_match(self) -> FactCheckMatch:
        r = self.review
        return FactCheckMatch(review_id=r.review_id, claim=r.claim, score=round(self.similarity, 4),
                              verdict=r.verdict, normalised_verdict=r.normalised_verdict,
                              publisher=r.publisher, date=r.date, url=r.url)

    def to_dict(self) -> dict[str, object]:
        """The hit as JSON (``factcheck search --json`` and ``POST /v1/factcheck/search``): the
        match's fields (``score`` is the best cosine, 4 decimals), the review's ``title``, then
        ``rank``, ``fused_score`` (6 decimals), ``bm25``, ``claim_cosine`` and ``title_cosine``
        (4 decimals; ``title_cosine`` null when the review has no title vector)."""
        data: dict[str, object] = {**self.to_match().to_dict(), "title": self.review.title}
        data.update(
            rank=self.rank,
            fused_score=round(self.score, 6),
            bm25=round(self.bm25, 4),
            claim_cosine=round(self.claim_cosine, 4),
            title_cosine=None if self.title_cosine is None else round(self.title_cosine, 4),
        )
        return data


def hits_json(query: str, hits: Sequence[Hit]) -> dict[str, object]:
    """``{"query", "matches"}``: the one JSON shape of a search, for ``factcheck search --json`` and
    ``POST /v1/factcheck/search`` alike (each match is :meth:`Hit.to_dict`)."""
    return {"query": query, "matches": [h.to_dict() for h in hits]}


def verdict_words(review: StoredReview) -> str:
    """The review's verdict as a reader sees it: the publisher's words, then the normalised verdict
    when it differs; "no verdict" when the review gives none."""
    text = review.verdict or ""
    norm = review.normalised_verdict
    if not text:
        return f"no verdict ({norm})" if norm else "no verdict"
    return f"{text} ({norm})" if norm and norm != text.lower() else text


def _shared_best(own: tuple[dict[int, float], ...], pool: set[int],
                 canon: dict[int, str]) -> tuple[dict[int, float], ...]:
    """``own`` with every review of a claim given the best value of any review of that claim."""
    groups: dict[str, list[int]] = {}
    for rowid in pool:
        key = canon.get(rowid)
        if key is not None:
            groups.setdefault(key, []).append(rowid)
    shared = tuple({r: values.get(r, 0.0) for r in pool} for values in own)
    for members in groups.values():
        if len(members) < 2:
            continue
        for values, out in zip(own, shared, strict=True):
            top_value = max(values.get(r, 0.0) for r in members)
            out.update((r, top_value) for r in members)
    return shared


def _ranks(scores: dict[int, float]) -> dict[int, int]:
    order = sorted(scores, key=lambda rid: (-scores[rid], rid))
    return {rid: i + 1 for i, rid in enumerate(order)}


class Searcher:
    """Searches one store; the ANN index is loaded (or rebuilt if stale) on first use."""

    def __init__(self, store: FactCheckStore, *, candidates: int = 100, semantic: bool = True,
                 lexical: bool = True) -> None:
        self.store = store
        self.candidates = candidates
        self._semantic = semantic
        self.lexical = lexical
        self._index: VectorIndex | None = None
        self._generation = -1

    @property
    def semantic(self) -> bool:
        """Whether embeddings are used: asked for, and the store holds vectors."""
        return self._semantic and self.store.has_vectors()

    @property
    def index(self) -> VectorIndex:
        """The ANN index, reloaded (and rebuilt if stale) when the store changed."""
        generation = self.store.generation
        if self._index is None or generation != self._generation:
            self._index = VectorIndex(self.store).load()
            self._generation = generation
        return self._index

    def search(self, text: str, top: int = 10) -> list[Hit]:
        return self.search_many([text], top)[0]

    def search_many(self, texts: Sequence[str], top: int = 10) -> list[list[Hit]]:
        """Top ``top`` hits for each text (queries are embedded in one batch)."""
        if top < 1:
            raise FactCheckError(f"--top must be at least 1, not {top}")
        queries = []
        for text in texts:
            if not text or not text.strip():
                raise FactCheckError("the query is empty (only whitespace)")
            queries.append(normalise_query(text) or text.strip())
        qvecs = None
        semantic = self.semantic
        claim_knn: list[list[tuple[int, float]]] = [[] for _ in queries]
        title_knn: list[list[tuple[int, float]]] = [[] for _ in queries]
        if semantic:
            qvecs = self.store.embedder.encode(queries)
            claim_knn = self.index.query(qvecs, self.candidates, "claim")
            title_knn = self.index.query(qvecs, self.candidates, "title")
        return [self._one(q, None if qvecs is None else qvecs[i], claim_knn[i], title_knn[i], top)
                for i, q in enumerate(queries)]

    def _one(self, query: str, qvec: np.ndarray | None, claim_knn: list[tuple[int, float]],
             title_knn: list[tuple[int, float]], top: int) -> list[Hit]:
        lexical = dict(self.store.bm25(fts_query(query), self.candidates)) if self.lexical else {}
        pool = set(lexical) | {r for r, _ in claim_knn} | {r for r, _ in title_knn}
        if not pool:
            return []
        # Reviews of the same claim (equal up to case and punctuation) are
        # pooled and scored together; the earliest imported ranks first.
        canon = self.store.duplicates(pool)
        pool |= set(canon)
        claim_cos: dict[int, float] = {}
        title_cos: dict[int, float] = {}
        if qvec is not None:
            ids, claim, title, has_title = self.store.vectors(pool)
            if ids:
                claim_cos = dict(zip(ids, (claim @ qvec).tolist(), strict=True))
                title_cos = {r: c for r, c, t in zip(ids, (title @ qvec).tolist(), has_title.tolist(), strict=True)
                             if t}
        own = (lexical, claim_cos, title_cos)
        shared = _shared_best(own, pool, canon)
        ranks = [_ranks(values) for values in shared]
        fused = {r: round(sum(w / (RRF_K + rk[r]) for w, rk in zip(WEIGHTS, ranks, strict=False)), 12) for r in pool}
        best = sorted(pool, key=lambda r: (-fused[r], r))[:top]
        reviews = self.store.get(best)
        lex_rank, c_rank, t_rank = (_ranks(values) for values in own)
        return [Hit(review=reviews[r], score=fused[r], rank=i + 1, bm25=lexical.get(r, 0.0),
                    bm25_rank=lex_rank.get(r), claim_cosine=claim_cos.get(r, 0.0), title_cosine=title_cos.get(r),
                    claim_rank=c_rank.get(r), title_rank=t_rank.get(r))
                for i, r in enumerate(best) if r in reviews]


def search(db: str, text: str, top: int = 10) -> list[Hit]:
    """Convenience: open ``db`` and search it once."""
    with FactCheckStore(db) as store:
        return Searcher(store).search(text, top)
