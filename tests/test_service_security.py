"""Hardening headers, the page's Content-Security-Policy, offline docs, and what /v1/health tells whom."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from newsaudit.service import work
from newsaudit.service.app import ServiceSettings, create_app
from newsaudit.types import Report

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def client(**settings) -> TestClient:
    return TestClient(create_app(ServiceSettings(**{"isolation": "thread", **settings})), raise_server_exceptions=False)


@pytest.fixture
def canned(monkeypatch):
    monkeypatch.setattr(work, "run_analysis", lambda article, options: Report(article=article))


REQUESTS = [
    # (method, path, kwargs, settings, expected status)
    ("GET", "/", {}, {}, 200),
    ("GET", "/static/app.js", {}, {}, 200),
    ("GET", "/static/style.css", {}, {}, 200),
    ("GET", "/static/missing.js", {}, {}, 404),
    ("GET", "/docs", {}, {}, 200),
    ("GET", "/redoc", {}, {}, 200),
    ("GET", "/openapi.json", {}, {}, 200),
    ("GET", "/static-offline-docs/swagger-ui-bundle.js", {}, {}, 200),
    ("GET", "/v1/health", {}, {}, 200),
    ("GET", "/no/such/page", {}, {}, 404),
    ("DELETE", "/v1/analyze", {}, {}, 405),
    ("POST", "/v1/analyze", {"json": {"body": "The minister resigned."}}, {}, 200),
    ("POST", "/v1/analyze", {"content": b"{nope", "headers": {"Content-Type": "application/json"}}, {}, 422),
    ("POST", "/v1/analyze", {"content": b"%PDF-1.4", "headers": {"Content-Type": "application/pdf"}}, {}, 415),
    ("POST", "/v1/analyze", {"json": {"body": "x"}}, {"token": TOKEN}, 401),
    ("POST", "/v1/analyze", {"json": {"body": "y" * 500}}, {"max_body_bytes": 100}, 413),  # the body-limit middleware
    ("POST", "/v1/analyze", {"content": b"x", "headers": {"Content-Length": "many"}}, {}, 400),
    ("POST", "/v1/factcheck/search", {"json": {"query": "x"}}, {}, 503),
]


@pytest.mark.parametrize(("method", "path", "kwargs", "settings", "status"), REQUESTS)
def test_service_nosniff_on_every_response(canned, method, path, kwargs, settings, status):
    r = client(**settings).request(method, path, **kwargs)
    assert r.status_code == status, r.text
    assert r.headers["x-content-type-options"] == "nosniff"


def test_service_nosniff_on_internal_error(monkeypatch):
    def broken(article, options):
        raise RuntimeError("bug")

    monkeypatch.setattr(work, "run_analysis", broken)
    r = client().post("/v1/analyze", json={"body": "The minister resigned."})
    assert r.status_code == 500
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.json()["detail"] == "internal error: RuntimeError: bug"


def test_service_nosniff_on_an_error_outside_the_workers(monkeypatch):
    from newsaudit.service import app as service

    async def broken(request, settings):
        raise RuntimeError("bug")

    monkeypatch.setattr(service, "job_from_request", broken)
    r = client().post("/v1/analyze", json={"body": "The minister resigned."})
    assert r.status_code == 500
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.json() == {"detail": "internal server error"}


def _csp(header: str) -> dict[str, str]:
    return {part.split()[0]: " ".join(part.split()[1:]) for part in header.split(";") if part.strip()}


def test_service_page_csp_allows_only_self_and_no_framing():
    r = client().get("/")
    csp = _csp(r.headers["content-security-policy"])
    assert csp["frame-ancestors"] == "'none'"
    assert csp["script-src"] == "'self'"
    assert csp["default-src"] == "'none'"
    assert "unsafe-inline" not in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"
    # The page itself holds no inline script or style that the policy would block.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", r.text)
    assert not re.search(r"\son[a-z]+=|<style|\sstyle=", r.text)
    for ref in re.findall(r'(?:src|href)="([^"]+)"', r.text):
        assert ref == "#" or (ref.startswith("/") and not ref.startswith("//")), ref


def test_service_docs_work_offline():
    c = client()
    for path in ("/docs", "/redoc"):
        page = c.get(path)
        assert page.status_code == 200
        assert not re.search(r"(?:src|href)=[\"']?(?:https?:)?//", page.text), f"{path} loads from another host"
        assets = re.findall(r'(?:src|href)="(/[^"]+)"', page.text)
        assert assets
        for asset in assets:
            r = c.get(asset)
            assert r.status_code == 200, asset
            assert len(r.content) > 100, asset
        assert _csp(page.headers["content-security-policy"])["frame-ancestors"] == "'none'"
    assert "swagger-ui-bundle.js" in c.get("/docs").text


def test_service_health_without_token_configured_shows_load_not_config():
    body = client(allow_hosts=("example.org",)).get("/v1/health").json()
    assert body["status"] == "ok"
    assert {"in_progress", "capacity", "workers"} <= set(body)
    assert not {"fetch_allowed_hosts", "auth", "factcheck"} & set(body)
    assert "example.org" not in str(body)


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}])
def test_service_health_without_valid_token_is_liveness_only(headers):
    r = client(token=TOKEN, allow_hosts=("example.org",)).get("/v1/health", headers=headers)
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}


def test_service_health_with_token_shows_details():
    body = client(token=TOKEN, allow_hosts=("example.org",)).get("/v1/health", headers=AUTH).json()
    assert body["status"] == "ok"
    assert body["auth"] is True
    assert body["fetch_allowed_hosts"] == ["example.org"]
    assert {"in_progress", "capacity", "workers", "factcheck", "version"} <= set(body)
