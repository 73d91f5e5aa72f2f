"""Relay chains from hand-built attributions and sources (no model needed)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsaudit.components.relay import build_relay, relay_scopes
from newsaudit.types import Attribution, Source, Span

TEXT = (
    "Headline here\n\n"
    "“Rebels plan a provocation,” the ministry said.\n\n"
    "Rt.com reports: The military alleged the rebels have chlorine.\n\n"
    "Witnesses said nothing happened."
)


def span(s: str, after: int = 0) -> Span:
    i = TEXT.index(s, after)
    return Span(i, i + len(s), s)


ATTS = (
    Attribution("a1", "direct", span("“Rebels plan a provocation,”"), span("the ministry"), span("said"), source_id="s1"),
    Attribution("a2", "indirect", span("The military alleged the rebels have chlorine."), span("Rt.com"), span("reports"), source_id="s2"),
    Attribution("a3", "indirect", span("the rebels have chlorine"), span("The military"), span("alleged"), source_id="s1"),
    Attribution("a4", "indirect", span("nothing happened"), span("Witnesses"), span("said", TEXT.index("Witnesses")), source_id="s4"),
)
SOURCES = (
    Source("s1", "the ministry", "official", "described", (span("the ministry"), span("The military")), ("a1", "a3")),
    Source("s2", "Rt.com", "outlet", "named", (span("Rt.com"),), ("a2",)),
    Source("s3", "three sources", "unknown", "anonymous", (), (), cited_by="s1"),
    Source("s4", "Witnesses", "witness", "described", (span("Witnesses"),), ("a4",)),
)


def test_relay_scope_runs_to_end_of_paragraph():
    scopes = relay_scopes(TEXT, ATTS, {s.id: s for s in SOURCES})
    assert len(scopes) == 1
    assert scopes[0].source_id == "s2"
    assert scopes[0].span.start == span("reports").end
    assert TEXT[scopes[0].span.end :].startswith("\n\nWitnesses")


def test_relay_chain_nests_outlet_official_anonymous():
    root, atts = build_relay(TEXT, ATTS, SOURCES)
    assert root.path() == ["article", "Rt.com", "the ministry", "three sources"]
    assert root.depth() == 4
    by_id = {a.id: a for a in atts}
    assert by_id["a1"].relayed_by is None
    assert by_id["a3"].relayed_by == "s2"
    assert by_id["a4"].relayed_by is None  # after the relayed paragraph


def test_relay_breaks_cycles():
    sources = (
        Source("s1", "A", "official", "named", (), (), cited_by="s2"),
        Source("s2", "B", "official", "named", (), (), cited_by="s1"),
    )
    root, _ = build_relay("x", (), sources)
    names = []

    def walk(node):
        names.append(node.name)
        for c in node.children:
            walk(c)

    walk(root)
    assert sorted(names) == ["A", "B", "article"]


def test_relay_relayed_by_never_loops():
    """The model's old reading of "Reuters reports: X, the Defence Ministry said": the ministry's content
    swallowed the frame (so it held Reuters) while Reuters' relay scope held the ministry.  The relay scope
    wins; the link that would close the loop is left out."""
    text = "Title\n\nReuters reports: rebels attacked, the Defence Ministry said."

    def at(s: str) -> Span:
        i = text.index(s)
        return Span(i, i + len(s), s)

    atts = (
        Attribution("a1", "indirect", at("Reuters reports: rebels attacked"), at("the Defence Ministry"), at("said"), source_id="s1"),
        Attribution("a2", "indirect", at("rebels attacked"), at("Reuters"), at("reports"), source_id="s2"),
    )
    sources = (
        Source("s1", "the Defence Ministry", "official", "described", (at("the Defence Ministry"),), ("a1",)),
        Source("s2", "Reuters", "outlet", "named", (at("Reuters"),), ("a2",)),
    )
    root, out = build_relay(text, atts, sources)
    by_id = {a.id: a for a in out}
    assert by_id["a1"].relayed_by == "s2"
    assert by_id["a2"].relayed_by is None
    assert root.path() == ["article", "Reuters", "the Defence Ministry"]


def test_relay_empty_article():
    root, atts = build_relay("", (), ())
    assert root.children == ()
    assert atts == ()


def test_relay_interval_index_matches_brute_force():
    import random

    from newsaudit.text.spans import IntervalIndex

    rng = random.Random(7)
    items = []
    for _ in range(300):
        s = rng.randrange(0, 1000)
        items.append((s, s + rng.randrange(1, 80)))
    index = IntervalIndex(items, lambda p: p)
    for _ in range(200):
        qs = rng.randrange(0, 1000)
        qe = qs + rng.randrange(1, 30)
        brute_overlap = sorted(p for p in items if p[0] < qe and p[1] > qs)
        if brute_overlap is not None:
            assert sorted(index.overlapping(qs, qe)) == brute_overlap
        brute_contain = sorted(p for p in items if p[0] <= qs and p[1] >= qe)
        assert sorted(index.containing(qs, qe)) == brute_contain


# --------------------------------------------------------------------------- "as reported by X"


def _as_reported(text, speaker=None, content=None):
    from newsaudit.components.relay import as_reported_scopes
    from newsaudit.components.source_roles import AS_REPORTED

    found = AS_REPORTED.search(text)
    name = found.group("outlet").rstrip(".")
    at = found.start("outlet")
    outlet = Source("s1", name, "outlet", "named", (Span(at, at + len(name), name),), ())
    sources, atts = [outlet], []
    if speaker:
        s, c, q = text.index(speaker), text.index(content), text.index("said")
        atts.append(Attribution("a1", "indirect", Span(c, c + len(content), content), Span(s, s + len(speaker), speaker),
                                Span(q, q + 4, "said"), source_id="s2"))
        sources.append(Source("s2", speaker, "unknown", "anonymous", (atts[0].source,), ("a1",)))
    scopes = as_reported_scopes(text, tuple(sources))
    return scopes, build_relay(text, tuple(atts), tuple(sources))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("As reported by Reuters, the minister resigned. He left.", "the minister resigned."),
        ("The minister resigned on Monday, as reported by Reuters. He left.", "The minister resigned on Monday, "),
        ("Prices rose. The minister resigned, as first reported by The Guardian.", "The minister resigned, "),
        ("The minister resigned. As reported by the Associated Press, officials said so.\nMore.", "officials said so."),
    ],
)
def test_relay_as_reported_scope(text, expected):
    scopes, _ = _as_reported(text)
    [scope] = scopes
    assert text[scope.span.start : scope.span.end].strip(" ,") == expected.strip(" ,")
    assert scope.source_id == "s1"
    assert scope.kind == "relay"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the outlet alone: the article relays it
        (("The minister resigned on Monday, as reported by Reuters.", None, None), ["article", "Reuters"]),
        # leading and trailing: the speaker inside hangs under the outlet
        (("As reported by Reuters, officials said the storm killed three people.", "officials", "the storm killed three people"),
         ["article", ["Reuters", "officials"]]),
        (("Officials said the storm killed three people, as reported by Reuters.", "Officials", "the storm killed three people"),
         ["article", ["Reuters", "Officials"]]),
    ],
)
def test_relay_as_reported_chain(text, expected):
    def tree(node):
        out = [node.name]
        for child in node.children:
            out += [tree(child)] if child.children else [child.name]
        return out

    _, (root, atts) = _as_reported(*text)
    assert tree(root) == expected
    assert all(a.relayed_by == "s1" for a in atts)


@given(st.text(alphabet=st.sampled_from(list("ab .?!\nAR,")), max_size=40), st.integers(0, 40))
def test_relay_sentence_bounds_hold_the_position(text, pos):
    from newsaudit.components.relay import _sentence

    pos = min(pos, len(text))
    start, end = _sentence(text, pos)
    assert 0 <= start <= end <= len(text)
    assert start <= pos or text[pos - 1 : pos + 1] in (". ", "? ", "! ") or text[pos - 1 : pos] == "\n"


@given(st.text(alphabet=st.sampled_from(list("as reported by Reuters,. Thex")), max_size=60))
def test_relay_as_reported_offsets_are_in_the_text(text):
    from newsaudit.components.source_roles import AS_REPORTED

    for found in AS_REPORTED.finditer(text):
        name = found.group("outlet")
        assert text[found.start("outlet") : found.start("outlet") + len(name)] == name
        assert name[:1].isupper() or name.startswith("the ")
