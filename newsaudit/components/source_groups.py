"""Which source mentions are one entity: the grouping rules of ``newsaudit_sources``.

A mention joins an earlier group, by the first rule that fits:

1. the same key as any of the group's mentions: lower case, leading determiner, possessive clitic, titles
   ("Mr.", "Sen.", "President"), a party-and-state tag ("(R-Tex.)") and an intensifier ("himself") dropped,
   and for a mention that holds a person's name, that name alone ("rival Donald Trump" -> "donald trump");
2. a partitive joins its group ("one of the people" joins "two people familiar with the matter");
3. one name's words contained in the other's, when the heads agree ("Defense Ministry" / "Russian Defense
   Ministry");
4. a definite description ("the senator", "the Republican nominee", "the newspaper") joins the latest group
   the article describes with its head noun (a named person called "Sen. Paul Hendry" or "Republican
   nominee Donald Trump" anywhere in the text; an outlet for "the newspaper");
5. a surname or first name met earlier in full ("Sorkin" / "Aaron Sorkin"), and the full name after the
   surname ("Trump" / "Donald Trump");
6. institution aliases: unqualified descriptions of the same institution ("the military", "the Defense
   Ministry") join the earlier source of that institution when their country words agree.

Different unnamed sources stay apart ("a source ... another source"); "the source" after "a source" joins it
by rule 4.  A body is never its own spokesperson: "Orbitron" does not join "An Orbitron spokeswoman".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from ..lexicons import LEXICON_DIR, read_table
from ..types import Attribution, Span
from .source_kinds import OUTLET, PERSON, Kind, classify, document_terms, normalise, state_of, title_roles
from .source_kinds import PARTY_TAG as KIND_PARTY_TAG
from .source_roles import Word, cased, display_name, is_person_noun, partitive_group, role_mention, singular

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .speakers import Candidate, SpeakerResolver

PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "you", "him", "her", "them", "us", "me", "who", "which", "that",
                      "his", "its", "their", "our", "my", "your", "whom", "whose"})
#: Titles dropped from a person's key ("Mr. Clarke" is "clarke").
TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "sen", "senator", "rep", "gov", "governor", "president", "pres", "gen", "general",
    "sir", "lord", "dame", "prof", "professor", "rev", "judge", "justice", "mayor", "secretary", "vice", "former",
    "rival", "candidate", "nominee", "rt", "hon", "lt", "col", "adm", "capt", "sgt", "maj", "speaker", "leader",
})
#: Generational suffixes after a surname.
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
CLITICS = frozenset({"'s", "’s", "'", "’"})
#: The possessor a description opens with ("the prime minister's office", "the workers' union").
POSSESSIVE = re.compile(r"^(?:the\s+)?(.+?\w)(?:['\u2019]s|(?<=s)['\u2019])(?:\s|$)", re.IGNORECASE)
INTENSIFIERS = frozenset({"himself", "herself", "itself", "themselves", "themself"})
COUNTRY_WORDS_RE = re.compile(
    r"\b(?:russian|american|us|u\.s\.|syrian|british|uk|french|german|chinese|israeli|iranian|turkish|ukrainian|european)\b", re.I
)
PARTY_TAG = re.compile(r"\s*" + KIND_PARTY_TAG.pattern)
#: Heads of definite descriptions that refer back to the latest outlet ("the newspaper said").
OUTLET_HEADS = frozenset({"newspaper", "paper", "magazine", "network", "broadcaster", "website", "site", "outlet", "publication",
                          "tabloid", "agency", "station", "channel", "blog", "daily"})
#: Heads of definite descriptions that refer back to the latest private person ("a Canadian man ... the witness").
WITNESS_HEADS = frozenset({"witness", "eyewitness", "resident", "victim", "survivor", "bystander", "passenger", "neighbour",
                           "neighbor", "man", "woman", "mother", "father"})
#: Heads of definite descriptions that refer back to the latest unnamed insider ("a staff member at the couple's
#: home ... the employee"), and the words that make a description one.
STAFF_HEADS = frozenset({"employee", "staffer", "staff", "insider", "worker", "aide"})
#: Heads of definite descriptions that refer back to the latest named organisation.
GENERIC_ORGANISATION = frozenset({"company", "firm", "group", "organisation", "organization", "corporation", "business", "operator"})


@lru_cache(maxsize=1)
def load_institutions() -> dict[str, str]:
    """head phrase -> institution group, from ``institutions.tsv``."""
    return {row[1]: row[0] for row in read_table(LEXICON_DIR / "institutions.tsv")}


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


#: Capitalised words of an institution's own name, which say nothing of its country.
INSTITUTION_WORDS = frozenset({
    "the", "ministry", "defence", "defense", "foreign", "interior", "military", "army", "armed", "forces", "office", "department",
    "state", "home", "of", "affairs", "mod", "navy", "air", "force", "government", "reconciliation", "center", "centre",
})


def country_words(name: str) -> set[str]:
    """The country an institution belongs to, as written ("Russian", "Moldova's"), each cut to five letters so that a
    country and its adjective agree ("russi"); "US"/"American" are one."""
    found = {m.group(0).lower().replace(".", "") for m in COUNTRY_WORDS_RE.finditer(name)}
    found |= {w.lower() for w in re.findall(r"\b[A-Z][a-z]+", name.replace("’s", "").replace("'s", ""))
              if w.lower() not in INSTITUTION_WORDS}
    return {"us" if w in {"us", "american", "america"} else w[:5] for w in found}


@lru_cache(maxsize=8192)
def key_of(name: str) -> str:
    """The key a name is grouped by: :func:`.source_kinds.normalise` without titles, a party-and-state tag or an
    intensifier ("Sen. Ted Cruz (R-Tex.)" -> "ted cruz", "Bale himself" -> "bale")."""
    words = normalise(PARTY_TAG.sub("", display_name(name))).split()
    while len(words) > 1 and words[0].rstrip(".") in TITLES:
        words = words[1:]
    while len(words) > 1 and words[-1] in INTENSIFIERS:
        words = words[:-1]
    return " ".join(words)


def person_name(words: list[Word], text: str) -> str | None:
    """The person's name a mention holds, as written ("Donald Trump" in "rival Donald Trump"; "Melezia Figueroa"
    in "Stein spokeswoman Melezia Figueroa": the last name, the earlier one naming whom she speaks for); None when
    it holds none, or names two people ("Trump and Clinton")."""
    clause = next((k for k, w in enumerate(words) if k and (w[2] == "ADP" or w[0] in ("who", "which", "that"))), len(words))
    if any(w[0] in ("and", "&") for w in words[:clause]) and sum(1 for w in words[:clause] if w[1] == "PERSON") > 1:
        return None  # "Clinton, Sanders and O'Malley": several people
    cut = _title_of(words, next((k for k, w in enumerate(words) if k and (w[2] == "ADP" or w[0] in _CLAUSE_CUT)), len(words)))
    runs = _person_runs(words, 0, cut)
    if not runs and cut < len(words) and words[cut][0] == "," and (
            is_person_noun(words[cut - 1][0]) or singular(words[cut - 1][0]) in COUNTERPARTS):
        # "His rival, state treasurer Alicia Moreno": the apposition names the person
        end = next((k for k in range(cut + 1, len(words)) if words[k][2] == "ADP" or words[k][0] in _CLAUSE_CUT), len(words))
        runs = _person_runs(words, cut + 1, end)
    if not runs or (len(runs) > 1 and any(w[0] in ("and", "&", "or") for w in words[runs[0][-1] : runs[-1][0]])):
        return None
    written = cased(text, words)
    name = " ".join(written[k] for k in runs[-1]).replace(" ’s", "").replace(" 's", "")
    return name if name.lower() not in PRONOUNS else None


_CLAUSE_CUT = frozenset({",", "who", "which", "that"})
#: People named by whom they stand against or follow: "His rival, state treasurer Alicia Moreno".
COUNTERPARTS = frozenset({"rival", "opponent", "challenger", "predecessor", "successor"})


def _person_runs(words: list[Word], start: int, cut: int) -> list[list[int]]:
    """The runs of PERSON words in ``words[start:cut]`` that name the mention's own person: not a possessor of
    a following noun ("Senator Hendry's rival, Anne Clark"), not a name that only modifies the common noun after
    it ("Clinton aides", "the Trump campaign"), but a document is its author's ("a Hillary Clinton ad")."""
    runs: list[list[int]] = []
    for k in range(start, cut):
        lower, ent, _pos = words[k]
        if ent == "PERSON" and lower not in CLITICS:  # the tagger may put "'s" inside the name
            if runs and runs[-1][-1] == k - 1:
                runs[-1].append(k)
            else:
                runs.append([k])
    runs = [r for r in runs if not (r[-1] + 2 < cut + 1 and r[-1] + 1 < len(words) and words[r[-1] + 1][0] in CLITICS
                                    and any(w[2] == "NOUN" for w in words[r[-1] + 2 : cut]))]
    return [r for r in runs if not (r[-1] + 1 < cut and words[r[-1] + 1][2] == "NOUN" and words[r[-1] + 1][1] != "PERSON"
                                    and singular(words[r[-1] + 1][0]) not in document_terms())]


def _title_of(words: list[Word], cut: int) -> int:
    """Where a name's head ends when an office "X of Y" is its title: "Secretary of State John F. Kerry" runs to
    the end (not "a lawyer for John Smith", "the wife of John Smith")."""
    if not 0 < cut < len(words) or words[cut][0] != "of" or words[cut - 1][0].rstrip(".") not in TITLES | {"minister", "director"}:
        return cut
    end = next((k for k in range(cut + 1, len(words)) if words[k][2] != "PROPN"), len(words))
    return end if end > cut + 2 and words[end - 1][1] == "PERSON" and words[cut + 1][1] != "PERSON" else cut


@dataclass
class Group:
    """One source entity while the mentions are grouped."""

    #: the fullest mention's text: what the role and the body are read from
    name: str
    mentions: list[Span]
    attribution_ids: list[str]
    doc_words: list[Word]  # (lower text, ent_type, pos) of the best mention
    cited_by: int | None = None
    speaks_for: int | None = None
    seen: set[Span] = field(default_factory=set)
    #: keys of its mentions and display names (pronouns left out)
    aliases: set[str] = field(default_factory=set)
    #: what the source is called: "Dan Gross" for "Dan Gross, president of the Brady Campaign,"
    label: str = ""
    #: the person's name the group is known by, when it is a person's ("Donald Trump")
    person: str | None = None
    #: words the article describes the group's person with, nearest the name last ("Sen.", "nominee")
    descriptors: list[str] = field(default_factory=list)
    #: where it declined to answer
    non_answers: list[Span] = field(default_factory=list)
    #: the text and words of each named or described mention, in the order met
    forms: list[tuple[str, list[Word]]] = field(default_factory=list)
    #: a headline's bare role noun ("Witness describes ..."): no later mention joins it by its words
    headline_bare: bool = False
    #: met first in the headline ("Senator from Texas"): a description there may stand for the body's named person
    headline: bool = False
    #: where the mention that made the group stands
    met: int = -1
    _body: tuple[str, str | None] | None = None

    def __post_init__(self) -> None:
        self.label = self.label or self.name
        self.aliases.update({key_of(self.name), key_of(self.label)})
        if self.person:
            self.aliases.add(key_of(self.person))

    @property
    def body(self) -> str | None:
        """The body an unnamed role mention belongs to ("orbitron" for "An Orbitron spokeswoman")."""
        if self._body is None or self._body[0] != self.name:
            role = role_mention(self.doc_words, cased(self.name, self.doc_words))
            self._body = (self.name, role[3] if role is not None and not role[1] else None)
        return self._body[1]

    @property
    def key(self) -> str:
        return key_of(self.person or self.label)

    def mention(self, span: Span) -> None:
        if span not in self.seen:
            self.seen.add(span)
            self.mentions.append(span)
            if span.text.strip().lower() not in PRONOUNS:
                self.aliases.add(key_of(span.text))

    def first(self) -> int:
        return min((m.start for m in self.mentions), default=1 << 30)

    def last_before(self, pos: int) -> int:
        return max((m.start for m in self.mentions if m.start < pos), default=-1)


#: Titles kept before a person's name when the group is shown ("Mr. Clarke", "Sen. Ted Cruz", "Colonel Arif Demir").
HONORIFICS = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "prof", "rev", "sir", "dame", "lord", "sen", "senator", "rep", "gov", "governor",
    "president", "judge", "justice", "gen", "general", "col", "colonel", "lt", "adm", "admiral", "capt", "captain", "sgt",
    "maj", "major", "mayor", "secretary", "chancellor",
})


def display(g: Group) -> str:
    """The name a group is shown with: a person's fullest name with its honorific ("Mr. Clarke", "Colonel Arif
    Demir", not "rival Donald Trump"), else its fullest mention."""
    if not g.person:
        state = state_of(g.label)
        named = next((t for t, _w in g.forms if state and normalise(t) == state), None)
        return display_name(named or g.label)  # a government by its state's name ("Russia", not "Moscow")
    best = g.person
    for text, _words in g.forms:
        at = text.find(g.person) if len(key_of(g.person).split()) >= len(key_of(best).split()) else -1
        if at <= 0:
            continue
        before = text[:at].split()
        if before and before[-1].lower().rstrip(".") in HONORIFICS:
            best = f"{before[-1]} {g.person}"
            break
    return best


def belongs(words: set[str], group: Group) -> bool:
    """Whether a mention with these (normalised) words names the body of the group's role mention."""
    body = group.body
    return body is not None and words <= set(body.split())


class Grouper:
    """The grouping rules over the groups met so far (see the module docstring)."""

    def __init__(self) -> None:
        self.groups: list[Group] = []

    def find(self, name: str, words: list[Word] | None = None, person: str | None = None, at: int = 1 << 30,
             exclude: int | None = None) -> int | None:
        """Index of the group a mention called ``name`` (holding the person's name ``person``) joins; None for a new one.
        ``exclude``: a group that may not be the answer (a spokesperson is not the body it speaks for)."""
        name = display_name(name)
        key = key_of(person or name)
        if not key:
            return None
        for i, g in enumerate(self.groups):
            if key in g.aliases and not g.headline_bare:
                return i
        part = partitive_group(name, [g.name for g in self.groups])
        if part is not None:
            return part
        found = self._contained(key, name)
        if found is None and name.strip().lower().startswith(("the ", "these ", "this ", "those ")) and person is None:
            found = self._definite(key, at, exclude, words, possessor(name))
        if found is None:
            found = self._short_name(key, words, person)
        if found is None:
            found = self._institution(name, key)
        if found is None and state_of(name) is not None:  # "Moscow" after "Russia": one government
            found = next((i for i, g in enumerate(self.groups) if state_of(g.name) == state_of(name)), None)
        return found

    def _contained(self, key: str, name: str) -> int | None:
        words = set(key.split())
        for i, g in enumerate(self.groups):
            if belongs(words, g):
                continue  # "Orbitron" is not its spokeswoman
            gkey = g.key
            gwords = set(gkey.split())
            if len(words) > 1 and len(gwords) > 1 and (words <= gwords or gwords <= words) and key.split()[-1] == gkey.split()[-1] \
                    and _same_head(key, gkey):
                if "," not in name + display_name(g.label):  # not "X, who works with Mr. Clarke" / "Mr. Clarke"
                    return i
        return None

    def _definite(self, key: str, at: int, exclude: int | None = None, said: list[Word] | None = None,
                  owner: str | None = None) -> int | None:
        """"the senator", "the company", "the newspaper": the latest group before ``at`` the article describes so.
        ``owner``: the description's possessor; "the prime minister's office" is not "Halvorsen's office"."""
        words = key.split()
        if not words or len(words) > 4:
            return None
        head = words[-1]
        single = singular(head)
        best: tuple[int, int] | None = None
        for i, g in enumerate(self.groups):
            pos = g.last_before(at)
            if pos < 0 or belongs(set(words), g) or g.headline_bare or i == exclude:
                continue
            if owner is not None and _other_owner(owner, g):
                continue
            described = head_words(g.key) | {d.lower().rstrip(".") for d in g.descriptors}
            hit = (head in described or single in described) and not (single != head and g.person)  # "the candidates"
            if not hit and head == single and g.person is None and is_person_noun(head):
                # "the other person" after "two people familiar with the plan": one of them, as a partitive is
                hit = any(singular(w) == head != w for w in described)
            if not hit and head in OUTLET_HEADS and not _outlet_nouns(g):
                # an outlet the article does not describe by another noun: "the trade paper Screen Daily" is no
                # "network" ("Daily News" is a name: it may be "the newspaper")
                hit = classify(g.name, g.doc_words)[0] == OUTLET and g.person is None
            if not hit and head in GENERIC_ORGANISATION:
                role, identity, _ = classify(g.name, g.doc_words)
                hit = role == "organisation" and identity == "named"
            if not hit and single in WITNESS_HEADS:  # "the witness", "The eyewitness": the private person met before,
                # unless the article gives that person's full name (it then calls them by it, not "the woman")
                hit = classify(g.name, g.doc_words)[0] in (PERSON, "witness") and _one(g) and len((g.person or "").split()) < 2
            if not hit and single in STAFF_HEADS:  # "a staff member ... the employee": the unnamed insider met before
                hit = g.person is None and _one(g) and bool(head_words(g.key) & STAFF_HEADS)
            if hit and g.key != key and not _other_kind(said or [], g.doc_words) and (best is None or pos > best[0]):
                best = (pos, i)
        return None if best is None else best[1]

    def _short_name(self, key: str, words: list[Word] | None, person: str | None) -> int | None:
        parts = key.split()
        if len(parts) == 1:  # a surname or first name met earlier in full: "Okoro" / "Dana Okoro", "Veltrane"
            for i, g in enumerate(self.groups):
                names = g.key.split()
                while len(names) > 2 and names[-1].rstrip(".,") in NAME_SUFFIXES:  # "Joseph R. Biden Jr." / "Biden"
                    names = names[:-1]
                if len(names) > 1 and key in (names[0], names[-1]) and not belongs({key}, g) and (g.person or _capital(g.label)):
                    return i
        elif person is not None or (parts[-1], "PERSON") in {t[:2] for t in words or ()}:
            for i, g in enumerate(self.groups):  # the first full name after the surname: "Trump" / "Donald Trump"
                if g.key == parts[-1] and not belongs(set(parts), g):
                    return i
        return None

    def _institution(self, name: str, key: str) -> int | None:
        inst = institution(name)
        if not inst:
            return None
        words = set(key.split())
        for i, g in enumerate(self.groups):
            if institution(g.label) == inst and not belongs(words, g):
                a, b = country_words(name), country_words(g.label)
                if not a or not b or a == b:
                    return i
        return None


def _other_owner(owner: str, g: Group) -> bool:
    """Whether ``g`` is a possessive description of a named person other than ``owner`` ("Halvorsen's office" is not
    "the prime minister's office"; "The Democrats' platform" may be "the party's platform")."""
    theirs = possessor(display_name(g.label))
    head = owner.split()[-1]
    if theirs is None or owner in theirs or not (is_person_noun(head) or head in title_roles()):
        return False  # "the company's spokesman" may be Microsoft's
    return any(p == "PROPN" and e not in ("NORP", "GPE") and w in theirs.split() for w, e, p in g.doc_words)


def possessor(name: str) -> str | None:
    """The lower-cased possessor a description opens with ("prime minister" in "the prime minister's office")."""
    m = POSSESSIVE.match(name.strip())
    return m.group(1).lower() if m else None


#: Prepositions that end a name's head phrase ("a reporter | for USA Today").
HEAD_PREPOSITIONS = frozenset({"for", "of", "at", "with", "from", "in", "on", "by"})


def _head_phrase(words: list[str]) -> list[str]:
    """A name's words before its first preposition after the first word ("a reporter | for USA Today")."""
    return words[: next((k for k, w in enumerate(words) if k and w in HEAD_PREPOSITIONS), len(words))]


def _same_head(a: str, b: str) -> bool:
    """Whether the shorter key's last word is in the head phrase of the longer: "USA Today" is not "a reporter for USA
    Today", nor "the Tax Policy Center" "the Center for Federal Tax Policy"."""
    short, long_ = sorted((a.split(), b.split()), key=len)
    return short[-1] in _head_phrase(long_)


def name_head(key: str) -> str | None:
    """The head noun of a body's several-word name: "city" of "the city of phoenix", "authority" of "the transit
    authority"; None for a one-word name."""
    words = key.split()
    return _head_phrase(words)[-1] if len(words) > 1 else None


def _other_kind(words: list[Word], other: list[Word]) -> bool:
    """Two descriptions whose heads are the same noun, each qualified by a different noun: "the port authority" is not
    "the transit authority", "the county council" not "the city council" ("the GOP nominee" may be "the Republican
    presidential nominee")."""
    return (len(words) > 1 and len(other) > 1 and words[-1][0] == other[-1][0] and words[-2][0] != other[-2][0]
            and words[-2][2] == other[-2][2] == "NOUN")


def _outlet_nouns(g: Group) -> set[str]:
    """The outlet nouns ("paper", "network") the article describes a group with: common nouns of its words and
    its descriptors, not the words of a name ("Daily News")."""
    nouns = {w for w, _e, p in g.doc_words if p == "NOUN"} | {d.lower() for d in g.descriptors}
    return nouns & OUTLET_HEADS


def head_words(key: str) -> set[str]:
    """The words of a group's key before an apposition: "minyon moore, a senior adviser to the clinton campaign" is
    Minyon Moore, not a campaign ("the campaign" is someone else)."""
    return set(key.split(",")[0].split())


def _one(g: Group) -> bool:
    """A group that is one person, not a plural or a list."""
    return not any(w in ("and", "&") for w, _e, _p in g.doc_words) and not any(
        p == "NOUN" and w.endswith("s") and not w.endswith("ss") for w, _e, p in g.doc_words[-1:])


def _capital(text: str) -> bool:
    words = [w for w in text.split() if w.lower() not in ("the", "a", "an")]
    return bool(words) and all(w[:1].isupper() for w in words)


class Builder(Protocol):
    """What the steps of ``newsaudit_sources`` (:mod:`.source_links`, :mod:`.source_mentions`) read and change of the
    builder that runs them (:class:`.sources.SourceBuilder`)."""

    doc: Doc
    text: str
    headline_end: int
    attributions: tuple[Attribution, ...]
    groups: list[Group]
    grouper: Grouper
    by_attr: dict[str, int]
    dead: set[int]
    author: int | None
    pronoun_refs: dict[int, Candidate | None]

    @property
    def resolver(self) -> SpeakerResolver: ...

    def add(self, name: str, mention: Span, attribution_id: str | None) -> int: ...

    def add_phrase(self, head: Span, attribution_id: str | None) -> int: ...

    def kind(self, g: Group, person_roles: dict[str, str] | None = None) -> Kind: ...


def is_person_group(g: Group) -> bool:
    return g.person is not None or classify(g.name, g.doc_words)[0] == PERSON
