"""An HTML page to an Article: trafilatura's extraction, a streaming text walk for
pages nested past lxml's depth limit (at any depth), and the rules that tell a
page with no article (navigation, links and form labels only).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlparse

from ..errors import (
    EmptyInputError,
    NoArticleError,
)
from ..types import Article
from .decode import decode_bytes, normalise_newlines, repaired
from .text import MAX_HEADLINE_CHARS

_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


_LETTERS_RE = re.compile(r"[^\W\d_]+")


#: An HTML page whose extracted body has fewer words than this is not an article.
MIN_HTML_WORDS = 4


#: An extracted body shorter than this (in words) is checked against the
#: page's navigation, links and form labels (longer ones are not: it costs a parse).
BOILERPLATE_CHECK_WORDS = 200


#: lxml's default HTML parser stops at this element depth (libxml2's limit).
LXML_MAX_DEPTH = 255


#: Elements whose words are navigation or form boilerplate, not article text.
BOILERPLATE_TAGS = ("a", "nav", "menu", "footer", "button", "label", "legend", "option", "select", "input", "textarea")


#: Containers the fallback text walk skips.
_WALK_SKIP = frozenset({"head", "script", "style", "noscript", "template", "nav", "menu", "header", "footer",
                        "aside", "form", "button", "select", "textarea", "iframe", "svg"})


#: Blocks the fallback text walk takes as paragraphs.
_WALK_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt", "figcaption"})


def meta_charset(data: bytes) -> str | None:
    """The charset label a page declares in its first 4 KB (``<meta charset>``), as written;
    :func:`~newsaudit.load.decode.decode_bytes` decides whether it is honoured."""
    m = _META_CHARSET_RE.search(data[:4096])
    return m.group(1).decode("ascii", "replace").lower() if m else None


def _meta(doc: Any, key: str) -> Any:
    if isinstance(doc, Mapping):
        return doc.get(key)
    return getattr(doc, key, None)


def load_html(html: str | bytes, *, url: str | None = None, id: str | None = None) -> Article:
    """An article from an HTML page, extracted with trafilatura.

    Headline, body (paragraphs separated by blank lines), date, outlet (site
    name, else the URL's host) and URL come from the page.  Lone surrogates in
    a ``str`` page are replaced (:func:`repair_text`) with a warning.

    When trafilatura finds little (fewer than :data:`BOILERPLATE_CHECK_WORDS`
    words) in a page nested deeper than lxml's default parser goes
    (:data:`LXML_MAX_DEPTH` elements), its paragraphs are taken by a streaming
    text walk (:func:`stream_text`: Python's own HTML tokenizer, which keeps no
    tree, so no depth is too deep) that skips navigation, headers, footers,
    asides and forms.

    Raises :class:`NoArticleError` when no article text is found: nothing
    extracted, fewer than :data:`MIN_HTML_WORDS` words in the body, or a body
    made only of the page's link texts, navigation and form labels (a login
    page); and the errors of :func:`decode_bytes` for bytes that are empty or
    binary.
    """
    warnings: list[str] = []
    if id is not None:
        id = repaired(id, "id", warnings)
    if url is not None:
        url = repaired(url, "url", warnings)
    name = url or id or "HTML input"
    if isinstance(html, bytes):
        html, decoded = decode_bytes(html, name, encoding=meta_charset(html))
        warnings.extend(decoded)
    else:
        html = normalise_newlines(repaired(html, f"{name}: HTML", warnings))
        if not html or html.isspace():
            raise EmptyInputError(f"{name}: empty input (no text)")
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False
        )
    except Exception as exc:  # trafilatura/lxml raise many kinds on broken markup
        raise NoArticleError(f"{name}: HTML could not be parsed ({type(exc).__name__}: {exc})") from None
    raw = (_meta(doc, "text") or "") if doc is not None else ""
    paragraphs = [line.strip() for line in normalise_newlines(raw).split("\n") if line.strip()]
    headline = " ".join((_meta(doc, "title") or "").split()) if doc is not None else ""
    if paragraphs and headline and paragraphs[0] == headline:
        paragraphs = paragraphs[1:]
    words = [w.lower() for p in paragraphs for w in _LETTERS_RE.findall(p)]
    if len(words) < BOILERPLATE_CHECK_WORDS:
        tree = _parse_tree(html)
        if tree is not None and _deeper_than(tree, LXML_MAX_DEPTH):
            walked, title = stream_text(html)
            if walked:
                headline = headline or title
                if headline and walked[0] == headline:
                    walked = walked[1:]
                paragraphs = walked
                words = [w.lower() for p in paragraphs for w in _LETTERS_RE.findall(p)]
        if not paragraphs:
            raise NoArticleError(f"{name}: no article text found in the HTML")
        if len(words) < MIN_HTML_WORDS:
            raise NoArticleError(
                f"{name}: no article text found in the HTML (only {len(words)} word(s) besides the headline: "
                f"{_preview(' '.join(paragraphs))})"
            )
        if tree is not None and set(words) <= _boilerplate_words(tree):
            raise NoArticleError(
                f"{name}: no article text found in the HTML (only navigation, links or form labels: "
                f"{_preview(' '.join(paragraphs))})"
            )
    if len(headline) > MAX_HEADLINE_CHARS:
        headline = ""
    page_url = _meta(doc, "url") or url
    outlet = _meta(doc, "sitename") or _meta(doc, "hostname") or (urlparse(page_url).hostname if page_url else None)
    return Article(
        body="\n\n".join(paragraphs),
        headline=headline,
        id=id,
        date=_meta(doc, "date") or None,
        url=page_url or None,
        outlet=outlet or None,
        warnings=tuple(warnings),
    )


def _preview(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def _parse_tree(html: str) -> Any:
    """The page as an lxml tree, parsed with ``huge_tree`` (no depth limit), or None."""
    from lxml import etree
    from lxml.html import HTMLParser, fromstring

    parser = HTMLParser(huge_tree=True, collect_ids=False, remove_comments=True, remove_pis=True, encoding="utf-8")
    try:
        return fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError):  # an empty document
        return None


def _deeper_than(tree: Any, limit: int) -> bool:
    from lxml import etree

    depth = 0
    for event, _el in etree.iterwalk(tree, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth > limit:
            return True
    return False


class _TextWalker(HTMLParser):
    """The streaming walk of :func:`stream_text`: counters of open skipped containers and blocks, no tree."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.title: list[str] = []
        self.parts: list[str] = []
        self.skip = self.block = 0
        self.in_title = False

    def flush(self) -> None:
        text = " ".join("".join(self.parts).split())
        if text:
            self.out.append(text)
        self.parts = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in _WALK_SKIP:
            self.skip += 1
        elif tag == "title":
            self.in_title = True
        elif tag in _WALK_BLOCKS:
            if tag == "p" and self.block:  # a <p> never nests: an unclosed one ends here
                self.flush()
                self.block = 0
            self.block += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _WALK_SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "title":
            self.in_title = False
        elif tag in _WALK_BLOCKS and self.block:
            self.block -= 1
            if not self.block:
                self.flush()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif self.block and not self.skip:
            self.parts.append(data)


def stream_text(html: str) -> tuple[list[str], str]:
    """(paragraphs, title) of a page by a streaming walk: the text of each outermost block (p,
    h1-h6, li, blockquote, ...) outside navigation, headers, footers, asides and forms.

    It reads tags as a stream (Python's ``html.parser``) and keeps only counters, so a page
    nested a hundred thousand levels deep reads as easily as a flat one."""
    walker = _TextWalker()
    walker.feed(html)
    walker.close()
    walker.flush()
    return walker.out, " ".join("".join(walker.title).split())


def _boilerplate_words(tree: Any) -> set[str]:
    """Lower-cased words of the page's links, navigation, footers and form
    controls (labels, buttons, options, input values and placeholders)."""
    words: set[str] = set()
    for el in tree.iter(*BOILERPLATE_TAGS):
        text = el.text_content() if el.tag not in ("input", "textarea") else ""
        text += " " + (el.get("value") or "") + " " + (el.get("placeholder") or "")
        words.update(w.lower() for w in _LETTERS_RE.findall(text))
    return words
