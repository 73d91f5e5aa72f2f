"""Language detection (newsaudit.language)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from newsaudit.errors import LanguageError
from newsaudit.language import SAMPLE_CHARS, detect_language, sample_text
from newsaudit.options import AnalyzeOptions
from newsaudit.pipeline import check_language
from newsaudit.types import Article

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "article.txt"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The mayor said on Tuesday that the bridge would reopen next week after repairs.", "en"),
        ("Der Bürgermeister sagte am Dienstag, die Brücke werde nach den Reparaturen nächste Woche wieder geöffnet.", "de"),
        ("Le maire a déclaré mardi que le pont rouvrirait la semaine prochaine après les travaux.", "fr"),
        ("El alcalde dijo el martes que el puente volvería a abrir la próxima semana.", "es"),
        ("Правительство объявило во вторник о новых мерах против инфляции.", "ru"),
        ("政府于周二宣布了新措施，以应对不断上涨的物价和能源成本。", "zh"),
    ],
)
def test_language_detects_sentences(text, expected):
    lang, confidence = detect_language(text)
    assert lang == expected
    assert 0.5 <= confidence <= 1.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # short English headlines (+ a sentence) must never come out as another language
        ("Police arrest man.", "en"),
        ("Ministry denies report", "en"),
        ("Apple unveils new iPhone", "en"),
        ("NATO chief warns Moscow", "en"),
        ("Gaza ceasefire talks stall", "en"),
        ("BREAKING: FIRE AT DOCKS", "en"),
        ("Trump says Putin summit 'went well'", "en"),
        ("Floods hit Kerala\n\nHeavy rain killed 12 people.", "en"),
        ("Council approves bridge\n\nThe council voted on Tuesday.", "en"),
    ],
)
def test_language_short_english(text, expected):
    lang, _confidence = detect_language(text)
    assert lang in (expected, None)
    article = Article(body=text)
    assert check_language(article, AnalyzeOptions()).language in (expected, None)


@pytest.mark.parametrize("text", ["", "   ", "Obama", "12345 678", "Hello world", "https://example.org/a/b/c", "– — …"])
def test_language_too_short(text):
    assert detect_language(text) == (None, 0.0)


def test_language_german_refused_by_pipeline():
    article = Article(headline="Regierung beschließt neue Maßnahmen",
                      body="Die Bundesregierung hat am Dienstag ein neues Gesetz beschlossen, teilte ein Sprecher mit.")
    with pytest.raises(LanguageError, match="'de'"):
        check_language(article, AnalyzeOptions())
    assert check_language(article, AnalyzeOptions(any_language=True)).language == "de"


def test_language_example_article_is_english():
    text = EXAMPLE.read_text(encoding="utf-8")
    lang, confidence = detect_language(text)
    assert lang == "en" and confidence > 0.99


def test_language_long_text_uses_a_bounded_sample():
    text = "The council said the plan would cost four million pounds. " * 100_000  # ~6 MB
    sample = sample_text(text)
    assert len(sample) <= SAMPLE_CHARS
    detect_language("warm up the model once")
    t0 = time.perf_counter()
    assert detect_language(text)[0] == "en"
    assert time.perf_counter() - t0 < 1.0


def test_language_urls_are_ignored():
    assert "example" not in sample_text("See https://example.org/x and mail a@b.com now")
