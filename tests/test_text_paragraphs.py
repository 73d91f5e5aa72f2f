"""The one paragraph rule: non-blank lines, and a line too long to be a paragraph cut into bounded ones."""

from __future__ import annotations

import pytest

from newsaudit.text.paragraphs import MAX_PARAGRAPH_CHARS, paragraph_bounds, paragraph_end
from newsaudit.text.quotes import quotations

SENTENCE = "The ministry said on Friday that rebel forces shelled the water plant near the river. "


@pytest.mark.parametrize(("text", "expected"), [
    ("One.\n\nTwo.\nThree.", ["One.", "Two.", "Three."]),
    ("  padded  \n \n", ["padded"]),
    ("", []),
])
def test_text_paragraphs_are_non_blank_lines(text, expected):
    assert [text[s:e] for s, e in paragraph_bounds(text)] == expected


@pytest.mark.parametrize("size", [MAX_PARAGRAPH_CHARS + 1, 5 * MAX_PARAGRAPH_CHARS, 1_000_000])
def test_text_paragraphs_long_line_is_cut_into_bounded_paragraphs(size):
    text = "Headline\n\n" + (SENTENCE * (size // len(SENTENCE) + 1))[:size]
    bounds = paragraph_bounds(text)
    assert text[bounds[0][0]:bounds[0][1]] == "Headline"
    body = bounds[1:]
    assert len(body) > 1
    assert all(e - s <= MAX_PARAGRAPH_CHARS for s, e in body)
    assert all(text[e - 1] == "." for s, e in body[:-1])  # cut at sentence ends
    assert " ".join(text[s:e] for s, e in body) == text[body[0][0]:body[-1][1]]  # nothing lost between them
    for s, e in body[:50]:
        assert paragraph_end(text, s) == paragraph_end(text, e - 1) >= e


def test_text_paragraphs_end_of_a_short_line_is_its_line_break():
    text = "First line here.\nSecond."
    assert paragraph_end(text, 3) == 16
    assert paragraph_end(text, 18) == len(text)


def test_text_quotes_unclosed_quote_in_a_one_line_article_stops_at_its_paragraph():
    """An article flattened onto one line: an unclosed quotation cannot run megabytes to the end."""
    text = "He said: “the plan would fail and " + SENTENCE * 20_000
    (quote, *_rest) = quotations(text)
    assert quote[0] == text.index("“")
    assert quote[1] - quote[0] <= MAX_PARAGRAPH_CHARS
