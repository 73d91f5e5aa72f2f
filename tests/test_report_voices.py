"""Independent voices: the sources an article rests on, counted once per voice."""

from __future__ import annotations

import pytest

from newsaudit.report import independent_voices, voices_line
from newsaudit.types import Attribution, Source, Span

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


def test_report_independent_voices_the_relayer_is_a_voice():
    """"locals who told him": the reporter who relays what the locals told him is a voice too."""
    told = Attribution("a1", "indirect", content=Span(9, 22, "it was staged"), source=Span(0, 3, "who"),
                       cue=Span(4, 8, "told"), source_id="locals", relayed_by="ZDF")
    sources = [_source("ZDF", attributions=()), _source("locals", "anonymous")]
    assert [s.id for s in independent_voices(sources, [told])] == ["ZDF", "locals"]
    assert [s.id for s in independent_voices(sources)] == ["locals"]


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
