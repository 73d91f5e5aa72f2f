"""The service's OpenAPI additions: request bodies the routes read themselves,
the real response schemas (the report's own JSON Schema for 200), and the
error responses, so that a schema-driven fuzzer can check conformance; and
ReDoc served fully offline."""

from __future__ import annotations

from typing import Any

from ..load.files import HTML_TYPES

ERROR_DESCRIPTIONS = {
    400: "Bad request framing (an invalid Content-Length header)",
    401: "Missing or wrong bearer token (when the server has one)",
    403: "The URL may not be fetched (no allow-list, host not on it, or a non-public address)",
    408: "The request body did not arrive within the server's body time limit (the connection is closed)",
    413: "Request body too large",
    415: "Binary or unsupported upload",
    422: "Malformed JSON, invalid fields, empty or unusable input, text not in English",
    502: "Fetching the URL failed",
    503: "Server busy (retry after Retry-After): too many requests, or no warm worker free within the queue time "
         "limit; a worker stopped; or no model / fact-check store",
    504: "The analysis ran past the time limit (counted from its start on a warm worker) and was stopped",
}

_FORM_FIELDS = ("headline", "body", "html", "date", "url", "outlet", "id")

ANALYZE_OPENAPI: dict[str, Any] = {
    "parameters": [
        {"name": "url", "in": "query", "required": False,
         "description": "The page's URL, for an HTML body (never fetched: that is the JSON 'url' field)",
         "schema": {"type": "string"}},
        {"name": "any_language", "in": "query", "required": False,
         "description": "Analyse a text or HTML body even if it is not detected as English",
         "schema": {"type": "boolean", "default": False}},
    ],
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/AnalyzeRequest"}},
            **{t: {"schema": {"type": "string", "description": "A whole HTML page"}} for t in HTML_TYPES},
            "text/plain": {"schema": {"type": "string", "description": "Article text (first line: headline)"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": "An HTML or text file"},
                        **{name: {"type": "string"} for name in _FORM_FIELDS},
                        "any_language": {"type": "boolean"},
                    },
                }
            },
        },
    },
}

FACTCHECK_OPENAPI: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FactCheckRequest"}}},
    }
}


def error_responses(error_model: Any, *codes: int, report: bool = False) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` of a route: each error code as ``{"detail": str}``, and the report for 200."""
    out: dict[int | str, dict[str, Any]] = {code: {"model": error_model, "description": ERROR_DESCRIPTIONS[code]}
                                            for code in codes}
    if report:
        out[200] = {
            "description": "The JSON report of `newsaudit analyze` (docs/report.md)",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Report"}}},
        }
    return out


def _rewrite_refs(node: Any, prefix: str) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/"):
                out[key] = "#/components/schemas/" + prefix + value[len("#/$defs/"):]
            else:
                out[key] = _rewrite_refs(value, prefix)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(item, prefix) for item in node]
    return node


def report_components() -> dict[str, Any]:
    """``Report`` and its definitions (``Report_span``, ...) from newsaudit/data/report.schema.json."""
    from ..render.json import load_schema

    schema = load_schema()
    defs = schema.pop("$defs", {})
    for key in ("$schema", "$id"):
        schema.pop(key, None)
    out = {"Report": _rewrite_refs(schema, "Report_")}
    out.update({"Report_" + name: _rewrite_refs(value, "Report_") for name, value in defs.items()})
    return out


def add_report_schema(app: Any, models: tuple[Any, ...] = ()) -> None:
    """Make ``app.openapi()`` include the report schema and the request models the routes read by hand."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(report_components())
        for model in models:
            model_schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
            for name, value in model_schema.pop("$defs", {}).items():
                components.setdefault(name, value)
            components[model.__name__] = model_schema
        return schema

    app.openapi = openapi


#: The one address the bundled ReDoc script fetches from outside (its "powered by" logo).
REDOC_CDN_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
#: Where the offline ReDoc page and its script are served.
REDOC_PATH = "/redoc"
REDOC_SCRIPT_PATH = "/redoc-assets/redoc.offline.js"
#: What the logo becomes: the server's own favicon (fastapi-offline serves it).
REDOC_LOCAL_LOGO = "/static-offline-docs/favicon.png"


def offline_redoc_script() -> str:
    """fastapi-offline's bundled ReDoc script with its one outside address replaced by a local one."""
    from pathlib import Path

    import fastapi_offline

    script = (Path(fastapi_offline.__file__).parent / "static" / "redoc.standalone.js").read_text(encoding="utf-8")
    return script.replace(REDOC_CDN_LOGO, REDOC_LOCAL_LOGO)


def offline_redoc(app: Any) -> None:
    """Serve ReDoc at :data:`REDOC_PATH` with a script that fetches nothing from outside this server
    (the page's Content-Security-Policy also allows images from this server only)."""
    from functools import lru_cache

    from fastapi.openapi.docs import get_redoc_html
    from fastapi.responses import HTMLResponse, Response

    script = lru_cache(maxsize=1)(offline_redoc_script)

    @app.get(REDOC_PATH, include_in_schema=False)
    async def redoc_html() -> HTMLResponse:
        return get_redoc_html(openapi_url=app.openapi_url, title=app.title + " - ReDoc", redoc_js_url=REDOC_SCRIPT_PATH,
                              with_google_fonts=False, redoc_favicon_url=REDOC_LOCAL_LOGO)

    @app.get(REDOC_SCRIPT_PATH, include_in_schema=False)
    async def redoc_script() -> Response:
        return Response(script(), media_type="application/javascript")
