"""What the loaders make of an input, one JSON-ready record per item (``newsaudit load``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import FailedRow
from .folders import iter_inputs
from .records import FieldMap


@dataclass(frozen=True)
class LoadOptions:
    """Options of :func:`describe_inputs` (and the ``load`` CLI command)."""

    spec: str
    fields: FieldMap = field(default_factory=FieldMap)
    allow_url: bool = True
    detect_language: bool = True
    #: Show at most this many items (0: all).
    limit: int = 0


def describe_inputs(options: LoadOptions) -> Iterator[dict[str, Any]]:
    """One JSON-ready dict per input item: the article's fields (with body
    length instead of body) and detected language, or the row's
    :class:`~newsaudit.errors.FailedRow` record (``error`` and ``error_type``)."""
    from ..text.language import profile_language

    for n, item in enumerate(iter_inputs(options.spec, options.fields, allow_url=options.allow_url), start=1):
        if options.limit and n > options.limit:
            return
        if isinstance(item, FailedRow):
            yield item.to_dict()
            continue
        data = item.to_dict()
        body = data.pop("body")
        data.pop("text", None)
        data["body_chars"] = len(body)
        if options.detect_language and item.language is None:
            profile = profile_language(item.text)
            data["language"] = profile.language
            data["language_confidence"] = round(profile.confidence, 3)
            data["warnings"] = data["warnings"] + list(profile.warnings)
        yield data
