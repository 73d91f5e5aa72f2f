"""newsaudit_sources: the article's sources as entities a fact-checker can count.

Reads ``doc._.attributions`` (written by ``newsaudit_attribution``) and writes ``doc._.sources``: one
:class:`~newsaudit.types.Source` per referent, with every mention of it, its ``role`` and ``identity``
(:mod:`.source_kinds`), whom it speaks for and through whom it is known; the attributions get their
``source_id`` (and a pronoun speaker its antecedent as ``resolved_source``).  docs/sources.md describes it.

Steps, in order:

1. **Named and described mentions** of the attributions' sources are grouped into entities
   (:mod:`.source_groups`): aliases, surnames, titles, partitives, definite descriptions.  A source span that
   embeds a second source ("Our intelligence confirmed by three independent Syrian sources") yields that
   second source too, cited by the first; "a report by the Reuters news agency" is Reuters'.
2. **First person**: "I", "we", "our" inside a quotation are its speaker ("our intelligence" of the
   ministry's quotation is the ministry's); outside any quotation they are the writer's ("the author").
3. **Pronoun speakers** ("he said", "she added", "it", "they") are resolved with gender and number agreement
   (:mod:`.speakers`); an antecedent the text only mentions becomes an entity of its own.
4. **Links** (:mod:`.source_links`): "as reported by X" and "told X" (an outlet X is the channel), "citing X"
   and "received a tip-off from X" (X is cited by the speaker), a spokesperson, lawyer or aide ``speaks_for``
   the body or person it represents when that one is a source too, and "declined to comment" is a non-answer.
5. **Every mention**: each further occurrence of a source's name, and each third-person pronoun that
   refers to it, is one of its mentions.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cached_property

from spacy.language import Language
from spacy.tokens import Doc, Token

from ..extensions import register_extensions
from ..text.spans import doc_text, headline_end
from ..types import Attribution, Source, Span
from .genders import pronoun_features, words_gender
from .source_bodies import company_in_text, office_of
from .source_documents import merge_documents
from .source_groups import PRONOUNS, Group, Grouper, display, key_of, person_name
from .source_kinds import (
    NAMED,
    OFFICIAL,
    ORGANISATION,
    OUTLET,
    PERSON,
    UNKNOWN,
    WITNESS,
    Kind,
    classify,
    kind_of,
    load_outlets,
    normalise,
    outlet_reason,
    title_roles,
)
from .source_links import LinkFinder, descriptors_around, named_people_roles
from .source_mentions import (
    TITLE_WORDS,
    every_mention,
    merge_aliases,
    merge_cited_descriptions,
    merge_descriptions,
    merge_headline,
    pronoun_tokens,
)
from .source_names import (
    DATELINE,
    DOCUMENT_BY,
    DOCUMENT_OF,
    appositive_name,
    described_name,
    embedded_after,
    mention_words,
    relative_antecedent,
    source_label,
    split_embedded,
)
from .source_roles import appositive_parts, display_name, first_hand, is_person_noun, person_head, singular, unnamed_in
from .source_voices import mark_summaries, partitive_roles
from .speakers import BODY, Candidate, SpeakerResolver, mention_kind
from .writers import writer_at

__all__ = ["build_sources", "classify", "load_outlets", "make_sources", "normalise"]

FIRST_PERSON = frozenset({"we", "i", "our", "my", "us", "me"})
#: Roles of bodies, never "he" or "she".
BODY_ROLES = frozenset({"outlet", "organisation", "document"})
#: How far back (characters) a definite description looks for the named person it describes.
DESCRIBED_WINDOW = 2500
def _first_word(span: Span | None) -> str:
    first = span.text.strip().split()[:1] if span is not None else []
    return first[0].lower().replace("’", "'") if first else ""


def _enclosing(att: Attribution, attributions: tuple[Attribution, ...]) -> Attribution | None:
    """The innermost other attribution whose content holds ``att``'s source."""
    assert att.source is not None
    best = None
    for other in attributions:
        if other.id != att.id and other.content.contains(att.source):
            if best is None or len(other.content) < len(best.content):
                best = other
    return best


def first_person(span: Span | None, words: list[tuple[str, str, str]] | None = None) -> bool:
    """A speaker in the first person: "I", "we", or "our intelligence" (not "my father", a person of its own)."""
    if _first_word(span) not in FIRST_PERSON or span is None:
        return False
    if len(span.text.split()) == 1 or words is None:
        return True
    cut = next((k for k, w in enumerate(words) if k and w[2] in ("ADP", "PUNCT", "CCONJ")), len(words))
    nouns = [w for w, _e, p in words[:cut] if p in ("NOUN", "PROPN")]
    return not nouns or not is_person_noun(nouns[-1])


def _is_pronoun(span: Span | None) -> bool:
    return span is not None and span.text.strip().lower().replace("’", "'") in PRONOUNS


class SourceBuilder:
    """The steps of :func:`build_sources` over one Doc."""

    def __init__(self, doc: Doc, attributions: tuple[Attribution, ...]) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        #: Where the headline ends (0: none), as the headline check and the claims find it.
        self.headline_end = headline_end(doc)
        self.attributions = attributions
        self.grouper = Grouper()
        self.groups = self.grouper.groups
        self.by_attr: dict[str, int] = {}
        self.resolved: dict[str, Span] = {}
        self.author: int | None = None
        #: groups merged into another one (their index is no source)
        self.dead: set[int] = set()
        #: what each third-person pronoun that is no attribution's speaker refers to, by its offset
        self.pronoun_refs: dict[int, Candidate | None] = {}

    @cached_property
    def places(self) -> frozenset[str]:
        """The places the parser names in the article ("Moldova" of a headline the tagger took for an organisation)."""
        return frozenset(normalise(e.text) for e in self.doc.ents if e.label_ == "GPE")

    @cached_property
    def resolver(self) -> SpeakerResolver:
        """The pronoun resolver of the Doc, built on first use (an article with no source needs none)."""
        return SpeakerResolver(self.doc)

    # ------------------------------------------------------------------ adding mentions

    def add(self, name: str, mention: Span, attribution_id: str | None) -> int:
        """Group one named or described mention; returns its group's index."""
        words = mention_words(self.doc, mention)
        label = source_label(self.doc, mention, name, words)
        person = person_name(words, mention.text) if name == mention.text else None
        if person is not None and outlet_reason(person):
            person = None  # "Fashionista": an outlet the tagger took for a person
        idx = self.grouper.find(label, words, person, mention.start)
        if idx is None and person is None:
            ante = self._described_person(label, words, mention.start)
            if ante is not None:  # "The senator said" after "Senator Paul Hendry has spent ...": Hendry
                idx = self.add(ante.text, ante, None)
        if idx is None:
            self.groups.append(Group(name, [], [], words, label=label, person=person))
            idx = len(self.groups) - 1
            bare = 1 <= len(words) <= 3 and all(w[2] in ("NOUN", "PROPN") and not w[1] for w in words)  # "security firm"
            self.groups[idx].headline = mention.start < self.headline_end
            self.groups[idx].met = mention.start
            self.groups[idx].headline_bare = bare and self.groups[idx].headline
        g = self.groups[idx]
        g.mention(mention)
        g.forms.append((name, words))
        if attribution_id and attribution_id not in g.attribution_ids:
            g.attribution_ids.append(attribution_id)
        self._prefer(g, name, label, words, person)
        self._candidate(idx, mention, words)
        return idx

    def _described_person(self, label: str, words: list[tuple[str, str, str]], at: int) -> Span | None:
        """The person a definite description refers back to: the latest name before ``at`` that the article gives the
        description's head as a title or description ("Senator Paul Hendry" for "the senator")."""
        if not label.lower().startswith("the ") or len(words) > 5:
            return None
        cut = next((k for k, w in enumerate(words) if k and w[2] in ("ADP", "PUNCT")), len(words))
        nouns = [w for w, _e, p in words[:cut] if p == "NOUN"]
        if not nouns or not (is_person_noun(nouns[-1]) or nouns[-1] in title_roles()):
            return None
        head = nouns[-1]
        for ent in reversed(self.doc.ents):
            if ent.label_ != "PERSON" or ent.end_char > at:
                continue
            if at - ent.start_char > DESCRIBED_WINDOW:
                break
            titles = {TITLE_WORDS.get(w.lower().rstrip("."), w.lower().rstrip(".")) for w in descriptors_around(ent)}
            if head in titles or singular(head) in titles:
                return Span(ent.start_char, ent.end_char, ent.text)
        return None

    @staticmethod
    def _prefer(g: Group, name: str, label: str, words: list[tuple[str, str, str]], person: str | None) -> None:
        """Keep the most informative mention as the group's name (the longest with the same last word)."""
        if person and (g.person is None or len(key_of(person)) > len(key_of(g.person))):
            g.person = person
            g.aliases.add(key_of(person))
        new, old = normalise(display_name(label)), normalise(display_name(g.label))
        if len(new) > len(old) and new.split()[-1:] == old.split()[-1:]:
            g.name, g.label, g.doc_words = name, label, words
            g.aliases.update({key_of(name), key_of(label)})
        elif new == old and g.name == g.label and name != label:  # "Dan Gross" met first: the description types him
            g.name, g.doc_words = name, words

    def _candidate(self, idx: int, mention: Span, words: list[tuple[str, str, str]]) -> None:
        sp = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if sp is None or not len(sp):
            return
        kind, gender = mention_kind(words, [t.tag_ for t in sp])
        surnames = self.resolver.surnames
        surname = len(words) == 1 and words[0][2] == "PROPN" and words[0][0] in surnames
        if surname:
            kind, gender = PERSON, surnames[words[0][0]] or gender  # "Ham" after "Gen. Norman Ham"
        subject = sp.root.dep_ in ("nsubj", "nsubjpass")
        cand = Candidate(mention.start, mention.end, kind, gender, subject, idx)
        g = self.groups[idx]
        known = self.resolver.features.get(idx)
        if known is not None and known[1] == "n":  # a body so far (a person's name the tagger took for a body)
            known = (known[0], None)
        if g.person:  # a person's name anywhere in the group makes it a person, of its first name's gender
            names = g.person.split()
            first = names[0] if len(names) > 1 or names[0].lower() not in surnames else None  # "Melanie" alone
            kind = PERSON
            gender = words_gender([w for _t, ws in g.forms for w, _e, _p in ws], first) or (known[1] if known else None)
            gender = gender or (surnames.get(names[-1].lower()) if len(names) == 1 else None)
        elif known is not None and known[0] == PERSON:
            kind, gender = PERSON, known[1] or (gender if gender != "n" else None)  # a person has no "n"
        elif kind == PERSON and not surname and (role := classify(g.name, g.doc_words)[0]) in BODY_ROLES and not \
                is_person_noun(words[-1][0]) and not (person_head(words) and role != OUTLET):  # "A spokeswoman for X": she
            kind, gender = BODY, "n"  # "Fashionista" (an outlet the tagger took for a person's name): not "she"
        self.resolver.features[idx] = (kind, gender)
        # a body that is no place ("Politifact", "the company") is one "they" may refer to
        self.resolver.add(replace(cand, org=kind == BODY and not any(e in ("GPE", "LOC") for _w, e, _p in words)))

    def attach(self, idx: int, mention: Span, att: Attribution | None) -> None:
        g = self.groups[idx]
        g.mention(mention)
        if att is not None:
            if att.id not in g.attribution_ids:
                g.attribution_ids.append(att.id)
            self.by_attr[att.id] = idx

    # ------------------------------------------------------------------ step 1: named and described sources

    def named(self) -> None:
        for att in self.attributions:
            span = att.source
            if span is None or not span.text.strip() or self._first_person(span):
                continue
            if _is_pronoun(span):
                ante = relative_antecedent(self.doc, span, att.resolved_source, self.text)
                if ante is not None and pronoun_features(span.text.strip()) is None:  # "who", "which"
                    idx = self._named_span(ante, att)
                    self.attach(idx, span, att)
                    self.resolved[att.id] = ante
                continue
            self._named_span(span, att)

    def _named_span(self, span: Span, att: Attribution) -> int:
        dateline = DATELINE.match(span.text)
        if dateline is not None and dateline.end() < len(span.text):  # "CHISINAU, Moldova (Reuters) - Moldova's ministry"
            span = Span(span.start + dateline.end(), span.end, span.text[dateline.end() :])
        head, inner = split_embedded(span)
        inner = inner or embedded_after(self.doc, span, self.text)
        author = DOCUMENT_BY.match(head.text)
        if author is not None and re.search(r"\b[A-Z]", author.group("author")):  # "a report by the Reuters news agency"
            at = head.start + author.start("author")
            head = Span(at, head.end, head.text[author.start("author"):])
        elif (author := DOCUMENT_OF.match(head.text)) is not None:  # "A USA TODAY analysis of super PACs ..."
            name = author.group("author").rstrip()
            head = Span(head.start + author.start("author"), head.start + author.start("author") + len(name), name)
        idx = self.add_phrase(head, att.id)
        if inner is not None:
            self.groups[self.add(inner.text, inner, None)].cited_by = idx
        self.by_attr[att.id] = idx
        return idx

    def add_phrase(self, head: Span, attribution_id: str | None) -> int:
        """Group a source phrase that may hold a description and a name ("The café owner, René Dupont", "A spokesman
        for the authority, James Whitfield"): the name's group, with the description as a further mention."""
        appositive = appositive_name(self.doc, head, self.text)
        parts = appositive_parts(head.text) if appositive is None else None
        if parts is not None:  # "The café owner, René Dupont" inside one source span
            desc_at = head.start + head.text.index(parts[0])
            name_at = head.start + head.text.index(parts[1], desc_at - head.start + len(parts[0]))
            appositive = Span(name_at, name_at + len(parts[1]), parts[1])
            head = Span(desc_at, desc_at + len(parts[0]), parts[0])
        elif appositive is None and (described := described_name(self.doc, head, self.text)) is not None:
            head, appositive = described  # "the security company NetShield"
        if appositive is None:
            return self.add(head.text, head, attribution_id)
        idx = self.add(appositive.text, appositive, attribution_id)
        head_words = mention_words(self.doc, head)
        self.groups[idx].mention(head)
        self.groups[idx].forms.append((head.text, head_words))
        cut = next((k for k, w in enumerate(head_words) if k and w[2] in ("ADP", "PUNCT")), len(head_words))
        nouns = [w for w, _e, p in head_words[:cut] if p in ("NOUN", "PROPN")]
        self.groups[idx].descriptors.extend(nouns[-1:])  # "The café owner": owner (not the ministry of its spokesman)
        return idx

    # ------------------------------------------------------------------ step 2: first person

    def first_person(self) -> None:
        for att in sorted(self.attributions, key=lambda a: a.source.start if a.source else 0):
            if att.source is None or not self._first_person(att.source):
                continue
            outer = _enclosing(att, self.attributions)
            idx = self.by_attr.get(outer.id) if outer is not None else None
            if outer is not None and idx is None and outer.source is not None:
                continue  # the quotation's own speaker is unknown
            if idx is None:
                idx = self._author(att.source.start)
            head, inner = split_embedded(att.source)
            inner = inner or embedded_after(self.doc, att.source, self.text)
            self.attach(idx, head, att)
            if inner is not None:
                self.groups[self.add(inner.text, inner, None)].cited_by = idx

    def _first_person(self, span: Span) -> bool:
        return _first_word(span) in FIRST_PERSON and first_person(span, mention_words(self.doc, span))

    def _author(self, pos: int) -> int:
        """The writer of a first person outside quotations: a letter's signer or the piece's author (:mod:`.writers`), else "the author"."""
        named = writer_at(self.text, pos)
        if named is not None:
            return self.add(named.text, named, None)
        if self.author is None:
            self.groups.append(Group("the author", [], [], [("the", "", "DET"), ("author", "", "NOUN")]))
            self.author = len(self.groups) - 1
        return self.author

    # ------------------------------------------------------------------ step 3: pronoun speakers

    def pronouns(self) -> None:
        """Third-person pronouns in text order: a speaker ("he said") joins its antecedent's source; every other one
        ("She was anxious") is resolved too, and each resolved pronoun stands for its antecedent to those after it."""
        speakers: dict[int, list[Attribution]] = {}
        for att in self.attributions:
            span = att.source
            if span is not None and att.id not in self.by_attr and _is_pronoun(span) and not self._first_person(span):
                speakers.setdefault(span.start, []).append(att)  # "he said, adding that": one "he", two attributions
        others = [t for t in pronoun_tokens(self.doc, self.resolver) if t.idx not in speakers]
        steps: list[tuple[int, list[Attribution], Token | None]]
        steps = sorted([(start, atts, None) for start, atts in speakers.items()] + [(t.idx, [], t) for t in others],
                       key=lambda x: x[0])
        for _start, atts, tok in steps:
            if atts:
                self._speaker_pronoun(atts)
                continue
            assert tok is not None
            span = Span(tok.idx, tok.idx + len(tok.text), tok.text)
            cand = self.resolver.resolve(span, not_groups=self._quoting(tok.idx))
            self.pronoun_refs[tok.idx] = cand
            if cand is not None:
                self.resolver.chain(span, cand, tok.dep_ in ("nsubj", "nsubjpass"))

    def _quoting(self, pos: int) -> frozenset[int]:
        """The source groups known to speak a quotation that holds ``pos`` (a third person there is someone else)."""
        if not self.resolver.quoted(pos):
            return frozenset()
        return frozenset(self.by_attr[a.id] for a in self.attributions if a.id in self.by_attr and any(
            p.start <= pos < p.end for p in (a.content_pieces or (a.content,))))

    def _speaker_pronoun(self, atts: list[Attribution]) -> None:
        """One pronoun speaker of ``atts`` (the first its own, the others hanging on it: "he said, adding that")."""
        att = atts[0]
        span = att.source
        assert span is not None
        exclude = tuple(p for a in atts for p in ((*a.content_pieces, a.content) if a.content_pieces else (a.content,)))
        cand = self.resolver.resolve(span, exclude, speaker=True)
        if cand is None:
            return
        antecedent = Span(cand.start, cand.end, self.text[cand.start : cand.end])
        idx = cand.group if cand.group is not None else self.add(antecedent.text, antecedent, None)
        for a in atts:
            self.attach(idx, span, a)
            self.resolved[a.id] = antecedent
        self.resolver.chain(span, replace(cand, group=idx), True)

    # ------------------------------------------------------------------ output

    def kind(self, g: Group, person_roles: dict[str, str] | None = None) -> Kind:
        """The group's role from its most telling mention (a term or title over a name); named if any mention is, else as its first."""
        seen: set[str] = set()
        kinds: list[Kind] = []
        surname = set(key_of(g.person).split()) if g.person else set()
        for text, words in g.forms or [(g.name, g.doc_words)]:
            if text in seen:
                continue
            seen.add(text)
            kinds.append(kind_of(text, words, g.descriptors, person_roles, person_name=bool(surname & set(key_of(text).split()))))
        best = max(kinds, key=lambda k: k.strength)  # the first of the strongest; a named author over its document
        best = next((k for k in kinds if k.identity == NAMED and k.role != "document" and k.strength >= best.strength
                     and best.role == "document"), best)
        if best.role == "organisation" and best.strength == 2 and normalise(g.label) in self.places:
            best = Kind("official", best.identity, f"a state speaking ('{g.label}' is a place the article names)", 2)
        office = office_of(g.person) if g.person and best.role in (PERSON, UNKNOWN, ORGANISATION) else None
        if office is not None:  # "Donald Trump said": a reader knows who he is, the article need not say
            best = Kind(OFFICIAL, best.identity, f"'{g.person}' held or sought public office: {office} (office_holders.tsv)", 3)
        company = company_in_text(g.person or g.label, self.text) if best.role == PERSON and best.strength < 3 else None
        if company is not None:  # "Peabody" of "Peabody Energy"
            best = Kind(ORGANISATION, NAMED, f"'{g.person or g.label}' is the company the article names '{company}'", 3)
        seen_it = first_hand([a.content.text for a in self.attributions if a.id in g.attribution_ids]) \
            if best.role == PERSON and best.strength < 3 else None
        if seen_it is not None:  # "“I saw a fireball ...,” said Tomas Reyes": a witness
            best = Kind(WITNESS, best.identity, f"reports what they saw or heard ('{seen_it}')", best.strength)
        named = bool(g.person) or any(k.identity == NAMED for k in kinds)
        return Kind(best.role, NAMED if named else kinds[0].identity, best.reason, best.strength)

    def sources(self) -> list[Source]:
        person_roles = named_people_roles(self.doc)  # the sources' own roles replace these below
        kinds: dict[int, Kind] = {}
        alive = [i for i in range(len(self.groups)) if i not in self.dead]
        self.ids = {i: f"s{k + 1}" for k, i in enumerate(alive)}
        for i, g in enumerate(self.groups):  # people first: a spokesperson of a person takes the person's role
            if i in self.dead:
                continue
            if g.person:
                kinds[i] = self.kind(g)
                person_roles[key_of(g.person)] = kinds[i].role
                person_roles[key_of(g.person).split()[-1]] = kinds[i].role
        for i in list(kinds):  # "Trump lawyer Marc Kasowitz" before Trump is met: the principal's role
            if kinds[i].strength < 3:
                kinds[i] = self.kind(self.groups[i], person_roles)
        out = []
        for i, g in enumerate(self.groups):
            if i in self.dead:
                continue
            k = kinds.get(i) or self.kind(g, person_roles)
            if i == self.author:
                k = Kind(PERSON, "described", "the article's writer (first person outside a quotation)", 3)
            elif k.identity != NAMED and unnamed_in([(m.start, m.end) for m in g.mentions], self.text) == "anonymous":
                k = Kind(k.role, "anonymous", k.reason, k.strength)  # "the employee, who did not want to be named"
            out.append(Source(
                id=self.ids[i],
                name=display(g),
                role=k.role,
                identity=k.identity,
                mentions=tuple(sorted(g.mentions, key=lambda s: (s.start, s.end))),
                attribution_ids=tuple(g.attribution_ids),
                reason=k.reason,
                cited_by=self.ids.get(g.cited_by) if g.cited_by is not None else None,
                speaks_for=self.ids.get(g.speaks_for) if g.speaks_for is not None else None,
                non_answers=tuple(g.non_answers),
            ))
        return mark_summaries(partitive_roles(out, self), self.doc)


def build_sources(doc: Doc, attributions: tuple[Attribution, ...]) -> tuple[tuple[Source, ...], tuple[Attribution, ...]]:
    """The source entities of ``doc`` and the attributions with ``source_id`` (and a pronoun's ``resolved_source``)."""
    b = SourceBuilder(doc, attributions)
    b.named()
    b.first_person()
    b.pronouns()
    merge_aliases(b)
    merge_headline(b)
    links = LinkFinder(b)
    links.run()
    every_mention(b)
    merge_cited_descriptions(b)
    merge_descriptions(b)
    merge_documents(b)
    sources = b.sources()
    channels = {att_id: b.ids[idx] for att_id, idx in links.channels.items() if idx in b.ids}
    updated = tuple(
        replace(a, source_id=b.ids[b.by_attr[a.id]], resolved_source=b.resolved.get(a.id, a.resolved_source),
                relayed_by=channels.get(a.id, a.relayed_by))
        if a.id in b.by_attr else a
        for a in attributions
    )
    return tuple(sources), updated


class SourceGrouper:
    """The ``newsaudit_sources`` component."""

    def __init__(self, nlp: Language, name: str = "newsaudit_sources") -> None:
        register_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        sources, attributions = build_sources(doc, tuple(doc._.attributions or ()))
        doc._.sources = sources
        doc._.attributions = attributions
        return doc


@Language.factory("newsaudit_sources", default_config={}, assigns=["doc._.sources"],
                  requires=["doc._.attributions", "token.ent_type", "token.dep"])
def make_sources(nlp: Language, name: str) -> SourceGrouper:
    return SourceGrouper(nlp, name)
