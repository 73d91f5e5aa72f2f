"""A compact, model-ready view of a parsed text (spaCy Doc or Span).

One pass over the tokens collects, per sentence: content-lemma counts, content
bigrams, entity and number strings, negation heads, cue-word counts and the
mean of ``doc.tensor`` (en_core_web_sm's 96-d tok2vec output, free after the
parse; zeros when the Doc has none, e.g. a long text parsed in windows).
Offsets are character offsets into the *Doc's* text, so passages can be
reported against the article.  Both training and inference build views with
:func:`view_of`; nothing here needs scikit-learn or torch.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from ...lexicons import LEXICON_DIR, read_table
from ...text.spans import doc_text

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

#: Parts of speech whose lemmas count as content words.
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM", "ADV"})
CUE_FILE = "stance_cues.tsv"
CUE_KINDS = ("refute", "hedge", "affirm")
VEC_DIM = 96


@lru_cache(maxsize=1)
def stance_cues() -> dict[str, frozenset[str]]:
    """``kind -> words`` from ``stance_cues.tsv`` (refute, hedge, affirm)."""
    table: dict[str, set[str]] = {}
    for row in read_table(LEXICON_DIR / CUE_FILE):
        if len(row) >= 2:
            table.setdefault(row[0], set()).add(row[1].lower())
    return {k: frozenset(v) for k, v in table.items()}


@dataclass
class SentenceView:
    """One sentence: offsets into the Doc text and the counts models read."""

    start_char: int
    end_char: int
    lemmas: Counter[str]
    bigrams: frozenset[tuple[str, str]]
    ents: frozenset[str]
    numbers: frozenset[str]
    #: lemmas of the words a negation ("not", "never", "no") attaches to
    neg_heads: frozenset[str]
    cues: dict[str, int]
    vec: np.ndarray
    n_tokens: int
    question: bool


@dataclass
class Prepared:
    """Per-text data derived once per model (cached in ``TextView.cache``; :func:`.features.prepare`)."""

    tfidf: dict[str, float]
    sent_tfidf: list[dict[str, float]]
    sent_vecs: np.ndarray
    bow_idx: list[int]
    bow_val: list[float]


@dataclass
class TextView:
    """A whole text: its sentences plus totals; ``cache`` holds per-model derived data."""

    sentences: list[SentenceView]
    lemmas: Counter[str]
    vec: np.ndarray
    n_tokens: int
    #: each model's :class:`Prepared` data of this text, by the model's key
    cache: dict[str, Prepared] = field(default_factory=dict)

    @property
    def bigrams(self) -> frozenset[tuple[str, str]]:
        return frozenset().union(*(s.bigrams for s in self.sentences)) if self.sentences else frozenset()

    @property
    def ents(self) -> frozenset[str]:
        return frozenset().union(*(s.ents for s in self.sentences)) if self.sentences else frozenset()

    @property
    def numbers(self) -> frozenset[str]:
        return frozenset().union(*(s.numbers for s in self.sentences)) if self.sentences else frozenset()

    def cue_total(self, kind: str) -> int:
        return sum(s.cues.get(kind, 0) for s in self.sentences)

    @property
    def neg(self) -> int:
        return sum(len(s.neg_heads) for s in self.sentences)


def _unit(vec: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(vec))
    return vec / n if n > 0 else vec


#: One token as :func:`_sentence` reads it: (counted: not a space or punctuation, lower-cased form, lower-cased
#: lemma, lower-cased lemma of its head when it is a negation else None, like a number, a content word).
_Tok = tuple[bool, str, str, str | None, bool, bool]


def _tokens(doc: Doc, start: int, end: int) -> list[_Tok]:
    """The tokens [start, end) of ``doc`` as :data:`_Tok` rows, read from ``doc.to_array`` columns
    (no spaCy Token objects: the same values as the Token attributes, several times faster)."""
    from spacy.attrs import DEP, HEAD, IS_ALPHA, IS_PUNCT, IS_SPACE, IS_STOP, LEMMA, LIKE_NUM, LOWER, POS
    from spacy.parts_of_speech import IDS

    if end <= start:
        return []
    cols = doc.to_array([IS_SPACE, IS_PUNCT, LOWER, LEMMA, DEP, LIKE_NUM, POS, IS_STOP, IS_ALPHA])
    heads = np.asarray(doc.to_array(HEAD)).reshape(-1).astype(np.int64)  # relative offsets; a negation's is read
    strings = doc.vocab.strings
    neg = strings["neg"]
    content_pos = {IDS[p] for p in CONTENT_POS}
    out: list[_Tok] = []
    for i, (space, punct, lower, lemma, dep, like_num, pos, stop, alpha) in enumerate(cols[start:end].tolist(), start):
        out.append(
            (
                not (space or punct),
                strings[lower],
                strings[lemma].lower(),
                strings[int(cols[i + int(heads[i]), 3])].lower() if dep == neg else None,
                bool(like_num),
                pos in content_pos and not stop and bool(alpha or like_num),
            )
        )
    return out


def _sentence(
    span: Span, toks: Sequence[_Tok], text: str, tensor: np.ndarray, offset: int, cues: dict[str, frozenset[str]], ents: Sequence[Span]
) -> SentenceView:
    """The view of one sentence ``span``: ``toks`` its tokens (:func:`_tokens`), ``text`` its text."""
    lemmas: Counter[str] = Counter()
    seq: list[str] = []
    numbers: set[str] = set()
    neg_heads: set[str] = set()
    kinds = [(kind, cues.get(kind, frozenset())) for kind in CUE_KINDS]
    cue_counts = dict.fromkeys(CUE_KINDS, 0)
    n = 0
    for counted, lower, lemma, neg_head, like_num, content in toks:
        if not counted:
            continue
        n += 1
        for kind, words in kinds:
            if lower in words or lemma in words:
                cue_counts[kind] += 1
        if neg_head is not None:
            neg_heads.add(neg_head)
        if like_num:
            numbers.add(lower.replace(",", ""))
        if content:
            lemmas[lemma] += 1
            seq.append(lemma)
    ents_found = frozenset(e.text.lower() for e in ents)
    rows = tensor[span.start - offset : span.end - offset] if tensor.size else tensor
    vec = _unit(rows.mean(axis=0).astype(np.float32)) if len(rows) else np.zeros(VEC_DIM, np.float32)
    text = text.rstrip().rstrip("\"'\u201d\u2019")
    return SentenceView(
        start_char=span.start_char,
        end_char=span.end_char,
        lemmas=lemmas,
        bigrams=frozenset(itertools.pairwise(seq)),
        ents=ents_found,
        numbers=frozenset(numbers),
        neg_heads=frozenset(neg_heads),
        cues=cue_counts,
        vec=vec,
        n_tokens=n,
        question=text.endswith("?"),
    )


def _entities(doc: Doc, spans: Sequence[Span]) -> list[list[Span]]:
    """The entities inside each span (as ``span.ents``), reading the Doc's entities once."""
    ents = list(doc.ents)
    starts = [e.start for e in ents]
    out = []
    for sp in spans:
        lo, hi = bisect.bisect_left(starts, sp.start), bisect.bisect_left(starts, sp.end)
        out.append([e for e in ents[lo:hi] if e.end <= sp.end])
    return out


def _tensor(doc: Doc, start: int, end: int) -> np.ndarray:
    """The tok2vec rows of tokens [start, end), rounded to float16 precision (as the training parses
    were stored), so that training from a fresh parse gives the shipped model bit for bit."""
    tensor = getattr(doc, "tensor", None)
    if tensor is None or not tensor.size or tensor.shape[1] != VEC_DIM:
        return np.zeros((0, VEC_DIM), np.float32)
    return np.asarray(tensor[start:end], np.float16).astype(np.float32)


def view_of(span: Doc | Span, cues: dict[str, frozenset[str]] | None = None) -> TextView:
    """The view of a parsed spaCy ``Doc`` or ``Span`` (sentences clipped to the span)."""
    from spacy.tokens import Span

    cues = stance_cues() if cues is None else cues
    doc = span.doc  # a Doc's is itself
    start, end = (span.start, span.end) if isinstance(span, Span) else (0, len(doc))
    tensor = _tensor(doc, start, end)
    whole = doc[start:end]
    if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
        parts = []
        for sent in whole.sents:  # type: ignore[attr-defined]  # spaCy 3.8's stub lacks Span.sents
            s, e = max(sent.start, start), min(sent.end, end)
            if e > s:
                parts.append(doc[s:e])
    else:
        parts = [whole]
    full = doc_text(doc)
    texts = [full[p.start_char : p.end_char] for p in parts]  # Span.text, without building Token objects
    parts, texts = [p for p, t in zip(parts, texts, strict=True) if t.strip()], [t for t in texts if t.strip()]
    toks = _tokens(doc, start, end)
    sentences = [
        _sentence(p, toks[p.start - start : p.end - start], t, tensor, start, cues, e)
        for p, t, e in zip(parts, texts, _entities(doc, parts), strict=True)
    ]
    lemmas: Counter[str] = Counter()
    for s in sentences:
        lemmas.update(s.lemmas)
    vec = _unit(tensor.mean(axis=0).astype(np.float32)) if len(tensor) else np.zeros(VEC_DIM, np.float32)
    return TextView(sentences=sentences, lemmas=lemmas, vec=vec, n_tokens=sum(s.n_tokens for s in sentences))
