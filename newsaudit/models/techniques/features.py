"""Hand-made features next to the encoder vectors: lexicon cues, repetition of
words and phrases across the article, capitals, punctuation, quotes, position."""

from __future__ import annotations

import copy
import re
from collections import Counter
from dataclasses import replace
from functools import lru_cache

import numpy as np

from ...errors import ModelError
from ...lexicons import DATA_DIR, numbered_rows
from .encoder import Encoded

LEXICON_PATH = DATA_DIR / "techniques" / "lexicon.tsv"
_WORD = re.compile(r"\w+(?:['\u2019]\w+)?")
_QUOTES = set('"\u201c\u201d')


@lru_cache(maxsize=4)
def load_lexicon(path: str = str(LEXICON_PATH)) -> tuple[tuple[str, ...], tuple[re.Pattern[str], ...]]:
    """Categories and one compiled regex per category."""
    terms: dict[str, list[str]] = {}
    try:
        rows = numbered_rows(path)
    except OSError as exc:
        raise ModelError(f"techniques lexicon unreadable: {path} ({exc.strerror})") from exc
    for lineno, cells in rows:
        if len(cells) != 2:
            raise ModelError(f"{path}:{lineno}: expected 'category<TAB>term'")
        cat, term = cells[0], cells[1].lower()
        pat = re.escape(term.rstrip("*")).replace(r"\ ", r"\s+") + (r"\w*" if term.endswith("*") else r"\b")
        terms.setdefault(cat, []).append(pat)
    cats = tuple(sorted(terms))
    return cats, tuple(re.compile(r"\b(?:" + "|".join(terms[c]) + ")") for c in cats)


N_LEX = len(load_lexicon()[0])
TOKEN_FEATURES = N_LEX + 12
SPAN_EXTRA = 2 * N_LEX + 16


def _coverage(n: int, intervals: list[tuple[int, int]]) -> np.ndarray:
    """Per char of a text of length n: 1 inside any interval (prefix sums)."""
    diff = np.zeros(n + 1, dtype=np.int32)
    for s, e in intervals:
        diff[s] += 1
        diff[e] -= 1
    return np.cumsum(diff[:-1]) > 0 if n else np.zeros(0, dtype=bool)


class ArticleFeatures:
    """Everything the heads need about one article, computed once."""

    def __init__(self, text: str, enc: Encoded) -> None:
        self.text = text
        self.enc = enc
        n = len(text)
        lower = text.lower()
        _cats, pats = load_lexicon()
        self.lex_cov = np.zeros((N_LEX, n), dtype=bool)
        for i, pat in enumerate(pats):
            self.lex_cov[i] = _coverage(n, [m.span() for m in pat.finditer(lower)])
        words = [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(text)]
        self.word_starts = np.asarray([w[0] for w in words], dtype=np.int64)
        self.word_ends = np.asarray([w[1] for w in words], dtype=np.int64)
        counts = Counter(w[2] for w in words if len(w[2]) > 3)
        self.word_rep = np.asarray([np.log1p(counts.get(w[2], 1) - 1) if len(w[2]) > 3 else 0.0 for w in words])
        self.lower = lower
        # quote parity per char, reset at each line
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        qc = np.isin(codes, [ord(q) for q in _QUOTES]).astype(np.int32)
        cum = np.cumsum(qc) if n else qc
        line_start = np.zeros(n, dtype=np.int64)
        pos = 0
        for line in text.split("\n"):
            line_start[pos : pos + len(line) + 1] = pos
            pos += len(line) + 1
        before = np.where(line_start > 0, cum[np.maximum(line_start - 1, 0)], 0) if n else cum
        self.in_quote = ((cum - before - qc) % 2 == 1) if n else np.zeros(0, dtype=bool)
        self.first_line_end = text.find("\n") if "\n" in text else n
        self.tok_feats = self._token_features()

    def _word_index(self, pos: np.ndarray) -> np.ndarray:
        idx = np.searchsorted(self.word_starts, pos, side="right") - 1
        idx = np.clip(idx, 0, max(len(self.word_starts) - 1, 0))
        return idx

    def _token_features(self) -> np.ndarray:
        enc, text = self.enc, self.text
        m = len(enc)
        f = np.zeros((m, TOKEN_FEATURES), dtype=np.float32)
        if m == 0:
            return f
        starts = enc.offsets[:, 0].astype(np.int64)
        ends = enc.offsets[:, 1].astype(np.int64)
        f[:, :N_LEX] = self.lex_cov[:, np.minimum(starts, len(text) - 1)].T
        k = N_LEX
        if len(self.word_starts):
            wi = self._word_index(starts)
            inside = (self.word_starts[wi] <= starts) & (starts < self.word_ends[wi])
            f[:, k + 4] = np.where(inside, self.word_rep[wi], 0.0)
            wtext = [text[self.word_starts[i] : self.word_ends[i]] if ok else "" for i, ok in zip(wi, inside, strict=False)]
        else:
            wtext = [""] * m
        f[:, k + 0] = [1.0 if w[:1].isupper() else 0.0 for w in wtext]
        f[:, k + 1] = [1.0 if len(w) > 1 and w.isupper() else 0.0 for w in wtext]
        f[:, k + 2] = [0.0 if text[s:e].isalnum() else 1.0 for s, e in zip(starts, ends, strict=False)]
        f[:, k + 3] = self.in_quote[np.minimum(starts, len(text) - 1)]
        f[:, k + 5] = starts < self.first_line_end
        chunk = enc.chunk
        n_chunks = int(chunk.max()) + 1
        sizes = np.bincount(chunk, minlength=n_chunks)
        first = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        f[:, k + 6] = (np.arange(m) - first[chunk]) / np.maximum(sizes[chunk], 1)
        f[:, k + 7] = np.log1p(sizes[chunk]) / 5.0
        pieces = [text[s:e] for s, e in zip(starts, ends, strict=False)]
        excl = np.bincount(chunk, weights=[1.0 if "!" in p else 0.0 for p in pieces], minlength=n_chunks)
        ques = np.bincount(chunk, weights=[1.0 if "?" in p else 0.0 for p in pieces], minlength=n_chunks)
        f[:, k + 8] = excl[chunk] > 0
        f[:, k + 9] = ques[chunk] > 0
        f[:, k + 10] = chunk / max(n_chunks - 1, 1)
        f[:, k + 11] = [1.0 if text[s - 1 : s].isalnum() and s > 0 else 0.0 for s in starts]  # word-piece continuation
        return f

    def with_vectors(self, vectors: np.ndarray) -> ArticleFeatures:
        """The same article with other token vectors (another encoder's, same tokens)."""
        other = copy.copy(self)
        other.enc = replace(self.enc, vectors=vectors)
        return other

    def token_matrix(self) -> np.ndarray:
        """(n_tokens, HIDDEN + TOKEN_FEATURES) input of the SI head."""
        return np.concatenate([self.enc.vectors.astype(np.float32), self.tok_feats], axis=1)

    def span_vector(self, start: int, end: int, same_text_in_template: int = 0) -> np.ndarray:
        """Input of the TC head for the span [start, end)."""
        enc, text = self.enc, self.text
        hidden = enc.vectors.shape[1] if enc.vectors.ndim == 2 else 0
        sel = np.nonzero((enc.offsets[:, 0] < end) & (enc.offsets[:, 1] > start))[0] if len(enc) else np.zeros(0, int)
        if len(sel):
            vec = enc.vectors[sel].astype(np.float32)
            mean, mx = vec.mean(0), vec.max(0)
            chunks = np.unique(enc.chunk[sel])
            ctx = enc.vectors[np.isin(enc.chunk, chunks)].astype(np.float32).mean(0)
            tf = self.tok_feats[sel]
            chunk_tokens = int(np.isin(enc.chunk, chunks).sum())
        else:
            mean = mx = ctx = np.zeros(hidden, np.float32)
            tf = np.zeros((1, TOKEN_FEATURES), np.float32)
            chunk_tokens = 1
        span = text[start:end]
        low = span.lower().strip()
        words = _WORD.findall(span)
        wi = np.nonzero((self.word_starts >= start) & (self.word_ends <= end))[0] if len(self.word_starts) else np.zeros(0, np.intp)
        reps = self.word_rep[wi] if len(wi) else np.zeros(1)
        extra = np.zeros(SPAN_EXTRA, np.float32)
        extra[:N_LEX] = tf[:, :N_LEX].max(0)
        extra[N_LEX : 2 * N_LEX] = tf[:, :N_LEX].mean(0)
        k = 2 * N_LEX
        extra[k + 0] = np.log1p(len(span)) / 5
        extra[k + 1] = np.log1p(len(words)) / 3
        extra[k + 2] = np.log1p(self.lower.count(low) - 1) if low else 0.0
        extra[k + 3] = reps.max()
        extra[k + 4] = reps.mean()
        extra[k + 5] = len(sel) / max(chunk_tokens, 1)
        extra[k + 6] = sum(c.isupper() for c in span) / max(len(span), 1)
        extra[k + 7] = "!" in span
        extra[k + 8] = "?" in span
        extra[k + 9] = bool(span[:1]) and span[:1] in _QUOTES
        extra[k + 10] = float(self.in_quote[start]) if start < len(self.in_quote) else 0.0
        extra[k + 11] = start < self.first_line_end
        extra[k + 12] = start / max(len(text), 1)
        extra[k + 13] = np.log1p(same_text_in_template)
        extra[k + 14] = len(words) == 1
        extra[k + 15] = bool(words) and all(w[:1].isupper() for w in words)
        return np.concatenate([mean, mx, ctx, extra])
