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
  executive, [Dana Okoro],"); :func:`described_name`: a name after its description
  ("the security company [NetShield]").
* :func:`split_embedded` and :func:`embedded_after`: a second source cited inside or
  right after a source mention ("Our intelligence confirmed by three sources").
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from ..text.spans import char_span
from ..types import Span
from .source_roles import Word, name_first_parts

#: Possessive clitics as spaCy splits them off a name.
CLITICS = frozenset({"'s", "’s", "'", "’"})
#: Phrases inside a source span that introduce an embedded source.
EMBEDDED_CITATION = re.compile(r"\b(?:confirmed by|citing|quoting|according to|as told by|backed by reports from)\s+", re.I)
EMBEDDED_AFTER = re.compile(r"\s*,?\s*(?:confirmed by|citing|quoting|according to|backed by reports from)\s+", re.I)
#: A wire dateline before the first words of a story: "CHISINAU, Moldova (Reuters) - ".
DATELINE = re.compile(r"^[A-Z][A-Z .'’-]+,[^()\n]{0,40}?(?:\([^)\n]{1,30}\))?\s*[-—–]+\s*")
#: A document named with its author: "a report by the Reuters news agency", "an email from Ms. Abedin", "a report
#: published on Monday by the security company NetShield"; "of" names the topic of an analysis, study, survey or poll
#: ("a poll of likely voters"), not its author.
DOCUMENT_BY = re.compile(
    r"^(?:an?|the)\s+(?:[\w-]+\s+){0,3}?(?:report|study|statement|letter|memo|email|e-mail|analysis|survey|poll|post|tweet|"
    r"article|interview|story|editorial|column|video|ad|advertisement|filing|brief|complaint|release)s?\s+"
    r"(?:(?:by|from|in|(?<!analysis\s)(?<!study\s)(?<!survey\s)(?<!poll\s)(?<!polls\s)(?<!surveys\s)of)|"
    r"(?:published|released|issued|posted|written|prepared|compiled|produced)\s+(?:[\w-]+\s+){0,3}?by)\s+"
    r"(?P<author>.+)$", re.I)

#: A document named with its author before it: "A USA TODAY analysis of ...", "a new CNN poll", "a White House statement".
DOCUMENT_OF = re.compile(
    r"^(?:[Aa]n?|[Tt]he)\s+(?:[a-z]+\s+){0,2}?(?P<author>(?:[A-Z][\w.&/'’-]*\s+){1,4}?)(?:report|study|statement|letter|memo|email|e-mail|"
    r"analysis|survey|poll|post|tweet|article|story|editorial|column|video|ad|advertisement|filing|release)s?\b")


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


def described_name(doc: Doc, span: Span, text: str) -> tuple[Span, Span] | None:
    """A description written before the name it describes, with no comma: ("the security company", "NetShield") of
    "the security company NetShield", ("the coal giant", "Peabody Energy"); None for any other phrase."""
    sp = char_span(doc, span.start, span.end)
    if sp is None or len(sp) < 3 or sp[0].lower_ != "the":
        return None
    k = next((k for k in range(1, len(sp)) if sp[k].pos_ == "PROPN"), len(sp))
    name = sp[k:]
    if k < 2 or sp[k - 1].pos_ != "NOUN" or not len(name) or any(
            t.pos_ != "PROPN" or not t.text[:1].isupper() for t in name) or any(t.ent_type_ for t in sp[1:k]):
        return None
    desc_end = sp[k - 1].idx + len(sp[k - 1].text)
    name_start, name_end = name[0].idx, name[-1].idx + len(name[-1].text)
    return Span(span.start, desc_end, text[span.start : desc_end]), Span(name_start, name_end, text[name_start:name_end])


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


def split_embedded(span: Span) -> tuple[Span, Span | None]:
    """Split "X confirmed by Y" into (X, Y); (span, None) when nothing is embedded."""
    found = EMBEDDED_CITATION.search(span.text)
    if not found or found.start() == 0:
        return span, None
    head_text = span.text[: found.start()].rstrip(" ,")
    head = Span(span.start, span.start + len(head_text), head_text)
    inner_text = span.text[found.end() :]
    return head, Span(span.end - len(inner_text), span.end, inner_text)


def embedded_after(doc: Doc, span: Span, text: str) -> Span | None:
    """The source cited right after a source mention: "Our intelligence [confirmed by three sources]"."""
    found = EMBEDDED_AFTER.match(text, span.end)
    if not found:
        return None
    tok_span = doc.char_span(found.end(), found.end() + 1, alignment_mode="expand")
    if tok_span is None:
        return None
    tok = head = tok_span[0]
    while head.head is not head and head.head.i > head.i and head.head.pos_ in {"NOUN", "PROPN", "NUM", "ADJ"}:
        head = head.head
    start = min(t.idx for t in head.subtree if t.i >= tok.i)
    end = max(t.idx + len(t.text) for t in head.subtree)
    if start != found.end() or end - start > 120:
        return None
    return Span(start, end, text[start:end])


def relative_antecedent(doc: Doc, pronoun: Span, resolved: Span | None, text: str) -> Span | None:
    """Whom a relative pronoun that speaks refers to: its resolved antecedent, but the name an apposition describes
    ("McConnell, now the Senate majority leader, who said": McConnell); with none resolved, the noun phrase right
    before it ("the Chicago Police Department which reported")."""
    if resolved is not None:
        sp = char_span(doc, resolved.start, resolved.end)
        root = sp.root if sp is not None and len(sp) else None
        if root is None or root.dep_ != "appos" or root.head.i > root.i or root.head.pos_ != "PROPN":
            return resolved
        head = root.head  # the name with its conjuncts ("China and the United States, the world's ... polluters")
        last = max((t for t in head.subtree if t.i < root.left_edge.i and not t.is_punct), key=lambda t: t.i, default=head)
        start, end = head.left_edge.idx, last.idx + len(last.text)
        return Span(start, end, text[start:end])
    sp = char_span(doc, pronoun.start, pronoun.end)
    if sp is None or sp.start == 0:
        return None
    before = doc[sp.start - 1]
    if before.pos_ not in ("NOUN", "PROPN") or before.left_edge.i > before.i:
        return None
    start, end = before.left_edge.idx, before.idx + len(before.text)
    return Span(start, end, text[start:end])
