"""The quote scanner's paragraph rules (no model)."""

from __future__ import annotations

import pytest

from newsaudit.text.quotes import quotations


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a straight quote opening a paragraph, left unclosed, is a quoted excerpt that ends at its paragraph when
        # the next paragraph opens with the other kind of mark (the excerpt's own quoted speech)
        ('"Melanie thought it was outrageous.\n\n“It never crossed my mind,” she said.',
         ['"Melanie thought it was outrageous.', "“It never crossed my mind,”"]),
        ('"Kevin was snoring.\n\n“Here he is,” she said.', ['"Kevin was snoring.', "“Here he is,”"]),
        ("“Open and unclosed.\n\n\"Straight one,\" he said.", ["“Open and unclosed.", '"Straight one,"']),
        # the same kind of mark carries the quotation over, as before
        ('"First part.\n\n"Second part," he said.', ['"First part.\n\n"Second part,"']),
        ("“First part.\n\n“Second part,” he said.", ["“First part.\n\n“Second part,”"]),
        ("''First part.\n\n''Second part,'' he said.", ["''First part.\n\n''Second part,''"]),
    ],
)
def test_quotes_unclosed_quote_runs_on_only_into_a_paragraph_opening_with_its_kind_of_mark(text, expected):
    assert [text[s:e] for s, e in quotations(text)] == expected
