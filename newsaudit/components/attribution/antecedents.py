"""Antecedents of plural speakers: "They revealed ..." after "a boy ... as well as medical
staff at the hospital testified" is the boy and the staff, not an earlier named source.

:func:`group_antecedent` looks in the pronoun's own sentence (before it) and the sentence
before for the nearest verb with a group subject:

* two or more subjects joined by "and" or "as well as" (or parsed as two ``nsubj``; an
  "or" makes no group), when the verb is a cue (``testified``) or a subject is a speaker
  (a person, group or organisation; :func:`.candidates.is_speaker`);
* one plural noun subject of a cue verb ("Two farmers told reporters ...").

The antecedent is the subjects' noun phrases (with their modifiers and prepositional
phrases, from the first to the last).  Checked on 120 PolNeAR train articles.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from spacy.tokens import Doc, Token

from ...models.attribution.types import AttributionCandidate
from ...text.spans import doc_text
from .candidates import RELATIVE_PRONOUNS, SPEAKER_PRONOUNS, is_speaker
from .frames import cue_token
from .spans import tok_end

SUBJECTS = ("nsubj", "nsubjpass")
#: Left dependents that belong to a subject's noun phrase.
NP_LEFT = ("det", "amod", "compound", "nummod", "poss", "quantmod", "nmod", "predet", "advmod")


def _np_start(head: Token) -> int:
    lefts = [c.left_edge.i for c in head.lefts if c.dep_ in NP_LEFT]
    return min(lefts, default=head.i)


def _subjects(verb: Token, before: int) -> list[Token]:
    heads = []
    for child in verb.children:
        if child.dep_ in SUBJECTS and child.i < before and child.lower_ not in SPEAKER_PRONOUNS and child.pos_ != "PRON":
            heads.append(child)
            heads.extend(c for c in child.conjuncts if c.i < before)
    return heads


def group_antecedent(pronoun: Token, cues: Collection[str], nouns: dict[str, str]) -> tuple[int, int] | None:
    """(start, end) characters of the group a plural pronoun refers to; None when there is none."""
    doc = pronoun.doc
    sent = pronoun.sent
    first = doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
    best: list[Token] | None = None
    for verb in doc[first : pronoun.i]:
        if verb.pos_ not in ("VERB", "AUX"):
            continue
        heads = _subjects(verb, pronoun.i)
        if not heads:
            continue
        cue = verb.lemma_.lower() in cues
        if len(heads) >= 2:
            alternative = any(c.dep_ == "cc" and c.lower_ in ("or", "nor") for h in heads for c in h.children)
            group = not alternative and (cue or any(is_speaker(h, nouns) for h in heads))
        else:
            group = cue and heads[0].tag_ in ("NNS", "NNPS")
        if group:
            best = heads  # the last one before the pronoun wins
    if best is None:
        return None
    start = min(_np_start(t) for t in best)
    end = max(t.right_edge.i for t in best)
    while end > start and doc[end].is_punct:
        end -= 1
    return doc[start].idx, tok_end(doc[end])


def _copula_subject(head: Token) -> Token | None:
    """The subject a predicate noun describes: "Donald Trump is a serial liar, ..., and bully *who* has
    pledged ...": the relative clause hangs on a predicate noun (or a conjunct or apposition of one), so its speaker is
    the copula's subject, not the last noun of the list."""
    while head.dep_ in ("conj", "appos") and head.head is not head:
        head = head.head
    if head.dep_ != "attr" or head.head.lemma_ != "be":
        return None
    verb = head.head
    subject = next((c for c in verb.children if c.dep_ in SUBJECTS), None)
    if subject is None and verb.dep_ == "conj":  # "Trump regularly incites violence and is a serial liar ..."
        subject = next((c for c in verb.head.children if c.dep_ in SUBJECTS), None)
    return subject


def resolve_relative(doc: Doc, cand: AttributionCandidate) -> AttributionCandidate:
    """A relative-pronoun source ("locals who told him ...") gets its antecedent as ``resolved_source``
    (the source span stays the pronoun, as PolNeAR marks it)."""
    if cand.source is None or doc_text(doc)[cand.source[0]:cand.source[1]].strip().lower() not in RELATIVE_PRONOUNS:
        return cand
    tok = cue_token(doc, cand)
    while tok is not None and tok.dep_ not in ("relcl", "acl") and tok.head is not tok and tok.dep_ in ("conj", "xcomp", "ccomp"):
        tok = tok.head
    if tok is None or tok.dep_ != "relcl" or tok.head is tok:
        return cand
    head = tok.head
    subject = _copula_subject(head)
    if subject is not None and subject.lower_ not in SPEAKER_PRONOUNS and subject.lower_ not in RELATIVE_PRONOUNS:
        return replace(cand, resolved_source=(doc[_np_start(subject)].idx, tok_end(subject.right_edge)))
    left = head.left_edge
    right = head
    for child in head.rights:
        if child.i >= tok.i or child.dep_ in ("punct", "relcl"):
            break
        right = child.right_edge
    return replace(cand, resolved_source=(left.idx, right.idx + len(right.text)))


def cut_open_relative(doc: Doc, cand: AttributionCandidate) -> AttributionCandidate:
    """A source that stops inside its own relative clause ("two people with knowledge of the plan who asked [not to be
    named]") ends before the clause, unless the cue is the clause's ("Mr. Kamin, who said": PolNeAR's source is "who").
    A name cut mid-clause reads as nonsense."""
    if cand.source is None:
        return cand
    span = doc.char_span(cand.source[0], cand.source[1], alignment_mode="expand")
    if span is None:
        return cand
    cue = cand.cue_index
    for tok in span:
        verb = tok.head
        if tok.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl" and span.start <= verb.head.i < tok.i \
                and tok_end(verb.right_edge) > cand.source[1] and not verb.left_edge.i <= cue <= verb.right_edge.i:
            last = tok.i - 1
            while last > span.start and (doc[last].is_punct or doc[last].is_space):
                last -= 1
            return replace(cand, source=(cand.source[0], tok_end(doc[last])), rule=cand.rule + "+relative-cut")
    return cand
