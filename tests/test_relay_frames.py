"""Relayed wire sentences through the whole pipeline: who relays whom ("Rt.com reports: X, the Defence
Ministry said": the ministry, relayed by the outlet), and the invariant that ``relayed_by`` never loops,
over every case text of attribution_cases.py and the seed article."""

from __future__ import annotations

import pytest
from attribution_cases import GROUPS, WIRE

from newsaudit.pipeline import analyze_many
from newsaudit.types import Article, Report

#: (text, {(source, cue): the name of the source that relays it, or None})
CASES = [
    (f"Title here\n\nRt.com reports: {WIRE}, the Defence Ministry said.",
     {("Rt.com", "reports"): None, ("the Defence Ministry", "said"): "Rt.com"}),
    (f"Title here\n\nReuters reports: {WIRE}, the Defence Ministry said.",
     {("Reuters", "reports"): None, ("the Defence Ministry", "said"): "Reuters"}),
    (f"Title here\n\nRt.com reports that {WIRE}.", {("Rt.com", "reports"): None}),
    ("Title here\n\nAccording to Rt.com, the Defence Ministry said rebel groups were preparing a chemical attack.",
     {("Rt.com", "According to"): None, ("the Defence Ministry", "said"): "Rt.com"}),
    ("Title here\n\nRt.com reports:\n\nThe Defence Ministry said rebel groups were preparing a chemical attack.",
     {("Rt.com", "reports"): None, ("The Defence Ministry", "said"): "Rt.com"}),
]


def _reports(texts: list[str]) -> list[Report]:
    reports = list(analyze_many([Article(body=t) for t in texts]))
    assert all(isinstance(r, Report) for r in reports), reports
    return reports


@pytest.fixture(scope="module")
def case_reports() -> list[Report]:
    return _reports([text for text, _ in CASES])


@pytest.mark.parametrize("n", range(len(CASES)), ids=[f"case-{n}" for n in range(len(CASES))])
def test_relay_frames_relayed_by(case_reports, n):
    report, expected = case_reports[n], CASES[n][1]
    names = {s.id: s.name for s in report.sources}
    found = {
        (a.source.text if a.source else None, a.cue.text if a.cue else None): names.get(a.relayed_by or "")
        for a in report.attributions
    }
    assert found == expected


def assert_relays_do_not_loop(report: Report) -> None:
    """No attribution is relayed by its own source, and following ``relayed_by`` from a source to the
    sources relaying its attributions never comes back to it."""
    relays: dict[str, set[str]] = {}
    for a in report.attributions:
        if a.relayed_by is None:
            continue
        assert a.relayed_by != a.source_id, f"{a.id} is relayed by its own source {a.source_id}"
        if a.source_id:
            relays.setdefault(a.source_id, set()).add(a.relayed_by)
    for start in relays:
        todo, seen = list(relays[start]), set()
        while todo:
            cur = todo.pop()
            assert cur != start, f"relayed_by loops through {start}: {relays}"
            if cur not in seen:
                seen.add(cur)
                todo.extend(relays.get(cur, ()))


def test_relay_frames_never_loop_on_the_case_texts(case_reports):
    texts = [text for cases in GROUPS.values() for text, _ in cases]
    for report in [*case_reports, *_reports(texts)]:
        assert_relays_do_not_loop(report)


def test_relay_frames_never_loop_on_the_seed_article(seed_path):
    from newsaudit.load import load_file

    [report] = list(analyze_many([load_file(seed_path)]))
    assert isinstance(report, Report)
    assert_relays_do_not_loop(report)
