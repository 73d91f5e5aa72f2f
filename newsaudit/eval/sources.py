"""Source entities over PolNeAR: does the report list who really spoke, once each, with the right kind?

The entity layer (``polnear-entities/SPLIT/``) groups every PolNeAR Source span of
an article into the entities it refers to, with a ``role`` and an ``identity``
(its ``GUIDELINE.md``).  ``pick.json`` maps each article to the ``.ann`` file whose
Source ids the layer uses.

Each gold Source mention is matched to the reported source (:class:`newsaudit.types.Source`)
one of whose mentions overlaps it by the most characters (ties: the first source).

``mention recall``
    the share of gold mentions matched.
``B3``
    precision, recall and F1 of the reported partition of the gold mentions
    (Bagga and Baldwin 1998): a gold mention's predicted cluster is the gold
    mentions matched to the same reported source (an unmatched mention is a
    singleton); averaged over every gold mention of the split.
``pronoun accuracy``
    among gold mentions that are a pronoun (personal, possessive or relative), the
    share whose reported source's name shares a content word with the gold
    entity's name or one of its non-pronoun mentions (an unmatched pronoun is wrong).
``role accuracy`` and ``identity accuracy``
    per gold entity with a matched mention, the reported source matched by most of its
    mentions (ties: the first mention's) has the gold role (identity).
``source count ratio``
    among matched mentions, the reported sources over the gold entities (summed over
    the articles): above 1 means one voice counted several times.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import BenchmarkFileError, EvalError

Pieces = tuple[tuple[int, int], ...]

#: Mentions scored by pronoun accuracy (lower case, the whole mention).
PRONOUNS = frozenset(
    {
        "he", "she", "it", "they", "we", "i", "you", "him", "her", "them", "us", "me", "his", "hers", "its", "their",
        "theirs", "our", "ours", "my", "mine", "your", "yours", "who", "whom", "whose", "which", "that", "himself",
        "herself", "itself", "themselves", "ourselves", "myself",
    }
)
#: Words that carry no content when names are compared.
STOPWORDS = frozenset(
    {
        "the", "a", "an", "of", "and", "for", "in", "on", "at", "to", "by", "with", "from", "as", "or", "s", "'s",
        "mr", "mrs", "ms", "dr", "who", "that", "which", "this", "these", "those", "its", "his", "her", "their", "our",
    }
)
ROLES = ("official", "outlet", "organisation", "expert", "witness", "person", "document", "unknown")
IDENTITIES = ("named", "described", "anonymous")


@dataclass(frozen=True)
class GoldMention:
    id: str
    pieces: Pieces
    text: str

    @property
    def pronoun(self) -> bool:
        return self.text.strip().lower() in PRONOUNS


@dataclass(frozen=True)
class GoldEntity:
    id: str
    name: str
    role: str
    identity: str
    speaks_for: str | None
    mentions: tuple[str, ...]


@dataclass(frozen=True)
class EntityArticle:
    name: str
    text: str
    mentions: dict[str, GoldMention]
    entities: tuple[GoldEntity, ...]


@dataclass(frozen=True)
class PredSource:
    """A reported source as the measures read it."""

    id: str
    name: str
    role: str
    identity: str
    mentions: Pieces


@dataclass(frozen=True)
class SourceEvalOptions:
    """Options of :func:`evaluate_sources` (the ``newsaudit eval sources`` command)."""

    #: the PolNeAR split folder (text/ and attributions/), or the PolNeAR folder holding it
    polnear: str
    #: the entity layer folder (pick.json and one NAME.json per article)
    entities: str
    limit: int | None = None
    model: str | None = None
    batch_size: int = 8


@dataclass
class SourceCounts:
    """Sums over articles; the measures are read from them."""

    mentions: int = 0
    matched: int = 0
    b3_precision: float = 0.0
    b3_recall: float = 0.0
    pronouns: int = 0
    pronouns_right: int = 0
    entities: int = 0
    #: gold entities with a matched mention (what role and identity accuracy are over)
    typed: int = 0
    role_right: int = 0
    identity_right: int = 0
    reported_sources: int = 0
    gold_entities_matched: int = 0

    def __add__(self, other: SourceCounts) -> SourceCounts:
        return SourceCounts(**{k: getattr(self, k) + getattr(other, k) for k in self.__dataclass_fields__})

    def measures(self) -> dict[str, float]:
        def share(a: float, b: float) -> float:
            return a / b if b else 0.0

        p, r = share(self.b3_precision, self.mentions), share(self.b3_recall, self.mentions)
        return {
            "mention recall": share(self.matched, self.mentions),
            "B3 precision": p,
            "B3 recall": r,
            "B3 F1": 2 * p * r / (p + r) if p + r else 0.0,
            "pronoun accuracy": share(self.pronouns_right, self.pronouns),
            "role accuracy": share(self.role_right, self.typed),
            "identity accuracy": share(self.identity_right, self.typed),
            "source count ratio": share(self.reported_sources, self.gold_entities_matched),
        }

    def gated(self) -> dict[str, float]:
        """The measures the evaluation gate pins: each is better higher (the count ratio, good near 1, as
        ``1 - |ratio - 1|``)."""
        m = self.measures()
        out = {k: m[k] for k in ("mention recall", "B3 F1", "pronoun accuracy", "role accuracy", "identity accuracy")}
        out["source count closeness"] = 1 - abs(m["source count ratio"] - 1)
        return out


@dataclass
class SourceEvalResult:
    articles: int
    counts: SourceCounts
    #: (gold role, reported role) -> entities, for the confusion table
    roles: Counter[tuple[str, str]] = field(default_factory=Counter)
    identities: Counter[tuple[str, str]] = field(default_factory=Counter)

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "mentions": self.counts.mentions,
            "entities": self.counts.entities,
            "pronoun_mentions": self.counts.pronouns,
            "measures": {k: round(v, 4) for k, v in self.counts.measures().items()},
            "roles": {f"{g}->{p}": n for (g, p), n in sorted(self.roles.items())},
            "identities": {f"{g}->{p}": n for (g, p), n in sorted(self.identities.items())},
        }

    def as_text(self) -> str:
        c = self.counts
        lines = [f"Source entities: {self.articles} articles, {c.entities} gold entities, {c.mentions} gold mentions "
                 f"({c.pronouns} pronouns)"]
        lines += [f"  {name:<20} {value:.3f}" for name, value in c.measures().items()]
        lines.append("role (gold -> reported): " + ", ".join(
            f"{g}->{p} {n}" for (g, p), n in sorted(self.roles.items(), key=lambda kv: -kv[1]) if g != p))
        lines.append("identity (gold -> reported): " + ", ".join(
            f"{g}->{p} {n}" for (g, p), n in sorted(self.identities.items(), key=lambda kv: -kv[1]) if g != p))
        return "\n".join(lines)


# --------------------------------------------------------------------------- reading


def _source_spans(ann: Path) -> dict[str, GoldMention]:
    out: dict[str, GoldMention] = {}
    for line in ann.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2 or not line.startswith("T"):
            continue
        label, _, offsets = parts[1].partition(" ")
        if label != "Source":
            continue
        try:
            pieces = tuple((int(a), int(b)) for a, b in (p.split() for p in offsets.split(";")))
        except ValueError as exc:
            raise BenchmarkFileError(f"{ann}: bad span line {line[:60]!r}") from exc
        out[parts[0]] = GoldMention(parts[0], pieces, parts[2] if len(parts) > 2 else "")
    return out


def _split_dir(polnear: Path, entities: Path) -> Path:
    """The PolNeAR split folder: ``polnear`` itself, or its sub-folder named like the entity layer's."""
    if (polnear / "text").is_dir():
        return polnear
    if (polnear / entities.name / "text").is_dir():
        return polnear / entities.name
    raise EvalError(f"{polnear} is not a PolNeAR split folder (no text/ folder)")


def load_entity_layer(polnear: str | Path, entities: str | Path, limit: int | None = None) -> list[EntityArticle]:
    """The articles of an entity layer with their texts and gold Source mentions, sorted by name."""
    ent_dir = Path(entities)
    pick_path = ent_dir / "pick.json"
    if not pick_path.is_file():
        raise EvalError(f"{ent_dir} is not an entity layer (no pick.json)")
    split = _split_dir(Path(polnear), ent_dir)
    pick = json.loads(pick_path.read_text(encoding="utf-8"))
    out = []
    for name in sorted(pick):
        layer = ent_dir / f"{name}.json"
        if not layer.is_file():
            continue
        try:
            data = json.loads(layer.read_text(encoding="utf-8"))
            text = (split / "text" / f"{name}.txt").read_text(encoding="utf-8")
            mentions = _source_spans(split / "attributions" / f"{pick[name]}.ann")
        except (OSError, ValueError) as exc:
            raise BenchmarkFileError(f"cannot read the entity layer of {name}: {exc}") from exc
        entities_ = tuple(
            GoldEntity(e["id"], e["name"], e["role"], e["identity"], e.get("speaks_for"), tuple(e["mentions"]))
            for e in data["entities"]
        )
        missing = {m for e in entities_ for m in e.mentions} - set(mentions)
        if missing:
            raise BenchmarkFileError(f"{layer}: mentions {sorted(missing)} are not Source spans of {pick[name]}.ann")
        out.append(EntityArticle(name, text, mentions, entities_))
        if limit is not None and len(out) >= limit:
            break
    if not out:
        raise EvalError(f"no articles found in the entity layer {ent_dir}")
    return out


# --------------------------------------------------------------------------- scoring


def _overlap(a: Pieces, b: Pieces) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def match_mentions(article: EntityArticle, predicted: Sequence[PredSource]) -> dict[str, str]:
    """Gold mention id -> the id of the reported source whose mention overlaps it most."""
    out: dict[str, str] = {}
    for mid, mention in article.mentions.items():
        best, best_n = None, 0
        for src in predicted:
            n = max((_overlap(mention.pieces, (m,)) for m in src.mentions), default=0)
            if n > best_n:
                best, best_n = src.id, n
        if best is not None:
            out[mid] = best
    return out


def content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower().replace("’", "'")) if w not in STOPWORDS and w not in PRONOUNS}


def _majority(ids: Iterable[str]) -> str | None:
    counts = Counter(ids)
    if not counts:
        return None
    top = max(counts.values())
    return next(i for i in counts if counts[i] == top)


def score_article(article: EntityArticle, predicted: Sequence[PredSource],
                  roles: Counter[tuple[str, str]] | None = None,
                  identities: Counter[tuple[str, str]] | None = None) -> SourceCounts:
    """The counts of one article (see the module docstring)."""
    match = match_mentions(article, predicted)
    by_id = {s.id: s for s in predicted}
    entity_of = {m: e.id for e in article.entities for m in e.mentions}
    gold_ids = [m for e in article.entities for m in e.mentions]
    c = SourceCounts(mentions=len(gold_ids), matched=sum(1 for m in gold_ids if m in match))
    for m in gold_ids:
        pred_cluster = {x for x in gold_ids if x in match and match.get(x) == match.get(m)} if m in match else {m}
        gold_cluster = {x for x in gold_ids if entity_of[x] == entity_of[m]}
        both = len(pred_cluster & gold_cluster)
        c.b3_precision += both / len(pred_cluster)
        c.b3_recall += both / len(gold_cluster)
    for e in article.entities:
        names = content_words(e.name)
        for m in e.mentions:
            if not article.mentions[m].pronoun:
                names |= content_words(article.mentions[m].text)
        for m in e.mentions:
            if article.mentions[m].pronoun:
                c.pronouns += 1
                src = by_id.get(match.get(m, ""))
                c.pronouns_right += bool(src is not None and content_words(src.name) & names)
        top = _majority(match[m] for m in e.mentions if m in match)
        src = by_id.get(top or "")
        c.entities += 1
        c.typed += src is not None
        c.role_right += bool(src is not None and src.role == e.role)
        c.identity_right += bool(src is not None and src.identity == e.identity)
        if roles is not None:
            roles[(e.role, src.role if src else "(none)")] += 1
        if identities is not None:
            identities[(e.identity, src.identity if src else "(none)")] += 1
    c.reported_sources = len({match[m] for m in gold_ids if m in match})
    c.gold_entities_matched = len({entity_of[m] for m in gold_ids if m in match})
    return c


def score_corpus(articles: Sequence[EntityArticle], predicted: Iterable[Sequence[PredSource]]) -> SourceEvalResult:
    result = SourceEvalResult(articles=len(articles), counts=SourceCounts())
    for article, pred in zip(articles, predicted, strict=True):
        result.counts = result.counts + score_article(article, pred, result.roles, result.identities)
    return result


# --------------------------------------------------------------------------- predicting


def sources_pipeline(model: str | None = None) -> Any:
    """A fresh spaCy pipeline with newsaudit's attribution, sources and relay components."""
    import newsaudit.components  # noqa: F401  (declares the factories)

    from ..nlp import load_fresh, resolve_model_name

    nlp = load_fresh(resolve_model_name(model))
    nlp.add_pipe("newsaudit_paragraphs", before="parser")
    for name in ("newsaudit_attribution", "newsaudit_sources", "newsaudit_relay"):
        nlp.add_pipe(name)
    return nlp


def pred_sources(doc: Any) -> list[PredSource]:
    """The reported sources of a processed Doc as the measures read them."""
    return [
        PredSource(s.id, s.name, s.role, s.identity, tuple((m.start, m.end) for m in s.mentions))
        for s in doc._.sources or ()
    ]


def evaluate_sources(options: SourceEvalOptions) -> SourceEvalResult:
    """Run the pipeline over the articles of an entity layer and score its sources."""
    articles = load_entity_layer(options.polnear, options.entities, options.limit)
    nlp = sources_pipeline(options.model)
    docs = nlp.pipe((a.text for a in articles), batch_size=options.batch_size)
    return score_corpus(articles, (pred_sources(doc) for doc in docs))
