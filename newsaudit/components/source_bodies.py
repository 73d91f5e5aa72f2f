"""What the name of a source tells of its role, from general knowledge rather than the article's words.

* :func:`office_of`: a person the article names in full who held or sought high public office ("Donald Trump",
  "Ban Ki-moon") is an official though the article gives no title (``office_holders.tsv``).
* :func:`organisation_name`: a company's name ("Patriot Coal", "Acme Inc.") or an advocacy group's ("Citizens for Tax
  Justice", "the Committee for a Responsible Federal Budget") is an organisation's, whatever the tagger said.
* :func:`research_body`: the people of a body that studies ("the Urban-Brookings Tax Policy Center", "the Carnegie
  Endowment") are quoted for expertise.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from ..lexicons import LEXICON_DIR, read_table
from .source_roles import Word

__all__ = ["office_of", "organisation_name", "research_body"]


def _name_keys(name: str) -> tuple[str, ...]:
    """The keys a person's name is looked up by: the whole name and its first and last words, lower case, without
    accents, full stops or a possessive ("Donald J. Trump" -> "donald j trump", "donald trump")."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[’']s\b", "", plain).replace(".", " ").split()
    if not words:
        return ()
    return (" ".join(words), f"{words[0]} {words[-1]}") if len(words) > 2 else (" ".join(words),)


@lru_cache(maxsize=1)
def _office_holders() -> dict[str, str]:
    """Key of a name -> the office its bearer held or sought (``office_holders.tsv``)."""
    out: dict[str, str] = {}
    for row in read_table(LEXICON_DIR / "office_holders.tsv"):
        for key in _name_keys(row[0]):
            out.setdefault(key, row[1])
        words = _name_keys(row[0])[0].split()
        if len(words) > 2 and row[0].split()[-2][:1].isupper():  # "Suu Kyi" of "Aung San Suu Kyi" (not "da Silva")
            out.setdefault(" ".join(words[-2:]), row[1])
    return out


def office_of(person: str) -> str | None:
    """The public office a person the article names in full held or sought, from general knowledge
    (``office_holders.tsv``: "Donald Trump" -> "president of the United States"); None for a single name or anyone
    not listed."""
    keys = _name_keys(person)
    if not keys or len(keys[0].split()) < 2:
        return None
    holders = _office_holders()
    return next((holders[k] for k in keys if k in holders), None)


#: A body's own name of the form "Committee for ...", "Citizens for ...", "Commission on ...": an advocacy group or a
#: private body (government bodies are named for what they are: "the Federal Election Commission").
ADVOCACY_NAME = re.compile(
    r"^(?:[Tt]he\s+)?(?:[a-z-]+\s+)*(?:Committee|Commission|Citizens|Americans|Alliance|Coalition|Campaign|Council|Center|"
    r"Centre|Institute|Foundation|Fund|Association|Project|Partnership|League|Network|Union|Group)\s+(?:for|on|to)\s+(?:an?\s+|the\s+)?[A-Z]")
#: Last words of a company's name ("Patriot Coal", "Peabody Energy", "Acme Inc."), which the tagger may take for a person's.
COMPANY_WORDS = frozenset({"coal", "energy", "inc", "corp", "corporation", "company", "co", "llc", "ltd", "plc", "group",
                           "holdings", "industries", "airlines", "motors", "bank", "capital", "partners", "technologies",
                           "pharmaceuticals", "petroleum", "oil", "gas", "mining", "resources", "entertainment"})


def organisation_name(name: str, head: Sequence[Word], person: bool) -> str | None:
    """Why a source is an organisation by the form of its name: a company's ("Patriot Coal") or an advocacy group's
    ("Citizens for Tax Justice", "the Committee for a Responsible Federal Budget"); None otherwise.  ``person``: the
    tagger took the name for a person's."""
    if ADVOCACY_NAME.match(name):
        return f"'{name}' is the name of an advocacy or private body ('... for ...')"
    names = [w for w, e, p in head if e in ("PERSON", "ORG") or p == "PROPN"]
    if names and names[-1].rstrip(".") in COMPANY_WORDS and (person or "ORG" in {e for _w, e, _p in head}):
        return f"'{name}' is a company's name (its last word)"
    return None


def company_in_text(name: str, text: str) -> str | None:
    """The company a single name stands for when the text names it in full ("Peabody" of "Peabody Energy"), which the
    tagger may take for a person's surname; None otherwise."""
    if not name[:1].isupper() or " " in name.strip():
        return None
    for found in re.finditer(rf"\b{re.escape(name.strip())}\s+([A-Z][a-z]+)\b", text):
        if found.group(1).lower() in COMPANY_WORDS:
            return found.group(0)
    return None


#: Words of the names of bodies that study rather than act: their people are quoted for expertise.
RESEARCH_BODY = re.compile(r"\b(?:Center|Centre|Institute|Institution|Endowment|University|College|School|Academy|"
                           r"Laboratory|Program|Programme|Studies|Research)\b")


def research_body(name: str, body: str) -> bool:
    """Whether a person of ``body`` is quoted for expertise: the body studies ("the Tax Policy Center", "the Carnegie
    Endowment") or the description names an expertise ("a physicist who is co-director of ...")."""
    if RESEARCH_BODY.search(body):
        return True
    desc = name.partition(",")[2].lower().split()
    return any(w in _expert_terms() for w in desc[:4])




@lru_cache(maxsize=1)
def _expert_terms() -> frozenset[str]:
    """The words ``source_types.tsv`` gives the role expert ("economist", "physicist")."""
    return frozenset(row[0].lower() for row in read_table(LEXICON_DIR / "source_types.tsv") if row[1:2] == ("expert",))
