"""Language detection (newsaudit.text.language)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from newsaudit.errors import LanguageError
from newsaudit.options import AnalyzeOptions
from newsaudit.pipeline import check_language
from newsaudit.text import language
from newsaudit.text.language import SAMPLE_CHARS, detect_language, sample_text
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
    assert lang == "en"
    assert confidence > 0.99


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


# --------------------------------------------------------------------------- per-paragraph language

#: An English report that quotes Russian: 57 words, one Russian quote and one Russian sentence.
QUOTES_RUSSIAN = Article(
    headline="Moscow denies troop build-up near border",
    body=(
        "Russia's defence ministry on Monday rejected a report that troops were massing near the border.\n\n"
        "A spokesman told the state agency RIA Novosti:\n\n"
        "«Это очередная провокация западных СМИ, никаких войск у границы нет».\n\n"
        "Analysts in Kyiv said satellite images showed new camps.\n\n"
        "Министерство обороны: учения в регионе не проводятся, заявил генерал."
    ),
)
RU_QUOTE = "«Это очередная провокация западных СМИ, никаких войск у границы нет»."
RU_SENTENCE = "Министерство обороны: учения в регионе не проводятся, заявил генерал."


def test_language_english_article_quoting_russian_is_analysed():
    assert len(QUOTES_RUSSIAN.text.split()) == 57
    article = check_language(QUOTES_RUSSIAN, AnalyzeOptions())
    assert article.language == "en"
    text = article.text
    assert [s.text for s in article.foreign_spans] == [RU_QUOTE, RU_SENTENCE]
    for span in article.foreign_spans:
        assert text[span.start:span.end] == span.text
    assert len(article.warnings) == 2
    for span, warning in zip(article.foreign_spans, article.warnings, strict=False):
        assert f"paragraph at characters {span.start}-{span.end} looks like 'ru'" in warning


@pytest.mark.parametrize(
    ("headline", "body", "expected", "foreign"),
    [
        # most of the text (by characters of classified paragraphs) decides
        ("Moscow denies report", "Министерство обороны России в понедельник опровергло сообщение о переброске войск к границе.\n\n"
         "Представитель министерства назвал публикацию очередной провокацией западных средств массовой информации.\n\n"
         "The ministry did not say more.", "ru", []),
        ("Berlin", "Die Bundesregierung hat am Dienstag ein neues Gesetz beschlossen, teilte ein Sprecher mit.\n\n"
         "The government said the law would take effect next year, after a vote in parliament on Thursday.\n\n"
         "Officials in Brussels welcomed the decision and said other countries would follow soon.", "en", ["de"]),
        # short paragraphs (headline, dateline) are not classified on their own
        (
            "Police arrest man",
            "LONDON (Reuters)\n\nPolice arrested a man on Monday after a fire at a warehouse in the east of the city.",
            "en",
            [],
        ),
    ],
)
def test_language_profile_by_paragraph(headline, body, expected, foreign):
    profile = language.profile_language(Article(body=body, headline=headline).text)
    assert profile.language == expected
    assert [p.language for p in profile.foreign] == foreign


def test_language_mostly_russian_is_still_refused():
    article = Article(headline="Москва опровергает", body=RU_QUOTE + "\n\n" + RU_SENTENCE + "\n\nThe ministry said.")
    with pytest.raises(LanguageError, match="'ru'"):
        check_language(article, AnalyzeOptions())
    allowed = check_language(article, AnalyzeOptions(any_language=True))
    assert allowed.language == "ru"
    assert allowed.foreign_spans == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x" * 1_000_000, "language could not be detected: too few words (1 word(s)"),
        ("1234567890 " * 100, "language could not be detected: too few words (0 word(s)"),
        ("abc", None),  # short: nothing to say
        ("The council voted on Tuesday to approve a new bridge over the river.", None),
    ],
)
def test_language_undetected_long_text_gets_a_warning(text, expected):
    article = check_language(Article(body=text), AnalyzeOptions())
    if expected is None:
        assert article.warnings == ()
    else:
        assert article.language is None
        (warning,) = article.warnings
        assert warning.startswith(expected)


def test_language_many_paragraphs_cost_is_bounded():
    text = "\n\n".join(f"Paragraph {i}: the council said the plan would cost four million pounds." for i in range(20_000))
    detect_language("warm up the model once")
    t0 = time.process_time()  # CPU time: a loaded machine does not make it fail
    assert language.profile_language(text).language == "en"
    assert time.process_time() - t0 < 2.0


def test_language_foreign_paragraphs_get_no_attributions_or_claims():
    from newsaudit.pipeline import analyze, analyze_many
    from newsaudit.render import validate_report

    reports = [analyze(QUOTES_RUSSIAN), *analyze_many([QUOTES_RUSSIAN])]
    for report in reports:
        foreign = report.article.foreign_spans
        assert [s.text for s in foreign] == [RU_QUOTE, RU_SENTENCE]
        inside = [lambda s, f=f: f.start <= s.start and s.end <= f.end for f in foreign]
        for att in report.attributions:
            assert not any(test(att.cue) for test in inside), att
        assert not any(test(c.span) for c in report.claims for test in inside)
        # the English cue that introduces the Russian quote is kept
        assert any(a.cue.text == "told" and a.content.text.startswith("«Это") for a in report.attributions)
        data = report.to_dict()
        assert data["article"]["foreign_spans"][0]["text"] == RU_QUOTE
        assert validate_report(data) == []


#: An English paragraph that quotes Russian inside a sentence: judged sentence by sentence.
MIXED_PARAGRAPH = Article(
    headline="Moscow denies border report",
    body=("Russia's foreign ministry on Tuesday denied the report. \"Это очередная провокация западных СМИ\", the "
          "ministry's spokeswoman said, adding that no troops had moved."),
)


def test_language_russian_quote_inside_an_english_paragraph_is_analysed():
    article = check_language(MIXED_PARAGRAPH, AnalyzeOptions())
    assert article.language == "en"
    assert [s.text for s in article.foreign_spans] == ['"Это очередная провокация западных СМИ"']
    (warning,) = article.warnings
    span = article.foreign_spans[0]
    assert warning.startswith(f"quotation at characters {span.start}-{span.end} looks like 'ru'")


@pytest.mark.parametrize(
    ("body", "expected", "units"),
    [
        # a paragraph that is all one language stays one paragraph
        ("Министерство обороны России в понедельник опровергло сообщение о переброске войск к границе. "
         "Представитель министерства назвал публикацию очередной провокацией.", "ru", ["paragraph"]),
        # English sentences around a Russian sentence: the Russian one alone is foreign
        ("The ministry rejected the report on Monday, officials said. Министерство обороны России в понедельник "
         "опровергло сообщение о переброске войск. Analysts in Kyiv said satellite images showed new camps near it.",
         "en", ["sentence", "sentence", "sentence"]),
    ],
)
def test_language_paragraph_judged_by_sentence_when_mixed(body, expected, units):
    profile = language.profile_language(body)
    assert profile.language == expected
    assert [p.unit for p in profile.paragraphs] == units
    assert all(p.language == "ru" and p.unit == "sentence" for p in profile.foreign)


def test_language_mixed_paragraph_is_no_refusal_in_the_cli(tmp_path):
    from tests.test_cli import run_cli

    path = tmp_path / "mixed.txt"
    path.write_text(MIXED_PARAGRAPH.text, encoding="utf-8")
    r = run_cli(["analyze", path, "--format", "json"], timeout=300)
    assert r.returncode == 0, r.stderr
    import json

    data = json.loads(r.stdout)
    assert data["article"]["language"] == "en"
    # the English cue before the Russian quotation is still read: the spokeswoman said it
    assert any(a["content"]["text"].startswith('"Это') and "spokeswoman" in a["source"]["text"]
               for a in data["attributions"])
