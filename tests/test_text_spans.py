"""``doc_text``: Doc.text read once per Doc, never stale."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from newsaudit.text.spans import doc_text


@pytest.mark.parametrize("text", ["", "One.", "The mayor said so.\n\nTraffic was light. ", "  spaces  around  "])
def test_spans_doc_text_is_doc_text(bare_nlp, text):
    doc = bare_nlp.make_doc(text)
    assert doc_text(doc) == doc.text == text
    assert doc_text(doc) is doc_text(doc)  # built once


def test_spans_doc_text_not_stale_after_merge_or_join(bare_nlp):
    first, second = bare_nlp.make_doc("New York is big. "), bare_nlp.make_doc("Paris too.")
    assert doc_text(first) == "New York is big. "
    with first.retokenize() as retokenizer:
        retokenizer.merge(first[0:2])
    assert doc_text(first) == first.text == "New York is big. "
    with pytest.warns(UserWarning, match="W102"):  # spaCy copies no plain user_data entry, and says so
        joined = Doc.from_docs([first, second])
    assert doc_text(joined) == joined.text == "New York is big. Paris too."


@pytest.mark.parametrize(
    ("intervals", "x", "expected"),
    [
        ([], 5, False),
        ([(0, 10)], 0, True),
        ([(0, 10)], 10, False),
        ([(0, 100), (10, 20)], 50, True),  # inside an earlier, longer interval only
        ([(10, 20), (30, 40)], 25, False),
        ([(5, 6), (5, 5)], 5, True),
        ([(30, 40), (0, 3)], 2, True),
    ],
)
def test_spans_interval_index_covers(intervals, x, expected):
    from newsaudit.text.spans import IntervalIndex

    index = IntervalIndex(intervals, key=lambda iv: iv)
    assert index.covers(x) is expected
    assert expected == any(s <= x < e for s, e in intervals)
