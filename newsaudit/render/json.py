"""The JSON report: serialise, read back, validate.

The JSON form is :meth:`newsaudit.types.Report.to_dict`; its schema is
``newsaudit/data/report.schema.json`` (JSON Schema draft 2020-12) and its human
documentation ``docs/report.md``.  :func:`validate_report` checks a
decoded report against that same schema file with a small interpreter of the
keywords the schema uses (no jsonschema dependency), then checks that every
span's ``text`` equals ``article.text[start:end]``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from typing import Any, cast

from ..errors import RenderError
from ..types import (
    OLD_VERDICTS,
    SCHEMA_VERSION,
    Article,
    Attribution,
    Claim,
    FactCheckMatch,
    HeadlineCheck,
    HeadlineMatch,
    HeadlineStance,
    ModalityReading,
    RelayNode,
    Report,
    ReportSummary,
    Signal,
    Source,
    Span,
    Technique,
)

__all__ = ["load_schema", "report_from_dict", "to_json", "validate_report"]


def to_json(report: Report) -> str:
    """The report as pretty JSON (indent 2, UTF-8 characters kept as they are)."""
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False)


@lru_cache(maxsize=1)
def _schema_text() -> str:
    return resources.files("newsaudit").joinpath("data/report.schema.json").read_text(encoding="utf-8")


def load_schema() -> dict[str, Any]:
    """The report's JSON Schema (a fresh copy each call)."""
    return json.loads(_schema_text())


# -- a tiny JSON Schema interpreter (the keywords report.schema.json uses) ---------

_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def _resolve(root: dict[str, Any], ref: str) -> dict[str, Any]:
    if not ref.startswith("#/"):
        raise RenderError(f"unsupported $ref in report schema: {ref}")
    node: Any = root
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def _check(value: Any, schema: dict[str, Any], root: dict[str, Any], path: str, problems: list[str]) -> None:
    """Add to ``problems`` every way ``value`` fails ``schema`` (the subset of JSON Schema the report's uses)."""
    if "$ref" in schema:
        _check(value, _resolve(root, schema["$ref"]), root, path, problems)
    if "anyOf" in schema and not _any_of(value, schema["anyOf"], root, path, problems):
        return
    if "type" in schema:
        allowed = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_TYPES[t](value) for t in allowed):
            problems.append(f"{path}: expected {' or '.join(allowed)}, got {type(value).__name__}")
            return
    _check_value(value, schema, path, problems)
    if isinstance(value, dict):
        _check_object(value, schema, root, path, problems)
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        for i, item in enumerate(value):
            _check(item, schema["items"], root, f"{path}[{i}]", problems)


def _any_of(value: Any, options: list[dict[str, Any]], root: dict[str, Any], path: str, problems: list[str]) -> bool:
    """Whether ``value`` passes one of ``options``; if none, the problems of the most plausible option (the
    fewest, so the non-null branch) are added."""
    tried: list[list[str]] = []
    for option in options:
        trial: list[str] = []
        _check(value, option, root, path, trial)
        if not trial:
            return True
        tried.append(trial)
    fewest = min(tried, key=len)
    problems.extend(fewest)
    return False


def _check_value(value: Any, schema: dict[str, Any], path: str, problems: list[str]) -> None:
    """The checks of a single value: enum, minimum, pattern."""
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{path}: {value!r} is not one of {', '.join(map(str, schema['enum']))}")
    if "minimum" in schema and _TYPES["number"](value) and value < schema["minimum"]:
        problems.append(f"{path}: {value} is below the minimum {schema['minimum']}")
    if "pattern" in schema and isinstance(value, str):
        import re

        if not re.search(schema["pattern"], value):
            problems.append(f"{path}: {value!r} does not match {schema['pattern']}")


def _check_object(value: dict[str, Any], schema: dict[str, Any], root: dict[str, Any], path: str,
                  problems: list[str]) -> None:
    """An object's required keys, its properties and its additional properties."""
    for key in schema.get("required", ()):
        if key not in value:
            problems.append(f"{path}: missing key {key!r}")
    props = schema.get("properties", {})
    for key, sub in props.items():
        if key in value:
            _check(value[key], sub, root, f"{path}.{key}", problems)
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        for key, item in value.items():
            if key not in props:
                _check(item, extra, root, f"{path}.{key}", problems)


def _span_problems(data: dict[str, Any]) -> list[str]:
    """Offsets that do not point at their text in ``article.text``."""
    text = data.get("article", {}).get("text") if isinstance(data.get("article"), dict) else None
    if not isinstance(text, str):
        return []
    problems: list[str] = []
    for span, path in (*_item_spans(data), *_headline_spans(data.get("headline_check"))):
        if not isinstance(span, dict):
            continue
        start, end, got = span.get("start"), span.get("end"), span.get("text")
        if not (isinstance(start, int) and isinstance(end, int) and isinstance(got, str)):
            continue
        if not 0 <= start <= end <= len(text):
            problems.append(f"{path}: offsets {start}:{end} fall outside article.text (length {len(text)})")
        elif text[start:end] != got:
            problems.append(f"{path}: text {got[:40]!r} differs from article.text[{start}:{end}]")
    return problems


def _items(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    return [x for x in value if isinstance(x, dict)] if isinstance(value, list) else []


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _item_spans(data: dict[str, Any]) -> Iterator[tuple[Any, str]]:
    """(span, path) of every span of the attributions, sources, signals, claims and techniques."""
    for i, a in enumerate(_items(data, "attributions")):
        for part in ("content", "source", "cue", "resolved_source"):
            yield a.get(part), f"$.attributions[{i}].{part}"
        for j, piece in enumerate(_listed(a.get("content_pieces"))):
            yield piece, f"$.attributions[{i}].content_pieces[{j}]"
    for i, s in enumerate(_items(data, "sources")):
        for part in ("mentions", "non_answers"):
            for j, m in enumerate(_listed(s.get(part))):
                yield m, f"$.sources[{i}].{part}[{j}]"
    for i, s in enumerate(_items(data, "signals")):
        yield s.get("span"), f"$.signals[{i}].span"
    for i, c in enumerate(_items(data, "claims")):
        yield c.get("span"), f"$.claims[{i}].span"
    for i, t in enumerate(_items(data, "techniques")):
        yield t, f"$.techniques[{i}]"


def _headline_spans(hc: Any) -> Iterator[tuple[Any, str]]:
    if not isinstance(hc, dict):
        return
    yield hc.get("headline"), "$.headline_check.headline"
    yield hc.get("claim"), "$.headline_check.claim"
    for j, m in enumerate(_listed(hc.get("matches"))):
        if isinstance(m, dict):
            yield m.get("span"), f"$.headline_check.matches[{j}].span"
    stance = hc.get("stance")
    if isinstance(stance, dict):
        for j, p in enumerate(_listed(stance.get("passages"))):
            yield p, f"$.headline_check.stance.passages[{j}]"


def _reference_problems(data: dict[str, Any]) -> list[str]:
    """Ids that point at nothing (attribution -> source, claim -> attribution)."""
    def ids(key: str) -> set[object]:
        value = data.get(key)
        return {x.get("id") for x in value if isinstance(x, dict)} if isinstance(value, list) else set()

    source_ids, attribution_ids = ids("sources"), ids("attributions")
    problems: list[str] = []
    for key, fields_ in (("attributions", ("source_id", "relayed_by")), ("claims", ("source_id",)),
                         ("sources", ("speaks_for", "cited_by"))):
        value = data.get(key)
        for i, item in enumerate(value if isinstance(value, list) else []):
            if not isinstance(item, dict):
                continue
            for name in fields_:
                ref = item.get(name)
                if isinstance(ref, str) and ref not in source_ids:
                    problems.append(f"$.{key}[{i}].{name}: unknown source id {ref!r}")
    claims = data.get("claims")
    for i, c in enumerate(claims if isinstance(claims, list) else []):
        ref = c.get("attribution_id") if isinstance(c, dict) else None
        if isinstance(ref, str) and ref not in attribution_ids:
            problems.append(f"$.claims[{i}].attribution_id: unknown attribution id {ref!r}")
    return problems


def _structure_problems(data: Any) -> list[str]:
    if not isinstance(data, dict):
        return [f"$: expected object, got {type(data).__name__}"]
    schema = load_schema()
    problems: list[str] = []
    _check(data, schema, schema, "$", problems)
    return problems


def validate_report(data: Any) -> list[str]:
    """Problems of a decoded JSON report against the documented schema; ``[]`` if none.

    Checks required keys, types and enums (from ``report.schema.json``), that
    spans point at their text in ``article.text``, and that ids refer to
    existing sources/attributions.  Unknown extra keys are allowed.  A 1.x report is read in the 2.0 form
    (:func:`upgrade`).
    """
    data = upgrade(data)
    problems = _structure_problems(data)
    if not isinstance(data, dict):
        return problems
    problems.extend(_span_problems(data))
    problems.extend(_reference_problems(data))
    return problems


# -- back from JSON to dataclasses --------------------------------------------------


def _span(d: dict[str, Any]) -> Span:
    return Span(int(d["start"]), int(d["end"]), d["text"])


def _nullable_span(d: dict[str, Any] | None) -> Span | None:
    return None if d is None else _span(d)


def _node(d: dict[str, Any]) -> RelayNode:
    return RelayNode(
        name=d["name"],
        role=d["role"],
        source_id=d.get("source_id"),
        attribution_ids=tuple(d.get("attribution_ids", ())),
        children=tuple(_node(c) for c in d.get("children", ())),
        voices=tuple(_node(c) for c in d.get("voices", ())),
    )


def _old_node(d: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in d.items() if k not in ("type", "children")}
    out["role"] = "unknown" if d.get("type") == "anonymous" else d.get("type", "unknown")
    out["children"] = [_old_node(c) for c in d.get("children", ())]
    return out


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """A 1.x report in the 2.0 form: a source's ``type`` and ``named`` become ``role`` and ``identity`` (type
    ``anonymous``: role ``unknown``, identity ``anonymous``; otherwise named or described), a relay node's
    ``type`` its ``role``, the headline verdict its 2.0 name (``OLD_VERDICTS``; the keys 2.0 added to the
    headline check stay absent: null or empty).  Any other report is returned unchanged."""
    version = data.get("schema_version") if isinstance(data, dict) else None
    if not isinstance(version, str) or not version.startswith("1."):
        return data
    sources = []
    for x in data.get("sources") or ():
        if not isinstance(x, dict) or "type" not in x:
            sources.append(x)
            continue
        kind = x["type"]
        identity = "anonymous" if kind == "anonymous" else "named" if x.get("named") else "described"
        rest = {k: v for k, v in x.items() if k not in ("type", "named")}
        sources.append({**rest, "role": "unknown" if kind == "anonymous" else kind, "identity": identity})
    chains = [_old_node(c) if isinstance(c, dict) else c for c in data.get("relay_chains") or ()]
    upgraded = {**data, "schema_version": SCHEMA_VERSION, "sources": sources, "relay_chains": chains}
    check = data.get("headline_check")
    if isinstance(check, dict) and check.get("verdict") in OLD_VERDICTS:
        upgraded["headline_check"] = {**check, "verdict": OLD_VERDICTS[check["verdict"]]}
    return upgraded


def _stance(d: dict[str, Any] | None) -> HeadlineStance | None:
    if d is None:
        return None
    return HeadlineStance(d["label"], {k: float(v) for k, v in d["probs"].items()},
                          tuple(_span(p) for p in d.get("passages", ())))


def _modality(d: dict[str, Any] | None) -> ModalityReading | None:
    if d is None:
        return None
    return ModalityReading(d["label"], {k: float(v) for k, v in d.get("probs", {}).items()},
                           tuple(_span(c) for c in d.get("cues", ())))


def _match(m: dict[str, Any]) -> HeadlineMatch:
    return HeadlineMatch(m.get("attribution_id"), _span(m["span"]), m["score"], m.get("source"),
                         _modality(m.get("modality")))


def _fc(d: dict[str, Any]) -> FactCheckMatch:
    keys = ("verdict", "normalised_verdict", "publisher", "date", "url")
    return FactCheckMatch(d["review_id"], d["claim"], d["score"], **{k: d.get(k) for k in keys})


def report_from_dict(data: dict[str, Any]) -> Report:
    """Rebuild a :class:`Report` from its JSON form (e.g. a saved ``--format json``; a schema 1.x report is read
    through :func:`upgrade`).

    Raises :class:`RenderError` when ``data`` does not follow the schema's
    structure (offset and id consistency is not required here; see
    :func:`validate_report`).
    """
    data = upgrade(data)
    problems = _structure_problems(data)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise RenderError(f"not a newsaudit report: {problems[0]}{more}")
    a = data["article"]
    article = Article(
        body=a["body"],
        headline=a.get("headline", ""),
        id=a.get("id"),
        date=a.get("date"),
        url=a.get("url"),
        outlet=a.get("outlet"),
        language=a.get("language"),
        warnings=tuple(a.get("warnings", ())),
        foreign_spans=tuple(_span(s) for s in a.get("foreign_spans", ())),
    )
    hc = data.get("headline_check")
    return Report(
        article=article,
        attributions=tuple(
            Attribution(
                id=x["id"],
                kind=x["kind"],
                content=_span(x["content"]),
                source=_nullable_span(x.get("source")),
                cue=_nullable_span(x.get("cue")),
                source_id=x.get("source_id"),
                relayed_by=x.get("relayed_by"),
                resolved_source=_nullable_span(x.get("resolved_source")),
                rule=x.get("rule", ""),
                content_pieces=tuple(p for p in map(_span, x.get("content_pieces") or ()) if p is not None),
            )
            for x in data["attributions"]
        ),
        sources=tuple(
            Source(
                id=x["id"],
                name=x["name"],
                role=x["role"],
                identity=x["identity"],
                mentions=tuple(_span(m) for m in x.get("mentions", ())),
                attribution_ids=tuple(x.get("attribution_ids", ())),
                reason=x.get("reason", ""),
                cited_by=x.get("cited_by"),
                speaks_for=x.get("speaks_for"),
                non_answers=tuple(_span(m) for m in x.get("non_answers", ())),
            )
            for x in data["sources"]
        ),
        relay_chains=tuple(_node(x) for x in data["relay_chains"]),
        headline_check=None
        if hc is None
        else HeadlineCheck(
            headline=_span(hc["headline"]),
            claim=_span(hc["claim"]),
            verdict=hc["verdict"],
            score=hc["score"],
            matches=tuple(_match(m) for m in hc.get("matches", ())),
            reason=hc.get("reason", ""),
            concern=hc.get("concern"),
            concern_reasons=tuple(hc.get("concern_reasons", ())),
            stance=_stance(hc.get("stance")),
            headline_modality=_modality(hc.get("headline_modality")),
            denials=tuple(_match(m) for m in hc.get("denials", ())),
        ),
        signals=tuple(Signal(x["kind"], _span(x["span"]), x["reason"], x.get("lexicon")) for x in data["signals"]),
        claims=tuple(
            Claim(
                id=x["id"],
                span=_span(x["span"]),
                score=x["score"],
                voice=x["voice"],
                attribution_id=x.get("attribution_id"),
                source_id=x.get("source_id"),
                reasons=tuple(x.get("reasons", ())),
                matches=tuple(_fc(m) for m in x.get("matches", ())),
            )
            for x in data["claims"]
        ),
        techniques=tuple(
            Technique(x["technique"], x["start"], x["end"], x["text"], x["score"], x.get("reason", ""))
            for x in data["techniques"]
        ),
        summary=cast(ReportSummary, dict(data.get("summary") or {})),  # as the file has it
        warnings=tuple(data.get("warnings", ())),
        schema_version=data["schema_version"],
    )


def from_json(text: str) -> Report:
    """Parse a JSON report string back into a :class:`Report`."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RenderError(f"not JSON: {exc.msg} at line {exc.lineno}") from None
    return report_from_dict(data)
