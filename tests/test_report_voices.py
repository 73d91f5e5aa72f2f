"""Independent voices: the sources an article rests on, counted once per voice."""

from __future__ import annotations

import pytest

from newsaudit.report import independent_voices, voices_line
from newsaudit.types import Source, Span

NON_ANSWER = (Span(0, 19, "declined to comment"),)


def _source(sid: str, identity: str = "named", attributions: tuple[str, ...] = ("a1",), **kw: object) -> Source:
    return Source(sid, sid, "official", identity, attribution_ids=attributions, **kw)


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        # a body and its spokesman are one voice
        ([_source("ministry"), _source("spokesman", speaks_for="ministry")], ["ministry"]),
        # ... also when only the spokesman speaks
        ([_source("ministry", attributions=()), _source("spokesman", speaks_for="ministry")], ["ministry"]),
        # a source that only declined to comment is no voice
        ([_source("Variety"), _source("Sony", attributions=(), non_answers=NON_ANSWER)], ["Variety"]),
        # nor is the body of a spokesman who only declined
        ([_source("company", attributions=()), _source("spokesman", attributions=(), speaks_for="company",
                                                       non_answers=NON_ANSWER)], []),
        # a source known through another's words is a voice
        ([_source("Variety"), _source("unnamed sources", "anonymous", attributions=(), cited_by="Variety")],
         ["Variety", "unnamed sources"]),
    ],
)
def test_report_independent_voices(sources, expected):
    assert [s.id for s in independent_voices(sources)] == expected


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        ([], "0 independent voices"),
        ([_source("a")], "1 independent voice (1 named)"),
        ([_source("a"), _source("b", "anonymous"), _source("c", "described")],
         "3 independent voices (1 named, 1 described, 1 anonymous)"),
    ],
)
def test_report_voices_line(sources, expected):
    assert voices_line(sources) == expected
