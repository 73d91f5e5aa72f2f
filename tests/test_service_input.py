"""Request input: lone surrogates, declared charsets, any_language, and the fact-check query field."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from newsaudit.options import AnalyzeOptions
from newsaudit.service import work
from newsaudit.service.app import ServiceSettings, create_app
from newsaudit.types import Report


def client(**settings) -> TestClient:
    return TestClient(create_app(ServiceSettings(**{"isolation": "thread", **settings})))


@pytest.fixture
def calls(monkeypatch):
    seen: list[tuple] = []

    def run(article, options):
        seen.append((article, options))
        return Report(article=article)

    monkeypatch.setattr(work, "run_analysis", run)
    return seen


SURROGATES = [
    # (raw JSON body, the field named in the message)
    (b'{"headline": "\\ud800", "body": "The minister resigned."}', "headline"),
    (b'{"body": "The minister \\udfff resigned."}', "body"),
    (b'{"html": "<p>\\ud83d</p>"}', "html"),
    (b'{"body": "x", "date": "\\ud800"}', "date"),
    (b'{"body": "x", "url": "\\ud800"}', "url"),
    (b'{"body": "x", "outlet": "\\ud800"}', "outlet"),
    (b'{"body": "x", "id": "\\ud800"}', "id"),
    (b'{"body": "x", "\\ud800": "y"}', "field name"),
    (b'[{"body": "\\ud800"}]', "[0]"),
]


@pytest.mark.parametrize(("content", "field"), SURROGATES)
def test_service_lone_surrogate_is_422(calls, content, field):
    r = client().post("/v1/analyze", content=content, headers={"Content-Type": "application/json"})
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert "lone surrogate" in detail
    assert field in detail
    assert "\n" not in detail
    assert not calls


@pytest.mark.parametrize("content", [b'{"query": "\\ud800 attack"}', b'{"text": "\\udc00"}'])
def test_service_factcheck_lone_surrogate_is_422(content):
    r = client().post("/v1/factcheck/search", content=content, headers={"Content-Type": "application/json"})
    assert r.status_code == 422, r.text
    assert "lone surrogate" in r.json()["detail"]


def test_service_surrogate_pair_escape_is_text(calls):
    r = client().post("/v1/analyze", content=b'{"body": "Smile \\ud83d\\ude42 said the minister."}',
                      headers={"Content-Type": "application/json"})
    assert r.status_code == 200, r.text
    assert calls[0][0].body == "Smile \U0001F642 said the minister."


CHARSETS = [
    # (bytes, Content-Type, expected text in the body, a warning is expected)
    ("Café owner said the minister resigned.".encode("latin-1"), "text/plain; charset=latin-1", "Café owner", True),
    ("Café owner said the minister resigned.".encode("latin-1"), "text/plain; charset=ISO-8859-1", "Café owner", True),
    ("Café owner said.".encode(), "text/plain; charset=utf-8", "Café owner", False),
    ("Café owner said.".encode(), 'text/plain; charset="UTF-8"', "Café owner", False),
    ("Министр ушёл в отставку.".encode("cp1251"), "text/plain; charset=windows-1251", "Министр", True),
    ("“Quoted” words, officials said.".encode("cp1252"), "text/plain", "“Quoted”", True),  # no charset: the fallback
    (("<html><body><article><p>" + "Café owner said the minister resigned on Monday, aides said. " * 3
     + "</p></article></body></html>").encode("latin-1"), "text/html; charset=latin-1", "Café owner", True),
]


@pytest.mark.parametrize(("content", "ctype", "expected", "warned"), CHARSETS)
def test_service_declared_charset_is_honoured(calls, content, ctype, expected, warned):
    r = client().post("/v1/analyze", content=content, headers={"Content-Type": ctype})
    assert r.status_code == 200, r.text
    article = calls[0][0]
    assert expected in article.text
    assert bool(article.warnings) is warned
    if warned:
        assert "not UTF-8" in article.warnings[0]


def test_service_binary_with_charset_is_still_415(calls):
    r = client().post("/v1/analyze", content=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
                      headers={"Content-Type": "text/plain; charset=latin-1"})
    assert r.status_code == 415
    assert "binary upload" in r.json()["detail"]


def test_service_uploaded_file_charset(calls):
    data = "Café owner said the minister resigned.".encode("latin-1")
    r = client().post("/v1/analyze", files={"file": ("story.txt", data, "text/plain; charset=latin-1")})
    assert r.status_code == 200, r.text
    assert "Café owner" in calls[0][0].body


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"json": {"body": "The minister resigned."}}, False),
        ({"json": {"body": "The minister resigned.", "any_language": True}}, True),
        ({"content": b"Der Minister ist zurueckgetreten.", "headers": {"Content-Type": "text/plain"},
          "params": {"any_language": "true"}}, True),
        ({"data": {"body": "Der Minister.", "any_language": "true"}}, True),
    ],
)
def test_service_any_language_reaches_the_analysis(calls, kwargs, expected):
    r = client().post("/v1/analyze", **kwargs)
    assert r.status_code == 200, r.text
    assert calls[0][1].any_language is expected


def test_service_any_language_server_default(calls):
    r = client(analyze=AnalyzeOptions(any_language=True)).post("/v1/analyze", json={"body": "Der Minister."})
    assert r.status_code == 200
    assert calls[0][1].any_language is True


def test_service_non_english_message_names_the_request_field(monkeypatch):
    from newsaudit.pipeline import check_language

    def language_only(article, options):  # the real language check, no parse
        return Report(article=check_language(article, options))

    monkeypatch.setattr(work, "run_analysis", language_only)
    german = ("Der Minister ist am Montag zurückgetreten, sagten Beamte. Die Regierung hat noch keinen Nachfolger "
              "benannt, und die Opposition fordert Neuwahlen.")
    c = client()
    r = c.post("/v1/analyze", json={"body": german})
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert '"any_language": true' in detail
    assert "--any-language" not in detail
    assert c.post("/v1/analyze", json={"body": german, "any_language": True}).status_code == 200


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (("the article looks like 'de', not English; newsaudit's models are English-only "
          "(pass --any-language to analyse anyway)"),
         ("the article looks like 'de', not English; newsaudit's models are English-only; "
          'send "any_language": true in the request to analyse it anyway')),
        ("most paragraphs are not English.",
         'most paragraphs are not English; send "any_language": true in the request to analyse it anyway'),
    ],
)
def test_service_language_message(message, expected):
    assert work.language_message(message) == expected


@pytest.mark.parametrize(
    ("payload", "status", "message"),
    [
        ({"query": "chemical attack staged"}, 503, "--db"),  # valid: no store here
        ({"text": "chemical attack staged"}, 503, "--db"),  # `text` is accepted instead of `query`
        ({"text": "a", "query": "b"}, 422, "exactly one of 'query' and 'text'"),
        ({"top": 3}, 422, "exactly one of 'query' and 'text'"),
        ({"text": ""}, 422, "text"),
    ],
)
def test_service_factcheck_query_or_text(payload, status, message):
    r = client().post("/v1/factcheck/search", json=payload)
    assert r.status_code == status, r.text
    assert message in r.json()["detail"]


def test_service_docs_document_query():
    from pathlib import Path

    page = (Path(__file__).resolve().parents[1] / "docs" / "service.md").read_text(encoding="utf-8")
    row = next(line for line in page.splitlines() if line.startswith("| `POST /v1/factcheck/search`"))
    assert "{query, top?}" in row
