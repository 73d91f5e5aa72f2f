"""The HTML report in a real headless Chromium: offline, no errors, behaviour works."""

from __future__ import annotations

import shutil

import pytest

from newsaudit.render import to_html
from newsaudit.render.sample import sample_report

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if CHROMIUM is None:
        pytest.skip("no chromium executable on PATH")
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(to_html(sample_report()), encoding="utf-8")
    with sync_api.sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        except Exception as exc:
            pytest.skip(f"chromium does not start: {exc.__class__.__name__}")
        pg = browser.new_page()
        pg.requests = []  # type: ignore[attr-defined]
        pg.errors = []  # type: ignore[attr-defined]
        pg.on("request", lambda r: pg.requests.append(r.url))  # type: ignore[attr-defined]
        pg.on("pageerror", lambda e: pg.errors.append(str(e)))  # type: ignore[attr-defined]
        pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)  # type: ignore[attr-defined]
        pg.goto(path.as_uri())
        yield pg
        browser.close()


def test_render_browser_offline_without_errors(page):
    assert page.requests == [page.url]
    assert page.errors == []


def test_render_browser_verdict_and_highlights(page):
    assert page.locator("#headline-check .na-verdict").inner_text().upper() == "HEADLINE DROPS ATTRIBUTION"
    assert page.locator(".na-article-text .na-content").count() >= 4
    text = page.locator(".na-article-text").inner_text()
    assert text.replace("\r", "") == sample_report().article.text


def test_render_browser_legend_toggles_layer(page):
    box = page.locator("#legend [data-toggle=technique]")
    box.uncheck()
    assert "na-off-technique" in page.locator(".na-article-text").get_attribute("class")
    box.check()
    assert "na-off-technique" not in page.locator(".na-article-text").get_attribute("class")


def test_render_browser_nested_quote_links_to_its_source(page):
    page.locator("span.na-content[data-attribution=a2]").first.click()
    assert page.evaluate("location.hash") == "#source-s3"
