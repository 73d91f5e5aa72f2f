"""The report's closed vocabularies (verdicts, kinds, roles, identities, voices) come from one
enum each in newsaudit.types: the JSON schema, the schema docs and the renderers
list exactly their members, and a report with each member validates and renders."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from newsaudit.render import html as html_render
from newsaudit.render import render
from newsaudit.render import text as text_render
from newsaudit.render.json import load_schema, validate_report
from newsaudit.render.sample import sample_report
from newsaudit.types import VOCABULARIES, SignalKind, SourceIdentity, SourceRole, Verdict

ROOT = Path(__file__).resolve().parents[1]
DOCS = (ROOT / "docs" / "report.md").read_text(encoding="utf-8")


def _members(enum: type) -> set[str]:
    return {m.value for m in enum}


@pytest.mark.parametrize(("definition", "prop"), sorted(VOCABULARIES))
def test_types_vocabulary_schema_lists_exactly_the_enum(definition: str, prop: str) -> None:
    schema = load_schema()
    listed = set(schema["$defs"][definition]["properties"][prop]["enum"]) - {None}  # None: absent in older reports
    assert listed == _members(VOCABULARIES[definition, prop])


@pytest.mark.parametrize(("definition", "prop"), sorted(VOCABULARIES))
def test_types_vocabulary_docs_list_exactly_the_enum(definition: str, prop: str) -> None:
    # the section of docs/report.md named after the definition ("## headline check")
    heading = definition.replace("_", " ")
    section = re.search(rf"^## {heading}\n(.*?)(?=^## |\Z)", DOCS, re.M | re.S)
    assert section, f"docs/report.md has no section '## {heading}'"
    row = re.search(rf"^\| `{prop}` \|.*$", section.group(1), re.M)
    assert row, f"no row for `{prop}` in '## {heading}'"
    type_cell = re.split(r"(?<!\\)\|", row.group(0))[2]  # cells split on unescaped pipes
    assert set(re.findall(r'`"([^"`]+)"`', type_cell)) == _members(VOCABULARIES[definition, prop])


@pytest.mark.parametrize(
    ("table", "enum"),
    [
        (html_render.VERDICT_LABEL, Verdict),
        (html_render.VERDICT_HELP, Verdict),
        (html_render.SIGNAL_LABEL, SignalKind),
        (text_render.VERDICT_LABEL, Verdict),
        (text_render.VERDICT_STYLE, Verdict),
    ],
)
def test_types_vocabulary_renderers_list_exactly_the_enum(table: dict, enum: type) -> None:
    assert set(table) == _members(enum)


def test_types_vocabulary_text_renderer_styles_every_source_role_and_identity() -> None:
    assert _members(SourceRole) <= set(text_render.ROLE_STYLE)
    assert _members(SourceIdentity) <= set(text_render.IDENTITY_STYLE)


@pytest.mark.parametrize("role", list(SourceRole))
def test_types_vocabulary_html_styles_every_source_role(role: SourceRole) -> None:
    css = (ROOT / "newsaudit/render/report.css").read_text(encoding="utf-8")
    assert re.search(rf"na-role-{re.escape(role.value)}\b", css), f"report.css has no style for the role {role.value}"


@pytest.mark.parametrize(
    "stylesheet", ["newsaudit/render/report.css", "newsaudit/service/static/style.css"]
)
def test_types_vocabulary_stylesheets_style_every_verdict(stylesheet: str) -> None:
    css = (ROOT / stylesheet).read_text(encoding="utf-8")
    for verdict in Verdict:
        assert re.search(rf"verdict-{re.escape(verdict.value)}\b", css), f"{stylesheet} has no style for {verdict.value}"


@pytest.mark.parametrize("verdict", list(Verdict))
def test_types_vocabulary_report_with_each_verdict_validates_and_renders(verdict: Verdict) -> None:
    report = sample_report()
    assert report.headline_check is not None
    report = dataclasses.replace(report, headline_check=dataclasses.replace(report.headline_check, verdict=verdict))
    data = report.to_dict()
    assert data["headline_check"]["verdict"] == verdict.value
    assert type(data["headline_check"]["verdict"]) is str  # plain JSON, not the enum
    assert validate_report(data) == []
    text = render(report, "text")
    assert text_render.VERDICT_LABEL[verdict] in text
    page = render(report, "html")
    assert f"na-verdict-{verdict.value}" in page
    assert html_render.VERDICT_LABEL[verdict] in page
