"""Sources: grouping of mentions, types, named vs unnamed (hand-built attributions)."""

from __future__ import annotations

import pytest

from newsaudit.components.sources import build_sources, classify, institution, normalise
from newsaudit.extensions import register_extensions
from newsaudit.types import Attribution, Span


def _words(nlp, name):
    return [(t.lower_, t.ent_type_, t.pos_) for t in nlp(name)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the Russian Defense Ministry", ("official", True)),
        ("Rt.com", ("outlet", True)),
        ("Reuters", ("outlet", True)),
        ("British tabloid the Independent", ("outlet", True)),
        ("three independent Syrian sources", ("anonymous", False)),
        ("a senior official", ("anonymous", False)),
        ("two people familiar with the matter", ("anonymous", False)),
        ("witnesses", ("witness", False)),
        ("a local resident", ("witness", False)),
        ("Angela Merkel", ("person", True)),
        ("the police", ("official", False)),
    ],
)
def test_sources_classify(bare_nlp, text, expected):
    kind, named, reason = classify(text, _words(bare_nlp, text))
    assert (kind, named) == expected, reason
    assert reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Defense Ministry", "defence"),
        ("the Russian military", "defence"),
        ("the Foreign Ministry", "foreign"),
        ("the company", None),
    ],
)
def test_sources_institution(text, expected):
    assert institution(text) == expected


@pytest.mark.parametrize(("text", "expected"), [("The Ministry's", "ministry"), ("the  AFP", "afp"), ("Rt.com", "rt.com")])
def test_sources_normalise(text, expected):
    assert normalise(text) == expected


def _att(text, i, source, content, cue="said", resolved=None):
    s = text.index(source)
    c = text.index(content)
    q = text.index(cue, c + len(content)) if cue in text[c + len(content):] else text.index(cue)
    return Attribution(
        id=f"a{i}",
        kind="indirect",
        content=Span(c, c + len(content), content),
        source=Span(s, s + len(source), source),
        cue=Span(q, q + len(cue), cue),
        resolved_source=resolved,
    )


def test_sources_groups_aliases_and_first_person(bare_nlp):
    register_extensions()
    text = (
        "“Our intelligence confirmed by three independent Syrian sources says that rebels plan an attack,” "
        "the Russian Defense Ministry said. The military said the attack was near. Reuters said nothing."
    )
    doc = bare_nlp(text)
    atts = (
        _att(text, 1, "the Russian Defense Ministry", "“Our intelligence confirmed by three independent Syrian sources says that rebels plan an attack,”"),
        _att(text, 2, "Our intelligence confirmed by three independent Syrian sources", "rebels plan an attack", cue="says"),
        _att(text, 3, "The military", "the attack was near"),
        _att(text, 4, "Reuters", "nothing"),
    )
    sources, updated = build_sources(doc, atts)
    names = {s.name: s for s in sources}
    ministry = names["the Russian Defense Ministry"]
    assert set(ministry.attribution_ids) == {"a1", "a2", "a3"}
    anon = names["three independent Syrian sources"]
    assert anon.type == "anonymous" and not anon.named and anon.cited_by == ministry.id
    assert names["Reuters"].type == "outlet"
    assert [a.source_id for a in updated] == [ministry.id, ministry.id, ministry.id, names["Reuters"].id]
    for s in sources:
        for m in s.mentions:
            assert text[m.start : m.end] == m.text


def test_sources_pronoun_uses_resolved_source(bare_nlp):
    register_extensions()
    text = "The ministry warned of attacks. It said rebels had chlorine."
    doc = bare_nlp(text)
    resolved = Span(0, 12, "The ministry")
    atts = (
        _att(text, 1, "The ministry", "of attacks", cue="warned"),
        _att(text, 2, "It", "rebels had chlorine", resolved=resolved),
    )
    sources, updated = build_sources(doc, atts)
    assert len(sources) == 1
    assert sources[0].attribution_ids == ("a1", "a2")
    assert any(m.text == "It" for m in sources[0].mentions)
