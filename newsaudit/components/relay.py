"""newsaudit_relay: who passes on whose words.

An article often repeats another outlet ("Rt.com reports: ...") that repeats an
official who cites unnamed people.  This component nests each source under the
one that relays it and writes ``doc._.relay_chains`` (one tree rooted at the
article) and ``Attribution.relayed_by``.

Containers, innermost wins:
* a **relay scope**: an outlet introduced with a colon at the start of a
  paragraph ("Rt.com reports:") relays the rest of that paragraph (or the next
  paragraph, when the introduction stands alone on its line), and at least the
  whole content the attribution extractor gave it (a multi-paragraph quote);
* an attribution's **content**: sources quoted inside a quote are cited by the
  quoted source;
* an **"as reported by X"** phrase: X relays the rest of its sentence ("As reported
  by Reuters, officials said ...") or the sentence before it ("..., as reported by
  Reuters."); X is a source with no attribution of its own (``newsaudit_sources``
  adds it), so an article that only names it still shows it in the chain;
* an **embedded citation** in a source's own words ("our intelligence confirmed
  by three independent Syrian sources"), a **citation** ("..., citing an unnamed
  source") or a **tip-off** ("received a tip-off from a local resident"):
  ``Source.cited_by`` (set by ``newsaudit_sources``);
* a **channel**: "told Gawker", "told him" of a reporter for ZDF: the outlet the words
  came through, which ``newsaudit_sources`` writes as the attribution's ``relayed_by``.

A spokesperson, lawyer or aide that speaks for a body or person of the article
(``Source.speaks_for``) is no link of the chain: it is shown as a voice of what it
speaks for (``RelayNode.voices``), at the same level, adding no depth.

A source met both at the top level and inside a relay scope hangs under the
innermost container it appears in, so the chain shows the longest path of
hearsay the article relies on.  ``relayed_by`` never loops (an attribution
relayed by its own source, two sources relaying each other): relay scopes are
placed first, then the tighter containers, and a link that would close a loop is
left out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import register_extensions
from ..text.paragraphs import paragraph_end
from ..text.spans import IntervalIndex, doc_text
from ..types import Attribution, RelayNode, Source, Span
from .source_roles import AS_REPORTED

#: Cue lemmas that introduce another outlet's report.
RELAY_CUES = {"report", "reports", "reported", "reporting", "writes", "wrote", "write", "says", "said", "notes", "noted", "adds", "added"}


@dataclass(frozen=True)
class Container:
    span: Span
    source_id: str
    attribution_id: str | None
    kind: str  # "relay" | "quote"


def relay_scopes(text: str, attributions: tuple[Attribution, ...], sources: dict[str, Source]) -> list[Container]:
    """Relay scopes opened by 'Outlet reports:' at the start of a paragraph."""
    opens: list[tuple[int, Attribution]] = []
    for att in attributions:
        src = sources.get(att.source_id or "")
        if src is None or src.role != "outlet" or att.cue is None or att.source is None:
            continue
        after = text[att.cue.end : att.cue.end + 3].lstrip(" \t")
        if not after.startswith(":"):
            continue
        line_start = text.rfind("\n", 0, att.source.start) + 1
        if text[line_start : att.source.start].strip():
            continue
        opens.append((att.cue.end, att))
    opens.sort(key=lambda item: item[0])
    scopes = []
    for start, att in opens:
        end = paragraph_end(text, start)
        if not text[start:end].strip(" \t:"):  # "X reports:" alone on its line: the next paragraph
            nxt = end
            while nxt < len(text) and text[nxt].isspace():
                nxt += 1
            end = paragraph_end(text, nxt)
        end = max(end, att.content.end)
        scopes.append(Container(Span(start, end, ""), att.source_id or "", att.id, "relay"))
    return scopes


def _sentence(text: str, pos: int) -> tuple[int, int]:
    """Rough sentence bounds around ``pos`` (". ", "? ", "! " or a line break)."""
    start = max(text.rfind(sep, 0, pos) + len(sep) if text.rfind(sep, 0, pos) >= 0 else 0 for sep in (". ", "? ", "! ", "\n"))
    ends = [i + (sep != "\n") for sep, i in ((sep, text.find(sep, pos)) for sep in (". ", "? ", "! ", "\n")) if i >= 0]
    return start, min(ends) if ends else len(text)


def as_reported_scopes(text: str, sources: tuple[Source, ...]) -> list[Container]:
    """Relay scopes of "as reported by X": the rest of the sentence when the phrase leads it,
    else the sentence before the phrase."""
    at = {m.start: s.id for s in sources for m in s.mentions}
    scopes = []
    for found in AS_REPORTED.finditer(text):
        source_id = at.get(found.start("outlet"))
        if source_id is None:
            continue
        start, end = _sentence(text, found.start())
        if text[start : found.start()].strip(" \t\"“‘'("):
            span = Span(start, found.start(), "")
        else:
            span = Span(found.end(), end, "")
        scopes.append(Container(span, source_id, None, "relay"))
    return scopes


def _reaches(relays: dict[str, set[str]], start: str, goal: str) -> bool:
    """Whether ``goal`` relays ``start`` already, through any number of links (so that a link from
    ``goal`` to ``start`` would close a loop)."""
    todo, seen = [start], set()
    while todo:
        cur = todo.pop()
        if cur == goal:
            return True
        if cur not in seen:
            seen.add(cur)
            todo.extend(relays.get(cur, ()))
    return False


def _anchor(att: Attribution) -> Span:
    return att.source or att.cue or att.content


def build_relay(
    text: str, attributions: tuple[Attribution, ...], sources: tuple[Source, ...], root_name: str = "article"
) -> tuple[RelayNode, tuple[Attribution, ...]]:
    by_id = {s.id: s for s in sources}
    containers = relay_scopes(text, attributions, by_id) + as_reported_scopes(text, sources)
    containers += [
        Container(a.content, a.source_id, a.id, "quote") for a in attributions if a.source_id
    ]
    channels = {a.id: a.relayed_by for a in attributions if a.relayed_by in by_id and a.relayed_by != a.source_id}
    relayed, parent_scope = _place(attributions, containers, channels)
    parent: dict[str, str] = {sid: c.source_id for sid, c in parent_scope.items()}
    for s in sources:
        if s.cited_by and s.cited_by in by_id:
            parent[s.id] = s.cited_by
    voice_of = {s.id: s.speaks_for for s in sources if s.speaks_for and s.speaks_for in by_id and s.speaks_for != s.id}
    for sid, body in voice_of.items():  # a voice sits with its body: the body takes its place in the chain
        if sid in parent and body not in parent and parent[sid] != body:
            parent[body] = parent[sid]
        parent.pop(sid, None)
    _break_loops(parent)
    _break_voice_loops(voice_of, parent)
    root = _tree(sources, parent, voice_of, root_name)
    updated = tuple(replace(a, relayed_by=relayed.get(a.id)) for a in attributions)
    return root, updated


def _place(
    attributions: tuple[Attribution, ...], containers: list[Container], channels: dict[str, str]
) -> tuple[dict[str, str], dict[str, Container]]:
    """(attribution id -> the source that relays it, source id -> the tightest container of its words): relay scopes
    and channels first, then the tighter containers; a link that would close a loop is left out."""
    index = IntervalIndex(containers, lambda c: (c.span.start, c.span.end))

    def innermost(att: Attribution) -> Container | None:
        anchor = _anchor(att)
        best = None
        for c in index.containing(anchor.start, anchor.end):
            if c.source_id == att.source_id or c.attribution_id == att.id:
                continue
            if c.span.contains(anchor) and (best is None or len(c.span) < len(best.span)):
                best = c
        return best

    relayed: dict[str, str] = {}
    parent_scope: dict[str, Container] = {}
    relays: dict[str, set[str]] = {}  # source id -> the sources that relay one of its attributions
    placed = [(att, c) for att in attributions if (c := innermost(att)) is not None and att.id not in channels]
    # a channel ("told Gawker") is the tightest container of its attribution
    placed += [(att, Container(_anchor(att), channels[att.id], None, "channel")) for att in attributions if att.id in channels]
    for att, c in sorted(placed, key=lambda p: (p[1].kind not in ("relay", "channel"), len(p[1].span))):
        if att.source_id and _reaches(relays, c.source_id, att.source_id):
            continue
        relayed[att.id] = c.source_id
        if att.source_id:
            relays.setdefault(att.source_id, set()).add(c.source_id)
            prev = parent_scope.get(att.source_id)
            if prev is None or len(c.span) < len(prev.span):
                parent_scope[att.source_id] = c
    return relayed, parent_scope


def _break_loops(parent: dict[str, str]) -> None:
    """Walk up from each source; drop the link that closes a loop."""
    for sid in list(parent):
        seen = {sid}
        cur = parent.get(sid)
        while cur is not None:
            if cur in seen:
                parent.pop(sid, None)
                break
            seen.add(cur)
            cur = parent.get(cur)


def _tree(sources: tuple[Source, ...], parent: dict[str, str], voice_of: dict[str, str], root_name: str) -> RelayNode:
    children: dict[str | None, list[Source]] = {}
    voices: dict[str, list[Source]] = {}
    first = {s.id: min((m.start for m in s.mentions), default=0) for s in sources}
    for s in sorted(sources, key=lambda s: first[s.id]):
        if s.id in voice_of:
            voices.setdefault(voice_of[s.id], []).append(s)
        else:
            children.setdefault(parent.get(s.id), []).append(s)

    def node(s: Source) -> RelayNode:
        return RelayNode(
            name=s.name,
            role=s.role,
            source_id=s.id,
            attribution_ids=s.attribution_ids,
            children=tuple(node(c) for c in children.get(s.id, [])),
            voices=tuple(node(v) for v in voices.get(s.id, [])),
        )

    return RelayNode(name=root_name, role="article", children=tuple(node(s) for s in children.get(None, [])))


def _break_voice_loops(voice_of: dict[str, str], parent: dict[str, str]) -> None:
    """A voice whose body is (through voices and links) below the voice itself, or a voice of a voice that
    loops, is a plain node again: every source is shown exactly once."""
    for sid in list(voice_of):
        seen, cur = {sid}, voice_of.get(sid)
        while cur is not None:
            if cur in seen:
                voice_of.pop(sid, None)
                break
            seen.add(cur)
            cur = voice_of.get(cur) or parent.get(cur)


class RelayChains:
    """The ``newsaudit_relay`` component."""

    def __init__(self, nlp: Language, name: str = "newsaudit_relay", root_name: str = "article") -> None:
        register_extensions()
        self.name = name
        self.root_name = root_name

    def __call__(self, doc: Doc) -> Doc:
        root, attributions = build_relay(
            doc_text(doc), tuple(doc._.attributions or ()), tuple(doc._.sources or ()), self.root_name
        )
        doc._.attributions = attributions
        doc._.relay_chains = (root,)
        return doc


@Language.factory(
    "newsaudit_relay",
    default_config={"root_name": "article"},
    requires=["doc._.attributions", "doc._.sources"],
    assigns=["doc._.relay_chains"],
)
def make_relay(nlp: Language, name: str, root_name: str) -> RelayChains:
    return RelayChains(nlp, name, root_name)
