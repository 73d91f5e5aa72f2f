"""The seed article through the newsaudit_attribution component (shipped model + precision rules): the
attributions a careful reader makes there, and nothing a careful reader would not make.

REQUIRED must all be found.  ALLOWED are attributions a careful reader may or may not make (a nested claim,
a belief without a source, a noun cue); every attribution found must be REQUIRED or ALLOWED.  Needs
../shared (the seed article; $NEWSAUDIT_SHARED names another place); skips without it.
"""

from __future__ import annotations

import pytest
from test_attribution_precision import norm

#: (source alternatives "A|B", resolved source or None, cue, content): content is the whole content
#: (trimmed), or ("contains", text) for long ones, or a list of pieces.
REQUIRED = [
    (
        "the Russian Defense Ministry",
        None,
        "said",
        ("contains", "Our intelligence confirmed by three independent Syrian sources says that commanders"),
    ),
    # nested inside the ministry's quotation: its intelligence, confirmed by three Syrian sources, "says that ..."
    (
        "Our intelligence confirmed by three independent Syrian sources",
        None,
        "says",
        ("contains", "commanders of the so-called ‘Free Syrian Army’"),
    ),
    (
        "Rt.com",
        None,
        "reports",
        ("contains", "The military alleged the FSA militants are likely to employ chlorine to orchestrate the chemical incident"),
    ),
    ("The military", None, "alleged", "the FSA militants are likely to employ chlorine to orchestrate the chemical incident"),
    (
        "it",
        None,
        "said",
        "To imitate yet another ‘chemical attack by the regime against peaceful civilians’,"
        " the rebels brought canisters filled with chlorine",
    ),
    (
        "the Russian military",
        None,
        "said",
        ["The planned “provocation", "is also to justify an FSA offensive against Syrian troops on eastern bank of the Euphrates River"],
    ),
    ("The Defense Ministry", None, "warned", "such plans involving chemical weapons"),
    (
        "who|a local resident who|a local resident",
        "a local resident",
        "said",
        "possible preparations for a “provocation” with the use of chemical agents were underway in Eastern Ghouta",
    ),
    (
        "the intelligence",
        None,
        "According to",
        ("contains", "Tahrir al-Sham (formerly Jabhat al-Nusra) group have placed “hermetically sealed containers,”"),
    ),
    ("who|locals who|locals", "locals", "told", "the whole event was “staged"),
    ("They", None, "revealed", ("contains", "members of the controversial White Helmets group poured cold water over kids")),
    ("witnesses", None, "said", "None of the patients at the local hospitals showed any symptoms of chemical weapons poisoning"),
    ("Russia", None, "believes", ("contains", "such attacks will be widely-covered in the Western media")),
]

#: (cue, a text the content contains): attributions a careful reader may make.
ALLOWED = [
    ("raised", "possible provocations using chemical agents"),
    ("raised concerns about", "possible provocations using chemical agents"),
    ("casting", "whether the chemical attack had taken place"),
    ("casting doubt on", "whether the chemical attack had taken place"),
    ("accusations", "Bashar Assad had ordered"),
    ("believed", "to be a victim"),
    ("testified", ""),
]


@pytest.fixture(scope="module")
def found(seed_path):
    from newsaudit.load import load_file
    from newsaudit.pipeline import parse_pipeline

    nlp = parse_pipeline()
    nlp.add_pipe("newsaudit_attribution")
    text = load_file(seed_path).text
    out = []
    for a in nlp(text)._.attributions:
        pieces = [p.text for p in a.content_pieces] or [a.content.text]
        resolved = a.resolved_source.text if a.resolved_source else None
        out.append((a.source.text if a.source else None, resolved, a.cue.text if a.cue else None, pieces))
    return out


def _content_ok(pieces: list[str], expected) -> bool:
    joined = " ".join(pieces)
    if isinstance(expected, tuple):
        return norm(expected[1]) in norm(joined)
    exp = expected if isinstance(expected, list) else [expected]
    return [norm(p) for p in pieces if norm(p)] == [norm(p) for p in exp]


def _required_ok(item, exp) -> bool:
    source, resolved, cue, pieces = item
    e_source, e_resolved, e_cue, e_content = exp
    if source is None or norm(source) not in {norm(a) for a in e_source.split("|")}:
        return False
    if e_resolved is not None and norm(resolved or source) != norm(e_resolved):
        return False
    return cue is not None and norm(cue).lower() == norm(e_cue).lower() and _content_ok(pieces, e_content)


#: REQUIRED attributions the shipped model still misses (by cue and first source), with the reason.
XFAIL: dict[tuple[str, str], str] = {}


def _required_param(r):
    key = (r[2], r[0].split("|")[0])
    marks = [pytest.mark.xfail(reason=XFAIL[key], strict=True)] if key in XFAIL else []
    return pytest.param(r, id=f"{key[0]}-{key[1]}", marks=marks)


@pytest.mark.parametrize("expected", [_required_param(r) for r in REQUIRED])
def test_attribution_seed_required(found, expected):
    assert any(_required_ok(item, expected) for item in found), f"missing {expected}; found {found}"


def test_attribution_seed_nothing_a_reader_would_not_make(found):
    extra = []
    for item in found:
        if any(_required_ok(item, exp) for exp in REQUIRED):
            continue
        cue, joined = item[2] or "", " ".join(item[3])
        if any(norm(cue).lower() == norm(c).lower() and norm(t) in norm(joined) for c, t in ALLOWED):
            continue
        extra.append(item)
    assert not extra, f"attributions a careful reader would not make: {extra}"
