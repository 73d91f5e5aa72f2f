"""Dataset readers: JSONL, JSON, CSV/TSV, Parquet, gzip; field mapping; one output per row."""

from __future__ import annotations

import gzip
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newsaudit.errors import BinaryInputError, DatasetError, EmptyInputError, FailedRow
from newsaudit.load import FieldMap, LoadOptions, describe_inputs, iter_dataset, iter_inputs
from newsaudit.types import Article


def _summary(items):
    out = []
    for item in items:
        if isinstance(item, Article):
            out.append(("ok", item.id, item.headline, item.body))
        else:
            assert isinstance(item, FailedRow)
            out.append((item.error_type, item.id, item.row))
    return out


def test_load_jsonl_row_per_row(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(
        '{"id": "x1", "title": "T1", "text": "Body one."}\n'
        "{broken json\n"
        "\n"
        '{"title": "no text"}\n'
        '{"text": "   "}\n'
        "[1, 2]\n"
        '{"text": "Body six."}\n',
        encoding="utf-8",
    )
    # rows are 1-based record numbers: the blank line is not a record
    assert _summary(iter_dataset(path)) == [
        ("ok", "x1", "T1", "Body one."),
        ("InputError", "2", 2),
        ("InputError", "3", 3),
        ("EmptyInputError", "4", 4),
        ("InputError", "5", 5),
        ("ok", "6", "", "Body six."),
    ]


def test_load_jsonl_error_messages_are_one_line(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "ok"}\n{oops\n', encoding="utf-8")
    err = list(iter_dataset(path))[1]
    assert err.error.startswith("a.jsonl row 2: not valid JSON")
    assert "\n" not in err.error


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ({"id": 7, "title": "T", "text": "B"}, ("7", "T", "B", None, None, None)),
        ({"headline": "H", "body": "B", "published": "2020-01-02", "url": "https://x.example/a", "outlet": "X News"},
         ("1", "H", "B", "2020-01-02", "https://x.example/a", "X News")),
        ({"Title": "Upper", "Content": "Case-insensitive", "Source": {"id": "x", "name": "Outlet X"}},
         ("1", "Upper", "Case-insensitive", None, None, "Outlet X")),
        ({"title": "  spaced\n title ", "text": ["Para one.", "Para two."], "date": "2021-05-06", "link": "u"},
         ("1", "spaced title", "Para one.\n\nPara two.", "2021-05-06", "u", None)),
        ({"article": "CNN style body", "source": "cnn"}, ("1", "", "CNN style body", None, None, "cnn")),
    ],
)
def test_load_dataset_default_field_names(tmp_path, record, expected):
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (article,) = list(iter_dataset(path))
    assert (article.id, article.headline, article.body, article.date, article.url, article.outlet) == expected


def test_load_dataset_explicit_fields(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("uid,head,story,when,text\nA1,Hello,Story body.,2022-01-01,not this\n", encoding="utf-8")
    fields = FieldMap(id="uid", title="head", text="story", date="when")
    (article,) = list(iter_dataset(path, fields))
    assert (article.id, article.headline, article.body, article.date) == ("A1", "Hello", "Story body.", "2022-01-01")


@pytest.mark.parametrize(
    ("name", "content", "fields", "match"),
    [
        ("d.jsonl", '{"text": "a"}\n{"text": "b"}\n', FieldMap(title="headline_x"), "headline_x"),
        ("d.jsonl", '{"title": "a"}\n', None, "no text column"),
        ("d.csv", "title,text\na,b\n", FieldMap(text="story"), "story"),
        ("d.csv", "title,summary\na,b\n", None, "no text column"),
        ("d.json", '[{"text": "a"}]', FieldMap(id="uid"), "uid"),
    ],
)
def test_load_dataset_missing_column(tmp_path, name, content, fields, match):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DatasetError, match=match):
        list(iter_dataset(path, fields))


def test_load_jsonl_named_column_found_late(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "a"}\n{"text": "b", "kicker": "K"}\n', encoding="utf-8")
    items = list(iter_dataset(path, FieldMap(title="kicker")))
    assert [i.headline for i in items] == ["", "K"]


def test_load_csv_rows(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text(
        'headline,content,date\n'
        'H1,"Body, with comma\nand a newline",2021-02-03\n'
        'H2,,\n'
        'H3,"Third ""quoted"" body",\n',
        encoding="utf-8",
    )
    assert _summary(iter_dataset(path)) == [
        ("ok", "1", "H1", "Body, with comma\nand a newline"),
        ("EmptyInputError", "2", 2),
        ("ok", "3", "H3", 'Third "quoted" body'),
    ]


def test_load_tsv_cp1252_warning(tmp_path):
    path = tmp_path / "d.tsv"
    path.write_bytes("title\ttext\nCafé\tNaïve “body”\n".encode("cp1252"))
    (article,) = list(iter_dataset(path))
    assert (article.headline, article.body) == ("Café", "Naïve “body”")
    assert article.warnings
    assert "cp1252" in article.warnings[0]


def test_load_csv_utf8_bom_header(tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes("title,text\nT,B\n".encode("utf-8-sig"))
    (article,) = list(iter_dataset(path))
    assert (article.headline, article.body) == ("T", "B")


def test_load_parquet_streamed(tmp_path, monkeypatch):
    import newsaudit.load.datasets as load

    monkeypatch.setattr(load, "PARQUET_BATCH_ROWS", 2)
    path = tmp_path / "d.parquet"
    table = pa.table({
        "id": [1, 2, 3, 4, 5],
        "title": ["a", None, "c", "d", "e"],
        "text": ["x", None, "z", "", "w"],
        "unused": [b"\x00"] * 5,
    })
    pq.write_table(table, path, row_group_size=2)
    assert _summary(iter_dataset(path)) == [
        ("ok", "1", "a", "x"),
        ("EmptyInputError", "2", 2),
        ("ok", "3", "c", "z"),
        ("EmptyInputError", "4", 4),
        ("ok", "5", "e", "w"),
    ]


def test_load_parquet_dates_and_missing_column(tmp_path):
    import datetime as dt

    path = tmp_path / "d.parquet"
    pq.write_table(pa.table({"body": ["b"], "published": [dt.date(2020, 1, 2)]}), path)
    (article,) = list(iter_dataset(path))
    assert article.date == "2020-01-02"
    with pytest.raises(DatasetError, match="nope"):
        list(iter_dataset(path, FieldMap(text="nope")))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('[{"text": "J1"}, {"body": "J2"}, {"title": "x"}]', [("ok", "1", "", "J1"), ("ok", "2", "", "J2"), ("InputError", "3", 3)]),
        ('{"articles": [{"text": "J1"}]}', [("ok", "1", "", "J1")]),
        ('{"text": "single", "title": "T"}', [("ok", "1", "T", "single")]),
    ],
)
def test_load_json_list(tmp_path, content, expected):
    path = tmp_path / "d.json"
    path.write_text(content, encoding="utf-8")
    assert _summary(iter_dataset(path)) == expected


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("d.jsonl", b"", EmptyInputError),
        ("d.csv", b"\n\n", EmptyInputError),
        ("d.jsonl", b"\x89PNG\r\n\x1a\n\x00\x00", BinaryInputError),
        ("d.parquet", b"not parquet at all", DatasetError),
        ("d.json", b"[{broken", DatasetError),
        ("d.json", b"42", DatasetError),
    ],
)
def test_load_dataset_unreadable(tmp_path, name, data, expected):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(expected):
        list(iter_dataset(path))


@pytest.mark.parametrize("name", ["d.jsonl.gz", "d.csv.gz"])
def test_load_dataset_gzip(tmp_path, name):
    path = tmp_path / name
    content = '{"text": "gz body"}\n' if "jsonl" in name else "text\ngz body\n"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(content)
    (article,) = list(iter_dataset(path))
    assert article.body == "gz body"


def test_load_iter_inputs_dataset_and_describe(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text(
        '{"title": "Police arrest man", "text": "The police arrested a man on Monday, officials said."}\n{"x": 1}\n', encoding="utf-8"
    )
    assert len(list(iter_inputs(str(path)))) == 2
    rows = list(describe_inputs(LoadOptions(spec=str(path))))
    assert rows[0]["language"] == "en"
    assert rows[0]["body_chars"] > 10
    assert rows[1]["error_type"] == "InputError"
    assert rows[1]["row"] == 2


def test_load_cli_command(tmp_path):
    from typer.testing import CliRunner

    from newsaudit.cli.load import app

    path = tmp_path / "d.csv"
    path.write_text("head,story\nH,The council approved the budget on Monday.\n", encoding="utf-8")
    result = CliRunner().invoke(app, [str(path), "--title-field", "head", "--text-field", "story"])
    assert result.exit_code == 0, result.output
    row = json.loads(result.output.splitlines()[0])
    assert row["headline"] == "H"
    assert row["id"] == "1"


# --------------------------------------------------------------------------- poison rows, types, row numbers


def _jsonl(tmp_path, lines, name="d.jsonl"):
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("line", "field", "expected"),
    [
        ('{"title": "Bad \\ud800 title", "text": "Body ok."}', "title", ("Bad \ufffd title", "Body ok.", None)),
        ('{"title": "T", "text": "Body \\udfff here."}', "text", ("T", "Body \ufffd here.", None)),
        ('{"text": "Body.", "outlet": "X\\ud83d News"}', "outlet", ("", "Body.", "X\ufffd News")),
        # a proper surrogate pair is one character, not a problem
        ('{"title": "Smile \\ud83d\\ude00", "text": "Body."}', None, ("Smile \U0001F600", "Body.", None)),
    ],
)
def test_load_dataset_lone_surrogate_is_repaired(tmp_path, line, field, expected):
    path = _jsonl(tmp_path, ['{"text": "First row."}', line])
    first, article = list(iter_dataset(path))
    assert first.warnings == ()
    assert (article.headline, article.body, article.outlet) == expected
    json.dumps(article.to_dict(), ensure_ascii=False).encode("utf-8")  # valid Unicode all through
    if field is None:
        assert article.warnings == ()
    else:
        (warning,) = article.warnings
        assert warning.startswith(f"d.jsonl row 2: {field}:")
        assert "U+FFFD" in warning


def test_load_json_file_lone_surrogate_is_repaired(tmp_path):
    path = tmp_path / "d.json"
    path.write_text('[{"title": "A \\ud800", "text": "B \\udc00"}]', encoding="utf-8")
    (article,) = list(iter_dataset(path))
    assert (article.headline, article.body) == ("A \ufffd", "B \ufffd")
    assert [w.rsplit(": ", 1)[0] for w in article.warnings] == ["d.json row 1: title", "d.json row 1: text"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12345, "text field 'text' is int (12345), not text"),
        (1.5, "text field 'text' is float (1.5), not text"),
        (True, "text field 'text' is bool (True), not text"),
        ({"p": "x"}, "text field 'text' is dict ({'p': 'x'}), not text"),
        (["para", 3], "text field 'text' is a list holding int (3), not text"),
    ],
)
def test_load_dataset_text_of_wrong_type_is_an_error_row(tmp_path, value, expected):
    path = _jsonl(tmp_path, [json.dumps({"id": "r1", "text": value})])
    (err,) = list(iter_dataset(path))
    assert isinstance(err, FailedRow)
    assert err.error_type == "InputError"
    assert err.error == f"d.jsonl row 1: {expected}"
    assert (err.row, err.id) == (1, "r1")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["Para one.", None, "Para two."], "Para one.\n\nPara two."),
        ("Plain.", "Plain."),
    ],
)
def test_load_dataset_text_strings_and_paragraph_lists_load(tmp_path, value, expected):
    path = _jsonl(tmp_path, [json.dumps({"text": value})])
    (article,) = list(iter_dataset(path))
    assert article.body == expected


def test_load_parquet_int_text_column_is_an_error_row(tmp_path):
    path = tmp_path / "d.parquet"
    pq.write_table(pa.table({"id": ["a", "b"], "text": [1, 2]}), path)
    errors = list(iter_dataset(path))
    assert [e.error for e in errors] == [
        "d.parquet row 1: text field 'text' is int (1), not text",
        "d.parquet row 2: text field 'text' is int (2), not text",
    ]


@pytest.mark.parametrize(
    ("title", "expected_warning"),
    [
        (2024, "title field 'title' is int (2024), not text; ignored"),
        (["a", "b"], "title field 'title' is list (['a', 'b']), not text; ignored"),
        ({"x": 1}, "title field 'title' is dict ({'x': 1}), not text; ignored"),
        (None, None),
    ],
)
def test_load_dataset_title_of_wrong_type_is_a_warning(tmp_path, title, expected_warning):
    path = _jsonl(tmp_path, [json.dumps({"title": title, "text": "The body."})])
    (article,) = list(iter_dataset(path))
    assert (article.headline, article.body) == ("", "The body.")
    assert article.warnings == ((f"d.jsonl row 1: {expected_warning}",) if expected_warning else ())


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('{"id": "k1", "title": "Head", "date": "2024-01-02", "source": "Gazette", "url": "https://g.example/1", "text": 7}',
         ("k1", "Head", "2024-01-02", "Gazette", "https://g.example/1")),
        ('{"headline": "Only a head", "text": ""}', ("2", "Only a head", None, None, None)),
        ('{"title": "No body at all"}', ("2", "No body at all", None, None, None)),
        ("{not json", ("2", None, None, None, None)),
    ],
)
def test_load_dataset_error_rows_keep_the_row_metadata(tmp_path, line, expected):
    path = _jsonl(tmp_path, ['{"text": "ok"}', line])
    err = list(iter_dataset(path))[1]
    assert isinstance(err, FailedRow)
    assert (err.id, err.headline, err.date, err.outlet, err.url) == expected
    assert err.row == 2
    assert err.error.startswith("d.jsonl row 2")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        # (row, message prefix) per item: rows count records (non-blank lines), not physical lines
        (
            '\n\n{"text": "a"}\n\n{oops\n{"text": 1}\n',
            [(1, None), (2, "d.jsonl row 2 (line 5): not valid JSON"), (3, "d.jsonl row 3 (line 6): text field")],
        ),
        ('{"text": "a"}\n{oops\n', [(1, None), (2, "d.jsonl row 2: not valid JSON")]),
    ],
)
def test_load_jsonl_rows_are_record_numbers(tmp_path, content, expected):
    path = tmp_path / "d.jsonl"
    path.write_text(content, encoding="utf-8")
    items = list(iter_dataset(path))
    got = []
    for item in items:
        if isinstance(item, Article):
            got.append((int(item.id), None))
        else:
            got.append((item.row, item.error[: len(expected[len(got)][1])]))
    assert got == expected
