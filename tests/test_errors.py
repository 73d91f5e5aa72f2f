"""errors.FailedRow: the one shape of a failed input row (loaders, CLI error lines, batch error rows, load)."""

from __future__ import annotations

import pytest

from newsaudit.errors import EmptyInputError, FailedRow, InputError
from newsaudit.types import Article


def _loader_error() -> FailedRow:
    return FailedRow("rows.jsonl row 3: text field holds a number (int)", "InputError", row=3, id="r3",
                     headline="Title", outlet="Daily")


@pytest.mark.parametrize(
    ("error", "kwargs", "expected"),
    [
        (_loader_error(), {}, {"row": 3, "id": "r3", "headline": "Title", "outlet": "Daily",
                               "error": "rows.jsonl row 3: text field holds a number (int)", "error_type": "InputError"}),
        (ValueError("boom"), {"row": 2, "item": Article(body="x", id="a2", headline="H", url="https://e.org/2")},
         {"row": 2, "id": "a2", "headline": "H", "url": "https://e.org/2", "error": "internal error: ValueError: boom",
          "error_type": "ValueError"}),
        ("article timeout", {"row": 5, "id": "x5"}, {"row": 5, "id": "x5", "error": "article timeout", "error_type": None}),
        ("", {"row": 1}, {"row": 1, "id": None, "error": "error", "error_type": None}),
        (InputError("bad \ud800"), {"row": 4, "item": {"id": 44, "headline": "\udc00"}},
         {"row": 4, "id": "44", "headline": "\ufffd", "error": "bad \ufffd", "error_type": "InputError"}),
    ],
)
def test_errors_failed_row_record(error, kwargs, expected):
    record = FailedRow.of(error, **kwargs).to_dict()
    assert record == expected
    assert list(record)[:2] == ["row", "id"]
    assert list(record)[-2:] == ["error", "error_type"]


@pytest.mark.parametrize(("error_type", "expected"), [
    ("EmptyInputError", EmptyInputError), ("InputError", InputError), ("ValueError", InputError), (None, InputError),
])
def test_errors_failed_row_raises_its_own_class(error_type, expected):
    exc = FailedRow("rows.jsonl row 1: empty text", error_type, row=1).exception()
    assert type(exc) is expected
    assert str(exc) == "rows.jsonl row 1: empty text"
