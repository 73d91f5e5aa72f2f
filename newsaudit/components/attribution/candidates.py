"""Cue candidates and their sources: which tokens may cue an attribution, and who speaks.

Cues are verbs whose lemma is in the cue lexicon (a hand-written list plus a
list learned from PolNeAR train), ``according to``, and colons.  The source of
a cue verb is its subject (``nsubj``; the ``by`` agent of a passive; the noun
a ``who said`` relative clause hangs on; the governing verb's subject for
"..., saying that ...").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy
from spacy.attrs import LEMMA, LOWER, POS
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc, Token

from ...errors import ModelError
from ...lexicons import LEXICON_DIR, read_lines
from .spans import phrase

VERB_ID = POS_IDS["VERB"]
DEFAULT_CUE_LEXICON = str(LEXICON_DIR / "cue_verbs.txt")
DEFAULT_LEARNED_LEXICON = str(LEXICON_DIR / "cue_learned_polnear.tsv")
DEFAULT_NOUNS = str(LEXICON_DIR / "attribution_nouns.tsv")
DEFAULT_VERB_CLASSES = str(LEXICON_DIR / "attribution_verb_classes.tsv")
DEFAULT_RULE_FILTER = str(LEXICON_DIR / "attribution_rules_polnear.tsv")

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
RELATIVE_PRONOUNS = {"who", "that", "which", "whom"}
SPEAKER_PRONOUNS = ("i", "we", "you", "he", "she", "they", "it")


def data_path(value: str, default: str) -> str:
    """"default" -> the bundled file; "" -> none; anything else is a path."""
    return default if value == "default" else value


def read_lexicon(path: str | Path) -> list[str]:
    """Non-comment, non-empty lines of a lexicon file (:func:`newsaudit.lexicons.read_lines`)."""
    try:
        return read_lines(path)
    except OSError as exc:
        raise ModelError(f"cannot read attribution lexicon {path}: {exc}") from exc


def _numeric_rows(path: str | Path, width: int, columns: tuple[int, ...]) -> Iterator[tuple[list[str], tuple[float, ...]]]:
    """Rows of a learned table with at least ``width`` cells whose ``columns`` parse as numbers
    (the header row and malformed rows are skipped)."""
    for line in read_lexicon(path):
        parts = line.split("\t")
        if len(parts) < width or parts[0] == "lemma":
            continue
        try:
            yield parts, tuple(float(parts[c]) for c in columns)
        except ValueError:
            continue


def read_rule_filter(path: str | Path, min_count: int, min_precision: float) -> set[tuple[str, str]]:
    """(lemma, rule) pairs to drop: seen at least ``min_count`` times on PolNeAR
    train with a precision below ``min_precision``
    (table ``lemma<TAB>rule<TAB>matched<TAB>predicted<TAB>precision``)."""
    if not path:
        return set()
    return {
        (parts[0], parts[1])
        for parts, (n, precision) in _numeric_rows(path, 5, (3, 4))
        if n >= min_count and precision < min_precision
    }


def read_learned(path: str | Path, min_count: int, min_ratio: float) -> set[str]:
    """Lemmas from a learned cue table (``lemma<TAB>cue_count<TAB>total<TAB>ratio``)."""
    if not path:
        return set()
    return {parts[0] for parts, (count, ratio) in _numeric_rows(path, 4, (1, 3)) if count >= min_count and ratio >= min_ratio}


def _pairs(path: str) -> dict[str, str]:
    """``key<TAB>value`` rows of a lexicon file ("" -> none)."""
    out: dict[str, str] = {}
    for line in read_lexicon(path) if path else ():
        parts = line.split("\t")
        if len(parts) >= 2:
            out[parts[0].strip()] = parts[1].strip()
    return out


@dataclass(frozen=True)
class CueLexicons:
    """The word lists the rules read, loaded once per component."""

    #: Hand-written cue lemmas (trusted without a speaker check).
    core_cues: frozenset[str] = frozenset()
    #: Core plus learned cue lemmas.
    cues: frozenset[str] = frozenset()
    #: Source head nouns -> type (person, organisation, ...).
    nouns: dict[str, str] = field(default_factory=dict)
    #: Verb lemma -> class ("addressee": the object is the person addressed; "target": "accused X of ...").
    verb_classes: dict[str, str] = field(default_factory=dict)
    #: (lemma, rule) pairs measured as too imprecise on PolNeAR train.
    blocked: frozenset[tuple[str, str]] = frozenset()

    @classmethod
    def load(
        cls,
        *,
        cue_lexicon: str = "default",
        learned_lexicon: str = "default",
        learned_min_count: int = 3,
        learned_min_ratio: float = 0.2,
        nouns: str = "default",
        verb_classes: str = "default",
        rule_filter: str = "default",
        rule_min_count: int = 5,
        rule_min_precision: float = 0.3,
    ) -> CueLexicons:
        """Read the files ("default": the bundled one, "": none, else a path)."""
        cue_lexicon = data_path(cue_lexicon, DEFAULT_CUE_LEXICON)
        core = frozenset(w.lower() for w in read_lexicon(cue_lexicon)) if cue_lexicon else frozenset()
        learned = read_learned(data_path(learned_lexicon, DEFAULT_LEARNED_LEXICON), learned_min_count, learned_min_ratio)
        return cls(
            core_cues=core,
            cues=core | learned,
            nouns={k.lower(): v for k, v in _pairs(data_path(nouns, DEFAULT_NOUNS)).items()},
            verb_classes=_pairs(data_path(verb_classes, DEFAULT_VERB_CLASSES)),
            blocked=frozenset(read_rule_filter(data_path(rule_filter, DEFAULT_RULE_FILTER), rule_min_count, rule_min_precision)),
        )


def cue_candidates(doc: Doc, cues: frozenset[str]) -> list[int]:
    """Indices of the tokens that may cue an attribution: cue verbs, "according", colons.

    A column scan: only these tokens ever become Token objects.
    """
    strings = doc.vocab.strings
    cue_hashes = numpy.array(sorted(strings.add(c) for c in cues), dtype="uint64")
    according = strings.add("according")
    colon = strings.add(":")
    cols = doc.to_array([POS, LEMMA, LOWER])
    is_cue = (cols[:, 0] == VERB_ID) & numpy.isin(cols[:, 1], cue_hashes)
    is_cue |= (cols[:, 2] == according) | (cols[:, 2] == colon)
    return numpy.flatnonzero(is_cue).tolist()


def is_speaker(tok: Token | None, nouns: dict[str, str]) -> bool:
    """Whether ``tok`` can head a speaker: a person, group or organisation
    (entity, proper noun, personal pronoun or a known source noun)."""
    if tok is None:
        return False
    if tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or tok.pos_ == "PROPN":
        return True
    if tok.lower_ in SPEAKER_PRONOUNS:
        return True
    return tok.lemma_.lower() in nouns


def verb_source(tok: Token) -> tuple[tuple[int, int] | None, Token | None]:
    """The source phrase of cue verb ``tok`` and its head token."""
    subj = None
    passive = False
    for child in tok.children:
        if child.dep_ in SUBJECT_DEPS:
            subj = child
            passive = child.dep_ == "nsubjpass"
            break
    if passive or subj is None:
        agent = next((c for c in tok.children if c.dep_ == "agent"), None)
        if agent is not None:
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return phrase(pobj), pobj
        if passive:
            return None, None
    if subj is None:
        # Borrow the subject of the governing verb: "..., saying that ...",
        # "X declined to comment and said ...".
        if tok.dep_ in ("advcl", "xcomp", "conj") and tok.head is not tok:
            return _subject_of(tok.head)
        return None, None
    if subj.lower_ in RELATIVE_PRONOUNS and tok.dep_ == "relcl":
        head = tok.head
        return phrase(head), head
    return phrase(subj), subj


def _subject_of(verb: Token) -> tuple[tuple[int, int] | None, Token | None]:
    for child in verb.children:
        if child.dep_ == "nsubj":
            if child.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                return phrase(verb.head), verb.head
            return phrase(child), child
    return None, None
