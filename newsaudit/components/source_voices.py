"""What a finished source counts for among the voices of an article, a last step of ``newsaudit_sources``.

* sums up: an unnamed source met only in the headline ("Witnesses describe fireball ...") over two or more
  sources of its role that speak in the body stands for them (``sums_up``), and is no voice of its own; so does
  a headline's bare "sources" over the anonymous sources that speak in the body.
* "One of them": a source whose role is unknown takes the role of the people "them" refers to.
"""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Doc

from ..text.spans import doc_text, headline_end
from ..types import Source, Span
from .source_groups import Builder
from .source_kinds import PERSON, UNKNOWN, best_term
from .source_roles import is_person_noun

__all__ = ["mark_summaries", "partitive_roles"]


def mark_summaries(sources: list[Source], doc: Doc) -> list[Source]:
    """The sources with ``sums_up`` set on an unnamed source met only in the headline (:func:`headline_end`, as the
    headline check reads it; one with a closing full stop is taken for a body paragraph) that stands for two or
    more sources of its role speaking in the body, or, for a bare "sources" (role unknown), for the anonymous
    sources speaking in the body."""
    end = headline_end(doc)
    if end <= 0 or doc_text(doc)[:end].rstrip().endswith("."):
        return sources
    out = []
    for s in sources:
        if s.identity == "anonymous" and s.mentions and all(m.end <= end for m in s.mentions):
            speaking = [o for o in sources if o.id != s.id and o.speaks_for is None and o.attribution_ids
                        and any(m.start > end for m in o.mentions)]
            body = tuple(o.id for o in speaking if o.role == s.role)
            # "..., sources say" over "two people with knowledge of the plan"
            unnamed = tuple(o.id for o in speaking if o.identity == "anonymous") if s.role == UNKNOWN else ()
            s = replace(s, sums_up=body if len(body) >= 2 else unnamed)
        out.append(s)
    return out


#: A partitive of a pronoun: "One of them", "two of those".
PARTITIVE_PRONOUN = re.compile(r"^(?:one|some|two|three|several|many|most|few|each)\s+of\s+(them|those)\b", re.I)


def partitive_roles(sources: list[Source], b: Builder) -> list[Source]:
    """A source whose role is unknown and whose name is "One of them" takes the role of the people "them" refers to
    ("Shop owners on Main Street were never asked. One of them ... told me": a person)."""
    out = []
    for s in sources:
        hit = PARTITIVE_PRONOUN.match(s.mentions[0].text) if s.role == UNKNOWN and s.mentions else None
        if hit is not None:
            at = s.mentions[0].start + hit.start(1)
            cand = b.resolver.resolve(Span(at, at + len(hit.group(1)), hit.group(1)))
            span = b.doc.char_span(cand.start, cand.end, alignment_mode="expand") if cand is not None else None
            head = span.root.lemma_.lower() if span is not None else ""
            found = best_term([head]) if head else None
            role = found[1] if found is not None else PERSON if head and is_person_noun(head) else None
            if role is not None and span is not None:
                s = replace(s, role=role, reason=f"one of '{span.text}' ({role})")
        out.append(s)
    return out
