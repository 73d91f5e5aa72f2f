"""newsaudit_sources: each distinct source once, with its mentions, type and named/unnamed.

Reads ``doc._.attributions`` (written by ``newsaudit_attribution``), groups the
source mentions into distinct sources, types each one from its words, its
entities and two data files (``source_types.tsv``, ``outlets.txt``), and writes
``doc._.sources`` and attributions with ``source_id`` filled in.

Grouping rules, in order:
1. the same normalised name as any mention of a source (case, leading determiner and
   possessive dropped); then a partitive joins its group (rule 4);
2. one name's words contained in the other's ("Defense Ministry" / "Russian
   Defense Ministry"), when the heads agree;
3. institution aliases: unqualified definite descriptions of the same
   institution ("the military", "the Defense Ministry") join the earlier named
   source of that institution, if their country words agree.
4. partitives: "one of the people" joins "two people familiar with
   the matter" ("one of them": the latest plural source); an apposition is one
   source ("The café owner, René Dupont").
A source span that embeds a second source ("Our intelligence confirmed by three
independent Syrian sources") yields that second source too, linked through
``Source.cited_by`` so the relay chain can nest it.  An unnamed role mention
("An Orbitron spokeswoman") is cited by the body it speaks for, and "as reported
by X" adds the outlet X (:mod:`.source_roles`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import register_extensions
from ..lexicons import LEXICON_DIR, read_lines, read_table
from ..text.spans import doc_text
from ..types import Attribution, Source, Span
from .source_names import appositive_name, mention_words, source_label
from .source_roles import AS_REPORTED, appositive_parts, cased, display_name, name_and_role, partitive_group, role_mention

DATA = LEXICON_DIR
PRONOUNS = {"he", "she", "it", "they", "we", "i", "you", "him", "her", "them", "us", "me", "who", "which", "that"}
DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our", "my", "your"}
NUMBER_WORDS = {
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "several", "some", "many", "few", "multiple",
    "various",
}
#: Words that make a mention unnamed even with a capital letter ("Western officials").
UNNAMED_MARKERS = {
    "unnamed", "anonymous", "unidentified", "independent", "senior", "familiar", "several", "some", "many",
}
#: Phrases inside a source span that introduce an embedded source.
EMBEDDED_CITATION = re.compile(r"\b(?:confirmed by|citing|quoting|according to|as told by|backed by reports from)\s+", re.I)
COUNTRY_WORDS_RE = re.compile(
    r"\b(?:russian|american|us|u\.s\.|syrian|british|uk|french|german|chinese|israeli|iranian|turkish|ukrainian|european)\b", re.I
)


@lru_cache(maxsize=1)
def load_type_lexicon() -> dict[str, str]:
    return {term.lower(): kind for term, kind in read_table(DATA / "source_types.tsv")}


@lru_cache(maxsize=1)
def load_outlets() -> tuple[str, ...]:
    """Outlet names, longest first: a reason quotes the fullest name found, the same in every run."""
    return tuple(sorted({line.lower() for line in read_lines(DATA / "outlets.txt")}, key=lambda o: (-len(o), o)))


@lru_cache(maxsize=8192)
def normalise(name: str) -> str:
    words = re.sub(r"[’']s\b", "", name.lower()).replace("’", "'").split()
    while words and words[0] in DETERMINERS:
        words = words[1:]
    return " ".join(w.strip(".,;:\"“”‘’«»()") for w in words).strip()


@lru_cache(maxsize=1)
def load_institutions() -> dict[str, str]:
    """head phrase -> institution group, from ``institutions.tsv``."""
    return {row[1]: row[0] for row in read_table(DATA / "institutions.tsv")}


@lru_cache(maxsize=8192)
def institution(name: str) -> str | None:
    norm = normalise(name)
    bare = re.sub(r"\s+", " ", COUNTRY_WORDS_RE.sub("", norm)).strip()
    heads = load_institutions()
    if bare in heads:
        return heads[bare]
    for head, group in heads.items():
        if bare.endswith(" " + head):
            return group
    return None


def country_words(name: str) -> set[str]:
    found = {m.group(0).lower().replace(".", "") for m in COUNTRY_WORDS_RE.finditer(name)}
    return {"us" if w in {"us", "american"} else w for w in found}


@dataclass
class _Group:
    #: the fullest mention's text: what the type and the body are read from
    name: str
    mentions: list[Span]
    attribution_ids: list[str]
    doc_words: list[tuple[str, str, str]]  # (lower text, ent_type, pos) of the best mention
    cited_by: int | None = None
    seen: set[Span] = field(default_factory=set)

    #: normalised names of its mentions and display names (pronouns left out)
    aliases: set[str] = field(default_factory=set)
    #: (name, body) of the last :attr:`body` computed
    _body: tuple[str, str | None] | None = None
    #: what the source is called and grouped by (:func:`.source_names.source_label`): "Dan Gross" for
    #: "Dan Gross, president of the Brady Campaign,"; the name when empty
    label: str = ""

    def __post_init__(self) -> None:
        self.label = self.label or self.name
        self.aliases.update({normalise(self.name), normalise(self.label)})

    @property
    def body(self) -> str | None:
        """The body an unnamed role mention belongs to ("orbitron" for "An Orbitron spokeswoman")."""
        if self._body is None or self._body[0] != self.name:
            role = role_mention(self.doc_words, cased(self.name, self.doc_words))
            self._body = (self.name, role[3] if role is not None and not role[1] else None)
        return self._body[1]

    @property
    def key(self) -> str:
        """The normalised label the grouping rules compare with ("dan gross")."""
        return normalise(display_name(self.label))

    def mention(self, span: Span) -> None:
        if span not in self.seen:
            self.seen.add(span)
            self.mentions.append(span)
            if span.text.strip().lower() not in PRONOUNS:
                self.aliases.add(normalise(span.text))


@lru_cache(maxsize=1)
def official_documents() -> tuple[str, ...]:
    """Documents of record (``official_documents.txt``), longest first."""
    return tuple(sorted({line.lower() for line in read_lines(DATA / "official_documents.txt")}, key=lambda d: (-len(d), d)))


def official_document(name: str) -> str | None:
    """The document of record ``name`` names ("a federal criminal complaint" -> "criminal complaint"), or None."""
    padded = f" {normalise(name)} "
    return next((d for d in official_documents() if f" {d} " in padded), None)


def classify(name: str, words: list[tuple[str, str, str]], cue_text: str = "") -> tuple[str, bool, str]:
    """(type, named, reason) for a source name and its tokens (lower, ent_type, pos).

    A document of record ("a federal criminal complaint", ``official_documents.txt``) is a named official
    source: it speaks for the court or prosecutor that issued it.

    A person named only by a role is unnamed ("An Orbitron spokeswoman", "the café
    owner"; :func:`.source_roles.role_mention`).  A name in apposition first is typed by the name and
    the opening of its description ("Huma Abedin, vice chairwoman for Clinton's campaign": a person)."""
    document = official_document(name)
    if document is not None:
        return "official", True, f"an official document: '{document}' (official_documents.txt)"
    name, words = name_and_role(name, words)
    kind, named, reason = _classify(name, words)
    if kind == "outlet":
        return kind, named, reason
    role = role_mention(words, cased(name, words))
    if role is None or role[1]:
        return kind, named, reason
    if role[3]:  # belongs to a body: "an unnamed spokeswoman of Orbitron" ("a senior official at X" stays anonymous)
        at = name.lower().find(role[3])
        kind = "anonymous" if kind == "anonymous" else role[0]
        return kind, False, role[2].replace(role[3], name[at : at + len(role[3])]) if at >= 0 else role[2]
    return (kind if kind not in ("organisation", "person", "unknown") else "anonymous"), False, role[2] if named else reason


def _classify(name: str, words: list[tuple[str, str, str]]) -> tuple[str, bool, str]:
    lexicon = load_type_lexicon()
    outlets = load_outlets()
    norm = normalise(name)
    ents = {e for _, e, _ in words if e}
    has_propn = any(p == "PROPN" for _, _, p in words)
    # a marker counts only in lower case: "independent sources", not "the Independent"
    unnamed_marker = any(w in UNNAMED_MARKERS or w in NUMBER_WORDS for w in re.findall(r"[\w-]+", name))
    if norm in outlets or re.search(r"\b[\w-]+\.(?:com|org|net|co\.uk|ru)\b", norm):
        return "outlet", True, f"'{name}' is a news outlet (outlets.txt)"
    for outlet in outlets:
        if len(outlet) <= 3:
            continue
        found = re.search(rf"\b{re.escape(outlet)}\b", name, re.I)
        # inside a longer name an outlet must be capitalised: "the Independent", not "independent sources"
        if found and found.group(0)[:1].isupper() and not unnamed_marker:
            return "outlet", True, f"'{name}' names the outlet '{outlet}' (outlets.txt)"
    # longest lexicon term found among the words wins
    best: tuple[int, str, str] | None = None
    padded = f" {norm} "
    for term, kind in lexicon.items():
        if f" {term} " in padded and (best is None or len(term) > best[0]):
            best = (len(term), term, kind)
    named = (has_propn or bool(ents & {"PERSON", "ORG", "GPE", "NORP", "FAC"})) and not unnamed_marker
    if best is not None:
        _, term, kind = best
        if kind == "anonymous":
            if named and "PERSON" in ents:
                return "official", True, f"named person with role '{term}'"
            if named and not unnamed_marker and has_propn:
                return "official", True, f"named body with role '{term}'"
            return "anonymous", False, f"unnamed source: '{term}' without a name"
        if kind == "witness":  # named by a person's name, not by a place after "from" ("a boy from Douma")
            head_words = words[: next((k for k, w in enumerate(words) if w[2] == "ADP"), len(words))]
            return "witness", named and any(e == "PERSON" for _, e, _ in head_words), f"witness or local: '{term}'"
        if kind == "outlet":
            return "outlet", named, f"media: '{term}'"
        if kind == "official":
            return "official", named or norm in {"government", "military"}, f"government or official body: '{term}'"
        if kind == "organisation":
            return "organisation", named, f"organisation: '{term}'"
    if "PERSON" in ents:
        return "person", True, "a named person (PERSON entity)"
    if "GPE" in ents:
        return "official", True, f"a state speaking ('{name}' is a place name: its government)"
    if "ORG" in ents or "NORP" in ents:
        return "organisation", True, "a named organisation (ORG entity)"
    if has_propn:
        return "person", True, "a proper name"
    return "unknown", False, "no name, role or entity recognised"


def split_embedded(span: Span) -> tuple[Span, Span | None]:
    """Split "X confirmed by Y" into (X, Y); (span, None) when nothing is embedded."""
    found = EMBEDDED_CITATION.search(span.text)
    if not found or found.start() == 0:
        return span, None
    head_text = span.text[: found.start()].rstrip(" ,")
    head = Span(span.start, span.start + len(head_text), head_text)
    inner_text = span.text[found.end() :]
    return head, Span(span.end - len(inner_text), span.end, inner_text)


EMBEDDED_AFTER = re.compile(r"\s*,?\s*(?:confirmed by|citing|quoting|according to|backed by reports from)\s+", re.I)


def embedded_after(doc: Doc, span: Span, text: str) -> Span | None:
    """The source cited right after a source mention: "Our intelligence [confirmed by three sources]"."""
    found = EMBEDDED_AFTER.match(text, span.end)
    if not found:
        return None
    tok_span = doc.char_span(found.end(), found.end() + 1, alignment_mode="expand")
    if tok_span is None:
        return None
    tok = tok_span[0]
    head = tok
    # climb to the head of the noun phrase that starts here, within the same sentence
    while head.head is not head and head.head.i > head.i and head.head.pos_ in {"NOUN", "PROPN", "NUM", "ADJ"}:
        head = head.head
    start = min(t.idx for t in head.subtree if t.i >= tok.i)
    end = max(t.idx + len(t.text) for t in head.subtree)
    if start != found.end() or end - start > 120:
        return None
    return Span(start, end, text[start:end])


#: Heads of definite descriptions that refer back to the latest named organisation.
GENERIC_ORGANISATION = {"company", "firm", "group", "organisation", "organization", "corporation", "business", "operator"}


FIRST_PERSON = {"we", "i", "our", "my", "us", "me"}


def _is_first_person(att: Attribution) -> bool:
    if att.source is None:
        return False
    first = att.source.text.strip().split()[:1]
    return bool(first) and first[0].lower() in FIRST_PERSON


def _enclosing(att: Attribution, attributions: tuple[Attribution, ...]) -> Attribution | None:
    """The innermost other attribution whose content holds ``att``'s source."""
    assert att.source is not None
    best = None
    for other in attributions:
        if other.id != att.id and other.content.contains(att.source):
            if best is None or len(other.content) < len(best.content):
                best = other
    return best


def _belongs(words: set[str], group: _Group) -> bool:
    """Whether a mention with these (normalised) words names the body of the group's role mention."""
    body = group.body
    return body is not None and words <= set(body.split())


def build_sources(doc: Doc, attributions: tuple[Attribution, ...]) -> tuple[tuple[Source, ...], tuple[Attribution, ...]]:
    """Group attribution sources.  Returns (sources, attributions with source_id)."""
    text = doc_text(doc)
    groups: list[_Group] = []
    by_attr: dict[str, int] = {}
    #: first-person sources inside a quote ("our intelligence says") -> the quoting attribution
    speaker_of: dict[str, str] = {}

    def find_group(name: str, tokens: list[tuple[str, str, str]] | None = None) -> int | None:
        name = display_name(name)  # "The company, which runs the plant," is grouped as "The company"
        norm = normalise(name)
        definite = name.strip().lower().startswith("the ")
        if not norm:
            return None
        inst = institution(name)
        words = set(norm.split())
        for i, g in enumerate(groups):
            if norm in g.aliases:
                return i
        part = partitive_group(name, [g.name for g in groups])  # "one of the people"
        if part is not None:
            return part
        for i, g in enumerate(groups):
            body = g.body
            if body and words <= set(body.split()):
                continue  # "Orbitron" is not its spokeswoman: linked after grouping (cited_by)
            gnorm = g.key
            gwords = set(gnorm.split())
            if len(words) > 1 and len(gwords) > 1 and (words <= gwords or gwords <= words) and norm.split()[-1] == gnorm.split()[-1]:
                if "," not in name + display_name(g.label):  # not "X, who works with Mr. Clarke" / "Mr. Clarke"
                    return i
        if definite and len(norm.split()) <= 2:  # "the company", "the official": the latest fitting earlier source
            head = norm.split()[-1]
            for i in range(len(groups) - 1, -1, -1):
                gnorm = groups[i].key
                if gnorm != norm and head in gnorm.split() and not _belongs(words, groups[i]):
                    return i
            if head in GENERIC_ORGANISATION:
                for i in range(len(groups) - 1, -1, -1):
                    kind, named, _ = classify(groups[i].name, groups[i].doc_words)
                    if kind == "organisation" and named:
                        return i
        if len(words) == 1:  # a surname or short name met earlier in full: "Okoro" / "Dana Okoro"
            for i, g in enumerate(groups):
                names = g.key.split()
                if len(names) > 1 and norm in (names[0], names[-1]) and not _belongs(words, g):
                    return i
        elif (norm.split()[-1], "PERSON") in {t[:2] for t in tokens or ()}:
            for i, g in enumerate(groups):  # and the first full name after the surname: "Trump" / "Donald Trump"
                if g.key == norm.split()[-1] and not _belongs(words, g):
                    return i
        if inst:
            for i, g in enumerate(groups):
                if institution(g.label) == inst and not _belongs(words, g):
                    a, b = country_words(name), country_words(g.label)
                    if not a or not b or a == b:
                        return i
        return None

    def add(name: str, mention: Span, attribution_id: str | None) -> int:
        tokens = mention_words(doc, mention)
        label = source_label(doc, mention, name, tokens)  # "Dan Gross" for "Dan Gross, president of ...", "Trump" for "Trump’s"
        idx = find_group(label, tokens)
        if idx is None:
            groups.append(_Group(name, [], [], tokens, label=label))
            idx = len(groups) - 1
        g = groups[idx]
        g.mention(mention)
        if attribution_id and attribution_id not in g.attribution_ids:
            g.attribution_ids.append(attribution_id)
        # prefer the most informative (longest named) mention as the display name
        new, old = normalise(display_name(label)), g.key
        if len(new) > len(old) and new.split()[-1:] == old.split()[-1:]:
            g.name, g.label, g.doc_words = name, label, tokens
            g.aliases.update({normalise(name), normalise(label)})
        elif new == old and g.name == g.label and name != label:  # "Dan Gross" met first: the description types him
            g.name, g.doc_words = name, tokens
        return idx

    def _resolve_first_person(att: Attribution, outer_idx: int) -> None:
        span = att.source
        assert span is not None
        head, inner = split_embedded(span)
        inner = inner or embedded_after(doc, span, text)
        groups[outer_idx].mention(head)
        groups[outer_idx].attribution_ids.append(att.id)
        by_attr[att.id] = outer_idx
        if inner is not None:
            groups[add(inner.text, inner, None)].cited_by = outer_idx

    first_person = [a for a in attributions if _is_first_person(a)]
    for att in first_person:
        outer = _enclosing(att, attributions)
        if outer is not None:
            speaker_of[att.id] = outer.id
    for att in sorted(attributions, key=lambda a: a.id in speaker_of):
        if att.id in speaker_of:
            outer_idx = by_attr.get(speaker_of[att.id])
            if outer_idx is not None:
                _resolve_first_person(att, outer_idx)
                continue
        span = att.resolved_source or att.source
        if span is None or not span.text.strip():
            continue
        if span.text.lower() in PRONOUNS and att.resolved_source is None:
            continue
        head, inner = split_embedded(span)
        inner = inner or embedded_after(doc, span, text)
        appositive = appositive_name(doc, head, text)
        parts = appositive_parts(head.text) if appositive is None else None
        if parts is not None:  # "The café owner, René Dupont" inside one source span
            desc_at = head.start + head.text.index(parts[0])
            name_at = head.start + head.text.index(parts[1], desc_at - head.start + len(parts[0]))
            appositive = Span(name_at, name_at + len(parts[1]), parts[1])
            head = Span(desc_at, desc_at + len(parts[0]), parts[0])
        idx = add(appositive.text, appositive, att.id) if appositive else add(head.text, head, att.id)
        if appositive:
            groups[idx].mention(head)
        if inner is not None:
            groups[add(inner.text, inner, None)].cited_by = idx
        if att.resolved_source is not None and att.source is not None:
            g = groups[idx]
            g.mention(att.source)
        by_attr[att.id] = idx

    for found in AS_REPORTED.finditer(text):  # "as reported by Reuters": the outlet the article relays
        name = found.group("outlet").rstrip(".")
        add(name, Span(found.start("outlet"), found.start("outlet") + len(name), name), None)
    _link_bodies(groups, add, find_group)
    _link_possessives(groups)

    sources: list[Source] = []
    for i, g in enumerate(groups):
        kind, named, reason = classify(g.name, g.doc_words)
        sources.append(
            Source(
                id=f"s{i + 1}",
                name=display_name(g.label),
                type=kind,
                named=named,
                mentions=tuple(sorted(g.mentions, key=lambda s: s.start)),
                attribution_ids=tuple(g.attribution_ids),
                reason=reason,
                cited_by=None if g.cited_by is None else f"s{g.cited_by + 1}",
            )
        )
    updated = tuple(
        replace(a, source_id=f"s{by_attr[a.id] + 1}") if a.id in by_attr else a for a in attributions
    )
    return tuple(sources), updated


def _link_bodies(
    groups: list[_Group], add: Callable[[str, Span, str | None], int], find: Callable[[str], int | None]
) -> None:
    """An unnamed spokesperson or official ("An Orbitron spokeswoman") speaks for its body: the
    body's source gets it as ``cited_by``; a named body's source is made from the mention's
    words when the article has none.  An anonymous one ("a senior official at the agency", "an Orbitron engineer")
    speaks for no one but itself and is not linked."""
    for i in range(len(groups)):
        g = groups[i]
        body = g.body
        if not body or g.cited_by is not None or not g.mentions or classify(g.name, g.doc_words)[0] == "anonymous":
            continue
        mention = g.mentions[0]
        at = mention.text.lower().find(body)
        if at < 0:
            continue
        name = mention.text[at : at + len(body)]
        if name[:1].isupper():  # a name: its source, made when the article has none
            j: int | None = add(name, Span(mention.start + at, mention.start + at + len(body), name), None)
        else:  # "a spokesperson for the agency": only a source the article already has
            j = find(name)
        if j is not None and j != i:
            g.cited_by = j


POSSESSIVE = re.compile(r"^\s*(?:its|their)\s+\w", re.IGNORECASE)


def _link_possessives(groups: list[_Group]) -> None:
    """"Its chief executive, Dana Okoro" speaks for the organisation "its" refers to: the latest
    organisation, official body or outlet mentioned before, which gets her as ``cited_by`` (so the
    headline check does not count a company and its own chief executive as two independent parties)."""
    for i, g in enumerate(groups):
        desc = next((m for m in g.mentions if POSSESSIVE.match(m.text)), None)
        if g.cited_by is not None or desc is None:
            continue
        best: tuple[int, int] | None = None
        for j, h in enumerate(groups):
            before = [m.start for m in h.mentions if m.start < desc.start]
            if j == i or not before or h.cited_by == i or classify(h.name, h.doc_words)[0] not in ("organisation", "official", "outlet"):
                continue
            if best is None or max(before) > best[0]:
                best = (max(before), j)
        if best is not None:
            g.cited_by = best[1]


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
