"""Documents and their authors, a step of ``newsaudit_sources`` (:class:`.sources.Builder`): a document whose author
the text names is its author's voice ("a Times article" and "The Times", "Its own 2019 study" and the body "its"
refers to, "The statement said" and the union that issued it)."""

from __future__ import annotations

from ..types import Span
from .source_groups import Builder, Group
from .source_kinds import document_terms
from .source_links import lemma_tokens
from .source_mentions import group_at, merge
from .source_roles import Word, singular


def merge_documents(b: Builder) -> None:
    """A definite document ("The statement said", "the ad", "the ruling") joins the source that issued the document of
    that name the article met before ("In a statement, the union said", "A new ad from Donald Trump's campaign",
    "The city of Phoenix sent a letter"): a document whose author the text names is its author's voice."""
    nouns = document_terms()
    _merge_named_authors(b, nouns)
    for j, g in enumerate(b.groups):
        if j in b.dead or g.person or not g.forms:
            continue
        heads = {_definite_document(words, nouns) for _t, words in g.forms}
        if len(heads) != 1 or None in heads:
            continue
        author = _issuer(b, heads.pop() or "", g.met if g.met >= 0 else g.first(), j)
        if author is not None:
            merge(b, author, j)


def _merge_named_authors(b: Builder, nouns: frozenset[str]) -> None:
    """A document named by its author ("a Times article", "A Bloomberg poll", "a Reuters survey") joins the source of
    that name when the article has one ("The Times", "Bloomberg")."""
    keys = {g.key: i for i, g in enumerate(b.groups) if i not in b.dead and g.key}
    for j, g in enumerate(b.groups):
        words = g.doc_words[: next((k for k, w in enumerate(g.doc_words) if k and (w[2] in ("ADP", "PUNCT", "VERB", "AUX")
                                                                                    or w[0] in ("that", "which"))), len(g.doc_words))]
        at = next((k for k in range(len(words) - 1, -1, -1) if words[k][2] == "NOUN"), None)
        if j in b.dead or at is None or singular(words[at][0]) not in nouns:
            continue
        author = " ".join(w for w, _e, p in words[:at] if p == "PROPN")
        idx = keys.get(author) if author else _possessor(b, g) if words[0][0] in POSSESSIVES else None
        if idx is not None and idx != j and idx not in b.dead and not set(author.split()) & {"'s", "’s"}:
            merge(b, idx, j)


POSSESSIVES = frozenset({"its", "his", "her", "their"})


def _possessor(b: Builder, g: Group) -> int | None:
    """The source a document's possessive pronoun refers to ("Its own 2019 study": the transit authority's)."""
    m = min(g.mentions, key=lambda s: s.start)
    first = m.text.split(None, 1)[0] if m.text.strip() else ""
    if first.lower() not in POSSESSIVES:
        return None
    cand = b.resolver.resolve(Span(m.start, m.start + len(first), first))
    return cand.group if cand is not None else None


def _definite_document(words: list[Word], nouns: frozenset[str]) -> str | None:
    """The document noun of a short definite mention ("the statement", "The ad"); None for any other mention."""
    content = [w for w, _e, p in words if p in ("NOUN", "PROPN", "ADJ")]
    if not words or words[0][0] not in ("the", "this", "that") or not content or len(content) > 2:
        return None
    head = singular(content[-1])
    return head if head in nouns else None


def _issuer(b: Builder, noun: str, before: int, own: int) -> int | None:
    """The source group that issued the latest document called ``noun`` before ``before`` (other than group ``own``):
    the group whose mention holds the word, else the speaker or the subject of the verb it hangs on."""
    found = [t for t in lemma_tokens(b.doc, frozenset({noun})) if t.idx < before]
    if not found:
        return None
    tok = found[-1]
    idx = group_at(b, tok.idx, tok.idx + len(tok.text))
    if idx is not None and idx != own:
        return idx
    verb = tok
    for _ in range(4):
        if verb.pos_ in ("VERB", "AUX") or verb.head is verb:
            break
        verb = verb.head
    for att in b.attributions:
        if att.cue is not None and att.cue.start <= verb.idx < att.cue.end and att.id in b.by_attr:
            return b.by_attr[att.id] if b.by_attr[att.id] != own else None
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return None
    idx = group_at(b, subject.idx, subject.idx + len(subject.text))
    return idx if idx != own else None
