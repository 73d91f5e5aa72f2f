"""Antecedents of plural speakers: "They revealed ..." after "a boy ... as well as medical
staff at the hospital testified" is the boy and the staff, not an earlier named source.

:func:`group_antecedent` looks in the pronoun's own sentence (before it) and the sentence
before for the nearest verb with a group subject: two or more subjects (coordinated,
"as well as", or parsed as two ``nsubj``), or one plural noun subject.  The group must be
able to speak: the verb is a cue (``testified``, ``told``) or a subject is a speaker
(a person, group or organisation; :func:`.candidates.is_speaker`).
"""

from __future__ import annotations

from collections.abc import Collection

from spacy.tokens import Token

from .candidates import SPEAKER_PRONOUNS, is_speaker
from .spans import tok_end

SUBJECTS = ("nsubj", "nsubjpass")


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
        group = len(heads) >= 2 or heads[0].tag_ in ("NNS", "NNPS")
        speaks = verb.lemma_.lower() in cues or any(is_speaker(h, nouns) for h in heads)
        if group and speaks:
            best = heads  # the last one before the pronoun wins
    if best is None:
        return None
    start = min(t.left_edge.i for t in best)
    end = max(t.right_edge.i for t in best)
    while end > start and doc[end].is_punct:
        end -= 1
    return doc[start].idx, tok_end(doc[end])
