"""Rules that keep the model's output to what a careful reader calls an attribution.

PolNeAR's annotators mark acts ("approved a resolution", "vote for Clinton"),
refusals ("declined to say whether ...") and withheld speech ("did not respond
to a request for comment") as attribution.  A reader checking who said what
does not, so :func:`refine` drops such candidates (the rules of :mod:`.acts`; they read two data files,
``newsaudit/data/lexicons/non_speech_cues.tsv`` and ``refusal_patterns.tsv``), cuts a
content's own source and cue out of it, and adds what the model does not learn
from PolNeAR: ``as reported by X`` (:func:`reported_by`) and the relayed wire sentence
(:mod:`.frames`: a cue's subject as its source; "X reports: Y, the ministry said").

Each surviving or added candidate says in ``rule`` what decided it
(``model:say``, ``rule:as-reported-by``, ``model:tell+own-clause-cut``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy
from spacy.attrs import LEMMA, TAG
from spacy.tokens import Doc, Token

from ...lexicons import LEXICON_DIR, read_table, read_wordlist
from ...models.attribution.types import AttributionCandidate, Piece
from ...text.spans import char_span, doc_text
from ..source_kinds import CITING
from .acts import (
    ADDRESSEE_VERBS,
    as_if,
    cited_source,
    non_speech,
    passive_addressee,
    purpose_without_clause,
    question_put,
    recommended,
)
from .antecedents import cut_open_relative, resolve_relative
from .frames import cue_token, cut_frame, extend_frames, subject_source
from .quoting import join_paragraphs, single_quote_kind
from .spans import tok_end

#: Children of a cue whose subtrees may be content; the rest of the cue's subtree is its own clause.
CONTENT_CHILDREN = frozenset({"ccomp", "xcomp", "csubj", "parataxis", "advcl", "conj"})
#: Verbs of reporting in "as reported by X", "as first stated in X".
REPORT_LEMMAS = frozenset(
    {
        "report",
        "state",
        "note",
        "say",
        "announce",
        "tell",
        "write",
        "describe",
        "publish",
        "claim",
        "confirm",
        "reveal",
        "detail",
        "disclose",
        "broadcast",
        "quote",
        "cite",
    }
)
EDGE = " \t\n,;:—–-"
#: Heads of a cited party in "citing two officials", "quoting a military source".
SOURCE_NOUNS = frozenset(
    {
        "official",
        "source",
        "people",
        "person",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "diplomat",
        "analyst",
        "report",
        "statement",
        "document",
        "witness",
        "resident",
        "aide",
        "adviser",
        "advisor",
        "insider",
        "expert",
        "data",
        "figure",
        "study",
        "survey",
        "poll",
        "agency",
        "ministry",
        "police",
        "investigator",
        "officer",
        "executive",
        "lawyer",
        "memo",
        "email",
        "letter",
        "filing",
        "record",
        "account",
        "estimate",
    }
)
RELAY_LEMMAS = frozenset({"cite", "quote"})


@dataclass(frozen=True)
class PrecisionLexicon:
    """The two data files, read once."""

    non_speech: dict[str, str]
    refuse_lemmas: frozenset[str]
    negated_lemmas: frozenset[str]
    content_patterns: tuple[re.Pattern[str], ...]

    @classmethod
    def load(cls, directory: str | Path | None = None) -> PrecisionLexicon:
        root = Path(directory) if directory else LEXICON_DIR
        non_speech: dict[str, str] = {}
        for parts in _rows(root / "non_speech_cues.tsv"):
            non_speech[parts[0]] = parts[1]
        refuse, negated, patterns = set(), set(), []
        for kind, value in _rows(root / "refusal_patterns.tsv"):
            if kind == "refuse-lemma":
                refuse.add(value)
            elif kind == "negated-lemma":
                negated.add(value)
            elif kind == "content-regex":
                patterns.append(re.compile(value, re.IGNORECASE))
        return cls(non_speech, frozenset(refuse), frozenset(negated), tuple(patterns))


def _rows(path: Path) -> list[tuple[str, ...]]:
    return [tuple(p.strip() for p in row) for row in read_table(path) if len(row) >= 2]


@lru_cache(maxsize=1)
def default_lexicon() -> PrecisionLexicon:
    return PrecisionLexicon.load()


def _content_text(doc: Doc, cand: AttributionCandidate) -> str:
    text = doc_text(doc)  # built once per Doc
    return " ".join(text[s:e] for s, e in cand.pieces or (cand.content,)).strip(" \t\n\"'“”‘’.,;:")


def is_negated(tok: Token) -> bool:
    """A negation on the cue or its auxiliaries ("did not respond", "never confirmed")."""
    return any(c.dep_ == "neg" or (c.lower_ in ("never", "not", "n't", "n’t") and c.dep_ in ("neg", "advmod")) for c in tok.children)


def drop_reason(doc: Doc, cand: AttributionCandidate, lex: PrecisionLexicon) -> str | None:
    """Why a candidate is no attribution for a reader, or None to keep it."""
    tok = cue_token(doc, cand)
    content = _content_text(doc, cand)
    for pattern in lex.content_patterns:
        if pattern.search(content):
            return f"withheld speech ({pattern.pattern})"
    if tok is None:
        return None
    lemma = tok.lemma_.lower()
    if lemma in lex.refuse_lemmas:
        return f"refusal ({lemma})"
    if lemma in lex.negated_lemmas and is_negated(tok):
        return f"negated speech ({lemma})"
    modal = recommended(tok)
    if modal is not None:
        return f"a recommendation, not speech ('{modal} {tok.text}')"  # "The council should demand a review"
    if cand.source is None and tok.dep_ == "acl" and tok.tag_ == "VBG" and not _document_head(tok):
        return "a participle with no speaker to say it (a noun's clause, not a report)"
    if purpose_without_clause(doc, cand, tok):
        return f"a purpose, not a report of speech ('to {tok.text}' without a clause)"
    if lemma in CITING and cited_source(doc, cand):
        return f"a citation: what follows '{tok.text}' is a source, not what was said"
    if passive_addressee(cand, tok, lemma):
        return f"the ones {tok.text}, not what was said to them (a passive '{lemma}')"  # "Shop owners were never asked."
    if as_if(tok):
        return f"a comparison, not a report of speech ('as if {tok.text}')"
    if question_put(cand, tok, lemma):
        return "the question put to the subject, not what anyone said (a fronted 'asked')"
    return non_speech(doc, cand, tok, lemma, lex.non_speech.get(lemma), content)


def _document_head(tok: Token) -> bool:
    """The participle hangs on a document whose publisher the rules can name ("stories casting doubt")."""
    return tok.head.lemma_.lower() in document_nouns() and tok.head.dep_ == "dobj"


def own_clause(tok: Token) -> set[int]:
    """Token indices of the cue's own clause: its subtree without the subtrees that may be content."""
    skip: set[int] = set()
    for child in tok.children:
        if child.dep_ in CONTENT_CHILDREN or (child.dep_ == "dobj" and tok.lemma_.lower() not in ADDRESSEE_VERBS):
            skip.update(t.i for t in child.subtree)
    return {t.i for t in tok.subtree} - skip


def _pieces_from_tokens(doc: Doc, tokens: list[int]) -> tuple[Piece, ...]:
    """Character pieces of runs of consecutive tokens, runs joined across punctuation and white space,
    each trimmed of edge punctuation (not of quote marks)."""
    runs: list[list[int]] = []
    for i in sorted(tokens):
        if runs and all(doc[k].is_punct or doc[k].is_space for k in range(runs[-1][1] + 1, i)):
            runs[-1][1] = i
        else:
            runs.append([i, i])
    out = []
    for a, b in runs:
        while a <= b and (doc[a].is_space or doc[a].text in EDGE):
            a += 1
        while b >= a and (doc[b].is_space or doc[b].text in EDGE):
            b -= 1
        if a <= b and any(not (doc[k].is_punct or doc[k].is_space) for k in range(a, b + 1)):
            out.append((doc[a].idx, doc[b].idx + len(doc[b].text)))
    return tuple(out)


def cut_own_clause(doc: Doc, cand: AttributionCandidate) -> AttributionCandidate | None:
    """A content that swallows its own cue or source loses the cue's own clause (None if nothing is left)."""
    tok = cue_token(doc, cand)
    if tok is None:
        return cand
    pieces = cand.pieces or (cand.content,)
    cue_inside = any(s <= tok.idx < e for s, e in pieces)
    src_inside = cand.source is not None and any(s < cand.source[1] and cand.source[0] < e for s, e in pieces)
    if not (cue_inside or src_inside):
        return cand
    drop = own_clause(tok) | {tok.i}
    if cand.source is not None:
        src = char_span(doc, cand.source[0], cand.source[1])
        if src is not None:
            drop.update(range(src.start, src.end))
    tokens: list[int] = []
    for s, e in pieces:
        span = char_span(doc, s, e)
        if span is not None:
            tokens.extend(t.i for t in span if t.i not in drop)
    new = _pieces_from_tokens(doc, tokens)
    if not new:
        return None
    return replace(cand, content=(new[0][0], new[-1][1]), pieces=new if len(new) > 1 else (), rule=cand.rule + "+own-clause-cut")


def _tokens_with(doc: Doc, lemmas: frozenset[str], tags: tuple[str, ...]) -> list[Token]:
    """Tokens whose lemma and fine tag are among the given ones, found on arrays (no Token per token)."""
    strings = doc.vocab.strings
    arr = doc.to_array([LEMMA, TAG]).astype("uint64")
    lemma_ids = numpy.array([strings[x] for x in lemmas], dtype="uint64")
    tag_ids = numpy.array([strings[x] for x in tags], dtype="uint64")
    hits = numpy.flatnonzero(numpy.isin(arr[:, 0], lemma_ids) & numpy.isin(arr[:, 1], tag_ids))
    return [doc[int(i)] for i in hits]


def relay_phrases(doc: Doc) -> dict[int, set[int]]:
    """``..., citing two officials`` / ``quoting a military source``: relay participle -> its phrase's tokens.

    The cited party is a source that the source grouping links to the citing one (``Source.cited_by``),
    not the content of a claim, and the phrase is no part of the other attribution's content."""
    out: dict[int, set[int]] = {}
    for tok in _tokens_with(doc, RELAY_LEMMAS, ("VBG",)):
        obj = next((c for c in tok.children if c.dep_ in ("dobj", "pobj")), None)
        if obj is None:
            continue
        if obj.lemma_.lower() in SOURCE_NOUNS or obj.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or obj.pos_ == "PROPN":
            phrase = {t.i for t in tok.subtree}
            # with the comma before it
            if tok.i > 0 and doc[tok.i - 1].text in (",", "—", "–"):
                phrase.add(tok.i - 1)
            out[tok.i] = phrase
    return out


def cut_tokens(doc: Doc, cand: AttributionCandidate, drop: set[int], note: str) -> AttributionCandidate | None:
    """The candidate without the given content tokens (None when nothing is left)."""
    pieces = cand.pieces or (cand.content,)
    tokens, hit = [], False
    for s, e in pieces:
        span = char_span(doc, s, e)
        if span is None:
            continue
        for t in span:
            if t.i in drop:
                hit = True
            else:
                tokens.append(t.i)
    if not hit:
        return cand
    new = _pieces_from_tokens(doc, tokens)
    if not new:
        return None
    return replace(cand, content=(new[0][0], new[-1][1]), pieces=new if len(new) > 1 else (), rule=cand.rule + note)


def reported_by(doc: Doc) -> list[AttributionCandidate]:
    """``as reported by X`` / ``as first reported in X``, leading, inside or trailing a sentence:
    X is the source, the rest of the sentence the content."""
    out = []
    for tok in _tokens_with(doc, REPORT_LEMMAS, ("VBN", "VBD")):
        j = tok.i - 1
        while j >= tok.sent.start and doc[j].pos_ == "ADV" and doc[j].lower_ != "as":
            j -= 1
        if j < tok.sent.start or doc[j].lower_ != "as":
            continue
        prep = next((c for c in tok.rights if c.dep_ in ("agent", "prep") and c.lower_ in ("by", "in", "on")), None)
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
        if obj is None or prep is None:
            continue
        first, last = doc[j], obj.right_edge
        sent = tok.sent
        tokens = [t.i for t in sent if t.i < first.i or t.i > last.i]
        pieces = _pieces_from_tokens(doc, tokens)
        if not pieces:
            continue
        out.append(
            AttributionCandidate(
                content=(pieces[0][0], pieces[-1][1]),
                cue=(first.idx, prep.idx + len(prep.text)),
                source=(obj.left_edge.idx, last.idx + len(last.text)),
                kind="indirect",
                rule=f"rule:as-{tok.lemma_.lower()}ed-{prep.lower_}",
                score=1.0,
                pieces=pieces if len(pieces) > 1 else (),
                cue_index=tok.i,
            )
        )
    return out


def cut_addressee(doc: Doc, cand: AttributionCandidate) -> AttributionCandidate:
    """"locals who told him the whole event was staged": the person addressed ("him", "reporters") is
    not part of what was said, so a content that begins with the addressee of a telling verb loses it."""
    tok = cue_token(doc, cand)
    if tok is None or tok.lemma_.lower() not in ADDRESSEE_VERBS:
        return cand
    first = (cand.pieces or (cand.content,))[0][0]
    for child in tok.children:
        if child.dep_ in ("dobj", "dative", "iobj") and child.i > tok.i and child.left_edge.idx <= first < tok_end(child.right_edge):
            cut = cut_tokens(doc, cand, {t.i for t in child.subtree}, "+addressee-cut")
            return cut if cut is not None else cand
    return cand


def _with_source(cand: AttributionCandidate, tok: Token, note: str) -> AttributionCandidate:
    """The candidate with ``tok``'s phrase as its source, unless that phrase overlaps the content."""
    source = (tok.left_edge.idx, tok_end(tok.right_edge))
    if any(s < source[1] and source[0] < e for s, e in cand.pieces or (cand.content,)):
        return cand
    return replace(cand, source=source, rule=cand.rule + note)


def passive_agent(doc: Doc, cand: AttributionCandidate) -> AttributionCandidate:
    """"It was reported by Reuters that ...": a passive cue without a source takes its agent ("by X")."""
    if cand.source is not None:
        return cand
    tok = cue_token(doc, cand)
    if tok is None:
        return cand
    agent = next((c for c in tok.children if c.dep_ == "agent"), None)
    obj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
    return cand if obj is None else _with_source(cand, obj, "+agent")


#: At most this many tokens are added to finish a content's clause.
CLAUSE_GAP = 3


def complete_clause(doc: Doc, cand: AttributionCandidate) -> AttributionCandidate:
    """"... said the talks were [productive]": a content in one piece that stops a few words short of
    the end of its own clause (its root's last dependant, in the same sentence) is carried to it."""
    if cand.pieces:
        return cand
    span = char_span(doc, cand.content[0], cand.content[1])
    if span is None or not len(span):
        return cand
    edge = span.root.right_edge
    while edge.i >= span.end and (edge.is_punct or edge.is_space):
        edge = doc[edge.i - 1]
    if not span.end <= edge.i < span.end + CLAUSE_GAP or edge.sent.start != span.root.sent.start:
        return cand
    if cand.cue is not None and cand.content[1] <= cand.cue[0] < tok_end(edge):
        return cand
    if cand.source is not None and cand.content[1] <= cand.source[0] < tok_end(edge):
        return cand
    return replace(cand, content=(cand.content[0], tok_end(edge)), rule=cand.rule + "+clause")


@lru_cache(maxsize=1)
def document_nouns() -> frozenset[str]:
    """Nouns of a document that speaks for whoever issued it (``document_nouns.txt``)."""
    return read_wordlist("document_nouns.txt")


@lru_cache(maxsize=1)
def issuing_verbs() -> frozenset[str]:
    """Verbs by which a source issues a document (``issuing_verbs.txt``)."""
    return read_wordlist("issuing_verbs.txt")


def _subject(verb: Token) -> Token | None:
    """The verb's nominal subject, or the subject it shares as a conjunct ("visited ... and ran ...")."""
    for _ in range(4):
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None or verb.dep_ != "conj":
            return subject
        verb = verb.head
    return None


def document_publisher(doc: Doc, cand: AttributionCandidate) -> AttributionCandidate:
    """"AFP and the Independent ... ran stories casting doubt on whether ...": a cue that hangs on a
    document noun ("stories", "a letter ... that says"), or a source that is one, speaks for whoever issued the
    document, the subject of the verb that has it as object."""
    tok = cue_token(doc, cand)
    if tok is None:
        return cand
    nouns = document_nouns()
    noun = tok.head if tok.dep_ in ("acl", "relcl") and tok.head.lemma_.lower() in nouns else None
    if noun is None and cand.source is not None:
        span = char_span(doc, cand.source[0], cand.source[1])
        if span is not None and len(span) and span.root.lemma_.lower() in nouns:
            noun = span.root
    subject = publisher(noun) if noun is not None else None
    return cand if subject is None else _with_source(cand, subject, "+publisher")


#: Pronouns that may stand for a document's publisher ("He released a letter from his doctor that says ...").
PUBLISHER_PRONOUNS = frozenset({"he", "she", "it", "they"})


def publisher(noun: Token) -> Token | None:
    """Whoever issued ``noun``, a document noun that is the object of a verb of issuing (``issuing_verbs.txt``): the
    verb's subject, a noun or a third-person pronoun ("The Washington Post ran a feature", "He released a letter");
    None for any other noun or verb ("The senator received a letter")."""
    if noun.dep_ != "dobj" or noun.lemma_.lower() not in document_nouns():
        return None
    if noun.head.lemma_.lower() not in issuing_verbs():
        return None
    subject = _subject(noun.head)
    if subject is None or not (subject.pos_ in ("NOUN", "PROPN") or subject.lower_ in PUBLISHER_PRONOUNS):
        return None
    return subject


def refine(
    doc: Doc, candidates: list[AttributionCandidate], lex: PrecisionLexicon | None = None
) -> tuple[list[AttributionCandidate], list[tuple[AttributionCandidate, str]]]:
    """(kept and added candidates in text order, dropped candidates with the reason)."""
    lex = lex or default_lexicon()
    kept: list[AttributionCandidate] = []
    dropped: list[tuple[AttributionCandidate, str]] = []
    added = reported_by(doc)
    taken = {a.cue_index for a in added}
    relays = relay_phrases(doc)
    relay_tokens = set().union(*relays.values()) if relays else set()
    for cand in candidates:
        if cand.cue_index in relays:
            dropped.append((cand, "a relay (citing a source), linked by the source grouping"))
            continue
        if relay_tokens:
            cut_relay = cut_tokens(doc, cand, relay_tokens, "+relay-cut")
            if cut_relay is None:
                dropped.append((cand, "content is only a relay phrase"))
                continue
            cand = cut_relay
        if cand.cue_index in taken or any(a.cue and cand.cue and a.cue[0] <= cand.cue[0] < a.cue[1] for a in added):
            dropped.append((cand, "replaced by the as-reported-by rule"))
            continue
        reason = drop_reason(doc, cand, lex)
        if reason:
            dropped.append((cand, reason))
            continue
        cut = cut_own_clause(doc, cand)
        if cut is None:
            dropped.append((cand, "content is only its own source and cue"))
            continue
        cut = complete_clause(doc, cut_addressee(doc, cut_frame(doc, cut)))
        kept.append(cut_open_relative(doc, resolve_relative(doc, document_publisher(doc, subject_source(doc, passive_agent(doc, cut))))))
    kept = extend_frames(doc, [*kept, *added])
    text = doc_text(doc)
    kept = single_quote_kind(text, join_paragraphs(text, kept))
    kept.sort(key=lambda c: (c.content[0], c.cue_index))
    return kept, dropped
