"""Links between sources that the wording of the article makes (step 4 of ``newsaudit_sources``).

* "as reported by X": X is an outlet the article relays, a source even without words of its own.
* "told X", "said in an interview with X": when X is an outlet or a journalist (a pronoun "him" resolved to
  "a reporter from German public broadcaster ZDF"), X is the channel the words came through: the attribution
  is relayed by X (``relayed_by``) and X is a source.
* "..., citing X" / "quoting X": X is a source cited by the speaker of the clause ("citing an unnamed source in
  the security services"; "citing reports from army field commanders" cites the commanders).
* "received a tip-off from X": X is known only through the receiver, and is cited by it.
* speaks for: a spokesperson, lawyer, aide or representative of a body or a person that is itself a source
  ("Stein spokeswoman Melezia Figueroa", "The ministry's spokesman, Colonel Arif Demir", "its chief executive")
  ``speaks_for`` it.  Speaking for is not relaying: it adds no relay depth.
* non-answers: "declined to comment", "did not respond to a request for comment" are the subject's
  non-answers: no content, no stance.
"""

from __future__ import annotations

import itertools
import re

import numpy
from spacy.attrs import LEMMA
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ..text.spans import doc_text
from ..types import Span
from .source_bodies import office_of
from .source_groups import Builder, key_of, name_head
from .source_kinds import (
    CITING,
    DOCUMENT,
    OFFICIAL,
    OUTLET,
    PARTY_TAG,
    PERSON,
    classify,
    descriptor_role,
    document_terms,
    has_verb,
    names_a_source,
    state_of,
    title_roles,
)
from .source_names import mention_words
from .source_roles import AS_REPORTED, cased, is_person_noun, role_mention, title_noun

#: Nouns of the people who wrote a document ("the study's lead author", "The authors").
AUTHOR_NOUNS = frozenset({"author", "authors", "co-author", "co-authors", "coauthor", "coauthors"})
AUTHOR_WORD = re.compile(r"\b(?:co-?)?authors?\b", re.I)
#: Roles whose holder speaks for the body or person named with them.
VOICE_ROLES = frozenset({
    "spokesman", "spokeswoman", "spokesperson", "aide", "adviser", "advisor", "lawyer", "attorney", "representative", "publicist",
    "staffer", "executive", "secretary", "manager", "strategist", "official", "officer", "director", "chairman",
    "chairwoman", "chief",
})
#: Common nouns of bodies a spokesperson may speak for ("The ministry's spokesman", "a police spokesman").
INSTITUTION_NOUNS = frozenset({"ministry", "police", "government", "army", "military", "department", "agency", "company", "campaign",
                               "committee", "council", "court", "office", "embassy", "party", "union", "firm", "administration"})
#: The organs of a state that speak for it (the head noun of their name).
STATE_ORGANS = frozenset({"ministry", "government", "army", "military", "embassy", "cabinet", "office", "forces", "presidency"})
#: Addressees that are the press at large, not one outlet.
GENERIC_PRESS = frozenset({"reporters", "journalists", "press", "media", "newsmen", "correspondents"})
RECEIVING = frozenset({"receive", "get", "obtain", "hear"})
REFUSAL_OBJECTS = frozenset({"comment", "respond", "answer", "say", "discuss", "elaborate", "speak", "reply", "confirm", "disclose",
                             "reveal", "specify", "identify"})
NEGATED_REPLIES = frozenset({"respond", "reply", "return", "comment", "answer"})
#: Verbs of telling that, negated with no that-clause, withhold an answer ("isn't saying if", "would not confirm it").
WITHHELD_TELLING = frozenset({"say", "confirm", "disclose", "specify", "discuss", "reveal", "elaborate"})
#: Pronoun subjects of a non-answer resolved to their antecedent ("Through a spokesman, he declined to comment").
THIRD_PERSON = frozenset({"he", "she", "it", "they"})
REFUSING = frozenset({"decline", "refuse"})
DOCUMENT_FROM = re.compile(r"^(?:(?:an?|the|some|several|two|three)\s+)?(?:[\w-]+\s+){0,2}?"
                           r"(?:reports?|accounts?|information|intelligence|data|messages?|statements?)\s+(?:by|from|of)\s+(?P<author>.+)$",
                           re.I)
#: Left dependents of a name that describe it ("Republican nominee Donald Trump").
DESCRIBING_DEPS = frozenset({"compound", "amod", "nmod", "appos", "punct"})


def descriptors_around(ent: SpacySpan) -> list[str]:
    """The words the text describes a person with at one occurrence of the name, nearest the name last:
    its titles and modifiers ("Sen.", "Republican nominee"), its apposition ("Tom Clarke, a nursing home
    operator,"), the noun it is in apposition to ("the former secretary of state, Hillary Clinton"), and the person
    nouns the tagger put inside the name ("Comedian Marla Quinn")."""
    doc = ent.doc
    words: list[str] = []
    root = ent.root
    for child in root.children:
        if child.dep_ == "appos" and child.i >= ent.end:
            words.extend(t.text for t in child.subtree if t.pos_ in ("NOUN", "PROPN") and t.i <= child.i)
    if root.dep_ == "appos" and root.head.i < ent.start and root.head.pos_ == "NOUN":
        words.append(root.head.text)
    if root.dep_ in ("poss", "compound") and root.head.pos_ == "NOUN" and root.head.i >= ent.end:
        words.append(root.head.lemma_)  # "Donald Trump's presidential campaign", "a Trump supporter"
    after = doc_text(doc)[ent.end_char : ent.end_char + 12]
    if PARTY_TAG.match(after.lstrip()):
        words.append("lawmaker")
    left = [t.text for t in doc[root.left_edge.i : ent.start] if not t.is_punct and t.i >= ent.start - 8]
    inside = list(itertools.takewhile(is_person_noun, (t.text for t in ent[:-1])))  # the tagger's "Comedian Marla Quinn"
    return words + left + inside


def named_people_roles(doc: Doc) -> dict[str, str]:
    """The roles of the people the article names, by normalised full name and surname, from what it calls them
    ("Pop singer Lana Brooks": person; "Sen. Paul Hendry": official) or an office they held: what the
    representative or agent of someone who is no source of the article takes ("A representative for Brooks")."""
    out: dict[str, str] = {}
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        descriptors = descriptors_around(ent)
        found = descriptor_role(descriptors)  # a title of office ("Sen."), not a role word ("aide": a person)
        role = OFFICIAL if office_of(ent.text) else found[0] if found and found[1] in title_roles() else \
            PERSON if any(is_person_noun(d) for d in descriptors) else None
        key = key_of(ent.text)
        if role is not None and key:
            out.setdefault(key, role)
            out.setdefault(key.split()[-1], role)
    return out


def lemma_tokens(doc: Doc, lemmas: frozenset[str]) -> list[Token]:
    """The tokens whose lemma is one of ``lemmas``, found on an array (no Token made for the others)."""
    strings = doc.vocab.strings
    ids = numpy.array([strings.add(x) for x in lemmas], dtype="uint64")
    column = doc.to_array([LEMMA]).astype("uint64").reshape(-1)
    return [doc[int(i)] for i in numpy.flatnonzero(numpy.isin(column, ids))]


def _phrase(tok: Token) -> tuple[int, int]:
    """The character span of ``tok``'s noun phrase without a clause after it ("Sony, which is developing the film,"
    is "Sony") and without punctuation at its end."""
    cut = min((r.left_edge.i for r in tok.rights if r.dep_ in ("relcl", "acl")), default=None)
    sub = [t for t in tok.subtree if cut is None or t.i < cut]
    while len(sub) > 1 and (sub[-1].is_punct or sub[-1].is_space):
        sub.pop()
    return sub[0].idx, sub[-1].idx + len(sub[-1].text)


class LinkFinder:
    """The links of one Doc, written into the builder's groups; ``channels``: attribution id -> the group of the
    source it came through."""

    def __init__(self, builder: Builder) -> None:
        self.b = builder
        self.channels: dict[str, int] = {}

    def run(self) -> None:
        self.as_reported()
        self.told()
        self.citing()
        self.received()
        self.non_answers()
        self.voices()
        self.state_organs()
        self.authors()

    def _span(self, start: int, end: int) -> Span:
        return Span(start, end, self.b.text[start:end])

    def _group_at(self, start: int, end: int) -> int | None:
        for i, g in enumerate(self.b.groups):
            if i not in self.b.dead and any(m.start < end and start < m.end for m in g.mentions):
                return i
        return None

    def _subject_group(self, verb: Token, create: bool = True) -> int | None:
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        while subject is None and verb.dep_ in ("xcomp", "conj", "advcl") and verb.head is not verb:
            verb = verb.head
            subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None:
            return None
        start, end = _phrase(subject)
        found = self._group_at(start, end)
        if found is not None or not create or subject.tag_ in ("PRP", "WP", "WDT"):
            if found is None and subject.tag_ == "PRP":
                cand = self.b.resolver.resolve(self._span(subject.idx, subject.idx + len(subject.text)))
                return cand.group if cand is not None else None
            return found
        return self.b.add_phrase(self._span(start, end), None)

    # ------------------------------------------------------------------ relays

    def as_reported(self) -> None:
        for found in AS_REPORTED.finditer(self.b.text):
            name = found.group("outlet").rstrip(".")
            self.b.add(name, Span(found.start("outlet"), found.start("outlet") + len(name), name), None)

    def told(self) -> None:
        doc = self.b.doc
        for att in self.b.attributions:
            if att.cue is None or att.id not in self.b.by_attr:
                continue
            sp = doc.char_span(att.cue.start, att.cue.end, alignment_mode="expand")
            if sp is None or not len(sp):
                continue
            verb = sp.root
            addressee = self._addressee(verb)
            if addressee is None:
                continue
            channel = self._outlet_group(addressee)
            if channel is not None and channel != self.b.by_attr[att.id]:
                self.channels[att.id] = channel

    @staticmethod
    def _addressee(verb: Token) -> Token | None:
        lemma = verb.lemma_.lower()
        if lemma == "tell":
            return next((c for c in verb.children if c.dep_ in ("dobj", "dative", "iobj")), None)
        for prep in verb.children:  # "said in an interview with X", "spoke to X", "said to X"
            if prep.dep_ != "prep":
                continue
            obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if obj is None:
                continue
            if prep.lower_ == "to" and lemma in ("say", "speak", "talk", "explain", "confirm"):
                return obj
            if prep.lower_ == "in" and obj.lemma_.lower() == "interview":
                inner = next((p for p in obj.children if p.dep_ == "prep" and p.lower_ == "with"), None)
                return next((c for c in inner.children if c.dep_ == "pobj"), None) if inner is not None else None
        return None

    def _outlet_group(self, tok: Token) -> int | None:
        """The source group of an addressee that is an outlet or a journalist (None for anyone else)."""
        if tok.tag_ == "PRP":
            cand = self.b.resolver.resolve(self._span(tok.idx, tok.idx + len(tok.text)))
            if cand is None:
                return None
            start, end = cand.start, cand.end
        else:
            start, end = _phrase(tok)
        span = self._span(start, end)
        words = mention_words(self.b.doc, span)
        role, identity, _ = classify(span.text, words)
        if role != OUTLET or identity == "anonymous" or (words and words[-1][0] in GENERIC_PRESS):
            return None  # "told reporters": the press at large, no channel of its own
        found = self._group_at(start, end)
        return found if found is not None else self.b.add(span.text, span, None)

    def citing(self) -> None:
        for tok in lemma_tokens(self.b.doc, CITING):
            obj = next((c for c in tok.children if c.dep_ in ("dobj", "pobj")), None)
            if obj is None:
                continue
            if tok.tag_ == "VBG" and tok.head is not tok:
                citer = self._speaker_of_clause(tok.head)  # "..., citing X": the one who said it cites X
            elif tok.tag_ in ("VBD", "VBZ", "VBP") and names_a_source(obj) and not has_verb(obj.subtree):
                citer = self._subject_group(tok)  # "The paper cited unnamed sources": the paper is a source too
            else:
                continue
            if citer is None:
                continue
            start, end = _phrase(obj)
            text = self.b.text[start:end]
            author = DOCUMENT_FROM.match(text)
            if author is not None:
                start += author.start("author")
            span = self._span(start, end)
            idx = self._group_at(start, end)
            if idx is None or idx == citer:  # "the trade paper X, which cited two people ...": a mention holds the clause
                idx = self.b.add(span.text, span, None)
            if idx != citer and self.b.groups[idx].cited_by is None:
                self.b.groups[idx].cited_by = citer

    def _speaker_of_clause(self, verb: Token) -> int | None:
        """The source group of the attribution whose cue is ``verb`` or a verb above it ("said ... that troops had crossed
        ..., citing X": the one who said), or failing one, the verb's subject."""
        cur = verb
        for _ in range(6):
            for att in self.b.attributions:
                if att.cue is not None and att.cue.start <= cur.idx < att.cue.end and att.id in self.b.by_attr:
                    return self.b.by_attr[att.id]
            if cur.head is cur:
                break
            cur = cur.head
        return self._subject_group(verb, create=False)

    def received(self) -> None:
        for tok in lemma_tokens(self.b.doc, RECEIVING):
            if tok.pos_ != "VERB":
                continue
            giver = None
            for child in tok.subtree:
                if child.dep_ == "prep" and child.lower_ == "from" and child.head.i in (tok.i, *[c.i for c in tok.children]):
                    giver = next((c for c in child.children if c.dep_ == "pobj"), None)
                    break
            if giver is None:
                continue
            start, end = _phrase(giver)
            idx = self._group_at(start, end)
            if idx is None:
                continue  # only a source the article quotes is placed below its receiver
            receiver = self._subject_group(tok)
            if receiver is not None and receiver != idx and self.b.groups[idx].cited_by is None:
                self.b.groups[idx].cited_by = receiver

    # ------------------------------------------------------------------ speaks for

    def voices(self) -> None:
        b = self.b
        for i, g in enumerate(b.groups):
            if g.speaks_for is not None:
                continue
            for m in list(g.mentions):
                target = self._voice_of(i, m)
                if target is not None and classify(b.groups[target].name, b.groups[target].doc_words)[0] != DOCUMENT:
                    g.speaks_for = target
                    break

    def state_organs(self) -> None:
        """A state's ministry, army, embassy or government speaks for the state when the state is itself a source:
        "the Russian Defense Ministry" and "China's foreign ministry" are voices of "Russia" and "China"."""
        b = self.b
        states: dict[str, int] = {}
        for j, g in enumerate(b.groups):
            state = None if j in b.dead or g.person else state_of(g.label)
            if state is not None:
                states.setdefault(state, j)
        for i, g in enumerate(b.groups):
            if not states or g.speaks_for is not None or g.person or i in b.dead or name_head(g.key) not in STATE_ORGANS:
                continue
            target = next((states[s] for w in g.key.split() if (s := state_of(w)) in states), None)
            if target is not None and target != i:
                g.speaks_for = target

    def authors(self) -> None:
        """The authors of a document the article quotes speak for it: "Dr. Priya Natarajan, the study's lead
        author" and "The authors cautioned ..." are the study's voice, not voices of their own."""
        b = self.b
        writers = [i for i, g in enumerate(b.groups) if i not in b.dead and g.speaks_for is None
                   and any(AUTHOR_WORD.search(m.text) for m in g.mentions)]
        if not writers:
            return
        documents = {j: {w for w, _e, _p in g.doc_words} & document_terms() for j, g in enumerate(b.groups)
                     if j not in b.dead and not g.person and classify(g.name, g.doc_words)[0] == DOCUMENT}
        for i in writers:
            g = b.groups[i]
            if i in documents:
                continue
            for m in g.mentions:
                words = [w for w, _e, _p in mention_words(b.doc, m)]
                at = next((k for k, w in enumerate(words) if w in AUTHOR_NOUNS), None)
                target = None if at is None else _document_of(words, at, documents)
                if target is not None:
                    g.speaks_for = target
                    break

    def _voice_of(self, i: int, mention: Span) -> int | None:
        words = mention_words(self.b.doc, mention)
        if not words or words[0][0] in ("he", "she", "it", "they", "who"):
            return None
        cut = _head_cut(words)
        at = next((k for k in range(cut - 1, -1, -1) if (title_noun(words[k]) and words[k][0].removesuffix("s") in VOICE_ROLES)
                   or (words[k][2] == "NOUN" and words[k][0] in document_terms())), None)  # "a police statement": the police's
        if at is None:
            return None
        first = words[0][0]
        if first in ("its", "his", "her", "their"):  # "its chief executive": whom the possessive refers to
            cand = self.b.resolver.resolve(Span(mention.start, mention.start + len(first), mention.text[: len(first)]))
            target = cand.group if cand is not None else None
        else:
            written = cased(mention.text, words)
            proper = [written[k] for k in range(at) if words[k][1] in ("PERSON", "ORG", "GPE", "NORP") or words[k][2] == "PROPN"]
            common = [written[k].lower() for k in range(at) if title_noun(words[k]) and words[k][0] in INSTITUTION_NOUNS]
            role = role_mention(words, written)
            principal = " ".join(proper).replace(" ’s", "").replace(" 's", "") or (f"the {common[-1]}" if common else None) \
                or (role[3] if role else None)
            target = self._find(principal, i) if principal else None
        return target if target != i else None

    def _find(self, body: str, voice: int) -> int | None:
        """The group of the body or person a voice speaks for (met before or after it)."""
        key = key_of(body)
        for j, g in enumerate(self.b.groups):
            if j != voice and j not in self.b.dead and (key in g.aliases or (g.person and key in key_of(g.person).split()[-1:])):
                return j
        found = self.b.grouper.find(body, None, None, 1 << 30, exclude=voice)
        common = body.lower().startswith("the ") or body[:1].islower()
        if found is None and common and len(key.split()) == 1:  # "the authority": the one body so headed
            heads = [j for j, g in enumerate(self.b.groups)
                     if j != voice and j not in self.b.dead and not g.person and name_head(g.key) == key]
            found = heads[0] if len(heads) == 1 else None
        return found

    # ------------------------------------------------------------------ non-answers

    def non_answers(self) -> None:
        contents = [p for a in self.b.attributions for p in (a.content_pieces or (a.content,))]
        for tok in lemma_tokens(self.b.doc, REFUSING | NEGATED_REPLIES | WITHHELD_TELLING):
            if not _non_answer(tok) or tok.pos_ not in ("VERB", "AUX"):
                continue
            if any(p.start <= tok.idx < p.end for p in contents):
                continue  # "X said the campaign would not comment": what X said, not the campaign's silence
            idx = self._subject_group(tok)
            if idx is None:
                idx = self._pronoun_group(tok)
            if idx is None:
                continue
            end = max(t.idx + len(t.text) for t in tok.subtree if t.i >= tok.i and not (t.is_punct or t.is_space))
            start = min([tok.idx] + [t.idx for t in tok.children if t.i < tok.i and t.dep_ in ("aux", "neg")])
            self.b.groups[idx].non_answers.append(self._span(start, end))

    def _pronoun_group(self, verb: Token) -> int | None:
        """"Through a spokesman, he declined to comment": a third-person pronoun subject stands for its antecedent,
        a source of its own when it is none yet, and is one of its mentions."""
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is None or subject.lower_ not in THIRD_PERSON:
            return None
        span = self._span(subject.idx, subject.idx + len(subject.text))
        cand = self.b.resolver.resolve(span)
        if cand is None:
            return None
        idx = cand.group
        if idx is None or idx in self.b.dead:
            idx = self.b.add(self.b.text[cand.start : cand.end], self._span(cand.start, cand.end), None)
        self.b.groups[idx].mention(span)
        return idx


def _document_of(words: list[str], at: int, documents: dict[int, set[str]]) -> int | None:
    """The document group whose author the author noun at ``at`` names ("the study's lead author", "an author
    of the report"; ``documents``: group -> its document nouns); "The authors" alone: the one document quoted."""
    def headed(word: str) -> int | None:
        found = [j for j, nouns in documents.items() if word in nouns]
        return found[0] if len(found) == 1 else None

    before = words[max(0, at - 4) : at]
    marks = [k for k, w in enumerate(before) if w in ("'s", "’s")]
    if marks:
        return headed(before[marks[-1] - 1]) if marks[-1] > 0 else None
    if words[at + 1 : at + 2] == ["of"]:
        return next((j for w in words[at + 2 : at + 5] if (j := headed(w)) is not None), None)
    if words[0] == "the" and at == len(words) - 1 <= 2 and len(documents) == 1:  # "The authors", "the study authors"
        return next(iter(documents))
    return None


def _non_answer(tok: Token) -> bool:
    """A refusal to answer ("declined to comment"), a negated reply ("did not respond"), or a negated telling
    without a that-clause ("isn't saying if the foundation broke the law", "would not confirm it")."""
    lemma = tok.lemma_.lower()
    if lemma in REFUSING:
        return any(c.dep_ == "xcomp" and c.lemma_.lower() in REFUSAL_OBJECTS for c in tok.children)
    if not any(c.dep_ == "neg" for c in tok.children):
        return False
    if lemma in NEGATED_REPLIES:
        return True
    return lemma in WITHHELD_TELLING and not any(
        c.dep_ == "ccomp" and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children) for c in tok.children)


def _head_cut(words: list[tuple[str, str, str]]) -> int:
    return next((k for k, w in enumerate(words) if k and (w[2] in ("ADP", "PUNCT") or w[0] in ("who", "that"))), len(words))
