"""JSON rendering, the report schema and validate_report."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from newsaudit.errors import NewsauditError, RenderError
from newsaudit.render import FORMATS, from_json, load_schema, render, report_from_dict, to_json, validate_report
from newsaudit.render.sample import sample_report
from newsaudit.types import SCHEMA_VERSION, Article, Report

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def report() -> Report:
    return sample_report()


def test_render_json_round_trip(report):
    text = to_json(report)
    data = json.loads(text)
    assert data == report.to_dict()
    assert list(data)[0] == "schema_version"
    assert "“" in text  # ensure_ascii=False keeps curly quotes
    assert text.startswith('{\n  "schema_version"')  # indent=2
    assert report_from_dict(data) == report
    assert from_json(text) == report


def test_render_json_sample_validates(report):
    assert validate_report(report.to_dict()) == []


def test_render_json_empty_report_validates():
    report = Report(article=Article(body="Nothing here."))
    assert validate_report(json.loads(to_json(report))) == []
    assert report_from_dict(report.to_dict()) == report


def test_render_json_summary_type_matches_schema_and_summarize(report):
    from newsaudit.report import summarize
    from newsaudit.types import ReportSummary

    keys = list(ReportSummary.__annotations__)
    assert list(load_schema()["$defs"]["summary"]["properties"]) == keys
    assert list(summarize(report)) == keys


def test_render_json_schema_file_is_draft_2020_12():
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA_VERSION in schema["$id"]
    top = set(Report(article=Article(body="x")).to_dict())
    assert set(schema["required"]) == top
    assert set(schema["properties"]) == top


def _break(data: dict, path: str, value: object = None, delete: bool = False) -> dict:
    data = copy.deepcopy(data)
    *parents, last = path.split("/")
    node = data
    for p in parents:
        node = node[int(p)] if p.isdigit() else node[p]
    key = int(last) if last.isdigit() else last
    if delete:
        del node[key]
    else:
        node[key] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "delete", "expected"),
    [
        ("attributions", None, True, "missing key 'attributions'"),
        ("attributions/0/kind", "quoted", False, "$.attributions[0].kind"),
        ("attributions/0/content/start", "12", False, "expected integer"),
        ("sources/1/identity", "yes", False, "$.sources[1].identity: 'yes' is not one of"),
        ("headline_check/verdict", "fake", False, "$.headline_check.verdict"),
        ("claims/0/score", None, False, "$.claims[0].score: expected number"),
        ("relay_chains/0/children/0/children/0/name", 3, False, "children[0].children[0].name"),
        ("signals/0/span/end", 10_000, False, "outside article.text"),
        ("signals/0/span/text", "other words", False, "differs from article.text"),
        ("attributions/0/source_id", "s99", False, "unknown source id 's99'"),
        ("schema_version", "3.0", False, "$.schema_version"),
        ("sources/2/cited_by", "s99", False, "unknown source id 's99'"),
        ("warnings", "oops", False, "$.warnings: expected array"),
    ],
)
def test_render_json_validate_catches_broken_report(report, path, value, delete, expected):
    broken = _break(report.to_dict(), path, value, delete)
    problems = validate_report(broken)
    assert any(expected in p for p in problems), problems


def test_render_json_validate_non_object():
    assert validate_report([1, 2]) == ["$: expected object, got list"]


def test_render_json_extra_keys_allowed(report):
    data = report.to_dict()
    data["future_key"] = {"anything": 1}
    data["attributions"][0]["confidence"] = 0.5
    assert validate_report(data) == []


def test_render_json_report_from_dict_rejects_garbage():
    with pytest.raises(RenderError):
        report_from_dict({"schema_version": "1.0"})
    with pytest.raises(RenderError):
        from_json("{not json")


@pytest.mark.parametrize(("fmt", "expected"), [("json", '"schema_version"'), ("TEXT", "Headline check"), ("html", "<!DOCTYPE html>")])
def test_render_json_dispatch(report, fmt, expected):
    assert expected in render(report, fmt)


def test_render_json_unknown_format(report):
    with pytest.raises(RenderError, match="unknown report format 'pdf'") as err:
        render(report, "pdf")
    assert isinstance(err.value, NewsauditError)
    assert set(FORMATS) == {"json", "text", "html"}


def test_render_json_docs_list_every_key():
    doc = ROOT / "docs" / "report.md"
    if not doc.exists():
        pytest.skip("docs/report.md not present")
    text = doc.read_text(encoding="utf-8")
    schema = load_schema()
    keys = set(schema["properties"])
    for _name, sub in schema["$defs"].items():
        keys.update(sub.get("properties", {}))
    missing = sorted(k for k in keys if f"`{k}`" not in text)
    assert missing == []


def test_render_json_docs_example_validates():
    doc = ROOT / "docs" / "report.md"
    if not doc.exists():
        pytest.skip("docs/report.md not present")
    block = doc.read_text(encoding="utf-8").split("```json\n", 1)[1].split("\n```", 1)[0]
    data = json.loads(block)
    assert validate_report(data) == []
    assert report_from_dict(data).to_dict() == data


def test_render_json_reads_a_1_0_report_without_technique_reasons():
    data = sample_report().to_dict()
    data["schema_version"] = "1.0"
    for t in data["techniques"]:
        del t["reason"]
    assert all(t.reason == "" for t in report_from_dict(data).techniques)


@pytest.mark.parametrize(
    ("old", "new"),
    [("attributed", "headline-attributes"), ("attribution-dropped", "headline-drops-attribution"),
     ("unattributed-in-body", "body-asserts-too"), ("contradicted-in-body", "body-disputes"),
     ("not-in-body", "not-in-body")],
)
def test_render_json_reads_a_1_x_report_with_old_verdict_names(old, new):
    data = sample_report().to_dict()
    data["schema_version"] = "1.2"
    data["headline_check"]["verdict"] = old
    for key in ("headline_modality", "denials"):
        del data["headline_check"][key]
    for m in data["headline_check"]["matches"]:
        del m["modality"]
    check = report_from_dict(data).headline_check
    assert check is not None
    assert check.verdict == new
    assert check.headline_modality is None
    assert check.denials == ()


def test_render_json_reads_a_1_2_report_with_source_types():
    """A 1.x report's source ``type`` and ``named`` are read as ``role`` and ``identity``."""
    data = sample_report().to_dict()
    data["schema_version"] = "1.2"
    for s in data["sources"]:
        s["type"] = "anonymous" if s.pop("identity") == "anonymous" else s["role"]
        s["named"] = s["type"] != "anonymous"
        del s["role"], s["cited_by"], s["speaks_for"], s["non_answers"]

    def old(node):
        node["type"] = node.pop("role")
        node.pop("voices")
        for c in node["children"]:
            old(c)

    for chain in data["relay_chains"]:
        old(chain)
    assert validate_report(data) == []
    back = report_from_dict(data)
    assert [(s.role, s.identity) for s in back.sources] == [("outlet", "named"), ("official", "named"), ("unknown", "anonymous")]
    assert back.relay_chains[0].children[0].role == "outlet"
