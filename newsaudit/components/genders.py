"""Grammatical gender and number of mentions, for pronoun agreement ("she" is not Obama).

* A pronoun's person, number and gender come from spaCy's morphology (``Gender=Fem``,
  ``Number=Plur``, ``Person=1``), with the word itself as a fallback.
* A mention's gender comes, in order, from a gendered title or noun in it ("Mrs.", "spokeswoman",
  "the congressman", ``gendered_nouns.tsv``) and from the first name of a person's name, looked up
  in ``first_names.tsv``.  That list is derived from the name data of the PyPI package
  ``nomquamgender`` 0.1.4 (MIT licence, (c) 2022 Ian Van Buskirk; Van Buskirk, Clauset and Larremore,
  "An open-source cultural consensus approach to name-based gender classification", 2023): the names seen
  at least 100 times in its sources whose share of female bearers is at least 0.9 (``f``) or
  at most 0.1 (``m``).  A name the list lacks, or one borne by both (Taylor, Jordan), has no gender:
  it agrees with "he" and "she" alike.  The list ships with newsaudit (reading the package's 720,000
  names takes seconds); ``newsaudit train first-names`` rebuilds it from the installed package
  (:mod:`newsaudit.train.first_names`).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from spacy.tokens import Token

from ..lexicons import LEXICON_DIR, read_table

FEMALE, MALE = "f", "m"


_PRONOUN_FEATURES = {
    # word: (person, number, gender); gender None where the pronoun does not tell
    "i": (1, "sing", None), "me": (1, "sing", None), "my": (1, "sing", None), "myself": (1, "sing", None),
    "we": (1, "plur", None), "us": (1, "plur", None), "our": (1, "plur", None), "ourselves": (1, "plur", None),
    "you": (2, None, None), "your": (2, None, None),
    "he": (3, "sing", MALE), "him": (3, "sing", MALE), "his": (3, "sing", MALE), "himself": (3, "sing", MALE),
    "she": (3, "sing", FEMALE), "her": (3, "sing", FEMALE), "hers": (3, "sing", FEMALE), "herself": (3, "sing", FEMALE),
    "it": (3, "sing", "n"), "its": (3, "sing", "n"), "itself": (3, "sing", "n"),
    "they": (3, "plur", None), "them": (3, "plur", None), "their": (3, "plur", None), "themselves": (3, "plur", None),
}


def pronoun_features(word: str, token: Token | None = None) -> tuple[int, str | None, str | None] | None:
    """(person, number, gender) of a personal or possessive pronoun (gender ``f``, ``m`` or ``n`` for
    "it"); None for any other word.  Read from the token's morphology when it has one."""
    base = _PRONOUN_FEATURES.get(word.lower().replace("’", "'"))
    if base is None:
        return None
    if token is None:
        return base
    morph = token.morph
    gender = {"Masc": MALE, "Fem": FEMALE, "Neut": "n"}.get(next(iter(morph.get("Gender", [])), ""), base[2])
    number = {"Sing": "sing", "Plur": "plur"}.get(next(iter(morph.get("Number", [])), ""), base[1])
    person = next(iter(morph.get("Person", [])), "")
    return (int(person) if person.isdigit() else base[0]), number, gender


@lru_cache(maxsize=1)
def first_names() -> dict[str, str]:
    """first name (lower case) -> ``f`` or ``m`` (``first_names.tsv``)."""
    return {row[0]: row[1] for row in read_table(LEXICON_DIR / "first_names.tsv") if len(row) >= 2}


@lru_cache(maxsize=1)
def gendered_words() -> dict[str, str]:
    """Titles and nouns that tell a person's gender ("mrs" -> f, "spokesman" -> m; ``gendered_nouns.tsv``)."""
    return {row[0]: row[1] for row in read_table(LEXICON_DIR / "gendered_nouns.tsv") if len(row) >= 2}


def words_gender(words: Iterable[str], first_name: str | None = None) -> str | None:
    """The gender a mention's words tell: a gendered title or noun, else the first name's; None when unknown
    or when the words disagree ("Mr. and Mrs. Smith")."""
    table = gendered_words()
    found = {table[w] for w in (x.lower().rstrip(".") for x in words) if w in table}
    if len(found) == 1:
        return found.pop()
    if found:
        return None
    if first_name:
        return first_names().get(first_name.lower())
    return None


def agrees(gender: str | None, wanted: str | None) -> bool:
    """Whether a mention of gender ``gender`` (None: unknown) can be referred to by a pronoun of gender ``wanted``."""
    return wanted is None or gender is None or gender == wanted
