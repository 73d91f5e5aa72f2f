"""ClaimBuster-style counts of one sentence: the first dense features of the check-worthiness model.

Following the feature families of ClaimBuster (Hassan et al. 2017: numbers,
entities, part of speech, sentiment/subjectivity) and the CLEF CheckThat! lab
baselines, each sentence gets a handful of counts (:class:`Features`): numbers
and quantities, dates, named entities, an event verb (a content verb in the
past or present perfect), comparatives and superlatives, causal cues
("caused", "because", "led to"), first/second-person opinion ("I think", "we
believe"), opinion words (Hu & Liu 2004 opinion lexicon), hedges, a question
mark, the length.  The trained model (:mod:`.model`) weighs them.

The cue word lists are data files under ``newsaudit/data/lexicons/``
(``checkworthy_cues.tsv``, the Hu & Liu lists, the hedge lists).
:func:`features_from_span` reads a parsed spaCy span.  The shipped model was
trained on these counts: changing this function or its lists means retraining
(:meth:`CheckworthyModel.load <.model.CheckworthyModel.load>` refuses a model
whose feature names differ from the code's).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from ...lexicons import LEXICON_DIR, read_table, read_wordlist

if TYPE_CHECKING:
    from spacy.tokens import Span

#: spaCy entity labels that name something checkable.
NAME_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "LAW", "PRODUCT"})
#: spaCy entity labels that are quantities.
NUMBER_ENTS = frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT", "ORDINAL"})
DATE_ENTS = frozenset({"DATE", "TIME"})
#: Dependency labels of clause heads: a past participle used as an adjective
#: ("everyone involved") is not an event.
CLAUSE_DEPS = frozenset({"ROOT", "ccomp", "conj", "advcl", "relcl", "pcomp", "xcomp", "acl"})
FIRST_SECOND_PERSON = frozenset({"i", "me", "my", "we", "us", "our", "you", "your"})


@dataclass(frozen=True)
class Features:
    """Counts for one sentence (all plain ints/bools: easy to build by hand in tests)."""

    n_tokens: int = 0
    numbers: int = 0
    dates: int = 0
    entities: int = 0
    event_verb: bool = False
    comparatives: int = 0
    causal: int = 0
    first_person_opinion: int = 0
    opinion_words: int = 0
    hedges: int = 0
    question: bool = False


# ---------------------------------------------------------------- lexicons


@dataclass(frozen=True)
class Cues:
    causal: frozenset[str] = field(default_factory=frozenset)
    opinion_verbs: frozenset[str] = field(default_factory=frozenset)
    light_verbs: frozenset[str] = field(default_factory=frozenset)
    opinion_words: frozenset[str] = field(default_factory=frozenset)
    hedges: frozenset[str] = field(default_factory=frozenset)


@lru_cache(maxsize=1)
def load_cues() -> Cues:
    """The cue lists (read once per process)."""
    table: dict[str, set[str]] = {"causal": set(), "opinion_verb": set(), "light_verb": set()}
    for row in read_table(LEXICON_DIR / "checkworthy_cues.tsv"):
        if len(row) >= 2 and row[0] in table:
            table[row[0]].add(row[1].lower())
    opinion = read_wordlist("subjective_huliu2004_negative.txt") | read_wordlist("subjective_huliu2004_positive.txt")
    hedges = read_wordlist("hedges_hyland2005.txt") | read_wordlist("hedges_doubt.tsv")
    return Cues(
        causal=frozenset(table["causal"]),
        opinion_verbs=frozenset(table["opinion_verb"]),
        light_verbs=frozenset(table["light_verb"]),
        opinion_words=opinion,
        hedges=hedges,
    )


def features_from_span(span: Span, cues: Cues | None = None, ents: Sequence[Span] | None = None) -> Features:
    """Features of a parsed spaCy span (one pass over its tokens).

    ``ents``: the entities inside the span, when the caller already has them
    (a component scoring every sentence passes them to avoid re-reading the doc).
    """
    cues = cues or load_cues()
    n_tokens = numbers = comparatives = causal = first_opinion = opinion = hedges = 0
    event_verb = False
    for tok in span:
        if tok.is_space or tok.is_punct:
            continue
        n_tokens += 1
        lower = tok.lower_
        lemma = tok.lemma_.lower()
        if tok.like_num and tok.ent_type_ not in DATE_ENTS:
            numbers += 1
        if tok.tag_ in ("JJR", "JJS", "RBR", "RBS"):
            comparatives += 1
        if lemma in cues.causal or lower in cues.causal:
            causal += 1
        if lower in FIRST_SECOND_PERSON and tok.dep_ in ("nsubj", "nsubjpass"):
            head = tok.head.lemma_.lower()
            if head in cues.opinion_verbs:
                first_opinion += 1
        if lower in cues.opinion_words or lemma in cues.opinion_words:
            opinion += 1
        if lower in cues.hedges:
            hedges += 1
        if (
            not event_verb
            and tok.pos_ == "VERB"
            and lemma not in cues.light_verbs
            and lemma not in cues.opinion_verbs
            and tok.dep_ in CLAUSE_DEPS
            and (tok.tag_ in ("VBD", "VBN") or tok.morph.get("Tense", []) == ["Past"])
        ):
            event_verb = True
    if ents is None:
        ents = list(span.ents) if span.doc.has_annotation("ENT_IOB") else []
    entities = sum(1 for e in ents if e.label_ in NAME_ENTS)
    dates = sum(1 for e in ents if e.label_ in DATE_ENTS)
    # Numbers inside entities such as "CARDINAL" count once per entity, not per token.
    number_ents = sum(1 for e in ents if e.label_ in NUMBER_ENTS)
    numbers = max(numbers, number_ents)
    text = span.text.rstrip()
    question = text.endswith("?") or text.endswith("?\u201d") or text.endswith('?"')
    return Features(
        n_tokens=n_tokens,
        numbers=numbers,
        dates=dates,
        entities=entities,
        event_verb=event_verb,
        comparatives=comparatives,
        causal=causal,
        first_person_opinion=first_opinion,
        opinion_words=opinion,
        hedges=hedges,
        question=question,
    )
