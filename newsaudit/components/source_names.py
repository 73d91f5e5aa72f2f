"""What a source is called, read off its mention in the parsed Doc.

* :func:`source_label`: the name a fact-checker would write for one source mention,
  the key it is grouped by and the name it is shown with.  A name in apposition
  first ("Dan Gross, president of the Brady Campaign, who ...") is called by the
  name ("Dan Gross"; :func:`.source_roles.name_first_parts`), and a possessor of a
  following noun ("Trump’s" in "Trump’s appeal") by the name without its clitic
  ("Trump"); a name that ends in 's itself ("Moody's said ...") keeps it.  The
  mention span is left as the attribution found it, and the description still
  decides the source's type.
* :func:`appositive_name`: the name in apposition after a role ("Its chief
  executive, [Dana Okoro],").
"""

from __future__ import annotations

from spacy.tokens import Doc

from ..text.spans import char_span
from ..types import Span
from .source_roles import Word, name_first_parts

#: Possessive clitics as spaCy splits them off a name.
CLITICS = frozenset({"'s", "’s", "'", "’"})


def mention_words(doc: Doc, span: Span) -> list[Word]:
    """The (lower text, entity type, part of speech) of the tokens of a mention."""
    sp = char_span(doc, span.start, span.end)
    if sp is None:
        return [(w.lower(), "", "") for w in span.text.split()]
    return [(t.lower_, t.ent_type_, t.pos_) for t in sp]


def source_label(doc: Doc, span: Span, name: str | None = None, words: list[Word] | None = None) -> str:
    """The name a source mention is grouped and shown by (see the module docstring); ``name`` when it
    is not the mention's own text (a name cut from it), else the mention's text unchanged when no rule applies.
    ``words``: the mention's :func:`mention_words`, when the caller has them already."""
    text = span.text if name is None else name
    if text != span.text:
        return text
    sp = char_span(doc, span.start, span.end)
    if sp is None or not len(sp):
        return text
    last = sp[-1]
    possessor = last.head
    if (
        last.lower_ in CLITICS and last.dep_ == "case" and possessor.dep_ == "poss" and possessor.i < last.i
        and possessor.head.i >= sp.end and text.rstrip().endswith(last.text)
    ):  # "Trump’s [appeal]": the possessor of a following noun, named without the clitic
        stripped = text.rstrip()[: -len(last.text)].rstrip()
        return stripped or text
    parts = name_first_parts(text, mention_words(doc, span) if words is None else words)
    return parts[0] if parts is not None else text


def appositive_name(doc: Doc, span: Span, text: str) -> Span | None:
    """The name in apposition to a source: "Its chief executive, [Dana Okoro]," ."""
    sp = char_span(doc, span.start, span.end)
    if sp is None:
        return None
    for tok in sp:
        for child in tok.children:
            if child.dep_ == "appos" and child.i >= sp.end and child.pos_ == "PROPN":
                sub = list(child.subtree)
                start, end = sub[0].idx, sub[-1].idx + len(sub[-1].text)
                if end - start <= 60:
                    return Span(start, end, text[start:end])
    return None
