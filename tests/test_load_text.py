"""Plain-text, file, stdin and folder loading, and bad input (newsaudit.load)."""

from __future__ import annotations

import codecs
import io
import time
import tracemalloc
from pathlib import Path

import pytest

from newsaudit.errors import BinaryInputError, EmptyInputError, FailedRow, InputError
from newsaudit.load import (
    decode_bytes,
    iter_folder,
    iter_inputs,
    load_file,
    load_text,
    read_stdin,
    split_headline,
)

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "samples" / "seed-article.txt"
EXAMPLE = REPO / "examples" / "article.txt"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # (headline, body, date)
        (
            " date 2018-06-12 US forces are helping\n\nBody one.\n\nBody two.",
            ("US forces are helping", "Body one.\n\nBody two.", "2018-06-12"),
        ),
        ("date 2020-01-02\nTitle\n\nBody", ("Title", "Body", "2020-01-02")),
        ("Date: 2020-01-02 Head\n\nBody", ("Head", "Body", "2020-01-02")),
        ("date 2020-01-02 Only a headline", ("", "Only a headline", "2020-01-02")),
        ("Title\n\nBody one.\n\nBody two.\n\n", ("Title", "Body one.\n\nBody two.", None)),
        ("  Title  \n \t \n  Body  ", ("Title", "Body", None)),
        ("One single paragraph.", ("", "One single paragraph.", None)),
        ("First line\nsecond line of the same paragraph.\n\nMore.", ("", "First line\nsecond line of the same paragraph.\n\nMore.", None)),
        ("Title\n\n", ("", "Title", None)),
        ("x" * 400 + "\n\nBody", ("", "x" * 400 + "\n\nBody", None)),
    ],
)
def test_load_split_headline(text, expected):
    assert split_headline(text) == expected


def test_load_seed_article():
    if not SEED.exists():
        pytest.skip(f"seed article not found at {SEED}")
    article = load_file(SEED)
    assert article.date == "2018-06-12"
    assert article.headline.startswith("US Special Forces are helping Jihadists in Syria")
    assert article.headline.endswith("against the Syrian government.")
    assert article.body.startswith("“Our intelligence confirmed")
    assert article.body.endswith("against Syrian government forces.")
    assert article.id == "seed-article.txt"
    assert article.text[article.body_start:] == article.body


def test_load_example_article_has_the_features():
    article = load_file(EXAMPLE)
    assert article.date
    assert article.headline
    words = len(article.text.split())
    assert 350 <= words <= 500
    for needle in ("“", "”", "according to", "reports:", "two people familiar with the matter", "she said", "alleged", "reportedly"):
        assert needle in article.text.lower() or needle in article.text, needle


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Title\r\n\r\nBody\r\nline two", ("Title", "Body\nline two")),
        ("Title\r\rBody", ("Title", "Body")),
        ("\ufeffTitle\n\nBody", ("Title", "Body")),
        ("Title\n\nA “curly” and \"odd quote count.", ("Title", "A “curly” and \"odd quote count.")),
    ],
)
def test_load_text_normalises_newlines_only(text, expected):
    article = load_text(text, id="t")
    assert (article.headline, article.body) == expected
    assert article.id == "t"


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t\n", "\r\n"])
def test_load_text_empty(text):
    with pytest.raises(EmptyInputError):
        load_text(text)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", EmptyInputError),
        (b"  \n\t\n  ", EmptyInputError),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, BinaryInputError),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", BinaryInputError),
        (b"PK\x03\x04\x14\x00\x00\x00", BinaryInputError),
        (b"\x1f\x8b\x08\x00\x00\x00", BinaryInputError),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", BinaryInputError),
        (b"some text\x00with a NUL", BinaryInputError),
        (bytes(range(1, 32)) * 20, BinaryInputError),
    ],
)
def test_load_bad_input_file(tmp_path, data, expected):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(expected) as info:
        load_file(path)
    message = str(info.value)
    assert "\n" not in message
    assert "bad.txt" in message


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Title\n\nCafé “naïve”.".encode(), ("Café “naïve”.", None)),
        ("Title\n\nCafé “naïve”.".encode("utf-8-sig"), ("Café “naïve”.", None)),
        ("Title\n\nCafé “naïve”.".encode("cp1252"), ("Café “naïve”.", "cp1252")),
        ("Title\n\nCafé naïve \x81.".encode("latin-1"), ("Café naïve \x81.", "latin-1")),
        ("Title\n\nCafé “naïve”.".encode("utf-16"), ("Café “naïve”.", "utf-16")),
        ("Title\n\nCafé “naïve”.".encode("utf-16-be"), ("Café “naïve”.", "utf-16-be")),
        (codecs.BOM_UTF16_BE + "Title\n\nCafé “naïve”.".encode("utf-16-be"), ("Café “naïve”.", "utf-16-be")),
        ("Title\n\nCafé “naïve”.".encode("utf-32"), ("Café “naïve”.", "utf-32")),
    ],
)
def test_load_decodes_encodings_with_warning(tmp_path, data, expected):
    body, encoding = expected
    path = tmp_path / "enc.txt"
    path.write_bytes(data)
    article = load_file(path)
    assert article.headline == "Title"
    assert article.body == body
    if encoding is None:
        assert article.warnings == ()
    else:
        assert len(article.warnings) == 1
        assert encoding in article.warnings[0]


def test_load_decode_bytes_returns_text_and_warnings():
    text, warnings = decode_bytes("a\r\nb é".encode("cp1252"), "x.txt")
    assert text == "a\nb é"
    assert warnings
    assert "cp1252" in warnings[0]
    assert "x.txt" in warnings[0]


def test_load_big_text_is_fast_and_bounded(tmp_path):
    para = "The council said the plan would cost 4 million pounds, according to officials. " * 10
    text = "Big headline\n\n" + "\n\n".join([para] * (5_000_000 // len(para) + 1))
    path = tmp_path / "big.txt"
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size > 5_000_000
    tracemalloc.start()
    try:
        t0 = time.perf_counter()
        article = load_file(path)
        elapsed = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert article.headline == "Big headline"
    assert len(article.body) > 4_900_000
    assert elapsed < 5.0
    assert peak < 40_000_000  # about three copies of the text, no more


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"Head\n\nBody text.", ("Head", "Body text.")),
        (b"<!DOCTYPE html><html><head><title>Page title</title></head>"
         b"<body><article><p>First paragraph of the story.</p><p>Second one.</p></article></body></html>",
         ("Page title", "First paragraph of the story.\n\nSecond one.")),
    ],
)
def test_load_stdin_sniffs_html(data, expected):
    article = read_stdin(io.BytesIO(data))
    assert (article.headline, article.body) == expected
    assert article.id == "stdin"


def test_load_stdin_empty():
    with pytest.raises(EmptyInputError):
        read_stdin(io.BytesIO(b""))


def test_load_iter_inputs_stdin(monkeypatch):
    class _Stdin:
        buffer = io.BytesIO(b"Head\n\nBody.")

    monkeypatch.setattr("sys.stdin", _Stdin())
    (article,) = list(iter_inputs("-"))
    assert article.headline == "Head"


def test_load_folder_recursive_sorted_with_errors(tmp_path):
    (tmp_path / "b.txt").write_text("B head\n\nB body.")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.html").write_text("<html><head><title>A head</title></head><body><p>A body text here.</p></body></html>")
    (tmp_path / "a.txt").write_text("   ")
    (tmp_path / "notes.csv").write_text("ignored")
    (tmp_path / ".hidden.txt").write_text("Hidden\n\nSkipped.")
    items = list(iter_folder(tmp_path))
    assert [getattr(i, "id", None) for i in items] == ["a.txt", "b.txt", "sub/a.html"]
    assert isinstance(items[0], FailedRow)
    assert items[0].error_type == "EmptyInputError"
    assert items[0].row == 1
    assert items[1].headline == "B head"
    assert items[2].body == "A body text here."


def test_load_empty_folder(tmp_path):
    with pytest.raises(InputError):
        list(iter_inputs(str(tmp_path)))


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("does/not/exist.txt", "no such file or folder"),
        ("https://example.org/story", "URLs are not accepted"),
    ],
)
def test_load_iter_inputs_bad_spec(spec, expected):
    with pytest.raises(InputError, match=expected):
        list(iter_inputs(spec))


def test_load_iter_inputs_single_file(tmp_path):
    path = tmp_path / "story.md"
    path.write_text("Head\n\nBody.")
    (article,) = list(iter_inputs(str(path)))
    assert article.id == "story.md"
    assert article.body == "Body."


@pytest.mark.parametrize(
    ("text", "article_id", "expected", "warnings"),
    [
        ("Head \ud800 line\n\nBody.", None, ("Head \ufffd line", "Body.", None), ["text: 1 lone surrogate(s)"]),
        ("Head\n\nBody \udc00\udc00.", "a\ud800", ("Head", "Body \ufffd\ufffd.", "a\ufffd"),
         ["id: 1 lone surrogate(s)", "a\ufffd: text: 2 lone surrogate(s)"]),
        ("Head\n\nA pair \ud83d\ude00 is one character.", None, ("Head", "A pair \U0001F600 is one character.", None), []),
        ("Head\n\nNothing to repair.", None, ("Head", "Nothing to repair.", None), []),
    ],
)
def test_load_text_lone_surrogates_are_repaired(text, article_id, expected, warnings):
    article = load_text(text, id=article_id)
    assert (article.headline, article.body, article.id) == expected
    article.text.encode("utf-8")
    assert len(article.warnings) == len(warnings)
    for got, want in zip(article.warnings, warnings, strict=False):
        assert want in got
        assert "U+FFFD" in got


@pytest.mark.parametrize(("text", "hinted"), [
    ("Council approves new budget\nThe council voted on Monday, the mayor said.", True),
    ("Council approves new budget\n\nThe council voted on Monday, the mayor said.", False),  # a headline
    ("The council voted on Monday.\nThe mayor said so.", False),  # a sentence, not a headline
    ("Council approves new budget", False),  # one line
    ("Budget\nThe council voted on Monday.", False),  # one word
    ("date 2024-05-01 Council approves new budget\nThe council voted.", False),
])
def test_load_text_hint_when_a_headline_lacks_its_blank_line(text, hinted):
    from newsaudit.load.text import HEADLINE_HINT, load_text

    article = load_text(text)
    assert (HEADLINE_HINT in article.warnings) is hinted
    assert article.headline == ("Council approves new budget" if "\n\n" in text else article.headline)
