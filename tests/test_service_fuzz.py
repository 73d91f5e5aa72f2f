"""Fuzz the API from its own OpenAPI schema (schemathesis, in process): no 5xx, and every
response matches the schema the API declares (the report's JSON Schema for 200, ``{"detail": str}``
for every error status).

The analysis is a fast stand-in (the service is the point, not the model), named by import
path as a worker would find it; one small real run checks the real report against the schema too.
"""

from __future__ import annotations

import pytest

from newsaudit.options import AnalyzeOptions
from newsaudit.types import Report, Signal, Span

schemathesis = pytest.importorskip("schemathesis")

# E402: these imports need schemathesis (and hypothesis, which it brings), and the service app needs
# fastapi, so they follow the importorskip above: without them the module is skipped, not an error
from hypothesis import HealthCheck, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from newsaudit.service.app import ServiceSettings, create_app  # noqa: E402

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
MAX_EXAMPLES = 50


def stub_analysis(article, options):
    """A fast stand-in: a report with one signal over the first word, offsets into ``article.text``."""
    text = article.text
    end = min(len(text), article.body_start + max(1, len(article.body.split(" ")[0])))
    signals = (Signal(kind="hedge", span=Span.of(text, article.body_start, end), reason="stub"),) if end > article.body_start else ()
    return Report(article=article, signals=signals)


def _factcheck_store() -> str | None:
    """A two-review fact-check store with the hashing embedder (no model), so search runs for real."""
    import atexit
    import shutil
    import tempfile
    from pathlib import Path

    try:
        from newsaudit.factcheck.embed import HashingEmbedder
        from newsaudit.factcheck.store import FactCheckStore

        folder = Path(tempfile.mkdtemp(prefix="newsaudit-fuzz-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        data = folder / "reviews.csv"
        data.write_text("id,claim,verdict\nr1,The White Helmets staged the chemical attack in Douma,False\n"
                        "r2,Vaccines cause autism,False\n", encoding="utf-8")
        with FactCheckStore(folder / "fc.db", create=True, embedder=HashingEmbedder()) as store:
            store.import_file(data)
        return str(folder / "fc.db")
    except Exception:
        return None


FACTCHECK_DB = _factcheck_store()


def _app(**extra):
    return create_app(ServiceSettings(isolation="thread", timeout_s=20, analysis_function=f"{__name__}:stub_analysis",
                                      analyze=AnalyzeOptions(factcheck_db=FACTCHECK_DB), **extra))


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())
if FACTCHECK_DB is None:
    schema = schema.exclude(path="/v1/factcheck/search")
token_schema = schemathesis.openapi.from_asgi("/openapi.json", _app(token="fuzz-token"))


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_service_fuzz_openapi(case):
    case.call_and_validate(checks=CHECKS)


@token_schema.parametrize()
@settings(max_examples=10, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_service_fuzz_openapi_without_token(case):
    response = case.call_and_validate(checks=CHECKS)
    if case.path != "/v1/health" and case.method.upper() == "POST":  # (the coverage phase also tries other methods)
        assert response.status_code in (401, 413), (case.method, response.status_code)


real_schema = schemathesis.openapi.from_asgi(
    "/openapi.json", create_app(ServiceSettings(isolation="thread", timeout_s=60))
).include(path="/v1/analyze")


@pytest.mark.slow
@real_schema.parametrize()
@settings(max_examples=6, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_service_fuzz_openapi_real_pipeline(case):
    case.call_and_validate(checks=CHECKS)


# ---------------------------------------------------------------- charset labels: a whole class of input

#: Labels a client may put in ``charset=``: the honoured WHATWG ones, Python codec names that are no
#: text encoding (or that lose text), and anything else a header can hold.
_NAMED_LABELS = st.sampled_from([
    "utf-8", "UTF-8", "latin1", "windows-1252", "koi8-r", "shift_jis", "utf-16le", "iso-2022-jp", "gbk",
    "undefined", "punycode", "utf-7", "rot13", "idna", "unicode_escape", "raw_unicode_escape", "uu_codec", "zlib",
    "base64", "hex", "bz2", "utf-32", "mbcs", "x-user-defined", "replacement", "", " ", "utf-8 ", "\tutf-8",
])
CHARSET_LABELS = st.one_of(_NAMED_LABELS, st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E,
                                                                    exclude_characters=';,"\\'), max_size=20))
analyze_schema = schema.include(path="/v1/analyze", method="POST")


@analyze_schema.parametrize()
@analyze_schema.given(label=CHARSET_LABELS)
@settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_service_fuzz_declared_charset_labels(case, label):
    """Whatever charset a request declares for whatever body, the answer is never a 5xx and matches the schema."""
    media = case.media_type or "application/json"
    if media in ("application/json", "text/plain", "text/html", "application/xhtml+xml"):
        case.headers = {**(case.headers or {}), "Content-Type": f"{media}; charset={label}"}
    case.call_and_validate(checks=CHECKS)
