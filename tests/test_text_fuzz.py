"""Property tests (hypothesis) of the text functions: quote scanners, loaders,
span builders and the whole pipeline never raise on arbitrary text, and every
span they make points into the text it came from."""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsaudit.errors import EmptyInputError, FailedRow, InputError, NewsauditError
from newsaudit.load import (
    DEFAULT_FIELD_NAMES,
    FieldMap,
    article_from_record,
    decode_bytes,
    load_bytes,
    load_text,
    normalise_newlines,
    repair_text,
    split_headline,
)
from newsaudit.load.records import explicit_fields, field_candidates
from newsaudit.types import Article, Span

#: Bounded runs, no example database written into the checkout.  Set
#: NEWSAUDIT_FUZZ_SCALE (e.g. 20) to fuzz longer by hand.
_SCALE = int(os.environ.get("NEWSAUDIT_FUZZ_SCALE", "1"))
FAST = settings(max_examples=200 * _SCALE, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=30 * _SCALE, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

QUOTE_MARKS = "“”«»‘’\"„'‹›「」"
#: Characters that matter to the scanners and loaders, mixed into arbitrary Unicode
#: (surrogates included: a Python str can hold them).
SPECIAL = st.sampled_from([*list(QUOTE_MARKS), "\n", "\n\n", "\r", "\r\n", "\t", " ", ":", ".", "\ufeff", "\x00", "\u2028"])
WORDS = st.sampled_from(["said", "says", "The", "minister", "told", "reporters", "according", "to", "Reuters",
                         "date", "2024-01-02", "“", "”", "\"", "'", "\n\n", ", ", ". ", "so-called", "allegedly"])
ANY_TEXT = st.lists(st.one_of(st.characters(), st.characters(categories=["Cs"]), SPECIAL), max_size=300).map("".join)
WORDY_TEXT = st.lists(st.one_of(WORDS, st.text(max_size=8)), max_size=60).map(" ".join)
#: Pieces of news prose (cues, quotes, relays, signals) in random order: what
#: reaches the extractors' rules.
NEWS_PIECES = st.sampled_from([
    "The minister said", "“We will not back down,”", "he said.", "she told reporters", "According to Reuters,",
    "Rt.com reports:", "officials said", "the so-called", "“experts”", "allegedly", "sources told", "Mr Smith",
    "claimed that", "the plan", "would fail.", "“", "”", "\"", "'", "‘", "’", "«", "»", ":", ",", ".", "\n", "\n\n",
    "It said:", "Ivan Petrov, a spokesman, said", "Министерство обороны:", "— said", "(AP)", "he added.", "they",
])
NEWS_TEXT = st.lists(NEWS_PIECES, min_size=1, max_size=40).map(" ".join)
TEXT = st.one_of(ANY_TEXT, WORDY_TEXT, NEWS_TEXT)


def _spans(value, path="$"):
    """Every (path, span dict) in a report's JSON form (a dict with start, end and text)."""
    if isinstance(value, dict):
        if {"start", "end", "text"} <= set(value) and isinstance(value.get("start"), int):
            yield path, value
        for key, sub in value.items():
            yield from _spans(sub, f"{path}.{key}")
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            yield from _spans(sub, f"{path}[{i}]")


# --------------------------------------------------------------------------- quote scanners


@FAST
@given(TEXT)
def test_attribution_find_quotes_never_raises(text):
    from newsaudit.text.quotes import quotations as find_quotes

    quotes = find_quotes(text)
    assert quotes == sorted(quotes)
    for start, end in quotes:
        assert 0 <= start < end <= len(text)
        assert text[start] in QUOTE_MARKS
    for (_, end), (start, _) in itertools.pairwise(quotes):
        assert end <= start  # quote spans never overlap


@FAST
@given(TEXT)
def test_signals_find_quotes_never_raises(text):
    from newsaudit.text.quotes import quote_pairs as find_quotes

    pairs = find_quotes(text)
    for pair in pairs:
        assert 0 <= pair.open < pair.close < len(text)
        assert text[pair.open] in QUOTE_MARKS
        assert text[pair.close] in QUOTE_MARKS
        start, end = pair.inner
        assert text[start:end] == text[pair.open + 1 : pair.close]


# --------------------------------------------------------------------------- loaders


def _check_article(article: Article) -> None:
    text = article.text
    text.encode("utf-8")  # valid Unicode: no lone surrogates left
    assert text[article.body_start :] == article.body
    assert article.body == article.body.strip()
    assert article.headline == article.headline.strip()
    assert "\r" not in text


@FAST
@given(TEXT)
def test_load_text_never_raises(text):
    try:
        article = load_text(text, id="fuzz")
    except EmptyInputError:
        assert not normalise_newlines(repair_text(text)[0]).strip()
        return
    _check_article(article)


@FAST
@given(TEXT)
def test_load_split_headline_never_raises(text):
    text = normalise_newlines(text)
    headline, body, date = split_headline(text)
    assert body in text
    assert headline in text
    assert body == body.strip()
    assert headline == headline.strip()
    assert date is None or len(date) == 10


@FAST
@given(st.binary(max_size=400) | TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_load_decode_bytes_never_raises(data):
    try:
        text, warnings = decode_bytes(data, "fuzz")
    except InputError:
        return
    text.encode("utf-8", "surrogatepass")
    assert text.strip()
    assert "\r" not in text
    assert all(isinstance(w, str) for w in warnings)


@SLOW
@given(st.binary(max_size=400) | TEXT.map(lambda t: t.encode("utf-8", "surrogatepass"))
       | TEXT.map(lambda t: f"<html><body><p>{t}</p></body></html>".encode("utf-8", "surrogatepass")))
def test_load_bytes_never_raises(data):
    try:
        article = load_bytes(data, "fuzz", id="fuzz")
    except InputError:
        return
    _check_article(article)


#: Charset labels a page or a header may declare: honoured WHATWG labels, Python codecs that are no text
#: encoding or lose text, and anything else.
CHARSET_LABELS = st.one_of(
    st.sampled_from(["utf-8", "latin1", "windows-1251", "koi8-r", "shift_jis", "utf-16le", "utf-16be", "iso-2022-jp",
                     "gb18030", "euc-kr", "undefined", "punycode", "utf-7", "rot13", "idna", "unicode_escape",
                     "raw_unicode_escape", "uu_codec", "zlib", "base64", "hex", "bz2", "utf-32", "mbcs",
                     "x-user-defined", "replacement", ""]),
    st.text(max_size=12),
)


@FAST
@given(st.binary(max_size=300) | TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")), CHARSET_LABELS)
def test_load_decode_any_charset_label_never_fails(data, label):
    """No declared label can make decoding raise anything but the loader's own errors; an unknown
    label is one warning, and an honoured one decodes as its codec or falls back."""
    from newsaudit.load import charset_codec, decode_bytes

    try:
        text, warnings = decode_bytes(data, "fuzz", encoding=label)
    except InputError:
        return
    assert isinstance(text, str)
    assert "\r" not in text
    unknown = [w for w in warnings if "not a known text encoding" in w]
    assert len(unknown) == (1 if label and charset_codec(label) is None and not data.startswith(BOM_PREFIXES) else 0)


BOM_PREFIXES = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


HTML_WITH_CHARSET = st.builds(
    lambda label, text: f'<html><head><meta charset="{label}"><title>T</title></head><body><p>{text}</p></body></html>'
    .encode("utf-8", "surrogatepass"), CHARSET_LABELS.filter(lambda x: '"' not in x), NEWS_TEXT)


@SLOW
@given(HTML_WITH_CHARSET)
def test_load_html_any_meta_charset_never_fails(page):
    try:
        article = load_bytes(page, "fuzz.html", id="fuzz", filename="fuzz.html")
    except InputError:
        return
    _check_article(article)


HTML_TAGS = st.sampled_from(["div", "p", "nav", "a", "form", "label", "button", "article", "h1", "li", "script", "footer", "title"])
HTML = st.recursive(
    st.one_of(NEWS_TEXT, ANY_TEXT.map(lambda t: t[:40])),
    lambda inner: st.builds(lambda tag, parts: f"<{tag}>{''.join(parts)}</{tag}>", HTML_TAGS, st.lists(inner, max_size=3)),
    max_leaves=12,
).map(lambda body: f"<html><head><title>Fuzz</title></head><body>{body}</body></html>")


@SLOW
@given(HTML, st.integers(0, 400))
def test_load_html_never_raises(html, depth):
    from newsaudit.load import load_html

    html = html.replace("<body>", "<body>" + "<div>" * depth, 1).replace("</body>", "</div>" * depth + "</body>", 1)
    try:
        article = load_html(html, id="fuzz")
    except InputError:
        return
    _check_article(article)


@FAST
@given(TEXT)
def test_language_profile_never_raises(text):
    from newsaudit.text.language import profile_language

    profile = profile_language(text)
    assert 0.0 <= profile.confidence <= 1.0
    for p in profile.paragraphs:
        assert 0 <= p.start < p.end <= len(text)
        assert text[p.start:p.end] == text[p.start:p.end].strip()
    assert set(profile.foreign) <= set(profile.paragraphs)
    assert not profile.foreign or profile.language == "en"


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=10,
)
FIELD_NAMES = st.sampled_from([n for names in DEFAULT_FIELD_NAMES.values() for n in names] + ["Title", "TEXT", "other"])


@FAST
@given(st.dictionaries(FIELD_NAMES, JSON_VALUES, max_size=8) | JSON_VALUES)
def test_load_record_mapper_never_raises(record):
    fields = FieldMap()
    item = article_from_record(record, path=Path("fuzz.jsonl"), row=3, cands=field_candidates(fields), explicit=explicit_fields(fields))
    if isinstance(item, Article):
        _check_article(item)
        json.dumps(item.to_dict(), ensure_ascii=False).encode("utf-8")
    else:
        assert isinstance(item, FailedRow)
        assert item.row == 3
        assert item.error.startswith("fuzz.jsonl row 3: ")
        json.dumps(item.to_dict(), ensure_ascii=False).encode("utf-8")


@FAST
@given(TEXT)
def test_load_repair_text_gives_valid_unicode(text):
    fixed, n = repair_text(text)
    fixed.encode("utf-8")
    assert len(fixed) <= len(text)
    assert n <= len(text)
    if not any("\ud800" <= c <= "\udfff" for c in text):
        assert (fixed, n) == (text, 0)


# --------------------------------------------------------------------------- span builders


@pytest.fixture(scope="module")
def blank_nlp():
    import spacy

    return spacy.blank("en")


@FAST
@given(TEXT, st.integers(-5, 400), st.integers(-5, 400))
def test_types_span_of_matches_the_text(text, start, end):
    start, end = sorted((max(0, min(start, len(text))), max(0, min(end, len(text)))))
    span = Span.of(text, start, end)
    assert text[span.start : span.end] == span.text
    assert len(span) == end - start


@SLOW
@given(text=TEXT, a=st.integers(0, 400), b=st.integers(0, 400))
def test_spans_char_span_and_to_span_lie_inside_the_text(blank_nlp, text, a, b):
    from newsaudit.text.spans import char_span, to_span

    text = repair_text(text)[0]
    doc = blank_nlp(text)
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    span = to_span(doc, start, end)
    assert doc.text[span.start : span.end] == span.text
    sp = char_span(doc, start, end)
    if sp is not None:
        built = Span.from_spacy(sp)
        assert 0 <= built.start <= built.end <= len(text)
        assert text[built.start : built.end] == built.text


# --------------------------------------------------------------------------- the whole pipeline


@pytest.fixture(scope="module")
def pipeline_options():
    from newsaudit.options import AnalyzeOptions
    from newsaudit.pipeline import build_pipeline

    options = AnalyzeOptions(any_language=True)
    build_pipeline(options)
    return options


@SLOW
@given(st.one_of(NEWS_TEXT, NEWS_TEXT, WORDY_TEXT, ANY_TEXT.map(lambda t: t[:120])))
def test_pipeline_every_span_lies_inside_the_article_text(pipeline_options, text):
    from newsaudit.pipeline import analyze

    try:
        article = load_text(text, id="fuzz")
    except InputError:
        return
    try:
        report = analyze(article, pipeline_options)
    except NewsauditError:
        return
    data = report.to_dict()
    full = data["article"]["text"]
    assert full == article.text
    for path, span in _spans({k: v for k, v in data.items() if k != "article"} | {"foreign": data["article"]["foreign_spans"]}):
        assert 0 <= span["start"] <= span["end"] <= len(full), path
        assert full[span["start"] : span["end"]] == span["text"], path


@SLOW
@given(st.lists(NEWS_TEXT, min_size=1, max_size=4))
def test_pipeline_windowed_and_batched_spans_lie_inside_the_article_text(pipeline_options, texts):
    """The same property where offsets are rebuilt: long texts parsed in windows
    (``Doc.from_docs``; windows of 80 characters here) and ``analyze_many`` batches."""
    from dataclasses import replace

    from newsaudit.pipeline import analyze_many

    options = replace(pipeline_options, window_chars=80, batch_size=2)
    articles = []
    for text in texts:
        try:
            articles.append(load_text(text, id="fuzz"))
        except InputError:
            pass
    for article, report in zip(articles, analyze_many(articles, options), strict=True):
        if isinstance(report, NewsauditError):
            continue
        full = report.article.text
        assert full == article.text
        data = report.to_dict()
        for path, span in _spans({k: v for k, v in data.items() if k != "article"}):
            assert 0 <= span["start"] <= span["end"] <= len(full), path
            assert full[span["start"] : span["end"]] == span["text"], path
