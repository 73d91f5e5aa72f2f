"""HTML pages and URLs (newsaudit.load.load_html / fetch_url)."""

from __future__ import annotations

import http.server
import json
import socket
import threading

import pytest

from newsaudit.errors import BinaryInputError, EmptyInputError, InputError, NoArticleError
from newsaudit.load import fetch_url, iter_inputs, load_file, load_html, looks_like_html

PAGE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Council approves Millbrook bridge | Millbrook Gazette</title>
<meta property="og:title" content="Council approves Millbrook bridge">
<meta property="og:site_name" content="Millbrook Gazette">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<link rel="canonical" href="https://gazette.example/news/bridge">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Council approves Millbrook bridge</h1>
<p>The town council of Millbrook voted on Tuesday to approve a new bridge over the river, officials said.</p>
<p>“This is a great day for the town,” the mayor said in a statement after the vote.</p>
<p>Critics argued that the cost, estimated at 12 million pounds, was far too high for a town of this size.</p>
</article>
<footer>Copyright 2024 Millbrook Gazette. All rights reserved.</footer>
</body></html>
"""


def test_load_html_extracts_article():
    article = load_html(PAGE)
    assert article.headline == "Council approves Millbrook bridge"
    assert article.body.startswith("The town council of Millbrook voted")
    assert "\n\n“This is a great day for the town,” the mayor said" in article.body
    assert "Home" not in article.body
    assert "Copyright" not in article.body
    assert article.date == "2024-03-05"
    assert article.outlet == "Millbrook Gazette"
    assert article.url == "https://gazette.example/news/bridge"
    assert article.text[article.body_start:] == article.body


def test_load_html_bytes_and_url_argument():
    article = load_html(PAGE.encode("utf-8"), url="https://gazette.example/news/bridge", id="p1")
    assert article.id == "p1"
    assert article.url == "https://gazette.example/news/bridge"
    assert article.warnings == ()


def test_load_html_meta_charset():
    html = ('<html><head><meta charset="windows-1251"><title>Новости</title></head><body><article><p>'
            'Правительство объявило во вторник о новых мерах.</p></article></body></html>').encode("cp1251")
    article = load_html(html, id="ru")
    assert article.body == "Правительство объявило во вторник о новых мерах."
    assert article.warnings
    assert "windows-1251" in article.warnings[0]


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<html><body></body></html>", NoArticleError),
        ("<html><head><title>Only a title</title></head><body><nav></nav></body></html>", NoArticleError),
        ("", EmptyInputError),
        (b"   ", EmptyInputError),
        (b"%PDF-1.4 not html", BinaryInputError),
    ],
)
def test_load_html_no_article(html, expected):
    with pytest.raises(expected):
        load_html(html, id="page.html")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<!DOCTYPE html><html><body><p>x</p></body></html>", True),
        ("  <html><p>x</p></html>", True),
        ("<?xml version='1.0'?>\n<html xmlns='http://www.w3.org/1999/xhtml'><body/></html>", True),
        ("<div><p>Fragment</p><p>More</p></div>", True),
        ("Headline about <html> tags\n\nBody.", False),
        ("Plain text article.\n\nBody.", False),
    ],
)
def test_load_looks_like_html(text, expected):
    assert looks_like_html(text) is expected


@pytest.mark.parametrize("suffix", [".html", ".htm", ".dat"])
def test_load_html_file(tmp_path, suffix):
    path = tmp_path / f"page{suffix}"
    path.write_text(PAGE, encoding="utf-8")
    article = load_file(path)
    assert article.headline == "Council approves Millbrook bridge"
    assert article.id == path.name


class _Handler(http.server.BaseHTTPRequestHandler):
    routes = {
        "/story": (200, "text/html; charset=utf-8", PAGE.encode("utf-8")),
        "/plain": (200, "text/plain; charset=utf-8", b"Plain head\n\nPlain body."),
        "/image": (200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20),
        "/empty": (200, "text/html", b"<html><body></body></html>"),
        "/big": (200, "text/html", b"<html><body><p>" + b"x" * 5000 + b"</p></body></html>"),
    }

    def do_GET(self):
        status, ctype, body = self.routes.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # keep test output quiet
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_load_fetch_url_html(server):
    article = fetch_url(server + "/story", timeout=5)
    assert article.headline == "Council approves Millbrook bridge"
    assert article.outlet == "Millbrook Gazette"
    assert article.id == server + "/story"


def test_load_fetch_url_plain_text(server):
    article = fetch_url(server + "/plain", timeout=5)
    assert (article.headline, article.body) == ("Plain head", "Plain body.")
    assert article.outlet == "127.0.0.1"


@pytest.mark.parametrize(
    ("path", "expected", "message"),
    [
        ("/missing", InputError, "HTTP 404"),
        ("/image", BinaryInputError, "image/png"),
        ("/empty", NoArticleError, "no article text"),
    ],
)
def test_load_fetch_url_errors(server, path, expected, message):
    with pytest.raises(expected, match=message) as info:
        fetch_url(server + path, timeout=5)
    assert "\n" not in str(info.value)


def test_load_fetch_url_size_cap(server):
    with pytest.raises(InputError, match="larger than"):
        fetch_url(server + "/big", timeout=5, max_bytes=1000)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:{closed_port}/story", "ftp://example.org/story.html", "file:///etc/hostname"],
)
def test_load_fetch_url_failure_names_the_url(url):
    # the closed port is picked when the test runs, so that parallel workers collect the same test ids
    url = url.format(closed_port=_closed_port())
    with pytest.raises(InputError) as info:
        fetch_url(url, timeout=2)
    assert url in str(info.value)


def test_load_iter_inputs_url(server):
    (article,) = list(iter_inputs(server + "/story", allow_url=True))
    assert article.headline == "Council approves Millbrook bridge"


# --------------------------------------------------------------------------- no-article pages, deep pages


NAV_AND_FORM = """<!DOCTYPE html><html><head><title>Example site</title></head><body>
<nav><a href="/">Home</a> <a href="/login">Login</a></nav>
<form action="/login" method="post"><label for="u">Username</label><input id="u" name="u" placeholder="Your email">
<label for="p">Password</label><input id="p" name="p" type="password"><button type="submit">Login</button></form>
</body></html>"""


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        (NAV_AND_FORM, "only navigation, links or form labels"),
        ("<html><body><nav><a href='/'>Home</a> <a href='/login'>Login</a></nav></body></html>", "only 2 word(s)"),
        ("<html><body><div><a href='/a'>Sport</a> <a href='/b'>Weather today</a> <a href='/c'>Contact us</a>"
         " <a href='/d'>Privacy policy</a></div><p><a href='/a'>Sport</a> <a href='/b'>Weather today</a></p></body></html>",
         "only navigation, links or form labels"),
        (
            "<html><head><title>Big news</title></head><body><article><p>Read more.</p></article></body></html>",
            "word(s) besides the headline",
        ),
    ],
)
def test_load_html_navigation_or_form_only_is_no_article(html, reason):
    with pytest.raises(NoArticleError, match="no article text found") as info:
        load_html(html, id="page.html")
    assert reason in str(info.value)


@pytest.mark.parametrize(
    ("html", "expected_body"),
    [
        # real short articles still load, with their own navigation and a search form around them
        ("<html><head><title>Fire at docks</title></head><body><nav><a href='/'>Home</a> <a href='/login'>Login</a></nav>"
         "<article><h1>Fire at docks</h1><p>A fire broke out at the docks on Monday, police said.</p></article>"
         "<form><input name='q' placeholder='Search'><button>Go</button></form></body></html>",
         "A fire broke out at the docks on Monday, police said."),
        ("<html><body><article><p>Council approves the bridge.</p></article></body></html>", "Council approves the bridge."),
        ("<html><body><p>The <a href='/council'>town council</a> voted to approve a new bridge.</p></body></html>",
         "The town council voted to approve a new bridge."),
    ],
)
def test_load_html_short_real_article_loads(html, expected_body):
    assert expected_body in load_html(html, id="short.html").body


@pytest.mark.parametrize("depth", [300, 1000, 2100, 10_000, 100_000])
def test_load_html_deeply_nested_page_is_extracted(depth):
    html = ("<!DOCTYPE html><html><head><title>Council approves bridge</title></head><body>"
            "<nav><a href='/'>Home</a></nav>" + "<div>" * depth
            + "<p>The town council voted on Tuesday to approve a new bridge over the river, officials said.</p>"
            + "<p>Critics said the cost was too high.</p>" + "</div>" * depth + "</body></html>")
    article = load_html(html, id="deep.html")
    assert article.headline == "Council approves bridge"
    assert article.body == ("The town council voted on Tuesday to approve a new bridge over the river, officials said."
                            "\n\nCritics said the cost was too high.")


@pytest.mark.parametrize(
    ("kwargs", "expected_warning"),
    [
        ({"html": PAGE.replace("a great day", "a great \ud800 day")}, "page.html: HTML: 1 lone surrogate(s)"),
        ({"html": PAGE, "url": "https://gazette.example/\udc00"}, "url: 1 lone surrogate(s)"),
    ],
)
def test_load_html_str_lone_surrogate_is_repaired(kwargs, expected_warning):
    article = load_html(id="page.html", **kwargs)
    json.dumps(article.to_dict(), ensure_ascii=False).encode("utf-8")
    assert [w for w in article.warnings if w.startswith(expected_warning)]


PAGE_WITH_CHARSET = ('<html><head><meta charset="{label}"><title>Minister resigns</title></head><body><article>'
                     "<p>The minister resigned on Monday, officials said, after a week of protests in the capital.</p>"
                     "<p>Her deputy will take over until an election, the government said.</p></article></body></html>")


@pytest.mark.parametrize("label", ["undefined", "punycode", "utf-7", "unicode_escape", "rot13", "x-user-defined"])
def test_load_html_meta_charset_that_is_no_text_encoding_is_a_warning(label):
    article = load_html(PAGE_WITH_CHARSET.format(label=label).encode(), id="p.html")
    assert article.body.startswith("The minister resigned on Monday")
    assert article.warnings == (f"p.html: charset '{label}' (declared by the page) is not a known text encoding; ignored",)


def test_load_html_utf7_is_never_honoured():
    """UTF-7 decoding drops the text after an encoded surrogate ('+2D3cAA-'); the bytes are read as UTF-8."""
    page = PAGE_WITH_CHARSET.format(label="utf-7").replace("officials said", "officials +2D3cAA- said").encode()
    assert "officials +2D3cAA- said, after a week" in load_html(page, id="p.html").body


def test_load_html_undefined_charset_is_no_internal_error_in_the_cli(tmp_path):
    from tests.test_cli import run_cli

    page = tmp_path / "page.html"
    page.write_bytes(PAGE_WITH_CHARSET.format(label="undefined").encode())
    r = run_cli(["load", page], timeout=120)
    assert r.returncode == 0, r.stderr
    assert "is not a known text encoding; ignored" in r.stdout
