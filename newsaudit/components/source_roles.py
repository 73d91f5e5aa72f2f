"""Source grouping and naming rules that read the words of one mention (no parse needed).

* :func:`role_mention`: "An Orbitron spokeswoman" is an unnamed person who
  belongs to Orbitron, not a named source.  A proper noun (or an institution
  noun such as "police") that modifies a person-role head ("spokeswoman",
  "official", "owner"; ``person_roles.tsv``) names the body the person belongs
  to; the mention is named only when it holds a person's name ("Orbitron
  spokeswoman Jane Roe", "The café owner, René Dupont").
* :func:`partitive_head` and :func:`partitive_group`: "one of the people" is a
  member of the earlier "two people familiar with the matter" and joins that
  source; "one of them" joins the latest plural source.
* :func:`appositive_parts`: "The café owner, René Dupont" is one source whose
  name is the appositive; both parts are its mentions.  :func:`name_first_parts`: the
  mirror, "Dan Gross, president of the Brady Campaign," is named "Dan Gross" (the
  description still types it); both read the description with :func:`describes`.
* :data:`AS_REPORTED`: "as reported by Reuters" names the outlet an article relays.

Words are ``(lower text, entity type, part of speech)`` triples, as
``sources._words`` builds them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from ..lexicons import LEXICON_DIR, read_table, read_wordlist

Word = tuple[str, str, str]

#: Entity types that name a body a person can belong to.
BODY_ENTS = ("ORG", "GPE", "NORP", "FAC")
PARTITIVE = re.compile(
    r"^\s*(?:one|two|three|four|five|another|some|several|none|each|both|many|most|all|either|neither|a few)\s+of\s+"
    r"(?:the|those|these|them|their|its|his|her)\b\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
#: "as reported by X" / "as first reported by X": X is the outlet the text relays (group ``outlet``).
AS_REPORTED = re.compile(
    r"\b[Aa]s (?:(?:first|originally|previously|earlier|also) )?reported (?:by|in) "
    r"(?P<outlet>(?:the )?[A-Z][\w.&'’-]*(?: (?:[A-Z][\w.&'’-]*|of|for|and|de))*)"
)


@lru_cache(maxsize=1)
def load_roles() -> dict[str, str]:
    """role noun -> ``official`` or ``person`` (``person_roles.tsv``)."""
    return {row[0].lower(): row[1] for row in read_table(LEXICON_DIR / "person_roles.tsv")}


@lru_cache(maxsize=1)
def office_roles() -> frozenset[str]:
    """Roles that describe one office holder ("senator", "owner"), not someone speaking for a body."""
    return frozenset(row[0].lower() for row in read_table(LEXICON_DIR / "person_roles.tsv") if row[2:3] == ("holds",))


@lru_cache(maxsize=1)
def _institution_nouns() -> frozenset[str]:
    """Common nouns that name a body ("police", "army"), from ``source_types.tsv``."""
    rows = read_table(LEXICON_DIR / "source_types.tsv")
    return frozenset(row[0].lower() for row in rows if " " not in row[0] and row[1] in ("official", "organisation"))


def singular(word: str) -> str:
    if word == "people":
        return "person"
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@lru_cache(maxsize=1)
def people_nouns() -> frozenset[str]:
    """Nouns of people beside the person roles (``people_nouns.txt``)."""
    return read_wordlist("people_nouns.txt")


def head_nouns(words: Sequence[Word]) -> list[str]:
    """The common nouns of a mention before its first preposition ("two government officials"); the last is its head."""
    cut = next((k for k, w in enumerate(words) if k and w[2] == "ADP"), len(words))
    return [w for w, _e, p in words[:cut] if p == "NOUN"]


def person_head(words: Sequence[Word]) -> bool:
    """Whether a mention's head noun names a person: "A *spokeswoman* for FastFreight" is "she"; "Presidential
    candidate Marco Rubio's *campaign*" is "it"."""
    nouns = head_nouns(words)
    return bool(nouns) and is_person_noun(nouns[-1])


def title_noun(word: Word) -> bool:
    """A common noun, or a capitalised one in a title before a name ("*Police Chief* Daniel Ortiz")."""
    return word[2] == "NOUN" or (word[2] == "PROPN" and word[1] != "PERSON")


def is_person_noun(word: str) -> bool:
    """Whether a noun names a person or people ("father", "siblings", "spokeswoman")."""
    from .genders import gendered_words

    one = singular(word.lower())
    return one in people_nouns() or one in load_roles() or one in gendered_words() or one in KIN_NOUNS


KIN_NOUNS = frozenset({"sibling", "parent", "friend", "colleague", "family", "child", "kid", "relative", "cousin", "grandparent"})


def cased(name: str, words: Sequence[Word]) -> list[str]:
    """The words as written in ``name`` (found in order, case-insensitively); the lower form when absent."""
    out, cursor, low = [], 0, name.lower()
    for lower, _ent, _pos in words:
        at = low.find(lower, cursor)
        if at < 0:
            out.append(lower)
            continue
        out.append(name[at : at + len(lower)])
        cursor = at + len(lower)
    return out


def role_mention(words: Sequence[Word], texts: Sequence[str] | None = None) -> tuple[str, bool, str, str | None] | None:
    """(type, named, reason, body) for a mention headed by a person role; None otherwise.

    The head is the last role noun before a preposition, comma or relative clause
    ("a spokeswoman for Orbitron": head "spokeswoman", body after "for").  ``texts``
    (the tokens as written) lets a proper noun or entity count as a body only when
    it is capitalised ("Orbitron", not "café")."""
    roles = load_roles()
    if any(pos == "CCONJ" for _lower, _ent, pos in words):
        return None  # "the mayor and the police chief": a group, not one role
    head_at = None
    for k, (lower, _ent, pos) in enumerate(words):
        if pos in ("ADP", "PUNCT") or lower in ("who", "that", "which"):
            break
        if pos == "NOUN" and (lower in roles or singular(lower) in roles):
            head_at = k  # the last role noun ("police spokesman Jonas Keller": "spokesman")
    if head_at is None:
        return None
    role = singular(words[head_at][0]) if singular(words[head_at][0]) in roles else words[head_at][0]
    kind = "official" if roles.get(role) == "official" else "anonymous"
    body = _body(words, head_at, texts)
    if body and role in office_roles():
        return None  # "the Vermont senator": one office holder, left to the other rules
    stop = next((k for k in range(head_at + 1, len(words)) if words[k][2] in ("ADP", "PUNCT")), len(words))
    name_after = any(words[k][2] == "PROPN" and (texts is None or texts[k][:1].isupper()) for k in range(head_at + 1, stop))
    if name_after or any(ent == "PERSON" for _, ent, _ in words):  # "Spokeswoman Haley Morris"
        kind = "official" if kind == "official" else "person"
        return (kind, True, f"a named person with the role '{role}'", body)
    if body:
        return (kind, False, f"an unnamed {role} of {body}", body)
    return (kind, False, f"an unnamed {role}", None)


def _is_body(k: int, words: Sequence[Word], texts: Sequence[str] | None) -> bool:
    lower, ent, pos = words[k]
    if pos in ("DET", "PUNCT", "ADP", "PART"):
        return False
    if pos == "NOUN" and lower in _institution_nouns() and lower not in load_roles():
        return True  # "a police spokesman"
    capital = texts is None or texts[k][:1].isupper()
    return capital and (ent in BODY_ENTS or (pos == "PROPN" and not ent))


def _body(words: Sequence[Word], head_at: int, texts: Sequence[str] | None = None) -> str | None:
    """The body named before the role ("Orbitron spokeswoman") or after "for"/"of"/"at"."""
    before = [words[k][0] for k in range(head_at) if _is_body(k, words, texts)]
    if before:
        return " ".join(before)
    for k in range(head_at + 1, len(words)):
        if words[k][0] in ("for", "of", "at", "with", "from") and words[k][2] == "ADP":
            content = [j for j in range(k + 1, len(words)) if words[j][2] not in ("DET", "PUNCT", "PART")]
            if content and words[content[-1]][2] == "NOUN" and not _is_body(content[-1], words, texts):
                return None  # "at the couple's London home": the place is the home, not London
            after = [words[j][0] for j in range(k + 1, len(words)) if _is_body(j, words, texts)]
            return " ".join(after) or None
    return None


def partitive_head(name: str) -> str | None:
    """The group noun of a partitive mention, singular ("one of the people" -> "person");
    "" for a pronoun group ("one of them"); None when the mention is not partitive."""
    found = PARTITIVE.match(name)
    if not found:
        return None
    rest = re.findall(r"[a-z]+", found.group("rest").lower())
    stop = {"who", "that", "which", "familiar", "with", "close", "to", "in", "at", "on", "from", "of"}
    words = []
    for w in rest:
        if w in stop:
            break
        words.append(w)
    return singular(words[-1]) if words else ""


def partitive_group(name: str, earlier: Sequence[str]) -> int | None:
    """Index of the earlier source (names in order of appearance) a partitive mention belongs to:
    the latest one whose head noun is the group noun, or for "one of them" the latest plural one."""
    head = partitive_head(name)
    if head is None:
        return None
    for i in range(len(earlier) - 1, -1, -1):
        if PARTITIVE.match(earlier[i]):
            continue
        nouns = _group_nouns(re.findall(r"[a-z]+", earlier[i].lower()))
        if (head and head in nouns) or (not head and nouns):
            return i
    return None


def _group_nouns(words: list[str]) -> set[str]:
    """Singular forms of the plural nouns at the head of a group mention ("two people familiar ..." -> {"person"})."""
    out = set()
    for w in words:
        if w in ("familiar", "close", "who", "that", "with", "in", "at", "from", "of"):
            break
        if w == "people" or (w.endswith("s") and not w.endswith("ss") and len(w) > 3):
            out.add(singular(w))
    return out


RELATIVE_CLAUSE = re.compile(r",\s*(?:who|which)\b[^,]*,\s*")
#: A last non-restrictive relative clause left open: "Dan Gross, president of X, who has followed the talks".
FINAL_RELATIVE_CLAUSE = re.compile(r",\s*(?:who|which)\b[^,]*$")


def display_name(name: str) -> str:
    """A source name without its non-restrictive relative clauses and trailing punctuation: "a boy from
    the video, who was believed to be a victim, as well as medical staff" -> "a boy from the video as well
    as medical staff"; "The DNC," -> "The DNC"; "X, president of Y, who has followed the talks" -> "X, president of Y"."""
    name = RELATIVE_CLAUSE.sub(" ", name).strip()
    return FINAL_RELATIVE_CLAUSE.sub("", name).strip().rstrip(",;:").strip()


#: Words that may open a description written with a capital ("The café owner", "Former senator").
DESCRIPTION_OPENERS = frozenset({"the", "a", "an", "its", "his", "her", "their", "our", "former", "then", "now", "longtime"})


def describes(part: str) -> bool:
    """Whether one side of an apposition reads as a description, not a name: it opens with a lower-case
    word ("president of the Brady Campaign"), a number ("35, the daughter of ..."), a determiner or
    "former"/"then" ("The café owner"); not with a coordinator ("and Sanders") nor with a name ("Sanders")."""
    part = part.strip()
    first = part.split()[0].lower() if part else ""
    if not first or first in ("and", "or", "but", "nor", "&"):
        return False
    possessed = re.search(r"[’']s\s+[a-z]", part) is not None  # "Senator Hendry's rival": someone of Hendry's
    return part[0].islower() or part[0].isdigit() or first in DESCRIPTION_OPENERS or possessed


def appositive_parts(text: str) -> tuple[str, str] | None:
    """("The café owner", "René Dupont") for "The café owner, René Dupont"; None when there is no
    apposition of a description and a capitalised name (the mirror of :func:`name_first_parts`)."""
    found = re.match(r"^\s*(?P<desc>[^,]+?),\s+(?P<name>(?:[A-Z][\w.'’-]*\s?){1,4}),?\s*$", text)
    if not found:
        return None
    desc, name = found.group("desc").strip(), found.group("name").strip()
    return (desc, name) if describes(desc) else None


def _opening_end(words: Sequence[Word], start: int) -> int:
    """Where a description that starts at ``words[start]`` stops being its opening: at the first
    preposition, punctuation or relative pronoun ("vice chairwoman | for Clinton's campaign")."""
    return next((k for k in range(start, len(words)) if words[k][2] in ("ADP", "PUNCT") or words[k][0] in ("who", "that")),
                len(words))


def name_first_parts(text: str, words: Sequence[Word]) -> tuple[str, str] | None:
    """("Dan Gross", "president of the Brady Campaign") for "Dan Gross, president of the Brady Campaign,";
    None unless the part before the first comma is a short name (1-4 capitalised words, all proper nouns)
    of a person (a PERSON entity, or a description headed by a person role: "Hicks, his campaign
    spokeswoman,") and the part after it :func:`describes` him or her.  A list ("Clinton, Sanders and
    O'Malley") and a description that adds a second person ("Felicia Wong, president of X, and Stan
    Greenberg, ...") are not split.  ``words`` are the mention's tokens."""
    name, comma, rest = text.partition(",")
    name, desc = name.strip(), display_name(rest)
    written = name.split()
    if not comma or not 1 <= len(written) <= 4 or not all(w[:1].isupper() for w in written) or not describes(desc):
        return None
    cut = next((k for k, w in enumerate(words) if w[0] == ","), 0)
    head, tail = words[:cut], words[cut + 1 :]
    if not head or any(pos not in ("PROPN", "PUNCT") and ent != "PERSON" for _, ent, pos in head):
        return None
    roles = load_roles()
    opening = tail[: _opening_end(tail, 0)]
    role_headed = any(pos == "NOUN" and (lower in roles or singular(lower) in roles) for lower, _, pos in opening)
    described = bool(tail) and (tail[0][0] in ("a", "an") or tail[0][0].isdigit())  # "Rendell, a Clinton surrogate,"
    if not (role_headed or described or any(ent == "PERSON" for _, ent, _ in head)):
        return None
    for k, (_lower, _ent, pos) in enumerate(tail):
        if pos == "CCONJ" and any(ent == "PERSON" for _, ent, _ in tail[k + 1 : k + 4]):
            return None  # "..., and Stan Greenberg, co-founder of ...": two people
    return name, desc


def name_and_role(text: str, words: Sequence[Word]) -> tuple[str, list[Word]]:
    """A name-first apposition cut after the description's opening, the words its type is read from:
    "Huma Abedin, vice chairwoman for Clinton's presidential campaign," -> "Huma Abedin, vice
    chairwoman" (a person, not the campaign); the text and words unchanged for any other mention."""
    if name_first_parts(text, words) is None:
        return text, list(words)
    comma = next(k for k, w in enumerate(words) if w[0] == ",")
    stop = _opening_end(words, comma + 1)
    written = cased(text, words[:stop])
    end, cursor = 0, 0
    for form in written:  # the end of the last kept word in ``text``
        at = text.find(form, cursor)
        if at >= 0:
            end = cursor = at + len(form)
    return (text[:end] if end else text), list(words[:stop])


#: A first-hand perception in what a source says ("I saw a fireball", "she heard three explosions"): someone
#: reporting what they saw or lived through, a witness in the sense of the PolNeAR entity guideline.
_PERCEIVED = re.compile(r"\b(?:I|[Ww]e|[Hh]e|[Ss]he|[Tt]hey)\s+(?:saw|heard|watched|felt|smelled|noticed|witnessed)\b")


def first_hand(contents: Sequence[str]) -> str | None:
    """The words of a first-hand perception in ``contents`` (what one source says), or None."""
    for text in contents:
        found = _PERCEIVED.search(text)
        if found is not None:
            return found.group(0)
    return None


#: Characters after a mention read for a phrase that says the source is not identified.
UNNAMED_REACH = 100


@lru_cache(maxsize=1)
def unnamed_phrases() -> tuple[tuple[str, str], ...]:
    """(phrase, kind) from ``unnamed_phrases.tsv``: "asked not to be named" (anonymous), "name only as" (first name
    only)."""
    return tuple((phrase.lower(), kind) for kind, phrase in read_table(LEXICON_DIR / "unnamed_phrases.tsv"))


def unnamed_in(mentions: Sequence[tuple[int, int]], text: str) -> str | None:
    """What the text says makes a source of these ``(start, end)`` mentions unidentified ("anonymous", "first name
    only"), read in each mention and the :data:`UNNAMED_REACH` characters after it in its paragraph; None when it
    says nothing."""
    for start, end in mentions:
        around = " ".join(text[start : end + UNNAMED_REACH].split("\n", 1)[0].lower().split())
        for phrase, kind in unnamed_phrases():
            if phrase in around:
                return kind
    return None
