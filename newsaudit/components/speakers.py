"""Speaker resolution: whom a pronoun refers to ("he said", "she added", "its", "they").

Candidates are the mentions before the pronoun that could be its antecedent: every person,
organisation, place or group the parser names (``doc.ents``) and every source mention the
source grouping has met (a description such as "a spokeswoman for the agency" included).  A
candidate must agree with the pronoun:

* "he"/"she" (and "his", "her", ...): a person whose gender is the pronoun's or unknown
  (:mod:`.genders`: titles, gendered nouns, first names); never an outlet or an organisation;
* "it"/"its": a body or a thing, never a person nor a plural;
* "they"/"their": a plural (a plural noun, two people joined by "and", a group such as
  "Democrats") or a body.

The pronoun's own quotation is no place for its antecedent (in “..., Lopez said,” he said the
speaker is not Lopez).  Among the agreeing candidates the one chosen is, looking back one
sentence at a time: in the pronoun's own sentence the nearest; in an earlier sentence its
leftmost subject or speaker (the topic the next sentence goes on about), else its nearest.
When no sentence within :data:`SENTENCES_BACK` has one, the last agreeing speaker within
:data:`SPEAKER_WINDOW` characters continues ("she added" after a speaker change).

First-person pronouns are not resolved here: in a quotation they are its speaker's (the source
grouping reads that), outside one they are the writer's.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace

import numpy
from spacy.attrs import POS
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ..text.quotes import QUOTE_CHARS, quotations
from ..text.spans import doc_text
from ..types import Span
from .genders import FEMALE, MALE, agrees, first_names, pronoun_features, words_gender
from .source_roles import people_nouns

#: How many sentences before the pronoun's own are searched for an antecedent.
SENTENCES_BACK = 3
#: How far back (characters) the last agreeing speaker may be.
SPEAKER_WINDOW = 3000
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
PERSON, BODY, GROUP = "person", "body", "group"
#: The possessive of each subject pronoun.
POSSESSIVE_OF = {"he": "his", "she": "her", "it": "its", "they": "their"}
#: What follows a possessor's name ("Gary Johnson's doctor").
POSSESSIVE_ENDS = frozenset({"'s", "’s"})
#: Words that open a relative clause ("A woman who lives ..., and who asked not to be named" is one woman).
RELATIVES = frozenset({"who", "whom", "whose", "which", "that"})


@dataclass(frozen=True)
class Candidate:
    """A mention that could be a pronoun's antecedent."""

    start: int
    end: int
    kind: str  # PERSON, BODY or GROUP (plural people)
    gender: str | None
    subject: bool
    #: index of the source group this mention belongs to; None for a name the text only mentions
    group: int | None = None
    #: an organisation (which "they" may refer to), not a place
    org: bool = False
    #: for a pronoun already resolved, where its antecedent is ("She was anxious. [...] she said": Melanie)
    ante: tuple[int, int] | None = None

    @property
    def speaker(self) -> bool:
        return self.group is not None


def _ent_candidate(ent: SpacySpan) -> Candidate | None:
    root = ent.root
    subject = root.dep_ in SUBJECT_DEPS
    if ent.label_ == "PERSON":
        first = ent[0].text if len(ent) > 1 else None
        titles = [t.text for t in ent.doc[max(0, ent.start - 2) : ent.start]]  # "Mrs." before the name
        return Candidate(ent.start_char, ent.end_char, PERSON, words_gender(titles, first), subject)
    if ent.label_ in ("ORG", "GPE", "FAC"):
        return Candidate(ent.start_char, ent.end_char, BODY, "n", subject, org=ent.label_ == "ORG")
    if ent.label_ == "NORP" and root.tag_ in ("NNPS", "NNS"):  # "Democrats", not "Russian"
        return Candidate(ent.start_char, ent.end_char, GROUP, None, subject)
    return None


def _as_surname(cand: Candidate, lower: str, surnames: dict[str, str | None]) -> Candidate:
    """A person's candidate takes the gender of the full name whose surname it is ("Obama" of "Barack Obama"); a
    surname the tagger took for an organisation or a place ("Trump" as ORG) is that person.  A one-word name that is
    no full name's surname is a first name ("Kevin was snoring"): it takes that name's gender."""
    if lower not in surnames:
        if cand.kind == PERSON and cand.gender is None and " " not in lower:
            return replace(cand, gender=first_names().get(lower))
        return cand
    if cand.kind == PERSON and cand.gender is None:
        return replace(cand, gender=surnames[lower])
    if cand.kind == BODY:
        return replace(cand, kind=PERSON, gender=surnames[lower], org=False)
    return cand


def _topical(by_sentence: dict[int, list[Candidate]], here: int, speakers_first: bool,
             paragraph: int | None = None) -> Candidate | None:
    """In the sentences before the pronoun's, nearest first: the leftmost subject or speaker (what the next sentence
    goes on about); with ``speakers_first``, an earlier speaker before any subject ("he said" goes on with a speaker),
    but for a speaker met before ``paragraph`` (the start of the pronoun's paragraph when the sentence just before
    is in it too) the subject of that sentence ("Brandt said ... .  Asked about it, Hendry laughed. “...,” he said":
    Hendry).  A possessive that refers to a speaker ("his health") is no speaker."""
    earlier = range(here - 1, here - SENTENCES_BACK - 1, -1)
    if speakers_first:
        for k in earlier:
            speakers = [c for c in by_sentence.get(k, ()) if c.speaker and (c.subject or c.ante is None)]
            if speakers:
                if paragraph is not None and speakers[-1].start < paragraph:
                    lead = [c for c in by_sentence.get(here - 1, ()) if c.subject]
                    return lead[-1] if lead else speakers[-1]
                return speakers[-1]
    for k in earlier:
        topical = [c for c in by_sentence.get(k, ()) if c.subject or c.speaker]
        if topical:
            return topical[-1]
    return None


def _surname_genders(doc: Doc) -> dict[str, str | None]:
    """Surname (lower case) -> the gender of the full names the article gives it ("Obama" of "Barack Obama": m);
    None when two names with that surname disagree ("Bill Clinton", "Hillary Clinton")."""
    out: dict[str, str | None] = {}
    for ent in doc.ents:
        if ent.label_ != "PERSON" or not ent[-1].is_alpha:
            continue
        before = doc[ent.start - 1] if ent.start else None
        if len(ent) < 2 and (before is None or before.pos_ != "PROPN" or not before.is_title):
            continue  # a one-word name after a capitalised name ("Amelize Joseph", the tagger taking "Joseph") is a surname
        titles = [t.text for t in doc[max(0, ent.start - 2) : ent.start]]
        gender = words_gender(titles, ent[0].text if len(ent) > 1 else before.text if before is not None else None)
        last = ent[-1].lower_
        if last in out and out[last] != gender:
            out[last] = None
        else:
            out.setdefault(last, gender)
    return out


def _one_word_people(doc: Doc) -> frozenset[str]:
    """One-word names (lower case) the tagger calls a person somewhere in the article and never anything else."""
    people = {e[0].lower_ for e in doc.ents if e.label_ == "PERSON" and len(e) == 1 and e[0].is_alpha}
    others = {e[0].lower_ for e in doc.ents if e.label_ != "PERSON" and len(e) == 1}
    return frozenset(people - others)


def wanted(word: str, token: object = None) -> tuple[str, str | None] | None:
    """(kind the antecedent must have, gender) for a third-person pronoun; None for any other word."""
    feats = pronoun_features(word, token)  # type: ignore[arg-type]
    if feats is None or feats[0] != 3:
        return None
    _person, number, gender = feats
    if number == "plur":
        return GROUP, None
    if gender == "n":
        return BODY, None
    return PERSON, gender if gender in (FEMALE, MALE) else None


def fits(cand: Candidate, kind: str, gender: str | None, features: tuple[str, str | None] | None = None) -> bool:
    """Whether ``cand`` agrees with a pronoun that wants ``kind`` and ``gender``; ``features``: the (kind, gender) of
    the source entity the candidate belongs to, which outweigh the mention's own ("Lopez" is Maria Lopez, a woman)."""
    cand_kind, cand_gender = features or (cand.kind, cand.gender)
    if kind == PERSON:
        return cand_kind == PERSON and agrees(cand_gender, gender)
    return cand_kind == kind  # "they" is tried on groups, then on bodies (:meth:`SpeakerResolver.resolve`)


class SpeakerResolver:
    """The candidates of one Doc and the resolution of its third-person pronouns."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self._sents = [s.start_char for s in doc.sents] if doc.has_annotation("SENT_START") else [0]
        self._cands: list[Candidate] = []
        for ent in doc.ents:
            cand = _ent_candidate(ent)
            if cand is not None:
                self._cands.append(cand)
        surnames = self.surnames = _surname_genders(doc)
        text = doc_text(doc)
        self._cands = [_as_surname(c, text[c.start : c.end].lower(), surnames) for c in self._cands]
        taken = {c.start for c in self._cands}
        nouns, verbs, propns = _by_pos(doc)
        people = self.people = _one_word_people(doc)
        self._cands += [  # "Trump" where the tagger saw no name: the surname of a person the article names in full,
            # or a one-word name it tags as a person elsewhere and as nothing else ("Oz")
            Candidate(t.idx, t.idx + len(t.text), PERSON, surnames.get(t.lower_), t.dep_ in SUBJECT_DEPS)
            for t in propns if not t.ent_type_ and (t.lower_ in surnames or t.lower_ in people) and t.idx not in taken
        ]
        self._cands += _titled(_chunk_candidates(nouns, verbs), doc, text, self._sents)
        self._sorted = False
        self._starts: list[int] = []
        self._quotes = quotations(text)
        #: (kind, gender) of each source group, kept up to date by the source grouping
        self.features: dict[int, tuple[str, str | None]] = {}
        self._quote_starts = [q[0] for q in self._quotes]
        #: the closed quotations: an excerpt left unclosed at its paragraph's end is narration, whose names may be
        #: antecedents ("Melanie thought ... [excerpt ends]  “...,” she said")
        self._spoken = [q for q in self._quotes if text[q[1] - 1] in QUOTE_CHARS]
        self._spoken_starts = [q[0] for q in self._spoken]

    def add(self, cand: Candidate) -> None:
        """A source mention: a candidate that belongs to a source group (it replaces an entity it covers, but for
        a possessor: "Gary Johnson" of "Gary Johnson's doctor" is someone else)."""
        text = doc_text(self.doc)
        self._cands = [c for c in self._cands if c.group is not None or not (cand.start <= c.start and c.end <= cand.end)
                       or (c.end < cand.end and POSSESSIVE_ENDS & {text[c.end : c.end + 2], text[c.end - 2 : c.end]})]
        self._cands.append(cand)
        self._sorted = False

    def regroup(self, drop: int, keep: int) -> None:
        """The candidates of source group ``drop`` belong to ``keep`` now (the two were merged)."""
        self._cands = [replace(c, group=keep) if c.group == drop else c for c in self._cands]
        if keep not in self.features and drop in self.features:
            self.features[keep] = self.features[drop]

    def _sentence(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self._sents, pos) - 1)

    def _ordered(self) -> list[Candidate]:
        if not self._sorted:
            self._cands.sort(key=lambda c: (c.start, c.group is None))
            self._starts = [c.start for c in self._cands]
            self._sorted = True
        return self._cands

    def resolve(self, pronoun: Span, exclude: tuple[Span, ...] = (), speaker: bool = False,
                not_groups: frozenset[int] = frozenset()) -> Candidate | None:
        """The antecedent of the pronoun at ``pronoun`` (see the module docstring); None when no candidate agrees.
        ``exclude``: spans no antecedent may lie in (the pronoun's own quotation); ``speaker``: the pronoun is the
        speaker of an attribution ("he said"), whose antecedent in an earlier sentence is first sought among the
        speakers met so far, then among the subjects; ``not_groups``: source groups it may not refer to (the speaker of
        the quotation it stands in: a speaker says "I", not "he")."""
        sp = self.doc.char_span(pronoun.start, pronoun.end, alignment_mode="expand")
        token = sp[0] if sp is not None and len(sp) == 1 else None
        want = wanted(pronoun.text.strip(), token)
        if want is None:
            return None
        kind, gender = want
        others = _own_relations(token)
        ahead = self._ahead(token, kind, gender)
        if ahead is not None:
            return ahead
        found = self._search(pronoun, kind, gender, exclude, speaker=speaker, not_groups=not_groups, others=others)
        if kind == GROUP:  # "they" of an organisation
            body = self._search(pronoun, BODY, None, exclude, orgs_only=True, speaker=speaker, not_groups=not_groups,
                                others=others)
            near = body is not None and self._sentence(pronoun.start) - self._sentence(body.start) <= 1
            if body is not None and (found is None or (near and (body.subject or body.speaker) and (
                    not (found.subject or found.speaker)
                    or (body.speaker and self._sentence(found.start) < self._sentence(body.start))))):
                found = body  # a body that is the topic just before over a plural merely near (a source: or further back)
        if found is not None and found.ante is not None:  # a pronoun met before stands for its antecedent
            found = replace(found, start=found.ante[0], end=found.ante[1], ante=None)
        return found

    def _ahead(self, token: Token | None, kind: str, gender: str | None) -> Candidate | None:
        """The subject a pronoun in a fronted clause with no subject of its own looks ahead to, when it agrees:
        "Asked about his health, Hendry laughed" (his: Hendry, not the speaker before)."""
        clause = next((a for a in token.ancestors if a.dep_ == "advcl"), None) if token is not None else None
        if clause is None or clause.i > clause.head.i or any(c.dep_ in SUBJECT_DEPS for c in clause.children):
            return None
        subj = next((c for c in clause.head.children if c.dep_ in ("nsubj", "nsubjpass") and c.i > clause.right_edge.i), None)
        if subj is None:
            return None
        at = subj.idx
        for c in self._ordered():
            if c.start <= at < c.end and c.ante is None:
                features = self.features.get(c.group) if c.group is not None else None
                return c if fits(c, kind, gender, features) else None
        return None

    def chain(self, pronoun: Span, found: Candidate, subject: bool) -> None:
        """A resolved pronoun is a candidate for the pronouns after it, standing for its antecedent: in "Melanie
        thought ... . She wasn't ... . She was anxious. [...] “...,” she said" the last "she" is Melanie's.  A "he" or
        "she" tells the gender of a person whose name did not ("Rakeyia Scott ... she")."""
        want = wanted(pronoun.text.strip())
        gender = want[1] if want is not None and want[0] == PERSON else None
        if gender is not None and found.group is not None:  # "Rakeyia Scott ... she": a woman from now on
            kind, known = self.features.get(found.group, (PERSON, None))
            if kind == PERSON and known is None:
                self.features[found.group] = (PERSON, gender)
        self._cands.append(replace(found, start=pronoun.start, end=pronoun.end, subject=subject,
                                   ante=found.ante or (found.start, found.end), gender=found.gender or gender))
        self._sorted = False

    def _search(self, pronoun: Span, kind: str, gender: str | None, exclude: tuple[Span, ...],
                orgs_only: bool = False, speaker: bool = False, not_groups: frozenset[int] = frozenset(),
                others: frozenset[str] = frozenset()) -> Candidate | None:
        """``others``: head nouns of mentions the pronoun cannot stand for (:func:`_own_relations`)."""
        cands = self._ordered()
        text = doc_text(self.doc)
        stop = bisect.bisect_left(self._starts, pronoun.start)
        here = self._sentence(pronoun.start)
        quoted = self._quoted(pronoun.start)

        def usable(c: Candidate) -> bool:
            if (orgs_only and not c.org) or c.group in not_groups:
                return False
            features = self.features.get(c.group) if c.group is not None else None
            if c.end > pronoun.start or not fits(c, kind, gender, features) or any(x.start <= c.start < x.end for x in exclude):
                return False
            if others and text[c.start : c.end].rsplit(None, 1)[-1].lower() in others:
                return False
            return quoted or not self._spoken_at(c.start)  # outside quotation marks, quoted speech names no antecedent

        by_sentence: dict[int, list[Candidate]] = {}
        for c in reversed(cands[:stop]):
            k = self._sentence(c.start)
            if here - k > SENTENCES_BACK:
                break
            if usable(c):
                by_sentence.setdefault(k, []).append(c)  # nearest first
        own = by_sentence.get(here)
        if own:  # in its own sentence: for "he said", the nearest subject or speaker ("Putney told CNN ..., but he said")
            first = next((c for c in own if c.speaker), None) if speaker else None  # "Bamberg said ..., which he said"
            return first or next((c for c in own if c.subject or c.speaker), own[0])
        before = self._sents[here - 1] if here else pronoun.start
        paragraph = None if "\n" in text[before : pronoun.start] else text.rfind("\n", 0, before) + 1
        found = _topical(by_sentence, here, speaker and kind == PERSON, paragraph)
        if found is not None:
            return found
        for c in reversed(cands[:stop]):  # the last speaker or topic goes on ("she added")
            if pronoun.start - c.start > SPEAKER_WINDOW:
                break
            if (c.speaker or (c.subject and kind == PERSON)) and usable(c):
                return c
        nearest = [by_sentence[k][0] for k in sorted(by_sentence, reverse=True)]
        return nearest[0] if nearest else None

    def quoted(self, pos: int) -> bool:
        """Whether ``pos`` lies inside quotation marks."""
        return self._quoted(pos)

    def _spoken_at(self, pos: int) -> bool:
        i = bisect.bisect_right(self._spoken_starts, pos) - 1
        return i >= 0 and self._spoken[i][0] < pos < self._spoken[i][1]

    def _quoted(self, pos: int) -> bool:
        i = bisect.bisect_right(self._quote_starts, pos) - 1
        return i >= 0 and self._quotes[i][0] < pos < self._quotes[i][1]


def _own_relations(token: Token | None) -> frozenset[str]:
    """Head nouns the pronoun's own clause possesses with the pronoun's possessive ("He released a letter from his
    doctor": doctor): a person is not his own doctor, so no mention headed by such a noun is the antecedent."""
    own = POSSESSIVE_OF.get(token.lower_) if token is not None else None
    if token is None or own is None or token.dep_ not in SUBJECT_DEPS:
        return frozenset()
    return frozenset(t.head.lower_ for t in token.head.subtree if t.dep_ == "poss" and t.lower_ == own and t.head.pos_ == "NOUN")


def _by_pos(doc: Doc) -> tuple[list[Token], list[Token], list[Token]]:
    """(nouns, verbs and auxiliaries, proper nouns) of a Doc, found on an array (no Token made for the others)."""
    column = doc.to_array([POS]).reshape(-1)
    pick = [numpy.flatnonzero(numpy.isin(column, [POS_IDS[p] for p in group]))
            for group in (("NOUN",), ("VERB", "AUX"), ("PROPN",))]
    return tuple([doc[int(i)] for i in idx] for idx in pick)  # type: ignore[return-value]


def _chunk_candidates(nouns: list[Token], verbs: list[Token]) -> list[Candidate]:
    """Subjects and objects the parser names no entity in: a person described by a role ("a reporter from German
    public broadcaster ZDF", "the witness"), a plural ("two farmers"), or two subjects of one verb ("a boy ... as
    well as medical staff at the hospital testified"), a group."""
    from .source_roles import load_roles, singular

    roles = load_roles()
    out: list[Candidate] = []
    for tok in verbs:
        subjects = [c for c in tok.children if c.dep_ in SUBJECT_DEPS and c.pos_ in ("NOUN", "PROPN")]
        if len(subjects) >= 2:
            out.append(Candidate(subjects[0].left_edge.idx, phrase_end(subjects[-1]), GROUP, None, True))
    for tok in nouns:
        if tok.ent_type_ or tok.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj", "appos"):
            continue
        subject = tok.dep_ in SUBJECT_DEPS
        lemma = tok.lemma_.lower()
        people = lemma in roles or lemma in people_nouns() or singular(tok.lower_) in roles
        if not people and not subject:
            continue
        if not subject and any(c.dep_ == "det" and c.lower_ in ("a", "an", "any", "every", "no") for c in tok.children):
            continue  # "for a president": no one in particular
        conj = [c for c in tok.children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN")]
        if not people and not conj:
            continue
        start = tok.left_edge.idx
        end = phrase_end(conj[-1] if conj else tok)
        if (conj and subject) or (tok.tag_ == "NNS" and people):
            out.append(Candidate(start, end, GROUP, None, subject))
        elif tok.tag_ == "NN" and people:
            words = [t.lower_ for t in tok.doc[tok.left_edge.i : tok.i + 1]]
            out.append(Candidate(start, end, PERSON, words_gender(words), subject))
    return out


def _titled(cands: list[Candidate], doc: Doc, text: str, sents: list[int]) -> list[Candidate]:
    """A definite description by title ("the Democratic presidential candidate") stands for the one person the
    sentence before it (and its own, before it) names, when it names no other (nor someone else by that person's name:
    "Gary Johnson's doctor"): "Hillary Clinton plans to ... . The
    campaign says the Democratic presidential candidate will ... . She'll present ..." ("she" is Hillary Clinton)."""
    from .source_kinds import title_roles
    from .source_roles import office_roles

    titles = title_roles().keys() | office_roles()
    people: list[SpacySpan] | None = None
    out = []
    for c in cands:
        words = text[c.start : c.end].lower().split() if c.kind == PERSON else []
        if len(words) > 1 and words[0] == "the" and words[-1] in titles:
            if people is None:  # read once, and only for a Doc with a description by title
                people = [e for e in doc.ents if e.label_ == "PERSON"]
            k = max(0, bisect.bisect_right(sents, c.start) - 1)
            named = [e for e in people if sents[max(0, k - 1)] <= e.start_char < c.start]
            if named and len({e[-1].lower_ for e in named}) == 1 and all(e.root.dep_ != "poss" for e in named):
                first = _ent_candidate(named[0])
                gender = c.gender or (first.gender if first is not None else None)
                c = replace(c, ante=(named[0].start_char, named[0].end_char), gender=gender)
        out.append(c)
    return out


def phrase_end(tok: Token) -> int:
    """The end of a noun's phrase without its relative clause or trailing punctuation."""
    last = tok
    for t in tok.subtree:
        if t.i > tok.i and t.dep_ in ("relcl", "acl", "punct") and t.head.i == tok.i:
            break
        last = t if t.i > last.i else last
    while last.i > tok.i and last.is_punct:
        last = last.doc[last.i - 1]
    return last.idx + len(last.text)


def mention_kind(words: list[tuple[str, str, str]], tags: list[str]) -> tuple[str, str | None]:
    """(kind, gender) of a source mention from its tokens ``(lower, ent type, pos)`` and fine tags: a person's
    name or a person noun is a person, a plural a group, anything else a body."""
    from .source_roles import load_roles, singular

    lowers = [w for w, _, _ in words]
    rel = next((k for k, w in enumerate(lowers) if k and w in RELATIVES), len(words))
    if any(w in ("and", "&") for w in lowers[:rel]) and len(words) > 2:  # not an "and" of its relative clause
        return GROUP, None
    head = next((k for k in range(len(words) - 1, -1, -1) if words[k][2] in ("NOUN", "PROPN", "PRON")), None)
    cut = next((k for k, w in enumerate(words) if w[2] == "ADP" or w[0] in (",", "who", "that")), len(words))
    if cut < len(words):
        head = next((k for k in range(cut - 1, -1, -1) if words[k][2] in ("NOUN", "PROPN", "PRON")), head)
    gender = words_gender(lowers[: cut], _first_name(words[:cut]))
    if head is not None and tags[head] in ("NNS", "NNPS") and words[head][1] != "PERSON":
        return GROUP, None
    if any(e == "PERSON" for _, e, _ in words[:cut]):
        return PERSON, gender
    roles = load_roles()
    if head is not None and (words[head][0] in roles or singular(words[head][0]) in roles or gender is not None):
        return PERSON, gender
    if head is not None and words[head][0] in ("man", "woman", "person", "resident", "witness", "local", "voter", "mother",
                                               "father", "doctor", "reporter", "writer", "author"):
        return PERSON, gender
    return BODY, "n"


def _first_name(words: list[tuple[str, str, str]]) -> str | None:
    names = [w for w, e, _ in words if e == "PERSON"]
    if len(names) > 1 and names[0] in first_names():
        return names[0]
    return None
