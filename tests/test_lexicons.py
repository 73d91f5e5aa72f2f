"""Reading data files: comments and blank lines skipped, cells stripped, line numbers kept."""

import pytest

from newsaudit.lexicons import numbered_rows, read_table


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# source\n# licence\na\tb\n", [(3, ("a", "b"))]),
        ("\n  \na\t b \n#x\nc\n", [(3, ("a", "b")), (5, ("c",))]),
        ("a\t\tb\n", [(1, ("a", "", "b"))]),
        ("# only a header\n", []),
    ],
)
def test_lexicons_numbered_rows(tmp_path, text, expected):
    path = tmp_path / "data.tsv"
    path.write_text(text, encoding="utf-8")
    assert numbered_rows(path) == expected
    assert read_table(path) == [cells for _n, cells in expected]
