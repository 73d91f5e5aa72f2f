"""The newsaudit web service and web page.

``create_app(ServiceSettings(...))`` builds the FastAPI application;
``newsaudit serve`` (:mod:`newsaudit.cli.serve`) runs it with uvicorn (:func:`newsaudit.service.server.serve`).
Nothing here is imported by ``import newsaudit``.
"""

from __future__ import annotations

__all__ = ["ServiceSettings", "create_app"]


def __getattr__(name: str) -> object:  # lazy: importing the package does not import FastAPI
    if name in __all__:
        from . import app

        return getattr(app, name)
    raise AttributeError(name)
