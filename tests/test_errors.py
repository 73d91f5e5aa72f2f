"""errors.error_record: the one shape of a failed input row (CLI error lines, batch error rows, load)."""

from __future__ import annotations

import pytest

from newsaudit.errors import InputError, error_record
from newsaudit.types import Article


def _loader_error() -> InputError:
    exc = InputError("rows.jsonl row 3: text field holds a number (int)")
    for name, value in dict(row=3, id="r3", headline="Title", date=None, outlet="Daily", url=None).items():
        setattr(exc, name, value)
    return exc


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
def test_errors_error_record(error, kwargs, expected):
    record = error_record(error, **kwargs)
    assert record == expected
    assert list(record)[:2] == ["row", "id"] and list(record)[-2:] == ["error", "error_type"]
