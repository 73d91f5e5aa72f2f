"""A pure-Python BERT (uncased) WordPiece tokenizer: the same word-piece ids as all-MiniLM-L6-v2's
``tokenizers`` pipeline (BertNormalizer lowercase + accent stripping + control-character cleaning +
CJK spacing, BertPreTokenizer whitespace/punctuation split, greedy longest-match WordPiece with
``##`` continuations, ``[UNK]`` for words over 100 characters or without a match), without importing
``tokenizers`` or ``transformers``.

>>> wp = WordPiece(["[UNK]", "un", "##aff", "##able", "the"])
>>> wp.ids("The unaffable")
[4, 1, 2, 3]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

#: BERT treats these as whitespace whatever the Unicode tables say, so splitting on them first is exact
_SPACE = re.compile(r"[ \t\n\r]+")


def _is_punct(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp: int) -> bool:
    return (
        0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF or 0x2A700 <= cp <= 0x2B73F
        or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F
    )


def _normalise(text: str) -> str:
    out = []
    for ch in text:
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD:
            continue
        cat = unicodedata.category(ch)
        if ch in "\t\n\r" or cat == "Zs":
            out.append(" ")
            continue
        if cat in ("Cc", "Cf"):
            continue
        out.append(f" {ch} " if _is_cjk(cp) else ch)
    text = unicodedata.normalize("NFD", "".join(out).lower())
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


_ASCII_WORD = re.compile(r"[a-z0-9]+|[^a-z0-9]")


def basic_words(text: str) -> list[str]:
    """Whitespace- and punctuation-split, lower-cased, accent-stripped words."""
    if text.isascii() and text.isprintable():  # fast path: every non-alphanumeric printable ASCII character is punctuation
        return [w for w in _ASCII_WORD.findall(text.lower()) if w != " "]
    return basic_words_unicode(text)


def basic_words_unicode(text: str) -> list[str]:
    """:func:`basic_words` for any text (the general path)."""
    words: list[str] = []
    for chunk in _normalise(text).split():
        cur: list[str] = []
        for ch in chunk:
            if _is_punct(ch):
                if cur:
                    words.append("".join(cur))
                    cur = []
                words.append(ch)
            else:
                cur.append(ch)
        if cur:
            words.append("".join(cur))
    return words


class WordPiece:
    def __init__(self, pieces: Sequence[str], unk: str = "[UNK]", max_chars: int = 100) -> None:
        self.index = {p: i for i, p in enumerate(pieces)}
        self.unk = self.index[unk]
        self.max_chars = max_chars
        self.word_ids = lru_cache(maxsize=100_000)(self._word_ids)
        self.chunk_words = lru_cache(maxsize=100_000)(self._chunk_words)

    def _chunk_words(self, chunk: str) -> tuple[tuple[str, tuple[int, ...]], ...]:
        return tuple((w, self.word_ids(w)) for w in basic_words(chunk))

    def _word_ids(self, word: str) -> tuple[int, ...]:
        if len(word) > self.max_chars:
            return (self.unk,)
        out, start, index = [], 0, self.index
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                j = index.get(piece)
                if j is not None:
                    out.append(j)
                    break
                end -= 1
            else:
                return (self.unk,)
            start = end
        return tuple(out)

    def ids(self, text: str) -> list[int]:
        """Word-piece ids of ``text`` (no [CLS]/[SEP]); whitespace-separated chunks are cached."""
        return [i for _word, ids in self.words(text) for i in ids]

    def words(self, text: str) -> list[tuple[str, tuple[int, ...]]]:
        """Each word of ``text`` (as the tokenizer splits and normalises it) with its piece ids."""
        return [wi for chunk in _SPACE.split(text) if chunk for wi in self.chunk_words(chunk)]
