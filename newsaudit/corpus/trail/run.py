"""``run_trail``: batch outputs in, ``TRAIL.parquet`` (and an HTML view) out.

Steps: read the statements of every ok row (:mod:`.statements`), embed their
distinct texts and the headline claims once (:mod:`.embed_cache`), group them
(:mod:`.group`), then describe each trail: its representative statement, its
origin, how each article carries it, whether each headline states it.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

import numpy as np

from ...errors import InputError
from ...types import Verdict
from ..chunks import batched
from .embed_cache import ENGINES, embed_texts
from .group import GroupOptions, group_nodes, numbers_in
from .inputs import read_statements
from .modality import ASSERTED, member_modalities, representative, summary
from .statements import (
    ATTRIBUTED,
    DENIED,
    RELAYED,
    UNATTRIBUTED,
    Statement,
    StatementSet,
    embed_text,
)
from .table import TrailRow, write_table

#: Headline verdicts under which a headline that states the statement states as fact what the body attributes
#: or hedges.
DROPPING_VERDICTS = frozenset({Verdict.HEADLINE_DROPS_ATTRIBUTION.value, Verdict.HEADLINE_DROPS_HEDGE.value})

class _Trail(TypedDict):
    """A trail as :func:`_describe` finds it: what orders it, and its rows (``trail_id`` still 0)."""

    articles: int
    drops: int
    first: tuple[str | None, str | None, int, int]
    representative: str
    rows: list[TrailRow]


if TYPE_CHECKING:
    from ...models.modality import ModalityModel


@dataclass(frozen=True)
class TrailOptions:
    """Everything ``newsaudit trail`` needs; the command only builds this."""

    inputs: tuple[str, ...]
    out: str
    html: str | None = None
    #: Cosine similarity at which two statements are the same statement.
    threshold: float = 0.8
    #: Cosine at which statements sharing their best fact-check match join (None: off).
    factcheck_threshold: float | None = 0.4
    #: Cosine between a headline claim and a statement at which the headline states it.
    headline_threshold: float = 0.6
    #: Two groups join on a meaning edge only when their mean vectors reach this cosine (None: off).
    cohesion: float | None = 0.8
    #: Keep only trails whose articles come from at least this many outlets (2: no
    #: outlet repeating its own boilerplate).
    min_outlets: int = 1
    #: Nearest neighbours looked at per statement.
    knn: int = 10
    #: Statements with fewer words are left out.
    min_words: int = 5
    #: A post (an article without headline whose body is one paragraph of at most this
    #: many words: a tweet) is also a statement as a whole; 0: never.
    post_max_words: int = 100
    #: Named sources keep statements apart (see newsaudit.corpus.trail.group).
    use_sources: bool = True
    engine: str = "local"
    scheduler: str | None = None
    #: Embedding threads in this process (engine "local"), or local Dask workers
    #: (engine "dask" without a scheduler).
    workers: int = 2
    #: Sentence encoder (None: all-MiniLM-L6-v2; "hashing-256" for quick tests).
    encoder: str | None = None
    #: A fact-check store (newsaudit factcheck): match every statement against it, and let
    #: statements with the same best match join from ``factcheck_threshold``.  Without it,
    #: the claims' own matches (batch --db) are used.
    factcheck_db: str | None = None
    #: With ``factcheck_db``: a statement's best match counts from this cosine (0.5, as in reports).
    factcheck_min_similarity: float = 0.5
    #: Embed only texts that share enough words with a text of another article
    #: (newsaudit.corpus.trail.prefilter) ...
    prefilter: bool = True
    #: ... when there are more distinct statement texts than this (0: always): below
    #: it, embedding everything is cheap and the prefilter would only lose pairs.
    prefilter_above: int = 50_000
    #: Read and write the embedding caches beside the inputs.
    cache: bool = True
    #: Trails shown in the HTML view.
    html_trails: int = 200
    #: The modality model folder that reads how each member carries the trail's claim (None: the shipped one).
    modality_model: str | None = None


@dataclass(frozen=True)
class TrailResult:
    out: str
    html: str | None
    rows: int
    errors: int
    articles: int
    statements: int
    #: Distinct statement texts, and those the lexical prefilter kept (all without it).
    distinct: int
    candidates: int
    #: Texts embedded or found in a cache (kept statements and their articles' headline claims).
    texts: int
    cached: int
    embedded: int
    trails: int
    trail_rows: int
    losing_trails: int
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    #: Trails in which some article denies the claim.
    denied_trails: int = 0


def _check(opts: TrailOptions) -> None:
    if opts.engine not in ENGINES:
        raise InputError(f"unknown engine {opts.engine!r}; choose one of: {', '.join(ENGINES)}")
    for name in ("threshold", "headline_threshold", "factcheck_threshold", "cohesion"):
        value = getattr(opts, name)
        if value is not None and not -1.0 <= value <= 1.0:
            raise InputError(f"{name} must be a cosine similarity between -1 and 1 (got {value})")
    if opts.min_outlets < 1:
        raise InputError("min_outlets must be at least 1")
    if opts.knn < 1:
        raise InputError("knn must be at least 1")
    if opts.min_words < 1:
        raise InputError("min_words must be at least 1")


def _order_key(date: str | None, id_: str | None, row: int, start: int) -> tuple[bool, str, str, int, int]:
    return (date is None, date or "", id_ or "", row, start)


def build_trails(data: StatementSet, vectors: np.ndarray, text_of: np.ndarray, headline_text: dict[int, int],
                 opts: TrailOptions, inputs: list[str]) -> list[TrailRow]:
    """The output rows (see :data:`COLUMNS`), in trail order then date order.

    ``vectors`` holds the distinct texts (statements' first, then headline
    claims'); statement ``k`` has text ``text_of[k]``; article ``a``'s headline
    claim has text ``headline_text[a]``.
    """
    stmts = data.statements
    n_texts = int(text_of.max()) + 1 if len(text_of) else 0
    node_index: dict[tuple[int, str | None], int] = {}
    node_of = np.zeros(len(stmts), dtype=np.int64)
    node_text: list[int] = []
    node_keys: list[str | None] = []
    node_anchors: list[set[str]] = []
    for k, s in enumerate(stmts):
        key = (int(text_of[k]), s.source_key if opts.use_sources else None)
        node = node_index.get(key)
        if node is None:
            node = node_index[key] = len(node_text)
            node_text.append(key[0])
            node_keys.append(key[1])
            node_anchors.append(set())
        if s.factcheck_review:
            node_anchors[node].add(s.factcheck_review)
        node_of[k] = node
    gopts = GroupOptions(threshold=opts.threshold, knn=opts.knn, factcheck_threshold=opts.factcheck_threshold,
                         cohesion=opts.cohesion, use_sources=opts.use_sources)
    numbers_of_text: dict[int, frozenset[str]] = {}
    for k, s in enumerate(stmts):
        numbers_of_text.setdefault(int(text_of[k]), numbers_in(s.embed_text))
    roots = group_nodes(vectors[:n_texts], np.asarray(node_text, dtype=np.int64), node_keys, node_anchors, gopts,
                        [numbers_of_text[t] for t in node_text])

    members: dict[int, list[int]] = defaultdict(list)
    for k in range(len(stmts)):
        members[int(roots[node_of[k]])].append(k)
    trails: list[_Trail] = []
    model = None
    for ks in members.values():
        ks = _without_echoed_headlines(ks, data, vectors, text_of, headline_text, opts.headline_threshold)
        outlets = {data.articles[stmts[k].article].outlet for k in ks}
        if len({stmts[k].article for k in ks}) >= 2 and len(outlets) >= opts.min_outlets:
            if model is None:
                from ...models.modality import load_modality_model

                model = load_modality_model(opts.modality_model)
            trails.append(_describe(ks, data, vectors, text_of, headline_text, opts, model, inputs))
    trails.sort(key=lambda t: (-t["articles"], -t["drops"], _order_key(*t["first"]), t["representative"]))
    rows: list[TrailRow] = []
    for n, trail in enumerate(trails, 1):
        for row in trail["rows"]:
            row["trail_id"] = n
            rows.append(row)
    return rows


def _without_echoed_headlines(ks: list[int], data: StatementSet, vectors: np.ndarray, text_of: np.ndarray,
                              headline_text: dict[int, int], threshold: float) -> list[int]:
    """``ks`` without an article's headline statement where a body statement of the same article in the
    trail states the headline: that row already says so (``headline_states_it``), one row per article."""
    stmts = data.statements
    stated = {stmts[k].article for k in ks
              if stmts[k].kind != "headline" and _states_headline(k, data, vectors, text_of, headline_text, threshold)}
    return [k for k in ks if not (stmts[k].kind == "headline" and stmts[k].article in stated)]


def _states_headline(k: int, data: StatementSet, vectors: np.ndarray, text_of: np.ndarray,
                     headline_text: dict[int, int], threshold: float) -> bool:
    """Whether statement ``k`` is what its article's headline claim states (cosine >= ``threshold``)."""
    a = data.statements[k].article
    return a in headline_text and float(vectors[headline_text[a]] @ vectors[text_of[k]]) >= threshold


def _describe(ks: list[int], data: StatementSet, vectors: np.ndarray, text_of: np.ndarray,
              headline_text: dict[int, int], opts: TrailOptions, model: ModalityModel, inputs: list[str]) -> _Trail:
    stmts, arts = data.statements, data.articles
    ks = sorted(ks, key=lambda k: _order_key(arts[stmts[k].article].date, arts[stmts[k].article].id,
                                              arts[stmts[k].article].row, stmts[k].start))
    vecs = vectors[text_of[ks]]
    members = [stmts[k] for k in ks]
    rep = representative(members, vecs)  # the first of the best, in date order, among those that do not deny
    sims = vecs @ vecs[rep]
    modalities = member_modalities(members, members[rep], model)
    origin = arts[stmts[ks[0]].article]
    origin_source = _origin_source(members)
    n_articles = len({stmts[k].article for k in ks})
    told = summary([s.article for s in members], [arts[s.article].outlet for s in members], modalities)
    rows: list[TrailRow] = []
    attributed_in: set[int] = set()
    drops = 0
    for pos, k in enumerate(ks):
        s = stmts[k]
        art = arts[s.article]
        states = s.kind == "headline" or _states_headline(k, data, vectors, text_of, headline_text, opts.headline_threshold)
        modality = modalities[pos]
        carried = DENIED if modality == DENIED else s.carried_as
        loses = (modality == ASSERTED and s.carried_as == UNATTRIBUTED) or (
            states and art.headline_verdict in DROPPING_VERDICTS and modality != DENIED)
        dropped = loses and any(a != s.article for a in attributed_in)
        drops += dropped
        if s.carried_as in (ATTRIBUTED, RELAYED):
            attributed_in.add(s.article)
        rows.append({
            "trail_id": 0, "id": art.id, "date": art.date, "outlet": art.outlet, "statement": s.text, "start": s.start, "end": s.end,
            "origin_source": origin_source, "attributed_to": s.attributed_to, "relayed_via": s.relayed_via,
            "carried_as": carried, "headline_states_it": bool(states), "headline_verdict": art.headline_verdict,
            "similarity": round(min(1.0, max(-1.0, float(sims[pos]))), 4), "representative": stmts[ks[rep]].text,
            "origin_id": origin.id, "origin_date": origin.date, "origin_outlet": origin.outlet,
            "drops_attribution": bool(dropped), "kind": s.kind, "ref": s.ref, "factcheck_review": s.factcheck_review,
            "input": inputs[art.input], "row": art.row, "modality": modality, "trail_articles": n_articles,
            "trail_asserted": told["trail_asserted"], "trail_reported": told["trail_reported"],
            "trail_denied": told["trail_denied"], "trail_sequence": told["trail_sequence"],
        })
    return {"articles": n_articles, "drops": drops, "first": (origin.date, origin.id, origin.row, stmts[ks[0]].start),
            "representative": stmts[ks[rep]].text, "rows": rows}


def _match_statements(data: StatementSet, db: str, min_similarity: float = 0.5) -> StatementSet:
    """Each statement's best fact-check match in the store ``db`` (when its cosine
    reaches ``min_similarity``), replacing the claim-level match of the batch."""
    from ...factcheck.match import find_matches

    if not Path(db).is_file():
        raise InputError(f"fact-check store not found: {db}")
    key = str(Path(db).resolve())
    best = _MATCHES.setdefault(key, {})  # a re-run in the same process (a sweep) searches nothing again
    texts = [t for t in dict.fromkeys(s.embed_text for s in data.statements) if t not in best]
    for chunk in batched(texts, 256):
        for text, matches in zip(chunk, find_matches(chunk, db, top=1, min_similarity=-1.0), strict=True):
            best[text] = (matches[0].review_id, matches[0].score) if matches else None

    def review(text: str) -> str | None:
        hit = best[text]
        return hit[0] if hit is not None and hit[1] >= min_similarity else None

    return replace(data, statements=[replace(s, factcheck_review=review(s.embed_text)) for s in data.statements])


#: store path -> statement text -> (best review id, its cosine), or None; for this process.
_MATCHES: dict[str, dict[str, tuple[str, float] | None]] = {}


def _origin_source(trail: list[Statement]) -> str | None:
    """The named source credited by the most articles of the trail (in date order,
    the first on ties), as the earliest of them words it; None when none is named."""
    articles: dict[str, set[int]] = defaultdict(set)
    first: dict[str, str | None] = {}
    for s in trail:
        if s.source_key:
            articles[s.source_key].add(s.article)
            first.setdefault(s.source_key, s.attributed_to)
    if not articles:
        return None
    best = max(articles, key=lambda key: len(articles[key]))  # max keeps the first of equals: date order
    return first[best]


def run_trail(opts: TrailOptions) -> TrailResult:
    """Read ``opts.inputs``, write ``opts.out`` (and ``opts.html``); see the module docs."""
    _check(opts)
    started = time.monotonic()
    timings: dict[str, float] = {}
    tick = time.monotonic()
    data = read_statements(opts.inputs, opts.min_words, opts.post_max_words)
    timings["read"] = round(time.monotonic() - tick, 2)
    inputs = [str(p) for p in opts.inputs]
    n_statements = len(data.statements)

    if opts.factcheck_db:
        tick = time.monotonic()
        data = _match_statements(data, opts.factcheck_db, opts.factcheck_min_similarity)
        timings["factcheck"] = round(time.monotonic() - tick, 2)

    # distinct statement texts, and which of them may be in a trail at all
    distinct: dict[str, int] = {}
    carriers: list[list[int]] = []
    reviews: list[list[str]] = []
    for s in data.statements:
        t = distinct.setdefault(s.embed_text, len(distinct))
        if t == len(carriers):
            carriers.append([])
            reviews.append([])
        carriers[t].append(s.article)
        if s.factcheck_review:
            reviews[t].append(s.factcheck_review)
    n_distinct = len(distinct)
    if opts.prefilter and n_distinct > opts.prefilter_above:
        from .prefilter import candidate_texts

        tick = time.monotonic()
        keep = candidate_texts(list(distinct), carriers, reviews)
        timings["prefilter"] = round(time.monotonic() - tick, 2)
        kept_texts = {text for text, t in distinct.items() if keep[t]}
        data = replace(data, statements=[s for s in data.statements if s.embed_text in kept_texts])
        del kept_texts
    del distinct, carriers, reviews

    # the texts to embed: kept statements' first, then the headline claims of their articles
    text_index: dict[str, int] = {}
    owners: list[set[int]] = [set() for _ in inputs]
    text_of = np.zeros(len(data.statements), dtype=np.int64)
    for k, s in enumerate(data.statements):
        t = text_index.setdefault(s.embed_text, len(text_index))
        text_of[k] = t
        owners[data.articles[s.article].input].add(t)
    n_candidates = len(text_index)
    headline_text: dict[int, int] = {}
    for a in sorted({s.article for s in data.statements}):
        art = data.articles[a]
        if art.headline_claim:
            t = text_index.setdefault(embed_text(art.headline_claim), len(text_index))
            headline_text[a] = t
            owners[art.input].add(t)
    texts = list(text_index)
    del text_index
    tick = time.monotonic()
    vectors, stats = embed_texts(texts, [sorted(o) for o in owners], inputs, encoder=opts.encoder, engine=opts.engine,
                                 workers=opts.workers, scheduler=opts.scheduler, use_cache=opts.cache)
    timings["embed"] = round(time.monotonic() - tick, 2)
    tick = time.monotonic()
    rows = build_trails(data, vectors, text_of, headline_text, opts, inputs)
    timings["group"] = round(time.monotonic() - tick, 2)
    out = Path(opts.out)
    write_table(rows, out)
    if opts.html:
        from .html import write_html

        tick = time.monotonic()
        write_html(rows, opts.html, inputs, limit=opts.html_trails)
        timings["html"] = round(time.monotonic() - tick, 2)
    trail_ids = {r["trail_id"] for r in rows}
    losing = {r["trail_id"] for r in rows if r["drops_attribution"]}
    denied = {r["trail_id"] for r in rows if r["modality"] == DENIED}
    return TrailResult(
        out=str(out), html=opts.html, rows=data.rows, errors=data.errors, articles=len(data.articles),
        statements=n_statements, distinct=n_distinct, candidates=n_candidates, texts=len(texts), cached=stats.cached,
        embedded=stats.embedded,
        trails=len(trail_ids), trail_rows=len(rows), losing_trails=len(losing),
        seconds=round(time.monotonic() - started, 2), timings=timings, warnings=tuple(stats.warnings),
        denied_trails=len(denied),
    )
