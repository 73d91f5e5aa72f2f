"""What kind of voice a source is: its ``role`` and its ``identity`` (docs/sources.md).

``role`` (official, outlet, organisation, expert, witness, person, document, unknown) is read, in order, from:

1. the outlet list (``outlets.txt``) and web addresses: "Reuters", "Rt.com";
2. a person-role head with the body it belongs to ("a spokeswoman for the agency", "Clinton aides"): the
   role of the body (a government, a candidate or a campaign: official; a company: organisation; an outlet);
3. the longest term of ``source_types.tsv`` in the mention's head ("the Russian Defense Ministry": official,
   "a local resident": witness, "a reporter for USA Today": outlet, "a 2014 study": document);
4. for a person's name, the titles and descriptions the article gives that person anywhere ("Sen. Ted Cruz",
   "Republican nominee Donald Trump", "Tom Clarke, a nursing home operator"; ``title_roles.tsv``);
5. the parser's entities: a place speaking is its government (official), an organisation's name an
   organisation, a person's name a person.

``identity`` is ``named`` when the mention holds a proper name of the entity (a person's name, an outlet's or
organisation's own name), ``anonymous`` when it is unidentified on purpose or too vague to check (a term
marked so in ``source_types.tsv`` such as "sources" or "a senior official", a quantifier such as "some" or
"many", an unqualified plural such as "critics"), and ``described`` otherwise ("a local resident", "the
police chief of Douma", "two Democratic speechwriters").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Token

from ..lexicons import LEXICON_DIR, read_lines, read_table
from .source_bodies import organisation_name, research_body
from .source_roles import Word, cased, is_person_noun, load_roles, name_and_role, name_first_parts, role_mention, singular

OFFICIAL, OUTLET, ORGANISATION, EXPERT = "official", "outlet", "organisation", "expert"
WITNESS, PERSON, DOCUMENT, UNKNOWN = "witness", "person", "document", "unknown"
NAMED, DESCRIBED, ANONYMOUS = "named", "described", "anonymous"
#: A party-and-state tag after a legislator's name: "(D-Mo.)", "(R-Tex)", "(I-Vt.)".
PARTY_TAG = re.compile(r"\((?:D|R|I)(?:-[A-Z][\w.]{0,8})?\)")

#: Words that leave a mention unidentified even with a capital letter ("Western officials", "some Republicans").
VAGUE_MARKERS = frozenset({
    "unnamed", "anonymous", "unidentified", "senior", "familiar", "several", "some", "many", "most", "few",
    "various", "other", "others", "numerous", "countless", "certain", "multiple", "fewer",
})
#: Quantifiers that are a source by themselves ("some say") but only count the people of a noun after them.
QUANTIFIERS = frozenset({"some", "many", "most", "few", "several", "all"})
NUMBER_WORDS = frozenset({
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "dozens", "hundreds", "thousands",
})
DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our", "my", "your"})
#: Roles that head a body: their holder's role is the body's ("president of the Brady Campaign").
HEAD_ROLES = frozenset({"president", "chairwoman", "chairman", "chair", "founder", "co-founder", "ceo", "head", "director",
                        "leader", "member", "treasurer", "counsel", "partner", "associate", "organizer", "coordinator"})
#: Person roles that speak for a body: their role is the body's.
SPEAKS_FOR_BODY = frozenset({
    "spokesman", "spokeswoman", "spokesperson", "aide", "adviser", "advisor", "staffer", "employee", "lawyer", "publicist",
    "attorney", "representative", "director", "manager", "chairman", "chairwoman", "chair", "head", "chief",
    "executive", "president", "secretary", "strategist", "operative", "official", "officer", "member", "leader",
})


@lru_cache(maxsize=1)
def role_terms() -> dict[str, tuple[str, bool]]:
    """term -> (role, leaves an unnamed source anonymous) from ``source_types.tsv``."""
    return {row[0].lower(): (row[1], row[2:3] == ("anonymous",)) for row in read_table(LEXICON_DIR / "source_types.tsv")}


#: Lemmas of verbs whose object may be a source rather than what was said ("citing X", "The paper cited unnamed
#: sources").
CITING = frozenset({"cite", "quote"})
#: Entity types of a noun that names a source.
SOURCE_ENTITIES = frozenset({"PERSON", "ORG", "NORP", "GPE"})


def has_verb(tokens: Iterable[Token]) -> bool:
    """A verb or an auxiliary among ``tokens``, not counting a participle that describes a noun ("the *ruling* party")."""
    return any(t.pos_ in ("VERB", "AUX") and t.dep_ != "amod" for t in tokens)


def names_a_source(head: Token) -> bool:
    """``head`` (a noun) names a source: a person or body the parser tags, or a word ``source_types.tsv`` knows
    ("sources", "officials", "a report")."""
    terms = role_terms()
    return head.ent_type_ in SOURCE_ENTITIES or head.lemma_.lower() in terms or head.lower_ in terms


@lru_cache(maxsize=1)
def document_terms() -> frozenset[str]:
    """The words ``source_types.tsv`` gives the role document ("statement", "ruling", "poll")."""
    return frozenset(term for term, (role, _anon) in role_terms().items() if role == DOCUMENT and " " not in term)


@lru_cache(maxsize=1)
def title_roles() -> dict[str, str]:
    """title before a name (lower case, no full stop) -> role (``title_roles.tsv``)."""
    return {row[0].lower(): row[1] for row in read_table(LEXICON_DIR / "title_roles.tsv")}


@lru_cache(maxsize=1)
def _state_keys() -> dict[str, str]:
    """Name of a state or its seat of government -> the state (``states.tsv``): "Moscow" and "Russia" are russia."""
    return {row[1].lower(): row[0] for row in read_table(LEXICON_DIR / "states.tsv") if len(row) > 1}


def _state_names() -> frozenset[str]:
    """Names of states and their seats of government: "Moscow said" is a government speaking."""
    return frozenset(_state_keys())


def state_of(name: str) -> str | None:
    """The state a bare state name stands for ("Moscow", "the Kremlin", "Russia": russia); None for anything else."""
    return _state_keys().get(normalise(name))


@lru_cache(maxsize=1)
def load_outlets() -> tuple[str, ...]:
    """Outlet names, longest first: a reason quotes the fullest name found, the same in every run."""
    return tuple(sorted({line.lower() for line in read_lines(LEXICON_DIR / "outlets.txt")}, key=lambda o: (-len(o), o)))


@lru_cache(maxsize=8192)
def normalise(name: str) -> str:
    """Lower case, possessive clitics and leading determiners dropped, edge punctuation stripped."""
    words = re.sub(r"[’']s\b", "", name.lower()).replace("’", "'").split()
    while words and words[0] in DETERMINERS:
        words = words[1:]
    return " ".join(w.strip(".,;:\"“”‘’«»()") for w in words).strip()


@lru_cache(maxsize=1)
def _outlet_pattern() -> re.Pattern[str]:
    """Every listed outlet name longer than three letters, longest first, as whole words; a shorter one only in
    capitals ("CNN's Jake Tapper", not "an ap")."""
    names = [o for o in load_outlets() if len(o) > 3]
    short = [o.upper() for o in load_outlets() if len(o) <= 3 and o.isalpha()]
    return re.compile(r"\b(?:(?i:" + "|".join(re.escape(o) for o in names) + r")|" + "|".join(short) + r")\b")


@lru_cache(maxsize=8192)
def outlet_reason(name: str, vague: bool = False) -> str | None:
    """Why ``name`` is a news outlet (the list or a web address); None when it is not one."""
    norm = normalise(name)
    if norm in load_outlets() or re.search(r"\b[\w-]+\.(?:com|org|net|co\.uk|ru)\b", norm):
        return f"'{name}' is a news outlet (outlets.txt)"
    for found in _outlet_pattern().finditer(name):
        # inside a longer name an outlet must be capitalised: "the Independent", not "independent sources"
        if re.sub(r"^the\s+", "", found.group(0), flags=re.I)[:1].isupper() and not vague:
            return f"'{name}' names the outlet '{found.group(0).lower()}' (outlets.txt)"
    return None


def head_end(words: Sequence[Word]) -> int:
    """Where a mention's head phrase ends: at the first preposition, comma or relative pronoun."""
    return next((k for k, w in enumerate(words) if k and (w[2] in ("ADP", "PUNCT") or w[0] in ("who", "that", "which"))),
                len(words))


def best_term(words: Sequence[str]) -> tuple[str, str, bool] | None:
    """(term, role, anonymous) of the longest ``source_types.tsv`` term among ``words``; ties go to the
    rightmost (the head of a noun phrase is its last word)."""
    terms = role_terms()
    best: tuple[int, int, str] | None = None
    for i in range(len(words)):
        for j in range(i + 1, min(len(words), i + 4) + 1):
            term = " ".join(words[i:j])
            if term not in terms and singular(words[j - 1]) != words[j - 1]:  # "lawmakers": "lawmaker"
                term = " ".join([*words[i : j - 1], singular(words[j - 1])])
            if term in terms and (best is None or (j - i, i) >= (best[0], best[1])):
                best = (j - i, i, term)
    if best is None:
        return None
    role, anonymous = terms[best[2]]
    return best[2], role, anonymous


#: Words that mark a person as a holder or seeker of office when they stand by the name: what the person owns
#: ("Donald Trump's presidential campaign") or a party ("Democrat Hillary Clinton", "(D-Mo.)").
OFFICE_MARKS = frozenset({"campaign", "candidacy", "administration", "presidency", "cabinet", "lawmaker", "supporter",
                          "rally", "surrogate", "mate", "ticket", "nomination"})
#: Offices whose holder is an official whatever body the office is of ("secretary of State", "minister of France").
OFFICE_TITLES = frozenset({"secretary", "minister", "governor", "senator", "ambassador", "mayor", "judge", "justice",
                           "commissioner", "prosecutor", "sheriff", "general", "admiral", "congressman", "congresswoman",
                           "representative", "chancellor", "premier", "lawmaker", "legislator", "envoy", "diplomat"})
#: Bodies a person's name names ("Clinton's campaign" is the Clinton campaign; "Mr. Clarke's company" is unnamed).
NAMED_BY_PRINCIPAL = frozenset({"campaign", "team", "administration", "government", "cabinet", "foundation", "presidency"})
#: A body called by its acronym alone: "the S.E.C.", "The EPA".
ACRONYM = re.compile(r"(?:[Tt]he\s+)?(?:(?:[A-Z]\.){2,6}|[A-Z]{2,6})")
#: Bodies named by their place: "the city of Phoenix" is named.
PLACE_BODIES = frozenset({"city", "state", "town", "county", "village", "province", "government", "republic", "kingdom",
                          "commonwealth", "municipality", "borough"})
#: Who writes or speaks for an outlet: "Vann R. Newkirk II, a writer for The Atlantic" is the outlet's voice.
JOURNALISTS = frozenset({"writer", "reporter", "columnist", "correspondent", "editor", "anchor", "host", "contributor",
                         "journalist", "producer", "commentator", "blogger"})
PARTY_WORDS = frozenset({"democrat", "republican", "democratic", "gop", "libertarian"})


def descriptor_role(descriptors: Iterable[str]) -> tuple[str, str] | None:
    """(role, word) from the titles and descriptions the article gives a named person, the closest to the name
    first ("Senate Minority Leader Harry Reid": leader; ``descriptors`` in text order, nearest last); a party
    word alone ("Democrat Hillary Clinton") counts last."""
    titles = title_roles()
    terms = role_terms()
    words = [w.lower().rstrip(".") for w in descriptors]
    for w in reversed(words):
        if w in titles:
            return titles[w], w
        if w in OFFICE_MARKS:
            return OFFICIAL, w
        if w in terms and terms[w][0] in (OFFICIAL, OUTLET, EXPERT, WITNESS) and w not in ("official", "officials"):
            return terms[w][0], w
    party = next((w for w in reversed(words) if w in PARTY_WORDS), None)
    return (OFFICIAL, party) if party else None


def body_role(body: str, words: Sequence[Word], person_roles: dict[str, str] | None = None) -> str:
    """The role of the body a spokesperson or aide speaks for ("the agency": official, "Orbitron": organisation;
    ``body`` as written)."""
    if outlet_reason(body):
        return OUTLET
    lower = body.lower()
    found = best_term(lower.split())
    if found is not None and found[1] in (OFFICIAL, ORGANISATION, OUTLET):
        if found[0] == "campaign" and "campaign" in body.split():
            return OFFICIAL  # a candidate's campaign staff speak for the candidate ("the Brady Campaign" is a name)
        return found[1]
    body_words = set(lower.split())
    ents = {e for w, e, _ in words if w in body_words}
    if person_roles and key_of_body(lower) in person_roles:
        return person_roles[key_of_body(lower)]
    if "PERSON" in ents:
        return OFFICIAL  # a public figure's spokesperson or aide
    if "GPE" in ents:
        return OFFICIAL
    return ORGANISATION


@dataclass(frozen=True)
class Kind:
    """A source's role and identity, why, and how sure: 3 a listed outlet, a lexicon term, a title or a body;
    2 the parser's entity; 1 a person's or proper name alone; 0 nothing recognised."""

    role: str
    identity: str
    reason: str
    strength: int


def key_of_body(body: str) -> str:
    """A body's words without a possessive or determiner ("clinton's" -> "clinton")."""
    return normalise(body)


def classify(
    name: str, words: Sequence[Word], descriptors: Sequence[str] = (), person_roles: dict[str, str] | None = None
) -> tuple[str, str, str]:
    """(role, identity, reason) of a source from its fullest mention ``name`` and its tokens ``words``
    ((lower, entity type, part of speech)); ``descriptors``: words the article describes a named person with
    elsewhere, nearest the name last; ``person_roles``: roles already known of people named in the article,
    by normalised name (what a spokesperson of that person takes)."""
    k = kind_of(name, words, descriptors, person_roles)
    return k.role, k.identity, k.reason


def kind_of(
    name: str, words: Sequence[Word], descriptors: Sequence[str] = (), person_roles: dict[str, str] | None = None,
    person_name: bool = False,
) -> Kind:
    """:func:`classify` with its strength; ``person_name``: the mention is known to name a person (the parser may
    not tag "Trump" alone)."""
    at = next((k for k in range(1, len(words) - 1) if words[k][0] == "," and words[k + 1][0] == "which"), None)
    clause = re.search(r",\s+which\b", name) if at is not None else None
    if at is not None and clause is not None:  # "A spokeswoman for FastFreight, which owns the truck,": no kind in it
        name, words = name[: clause.start()], list(words[:at])
    of_body = _description_body(name, words)
    name, words = name_and_role(name, words)
    if len(words) > 1 and words[-1][0] in ("himself", "herself", "itself", "themselves"):  # "Bale himself"
        name, words = name[: name.lower().rfind(words[-1][0])].rstrip(), list(words[:-1])
    cut = head_end(words)
    head = list(words[:cut])
    lowers = [w for w, _, _ in words]
    head_ents = {e for _, e, _ in head if e}
    vague = any(w in VAGUE_MARKERS for w in lowers[:cut])
    person = ("PERSON" in head_ents or (person_name and _capitalised(name)) or of_body is not None) and not _possessed_body(head)
    person = person and (of_body is not None or not _name_modifies(head))
    proper = person or bool(head_ents & {"ORG", "GPE", "FAC"}) or any(p == "PROPN" and e != "NORP" for _, e, p in head)
    outlet = outlet_reason(name, vague)
    if outlet and person and outlet_reason(" ".join(w for w, e, _p in head if e == "PERSON")):
        person = False  # the PERSON entity is the outlet's own name ("Bloomberg")
    if outlet and person:  # "CNN's Jake Tapper", "PolitiFact Executive Director Aaron Sharockman": a journalist
        return Kind(OUTLET, NAMED, f"a named person of the outlet ({outlet})", 3)
    if outlet:
        journalist = _role_noun(head) is not None or any(role_terms().get(w, ("",))[0] == OUTLET and is_person_noun(w)
                                                         for w, _e, p in head if p == "NOUN")
        return Kind(OUTLET, DESCRIBED if vague or journalist else NAMED, outlet, 3)
    if person and of_body is not None:  # "Dan Gross, president of the Brady Campaign": the body's role
        role = OFFICIAL if of_body[0] in OFFICE_TITLES else body_role(of_body[1], words, person_roles)
        if role == ORGANISATION and research_body(name, of_body[1]):
            role = EXPERT  # "director of the Urban-Brookings Tax Policy Center", "a physicist who is co-director of ..."
        return Kind(role, NAMED, f"a named {of_body[0]} of {of_body[1]} ({role})", 3)
    if state_of(name) is not None:  # "Kiev", "Moscow", "the Kremlin": a government, whatever the tagger said
        return Kind(OFFICIAL, NAMED, f"a state speaking ('{name}' names a state or its seat: its government)", 3)
    company = organisation_name(name, head, person)
    if company is not None:
        return Kind(ORGANISATION, NAMED, company, 3)
    role, reason, strength = _role(name, words, head, descriptors, person_roles, person)
    acronym = ACRONYM.fullmatch(name.strip(" ,")) is not None  # "the S.E.C.", "The EPA": a body's own name
    return Kind(role, NAMED if acronym else _identity(words, head, person, proper, vague), reason, strength)


def _possessed_body(head: Sequence[Word]) -> bool:
    """Whether a mention is a body a name possesses ("Mr. Clarke's new company", "Clinton's team"): not the person."""
    at = next((k for k, w in enumerate(head) if w[0] in ("'s", "’s")), None)
    if at is None or at + 1 >= len(head):
        return False
    nouns = [w for w, e, p in head[at + 1 :] if p in ("NOUN", "PROPN")]
    return bool(nouns) and not is_person_noun(nouns[-1]) and role_terms().get(singular(nouns[-1]), ("",))[0] == ORGANISATION


def _name_modifies(head: Sequence[Word]) -> bool:
    """Whether a person's name only modifies the common noun that heads the mention ("Clinton aides", "Obama's
    advisers", "Gary Johnson's doctor"): the source is those people, not the person named."""
    names = [k for k, w in enumerate(head) if w[1] == "PERSON" and w[0] not in ("'s", "’s")]
    nouns = [k for k, w in enumerate(head) if w[2] in ("NOUN", "PROPN") and w[1] != "PERSON"]
    return bool(names and nouns) and nouns[-1] > names[-1] and head[nouns[-1]][2] == "NOUN" and \
        singular(head[nouns[-1]][0]) not in document_terms()


def _description_body(name: str, words: Sequence[Word]) -> tuple[str, str] | None:
    """(role noun, body as written) of a name-first apposition whose description holds a role in a body:
    "Huma Abedin, vice chairwoman for Clinton's presidential campaign" -> ("chairwoman", "Clinton's presidential
    campaign"); None otherwise."""
    parts = name_first_parts(name, words)
    if parts is None:
        return None
    desc = parts[1]
    found = re.match(r"^(?:(?:the|a|an|its|his|her|their)\s+)?(?P<role>[\w\s-]+?)\s+(?:for|of|at|with)\s+(?P<body>.+)$", desc)
    if not found:
        return None
    noun = found.group("role").split()[-1].lower()
    if noun not in SPEAKS_FOR_BODY and noun not in HEAD_ROLES and noun not in OFFICE_TITLES and not (
            noun in JOURNALISTS and outlet_reason(found.group("body"))):
        return None
    return noun, found.group("body").strip(" ,")


def _capitalised(name: str) -> bool:
    words = [w for w in re.findall(r"[\w.'’-]+", name) if w.lower() not in DETERMINERS]
    return bool(words) and all(w[:1].isupper() for w in words)


def _role(
    name: str, words: Sequence[Word], head: list[Word], descriptors: Sequence[str], person_roles: dict[str, str] | None,
    person: bool,
) -> tuple[str, str, int]:
    head_lowers = [w for w, _, _ in head]
    head_ents = {e for _, e, _ in head if e}
    mention = role_mention(words, cased(name, words))
    noun = _role_noun(head)
    if mention is not None and mention[3] and noun in SPEAKS_FOR_BODY:
        at = name.lower().find(mention[3])
        body = name[at : at + len(mention[3])] if at >= 0 else mention[3]
        role = body_role(body, words, person_roles)
        return role, f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun} of {body} ({role})", 3
    proper_head = bool(head_ents & {"ORG", "FAC", "GPE"}) and all(p in ("PROPN", "DET", "PUNCT", "ADP") for _, _, p in head)
    found = best_term(head_lowers) or (None if proper_head else best_term([w for w, _, _ in words]))
    if found is not None and found[0] in QUANTIFIERS and any(p in ("NOUN", "PROPN") for _w, _e, p in head):
        found = None  # "many African-Americans": the people counted tell the role, not "many"
    if person:
        possessed = next((k for k, w in enumerate(head) if w[0] in ("'s", "’s")), len(head))
        found = best_term([w for w, _e, _p in head[:possessed]]) if possessed < len(head) else found
        if found is not None and found[1] in (OFFICIAL, OUTLET, EXPERT, WITNESS, ORGANISATION):
            return found[1], f"a named person described as '{found[0]}'", 3
        runs = [k for k, x in enumerate(head) if x[1] == "PERSON" and (k == 0 or head[k - 1][1] != "PERSON")]
        at = runs[-1] if runs else 0  # where the (last) name starts
        before = [w for w, e, _ in head[:at]]
        principal = _principal_role(name, head[:at], words, person_roles)
        if principal is not None:  # "Clinton communications director Jennifer Palmieri", "Trump lawyer Marc Kasowitz"
            return principal[0], f"a named {principal[1]} of {principal[2]} ({principal[0]})", 3
        tag = ["lawmaker"] if PARTY_TAG.search(name) else []
        desc = descriptor_role([*descriptors, *tag, *before])
        if desc is not None:
            return desc[0], f"a named person the article calls '{desc[1]}'", 3
        return PERSON, "a named person", 1
    if found is not None and found[1] == OFFICIAL:
        kind = _apposed_kind(words[len(head):])
        if kind is not None:  # "The Calorie Control Council, an industry group": the kind the article gives
            return kind[1], f"a body the article calls '{kind[0]}' ({kind[1]}; source_types.tsv)", 3
    if found is not None and found[0] == noun and noun in SPEAKS_FOR_BODY and {"for", "of"} & {w for w, _e, _p in words}:
        # "a spokeswoman for the owner": whom she speaks for tells the role; a name of it in the group decides
        return found[1], f"'{found[0]}' of a body the text does not name here ({found[1]}; source_types.tsv)", 1
    if found is not None:
        return found[1], f"'{found[0]}' ({found[1]}; source_types.tsv)", 3
    return _fallback_role(name, head, head_ents, descriptors, noun)


def _apposed_kind(rest: Sequence[Word]) -> tuple[str, str] | None:
    """(term, role) of an indefinite apposition that says what kind of body a name is (", an industry group",
    ", a think tank"), when the role is an organisation, an outlet or experts; else None."""
    if len(rest) < 3 or rest[0][0] != "," or rest[1][0] not in ("a", "an"):
        return None
    found = best_term([w for w, _e, _p in rest[1:6]])
    return (found[0], found[1]) if found is not None and found[1] in (ORGANISATION, OUTLET, EXPERT) else None


def _fallback_role(name: str, head: Sequence[Word], head_ents: set[str], descriptors: Sequence[str],
                   noun: str | None) -> tuple[str, str, int]:
    """The role of a source no lexicon term, title or body tells: a person noun, then the parser's entities."""
    person_head = next((w for w, _e, p in reversed(head) if p in ("NOUN", "PROPN")), "")
    if is_person_noun(person_head):  # "the café owner", "a Canadian man": a person, whatever modifies the noun
        return PERSON, f"a person described as '{person_head}'", 1
    if "GPE" in head_ents or (head_ents and normalise(name) in _state_names()):
        return OFFICIAL, f"a state speaking ('{name}' is a place name: its government)", 2
    if head_ents & {"ORG", "FAC"}:
        return ORGANISATION, "a named organisation (ORG entity)", 2
    if "NORP" in head_ents:
        if any(w in PARTY_WORDS or singular(w) in PARTY_WORDS for w, e, _p in head if e == "NORP"):
            return ORGANISATION, "a group named by its party", 2
        return PERSON, "people named by their nation, community or creed ('many African-Americans')", 2
    if any(p == "PROPN" for _, _, p in head) or _capitalised(name):
        desc = descriptor_role(descriptors)
        if desc is not None:
            return desc[0], f"a name the article calls '{desc[1]}'", 3
        return PERSON, "a proper name", 1
    if noun is not None:
        return PERSON, f"a person described by the role '{noun}'", 1
    return UNKNOWN, "no name, role or entity recognised", 0


def _principal_role(
    name: str, before: Sequence[Word], words: Sequence[Word], person_roles: dict[str, str] | None
) -> tuple[str, str, str] | None:
    """(role, role noun, principal) when a person's name follows a role that speaks for someone named before it:
    the principal's role ("Trump lawyer Marc Kasowitz": a lawyer of Trump, official)."""
    at = next((k for k in range(len(before) - 1, -1, -1) if before[k][0] in SPEAKS_FOR_BODY | HEAD_ROLES), None)
    if at is None:
        return None
    written = cased(name, before)
    known = person_roles or {}
    principal = [written[k] for k in range(at) if before[k][1] in ("PERSON", "ORG", "GPE", "NORP")
                 or (k > 0 and (before[k][2] == "PROPN" or written[k][:1].isupper()))
                 or (written[k][:1].isupper() and before[k][0] in known)]  # "Trump lawyer Marc Kasowitz"
    if not principal:
        return None
    body = " ".join(principal)
    return body_role(body, words, person_roles), before[at][0], body


def _role_noun(head: Sequence[Word]) -> str | None:
    roles = load_roles()
    for lower, _e, pos in reversed(head):
        if pos == "NOUN" and (lower in roles or singular(lower) in roles):
            return singular(lower) if singular(lower) in roles else lower
    return None


def _identity(words: Sequence[Word], head: list[Word], person: bool, proper: bool, vague: bool) -> str:
    lowers = [w for w, _, _ in head]
    if person and not vague:
        return NAMED
    found = best_term(lowers)
    nouns = [w for w, _e, p in head if p in ("NOUN", "PROPN")]
    if proper and found is not None and nouns and found[0].split()[-1] in (nouns[-1], singular(nouns[-1])) and \
            not any(e for _w, e, _p in head) and lowers[0] not in DETERMINERS:
        proper = False  # "Witness describes ..." in a headline: a capital, not a name ("The Eastbridge Courier" is one)
    if len(lowers) == 1 and singular(lowers[0]) in PARTY_WORDS and words == head:
        return NAMED  # "Republicans": the party, by its name
    headed = found is not None and bool(nouns) and found[0].split()[-1] in (nouns[-1], singular(nouns[-1]))
    if vague or (found is not None and found[2] and (not proper or (headed and _only_modifier(head)))):
        return ANONYMOUS  # "sources", and "a Homeland Security Department official": the body does not name the official
    possessed = any(w in ("'s", "’s") for w in lowers[:-1]) and _only_modifier(head) and lowers[-1] not in NAMED_BY_PRINCIPAL
    if proper and not (_only_modifier(head) and _role_noun(head)) and not possessed:
        # "the Clinton campaign" names a body; "a Pentagon official" does not name the official, nor "Scott's family" the family
        return NAMED
    after = words[len(head) + 1 :]
    if nouns and nouns[-1] in PLACE_BODIES and after and words[len(head)][0] == "of" and \
            all(p == "PROPN" or w in (",", ".") for w, _e, p in after):
        return NAMED  # "the city of Phoenix", "the government of Syria": the place's own name
    last = next((w for w in reversed(head) if w[2] in ("NOUN", "PROPN")), None)
    numbered = any(w in NUMBER_WORDS or w.isdigit() for w in lowers)
    determined = bool(lowers) and lowers[0] in DETERMINERS
    if last is None or not last[0].endswith("s") or numbered or determined:
        return DESCRIBED
    if _role_noun(head) is not None and len(words) > len(head) and words[len(head)][0] in ("for", "of", "at", "with"):
        return DESCRIBED  # "attorneys for the family": the people of one body
    if len(words) - len(head) >= 4 and (words[len(head)][0] in ("that", "who", "which") or words[len(head)][2] == "VERB"):
        return DESCRIBED  # "surety companies that had insured Patriot's obligations": a reader could check who they are
    if len(head) <= 2 or len(head) == len(words):
        return ANONYMOUS  # a bare plural: "critics", "experts", "human rights groups", "state and local leaders"
    return DESCRIBED


def _only_modifier(head: Sequence[Word]) -> bool:
    """The proper nouns only modify a common-noun head ("a Pentagon official", "the Clinton campaign"):
    the mention describes someone of that body without naming the source itself."""
    nouns = [k for k, w in enumerate(head) if w[2] in ("NOUN", "PROPN")]
    return bool(nouns) and head[nouns[-1]][2] == "NOUN"
