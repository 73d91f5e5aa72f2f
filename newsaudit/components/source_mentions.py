"""Steps of ``newsaudit_sources`` over the groups it has met (:class:`.sources.Builder`).

* **Merging**: a group met before its alias was known joins the earlier group ("the intelligence" before "our
  intelligence" joined the ministry); a headline's bare role noun ("Witness describes moment of crash") joins
  the body's source of that kind.
* **Every mention**: each further occurrence of a source's name (a name that only modifies another noun, "the
  Clinton campaign", is someone else's), a surname the tagger missed, each third-person pronoun that refers to a
  source, and each relative pronoun whose clause hangs on one.
"""

from __future__ import annotations

import bisect
import re

import numpy
from spacy.attrs import POS, TAG
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ..types import Span
from .genders import agrees, words_gender
from .source_groups import STAFF_HEADS, Builder, Group, head_words, key_of, name_head
from .source_kinds import NAMED, PERSON, Kind, title_roles
from .source_links import descriptors_around
from .source_roles import Word, head_nouns, is_person_noun, office_roles, singular
from .speakers import SpeakerResolver, phrase_end
from .writers import writer_at

#: Abbreviated titles and the nouns that describe their holders ("Sen. Ted Cruz" ... "the senator").
TITLE_WORDS = {"sen": "senator", "rep": "congressman", "gov": "governor", "pres": "president", "gen": "general",
               "adm": "admiral", "col": "colonel", "lt": "lieutenant", "sec": "secretary", "amb": "ambassador"}


def _modifier(ent: SpacySpan) -> bool:
    """A name that only modifies another noun ("the Clinton campaign", "Trump's lawyer"): a mention of
    someone else.  A possessor of a document or a word ("Trump's tweet", "Clinton's claim") is its author's."""
    root = ent.root
    if root.dep_ == "compound" and root.head.i > root.i:
        return True
    return root.dep_ == "poss" and (is_person_noun(root.head.lemma_) or root.head.lemma_.lower() in BODY_NOUNS)


#: Nouns of bodies: a possessor of one is not a mention of the body's speaker ("Clinton's campaign").
BODY_NOUNS = frozenset({"campaign", "administration", "team", "staff", "company", "office", "government", "party",
                        "foundation", "committee", "department", "ministry", "army", "military", "firm", "group"})


#: Heads that say nothing of a person but their sex: "the woman" is someone the article has not named in full (it calls
#: a named person by the name), so it joins no salient named person.
GENERIC_PEOPLE = frozenset({"man", "woman", "person", "people", "guy", "lady", "individual"})


def merge(b: Builder, keep: int, drop: int) -> None:
    """Group ``drop`` is the same entity as ``keep``: its mentions, attributions and links move there."""
    into, gone = b.groups[keep], b.groups[drop]
    for m in gone.mentions:
        into.mention(m)
    into.forms += gone.forms
    into.descriptors += gone.descriptors
    into.non_answers += gone.non_answers
    into.aliases |= gone.aliases
    into.attribution_ids += [x for x in gone.attribution_ids if x not in into.attribution_ids]
    if gone.person and (into.person is None or len(gone.person) > len(into.person)):
        into.person = gone.person
    into.cited_by = into.cited_by if into.cited_by is not None else gone.cited_by
    into.speaks_for = into.speaks_for if into.speaks_for is not None else gone.speaks_for
    for g in b.groups:
        g.cited_by = keep if g.cited_by == drop else g.cited_by
        g.speaks_for = keep if g.speaks_for == drop else g.speaks_for
    into.cited_by = None if into.cited_by == keep else into.cited_by
    into.speaks_for = None if into.speaks_for == keep else into.speaks_for
    for att_id, idx in list(b.by_attr.items()):
        if idx == drop:
            b.by_attr[att_id] = keep
    if b.author == drop:
        b.author = keep
    b.resolver.regroup(drop, keep)
    b.dead.add(drop)


def merge_aliases(b: Builder) -> None:
    """A group met before its alias was known ("the intelligence" before "our intelligence" joined the ministry)."""
    for j in range(len(b.groups)):
        if j in b.dead:
            continue
        key = b.groups[j].key
        for i in range(j):
            if i not in b.dead and key and key in b.groups[i].aliases and j != b.author:
                merge(b, i, j)
                break
    _merge_acronyms(b)


#: Small words a body's initials skip ("Alliance to Reclaim Our Schools": AROS).
ACRONYM_SKIPS = frozenset({"the", "of", "to", "for", "and", "on", "in", "at", "&"})


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z][\w'’-]*", name) if w.lower() not in ACRONYM_SKIPS).upper()


def _merge_acronyms(b: Builder) -> None:
    """A body's acronym is the body: "AROS" joins "Alliance to Reclaim Our Schools (AROS)", "CNS" joins "Christian
    News Service" (the initials of its name's words)."""
    for j, g in enumerate(b.groups):
        acronym = re.sub(r"^[Tt]he\s+", "", g.label.strip(" ,.")).replace(".", "")
        if j in b.dead or not 2 <= len(acronym) <= 6 or not acronym.isalpha() or not acronym.isupper():
            continue
        for i, other in enumerate(b.groups):
            name = other.label.strip(" ,")
            if i != j and i not in b.dead and name != g.label and (f"({acronym})" in name or (
                    len(name.split()) > 1 and _initials(re.sub(r"^[Tt]he\s+", "", name)) == acronym)):
                merge(b, i, j)
                break

def merge_headline(b: Builder) -> None:
    """A headline's bare description ("Witness describes moment of crash", "..., security firm says") is the body's
    first source of that kind; an "insider" of the headline is the body's first unnamed employee or staff member."""
    end = b.headline_end
    if end <= 0:
        return
    for j, g in enumerate(b.groups):
        if j in b.dead or not g.headline_bare or g.first() >= end or _plural(g.doc_words[-1]):
            continue  # (a plural, "Candidates", is several sources)
        if all(p == "NOUN" for _w, _e, p in g.doc_words) and any(m.start >= end for m in g.mentions):
            continue  # the body describes it the same way ("..., police say" / "..., police said"): no one else
        kind = b.kind(g)
        later = [i for i, h in enumerate(b.groups) if i != j and i not in b.dead and h.first() >= end]
        for i in sorted(later, key=lambda i: b.groups[i].first()):
            other = b.kind(b.groups[i])
            insider = singular(g.doc_words[-1][0]) in STAFF_HEADS and bool(head_words(b.groups[i].key) & STAFF_HEADS)
            if insider or other.role in (kind.role, PERSON if kind.role == "witness" else kind.role):
                if kind.identity != NAMED or _definite_description(b.groups[i], other):
                    merge(b, i, j)
                break


def _definite_description(g: Group, kind: Kind) -> bool:
    """Whether a source is known by a definite description alone ("the Vermont senator"), which a headline's name may
    be; another name ("The Washington Post") or an indefinite description ("a department official") is someone else."""
    return kind.identity != NAMED and all(t.lower().startswith("the ") for t, _w in g.forms) and bool(g.forms)


def _plural(word: Word) -> bool:
    return word[2] == "NOUN" and singular(word[0]) != word[0]


def every_mention(b: Builder) -> None:
    """Further occurrences of each source's name, and the third-person pronouns that refer to it."""
    if len(b.dead) == len(b.groups):
        return
    taken = sorted((m.start, m.end) for i, g in enumerate(b.groups) if i not in b.dead for m in g.mentions)
    _name_mentions(b, taken)
    taken = sorted((m.start, m.end) for i, g in enumerate(b.groups) if i not in b.dead for m in g.mentions)
    _description_mentions(b, taken)
    surnames = {key_of(g.person).split()[-1]: i for i, g in enumerate(b.groups) if g.person and i not in b.dead}
    for i, g in enumerate(b.groups):  # "Oz", a one-word name the tagger calls a person elsewhere
        if i not in b.dead and g.key in b.resolver.people:
            surnames.setdefault(g.key, i)
    for tok in _mention_tokens(b.doc):
        if not _free(taken, tok.idx, tok.idx + len(tok)):
            continue
        span = Span(tok.idx, tok.idx + len(tok.text), tok.text)
        if tok.ent_type_ == "" and tok.pos_ == "PROPN" and tok.lower_ in surnames and tok.dep_ in ("nsubj", "nsubjpass"):
            b.groups[surnames[tok.lower_]].mention(span)  # "Trump took to Twitter": a name the tagger missed
        elif tok.lower_ in ("i", "me") and tok.tag_ == "PRP" and not b.resolver.quoted(tok.idx):
            idx = _writer_group(b, tok.idx)  # "I" outside any quotation: the writer's
            if idx is not None:
                b.groups[idx].mention(span)
        elif _pronoun(tok, b.resolver):
            cand = b.pronoun_refs[tok.idx] if tok.idx in b.pronoun_refs else b.resolver.resolve(span)
            idx = None if cand is None else cand.group if cand.group not in (None, *b.dead) else _group_of(b, cand.start, cand.end)
            if idx is not None and idx not in b.dead:
                b.groups[idx].mention(span)
        elif tok.tag_ in ("WP", "WDT") and tok.dep_ in ("nsubj", "nsubjpass") and tok.head.dep_ == "relcl":
            noun = tok.head.head  # "the Chicago Police Department which reported": the noun the clause hangs on
            idx = group_at(b, noun.idx, noun.idx + len(noun.text))
            if idx is not None:
                b.groups[idx].mention(span)

def _writer_group(b: Builder, pos: int) -> int | None:
    """The source group of whoever writes "I" at ``pos`` (:func:`.writers.writer_at`), when the writer is a source."""
    named = writer_at(b.text, pos)
    if named is None:
        return b.author if b.author is not None and b.author not in b.dead else None
    return group_at(b, named.start, named.end)


def _pronoun(tok: Token, resolver: SpeakerResolver) -> bool:
    """A personal or possessive pronoun that may refer to a source: a subject or a possessor ("he", "its"), not a
    quoted "it" ("“It was time,” she said": no one)."""
    return tok.tag_ in ("PRP", "PRP$") and tok.dep_ in ("nsubj", "nsubjpass", "poss") and not (
        tok.lower_ in ("it", "its") and resolver.quoted(tok.idx))


def pronoun_tokens(doc: Doc, resolver: SpeakerResolver) -> list[Token]:
    """The pronouns :func:`every_mention` reads, in text order."""
    return [t for t in _mention_tokens(doc) if _pronoun(t, resolver)]


def _mention_tokens(doc: Doc) -> list[Token]:
    """The tokens that may be a further mention: proper nouns, personal and possessive pronouns, relative pronouns
    (found on an array: no Token made for the others)."""
    strings = doc.vocab.strings
    cols = doc.to_array([TAG, POS]).astype("uint64")
    tags = numpy.array([strings.add(t) for t in ("PRP", "PRP$", "WP", "WDT")], dtype="uint64")
    hits = numpy.isin(cols[:, 0], tags) | (cols[:, 1] == POS_IDS["PROPN"])
    return [doc[int(i)] for i in numpy.flatnonzero(hits)]


def _group_of(b: Builder, start: int, end: int) -> int | None:
    """The group of an antecedent the text only mentions: the group holding it, else the one known by its name."""
    idx = group_at(b, start, end)
    if idx is not None:
        return idx
    key = key_of(b.text[start:end])
    return next((i for i, g in enumerate(b.groups) if i not in b.dead and key and key in g.aliases), None)


def group_at(b: Builder, start: int, end: int) -> int | None:
    for i, g in enumerate(b.groups):
        if i not in b.dead and any(m.start < end and start < m.end for m in g.mentions):
            return i
    return None

def _free(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """No source mention met so far covers any of [start, end)."""
    i = bisect.bisect_left(taken, (end, end))
    return not any(s < end and start < e for s, e in taken[max(0, i - 8) : i])

def _name_mentions(b: Builder, taken: list[tuple[int, int]]) -> None:
    by_key: dict[str, int] = {}
    for i, g in enumerate(b.groups):
        if i in b.dead:
            continue
        for alias in g.aliases:
            by_key.setdefault(alias, i)
        if g.person and len(key_of(g.person).split()) > 1:
            by_key.setdefault(key_of(g.person).split()[-1], i)
    for ent in b.doc.ents:
        if ent.label_ not in ("PERSON", "ORG", "GPE", "NORP"):
            continue
        modifier = _modifier(ent)
        idx = by_key.get(key_of(ent.text)) if modifier else _name_group(b, ent, by_key)
        if idx is None:
            continue
        g = b.groups[idx]
        if g.person:
            g.descriptors[:0] = descriptors_around(ent)
        if not modifier and _free(taken, ent.start_char, ent.end_char):
            g.mention(Span(ent.start_char, ent.end_char, ent.text))

#: Where a noun phrase stands that may be a further mention of a source ("According to police", "the company's").
PHRASE_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "poss", "conj", "appos", "dative"})


def _description_mentions(b: Builder, taken: list[tuple[int, int]]) -> None:
    """Further occurrences of a source's description, said the same way ("police" ... "According to police", "attorneys
    for the family" ... "attorneys for the family released it"): noun phrases whose key is one of a source's."""
    by_key = {alias: i for i, g in enumerate(b.groups) if i not in b.dead for alias in g.aliases if alias}
    heads: dict[str, list[int]] = {}  # the head noun of each body's name ("city" of "The city of Phoenix")
    for i, g in enumerate(b.groups):
        head = name_head(g.key)
        if i not in b.dead and not g.person and head:
            heads.setdefault(head, []).append(i)
    column = b.doc.to_array([POS]).reshape(-1)
    for k in numpy.flatnonzero(column == POS_IDS["NOUN"]):
        tok = b.doc[int(k)]
        if tok.dep_ not in PHRASE_DEPS or _inside_noun_phrase(tok):
            continue
        start = tok.left_edge.idx
        ends = (phrase_end(tok), tok.idx + len(tok.text))
        for end in ends:
            text = b.text[start:end]
            idx = by_key.get(key_of(text))
            if idx is None and end == ends[-1]:
                idx = _titled_person(b, tok) or _body_by_head(b, tok, heads)
            if idx is not None and _free(taken, start, end):
                b.groups[idx].mention(Span(start, end, text))
                break


def _body_by_head(b: Builder, tok: Token, heads: dict[str, list[int]]) -> int | None:
    """The one body a subject "the city" or "the committee" refers back to: the source met before it whose name has
    that head noun ("The city of Phoenix", "the House Oversight Committee")."""
    if tok.dep_ not in ("nsubj", "nsubjpass") or tok.i == 0 or tok.left_edge.i != tok.i - 1 or tok.nbor(-1).lower_ != "the":
        return None
    found = [i for i in heads.get(tok.lower_, []) if b.groups[i].first() < tok.idx]
    return found[0] if len(found) == 1 else None


def _titled_person(b: Builder, tok: Token) -> int | None:
    """The named person a definite description by title refers to ("the president" of "President Barack Obama", "the
    Republican nominee" of "Republican nominee Donald Trump"): the one person named before it whose titles hold its
    noun, the best by its other words; None when none or two fit as well."""
    first = tok.left_edge
    if first.lower_ != "the" or tok.tag_ != "NN" or not (tok.lower_ in title_roles() or tok.lower_ in office_roles()):
        return None
    rest = {t.lower_ for t in tok.doc[first.i + 1 : tok.i]}
    scored = []
    for i, g in enumerate(b.groups):
        if i in b.dead or not g.person or g.first() >= tok.idx:
            continue
        described = {TITLE_WORDS.get(d.lower().rstrip("."), d.lower().rstrip(".")) for d in g.descriptors}
        if tok.lower_ in described:
            scored.append((len(rest & described), i))
    scored.sort(reverse=True)
    if scored and (len(scored) == 1 or scored[0][0] > scored[1][0]):
        return scored[0][1]
    return None


def _inside_noun_phrase(tok: Token) -> bool:
    """Whether a noun hangs, through prepositions or a clause, on another noun: "police" in "The wife of a man fatally
    shot by police" is part of someone else's description ("According to police" is not)."""
    cur = tok
    for _ in range(8):
        if cur.dep_ in ("poss", "appos", "conj", "compound") or cur.head is cur:
            return False
        cur = cur.head
        if cur.pos_ in ("NOUN", "PROPN", "PRON"):
            return True
        if cur.pos_ in ("VERB", "AUX") and cur.dep_ not in ("acl", "relcl"):
            return False
    return False


#: The gender of a third-person pronoun mention.
PRONOUN_GENDERS = {"he": "m", "him": "m", "his": "m", "himself": "m", "she": "f", "her": "f", "hers": "f", "herself": "f"}


def _name_group(b: Builder, ent: SpacySpan, by_key: dict[str, int]) -> int | None:
    """The group a name in the text belongs to: by its key, or a fuller name of a source known by its surname
    ("Michael Mann" of "Mann", who then is shown by the fuller name)."""
    key = key_of(ent.text)
    idx = by_key.get(key)
    if idx is not None or ent.label_ != "PERSON" or len(key.split()) < 2:
        return idx
    idx = by_key.get(key.split()[-1])
    if idx is None or len(b.groups[idx].key.split()) != 1:
        return None
    g = b.groups[idx]
    words = [m.text for m in g.mentions] + [b.text[pos : pos + 4].split()[0] for pos, cand in b.pronoun_refs.items()
                                            if cand is not None and cand.group == idx]
    known = {PRONOUN_GENDERS.get(w.lower().strip(".,;:")) for w in words} - {None}
    known |= {words_gender([w for _t, ws in g.forms for w, _e, _p in ws])} - {None}  # "Mr. Obama"
    first = words_gender([], key.split()[0])
    if first is not None and known and first not in known:
        return None  # "Michelle Obama" is not "Obama" whom the article calls "he"
    g.person = " ".join(t.text for t in ent if t.pos_ == "PROPN" and t.lower_ not in ("'s", "’s")) or ent.text
    g.aliases.add(key)
    return idx


def merge_cited_descriptions(b: Builder) -> None:
    """A definite description met after a cited source is that source: "..., citing two government officials ...
    The officials told the Ledger ..." (the cited source becomes a group only when links are read, after the
    description was grouped on its own)."""
    for j, g in enumerate(b.groups):
        if j in b.dead or g.person or not g.forms or not all(t.lower().startswith("the ") for t, _w in g.forms):
            continue
        own = [w for w, _e, p in g.forms[0][1] if p == "NOUN"]
        if not own or len(g.forms[0][1]) > 3:
            continue
        head = own[-1]
        for i, cited in enumerate(b.groups):
            if i in b.dead or i == j or cited.cited_by is None or cited.person or cited.first() >= g.first():
                continue
            heads = {nouns[-1] for _t, ws in cited.forms if (nouns := head_nouns(ws))}
            if head in heads and g.cited_by in (None, cited.cited_by):  # not "The government" of "government officials"
                merge(b, i, j)
                break


def merge_descriptions(b: Builder) -> None:
    """A definite description of a person ("The Republican presidential nominee", "the Vermont senator") that joined
    no one as it was met joins the named person the article describes so: the one whose titles and descriptions
    hold its head noun and most of its other words ("Republican nominee Donald Trump"); left alone when two fit
    as well."""
    people = [(i, g) for i, g in enumerate(b.groups) if i not in b.dead and g.person]
    for j, g in enumerate(b.groups):
        if j in b.dead or g.person or not g.forms:
            continue
        if not all(t.lower().startswith("the ") for t, _w in g.forms) and not g.headline:
            continue  # a definite description, or a headline's ("Senator from Texas", "Retired General")
        first = g.forms[0][1]
        cut = next((k for k, w in enumerate(first) if k and w[2] == "ADP"), len(first))
        words = [w for w, _e, p in first[:cut] if p in ("NOUN", "PROPN", "ADJ")]
        if not words or not (is_person_noun(words[-1]) or words[-1] in title_roles()) or len(words) > 5:
            continue
        head, rest = words[-1], set(words[:-1])
        if singular(head) != head:
            continue  # "Candidates", "the researchers": several people, not one named person
        scored = []
        for i, p in people:
            described = {TITLE_WORDS.get(d.lower().rstrip("."), d.lower().rstrip(".")) for d in p.descriptors}
            if head in described or singular(head) in described:
                scored.append((len(rest & described), len(p.mentions), i))
        scored.sort(reverse=True)
        if scored and (len(scored) == 1 or scored[0][0] > scored[1][0]):
            merge(b, scored[0][2], j)
            continue
        # "The head of Sony Pictures Television" in the body: whoever heads it, not the story's subject (a headline's
        # description is the story's subject: "Member of House panel urges ...")
        of_body = (cut < len(first) and not g.headline) or singular(head) != head  # nor do "the researchers"
        salient = _salient_person(b, people, g) if singular(head) not in GENERIC_PEOPLE and not of_body else None
        if salient is None and singular(head) not in GENERIC_PEOPLE and not of_body:
            salient = _previous_speaker(b, people, g)
        if salient is not None:  # "the New York businessman" of a story about one man
            merge(b, salient, j)


def _previous_speaker(b: Builder, people: list[tuple[int, Group]], g: Group) -> int | None:
    """The named person a definite description goes on about when the sentence before names that person and no other
    ("Mike Pence says ... . The Indiana governor said ...")."""
    first = g.first()
    sents = [s for s in b.doc.sents if s.start_char <= first]
    if len(sents) < 2:
        return None
    since = sents[-2].start_char
    named = {i for i, p in people if i not in b.dead and any(since <= m.start < first for m in p.mentions)}
    others = [e for e in b.doc.ents if e.label_ == "PERSON" and since <= e.start_char < first]
    if len(named) != 1 or any(group_at(b, e.start_char, e.end_char) not in named for e in others):
        return None
    return named.pop()


def _salient_person(b: Builder, people: list[tuple[int, Group]], g: Group) -> int | None:
    """The named person a person description refers to when the article is plainly about one: of the people
    named before it whose gender agrees, the one mentioned most, at least twice as often as any other."""
    gender = words_gender([w for _t, ws in g.forms for w, _e, _p in ws])
    first = g.first()
    fitting = []
    for i, p in people:
        if i in b.dead or p.first() >= first:
            continue
        features = b.resolver.features.get(i)
        if agrees(features[1] if features else None, gender):
            fitting.append((len(p.mentions), i))
    fitting.sort(reverse=True)
    if fitting and (len(fitting) == 1 or fitting[0][0] >= 2 * fitting[1][0]) and fitting[0][0] >= 3:
        return fitting[0][1]
    return None
