"""The rules' reading of plain speech the learned model passed over.

The cue classifier is least sure where a sentence is unusual: "According to MSNBC, basically." (a fragment
whose content is the sentence before), "Trump boasted, “That makes me smart.”" after a long clause, "an
architect who said he was stiffed".  These cues leave no doubt, so where the model found no attribution
with the cue, the rule reading is added:

* :func:`missed_according`: every "according to X" outside every found content (:func:`.rules.according_to`);
  a fragment with no content of its own takes the sentence before it;
* :func:`missed_speech`: a verb of ``cue_verbs.txt`` with a subject of its own and, as content, a clausal
  complement or a quotation next to it, not negated, outside every found content and every quotation (a verb
  inside a quotation is what the quoted speaker said, not the article's attribution); a document's clause
  ("a letter from his doctor that says ...") speaks for whoever issued it (:func:`.precision.publisher`);
* :func:`missed_noun`: a noun of ``speech_nouns.txt`` with its speaker after "from" or "by" and a that-clause
  ("repeated warnings from his attorney that the showdown was fruitless");
* :func:`missed_headline_cue`: a headline's closing "..., insider claims", where the parser read "insider claims"
  as one noun with the clause before it as its complement.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache

import numpy as np
from spacy.attrs import LOWER, POS
from spacy.symbols import NOUN, VERB
from spacy.tokens import Doc, Token

from ...lexicons import read_wordlist
from ...text.quotes import QUOTE_CHARS
from ...text.spans import IntervalIndex
from ..source_kinds import names_a_source
from ..source_roles import is_person_noun
from .candidates import RELATIVE_PRONOUNS, is_speaker
from .content import RuleContext
from .precision import REPORT_LEMMAS, publisher
from .rules import according_to, verb_cue
from .spans import Found, phrase, tok_end, trim

#: Rules of :func:`.rules.verb_cue` whose content is a clause or a quotation, not an object or a preposition.
SPEECH_RULES = ("complement", "inverted", "clause-cue", "quote-cue", "cue-quote", "quote-cue-quote", "colon-")
#: Rules whose clause comes before the cue ("..., the network announced"): read only for verbs of reporting
#: with a speaker subject (an opinion or a charge after a clause is more often something else: "When told ...,
#: Bush thought"; "..., the sentence confirmed" has no speaker).
FRONTED_RULES = ("inverted", "clause-cue")
#: Subject dependencies that name a speaker (not a passive's subject, the one spoken of).
SPEAKER_DEPS = frozenset({"nsubj"})
#: Subjects that name no speaker: an expletive, the generic "you".
NO_SPEAKER = frozenset({"there", "you"})
#: What ``rule`` ends with on an attribution these rules add.
MISSED = "+model-missed"
#: A fragment shorter than this (characters) takes the sentence before as its content.
FRAGMENT = 25


def _taken(found: list[Found]) -> tuple[IntervalIndex, IntervalIndex]:
    cues = IntervalIndex([f.cue for f in found], key=lambda c: (c[0], max(c[1], c[0] + 1)))
    contents = IntervalIndex([p for f in found for p in (f.pieces or (f.content,))], key=lambda c: c)
    return cues, contents


def _tokens_where(doc: Doc, attr: int, value: int) -> Iterator[Token]:
    """The tokens whose ``attr`` is ``value``, found in one array (no Token made for the others)."""
    for i in np.flatnonzero(doc.to_array(attr) == value).tolist():
        yield doc[i]


def _new(result: Found, contents: IntervalIndex) -> bool:
    """A content that begins outside every found content and holds no word of its own source."""
    start, end = result.content
    if result.source is not None and start < result.source[1] and result.source[0] < end:
        return False
    return not contents.covers(start)


def missed_according(ctx: RuleContext, found: list[Found]) -> list[Found]:
    """"according to X" where the model found no attribution with that cue."""
    doc = ctx.doc
    cues, contents = _taken(found)
    out = []
    for tok in _tokens_where(doc, LOWER, doc.vocab.strings["according"]):
        if tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
            continue
        if cues.covers(tok.idx) or contents.covers(tok.idx):
            continue
        result = according_to(ctx, tok)
        if result is None:
            continue
        if result.content[1] - result.content[0] < FRAGMENT:
            result = _previous_sentence(ctx, tok, result)
        if result is not None and _new(result, contents):
            out.append(replace(result, rule=result.rule + MISSED))
    return out


def _previous_sentence(ctx: RuleContext, tok: Token, result: Found) -> Found | None:
    """"According to MSNBC, basically.": the fragment's content is the sentence before it (in the paragraph
    before, when the fragment opens its own)."""
    doc, sent = ctx.doc, tok.sent
    if result.content[0] < sent.start_char:
        return None
    i = sent.start - 1
    while i >= 0 and (doc[i].is_space or (doc[i].is_punct and doc[i].text in QUOTE_CHARS)):
        i -= 1
    if i < 0:
        return None
    before = doc[i].sent
    content = trim(ctx.text, before.start_char, tok_end(doc[i]))
    if content[1] - content[0] < 2:
        return None
    return Found(ctx.kind(*content), content, result.source, result.cue, result.rule + "+sentence-before", result.source_token)


def _speaks(tok: Token, speech: frozenset[str]) -> bool:
    """A speech verb with a speaker subject of its own, not negated."""
    if tok.pos_ != "VERB" or tok.lemma_.lower() not in speech:
        return False
    if any(c.dep_ == "neg" or c.lower_ in ("never", "not", "n't", "n’t") for c in tok.children):
        return False
    return any(c.dep_ in SPEAKER_DEPS and c.lower_ not in NO_SPEAKER for c in tok.children)


def missed_speech(ctx: RuleContext, found: list[Found], speech: frozenset[str]) -> list[Found]:
    """A speech verb of ``speech`` (lemmas) with its own subject and a clause or quotation as content, where the
    model found no attribution with that cue and no found content holds the verb.  A relative pronoun subject
    stays the source, its antecedent resolved ("an architect who said ...", as the model's own)."""
    doc: Doc = ctx.doc
    cues, contents = _taken(found)
    out = []
    for tok in _tokens_where(doc, POS, VERB):
        if not _speaks(tok, speech) or cues.covers(tok.idx) or contents.covers(tok.idx):
            continue
        if ctx.quotes.containing(tok.idx, tok_end(tok)) is not None:
            continue  # what a quoted speaker says someone said or thinks
        result = verb_cue(ctx, tok)
        if result is None or result.source is None or not result.rule.startswith(SPEECH_RULES):
            continue
        if result.rule.startswith(FRONTED_RULES) and not _reports_with_speaker(ctx, tok):
            continue  # "..., the sentence confirmed": no speaker
        if not _new(result, contents):
            continue
        subject = next(c for c in tok.children if c.dep_ in SPEAKER_DEPS)
        issuer = publisher(tok.head) if tok.dep_ == "relcl" else None
        if issuer is not None:  # "He released a letter from his doctor that says ...": the letter speaks for him
            result = replace(result, source=(issuer.left_edge.idx, tok_end(issuer.right_edge)), source_token=issuer)
        elif subject.lower_ in RELATIVE_PRONOUNS and tok.dep_ == "relcl":
            result = replace(result, source=(subject.idx, tok_end(subject)), source_token=subject, resolved=result.source)
        out.append(replace(result, rule=result.rule + MISSED))
    return out


def _reports_with_speaker(ctx: RuleContext, tok: Token) -> bool:
    """A verb of reporting with a speaker subject ("the network announced", not "the sentence confirmed")."""
    return tok.lemma_.lower() in REPORT_LEMMAS and any(
        c.dep_ in SPEAKER_DEPS and c.lower_ not in RELATIVE_PRONOUNS and is_speaker(c, ctx.lexicons.nouns)
        for c in tok.children)


def _fronted_report(ctx: RuleContext, tok: Token) -> Found | None:
    """The rule's reading of a verb of reporting whose clause comes before it, with a speaker subject
    ("..., the network announced"), or None."""
    if tok.pos_ != "VERB" or not _reports_with_speaker(ctx, tok):
        return None
    result = verb_cue(ctx, tok)
    return result if result is not None and result.source is not None and result.rule.startswith(FRONTED_RULES) \
        else None


def mend_fragments(ctx: RuleContext, found: list[Found]) -> list[Found]:
    """Model attributions inside the clause a verb of reporting follows ("..., the network announced"):

    * a content with no verb of its own before its cue is that clause: "the network announced" took "Marla" of
      "Marla Quinn will replace Daniel Reyes as host of \"Late Hour\", the network announced";
    * an attribution with no source ("Halvorsen is expected to step down, the Nordic Ledger reported") is the
      reporting verb's: its source, cue and clause;
    * an attribution with no source whose cue and content lie inside what a source said, before its cue ("Laura
      Finch is expected to announce the plan in March, the other person said"), is part of that: it is dropped.
    """
    out = []
    for f in found:
        mended = _sourceless_in_report(ctx, f) if f.source is None else _fragment_in_report(ctx, f)
        out.append(f if mended is None else mended)
    return [f for f in out if f.source is not None or not any(_said_within(f, g) for g in out)]


def _said_within(f: Found, g: Found) -> bool:
    """Whether ``f``'s cue and content lie inside what ``g``'s source said, ``g``'s cue coming after them."""
    return g.source is not None and g.content[0] <= min(f.content[0], f.cue[0]) \
        and max(f.content[1], f.cue[1]) <= g.content[1] and g.cue[0] >= f.content[1]


def _fragment_in_report(ctx: RuleContext, f: Found) -> Found | None:
    span = None if f.pieces or f.content[1] > f.cue[0] else ctx.doc.char_span(*f.content, alignment_mode="expand")
    cue = ctx.doc.char_span(*f.cue, alignment_mode="expand") if span is not None else None
    if span is None or cue is None or any(t.pos_ in ("VERB", "AUX") for t in span) \
            or cue.root.lemma_.lower() not in REPORT_LEMMAS:
        return None
    result = verb_cue(ctx, cue.root)
    wider = result is not None and result.rule.startswith(FRONTED_RULES) and \
        result.content[0] <= f.content[0] and f.content[1] <= result.content[1] and result.content != f.content
    return replace(f, kind=result.kind, content=result.content, rule=f.rule + "+clause-before") \
        if wider and result is not None else None


def _sourceless_in_report(ctx: RuleContext, f: Found) -> Found | None:
    span = ctx.doc.char_span(*f.content, alignment_mode="expand")
    if span is None or not len(span):
        return None
    sent = span[-1].sent
    for tok in ctx.doc[span.end:sent.end]:
        if tok.pos_ != "VERB":
            continue
        result = _fronted_report(ctx, tok) or _comma_conj_report(ctx, tok)
        if result is not None and result.content[0] <= f.content[0] and f.content[1] <= result.content[1]:
            return replace(result, rule=f.rule + "+reported-by")
    return None


def _comma_conj_report(ctx: RuleContext, tok: Token) -> Found | None:
    """"Halvorsen is expected to step down, the Nordic Ledger reported": the parser made the verb of reporting a
    conjunct of the clause before the comma; that clause is its content."""
    if tok.dep_ != "conj" or tok.lemma_.lower() not in REPORT_LEMMAS or tok.head.i > tok.i:
        return None
    subject = next((c for c in tok.lefts if c.dep_ in SPEAKER_DEPS), None)
    edge = subject.left_edge if subject is not None else None
    if subject is None or edge is None or edge.i == 0 or ctx.doc[edge.i - 1].text != "," \
            or any(c.dep_ == "cc" for c in tok.lefts) or subject.lower_ in RELATIVE_PRONOUNS \
            or not is_speaker(subject, ctx.lexicons.nouns):
        return None
    content = trim(ctx.text, tok.head.left_edge.idx, ctx.doc[edge.i - 1].idx)
    if content[1] <= content[0]:
        return None
    return Found(ctx.kind(*content), content, phrase(subject), (tok.idx, tok_end(tok)), f"inverted-conj:{tok.lemma_.lower()}",
                 subject)


@lru_cache(maxsize=1)
def speech_nouns() -> frozenset[str]:
    """Nouns of something said (``speech_nouns.txt``)."""
    return read_wordlist("speech_nouns.txt")


def _that_clause(noun: Token) -> Token | None:
    """The noun's content clause ("warnings ... that the showdown was fruitless"), or None."""
    return next((c for c in noun.children if c.dep_ in ("acl", "ccomp") and c.i > noun.i
                 and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)


def _speaker_after(noun: Token, nouns: dict[str, str]) -> Token | None:
    """The speaker after "from" or "by" ("warnings from his attorney"), or None."""
    for prep in noun.children:
        if prep.dep_ in ("prep", "agent") and prep.lower_ in ("from", "by") and prep.i > noun.i:
            obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if obj is not None and (is_speaker(obj, nouns) or names_a_source(obj) or is_person_noun(obj.lemma_)):
                return obj
    return None


def missed_noun(ctx: RuleContext, found: list[Found]) -> list[Found]:
    """A noun of ``speech_nouns.txt`` with its speaker after "from" or "by" and a that-clause as content, where the
    model found no attribution with that cue, outside every found content and every quotation."""
    speech = speech_nouns()
    cues, contents = _taken(found)
    out = []
    for tok in _tokens_where(ctx.doc, POS, NOUN):
        if tok.lemma_.lower() not in speech or cues.covers(tok.idx) or contents.covers(tok.idx):
            continue
        if ctx.quotes.containing(tok.idx, tok_end(tok)) is not None:
            continue
        clause = _that_clause(tok)
        speaker = _speaker_after(tok, ctx.lexicons.nouns) if clause is not None else None
        if clause is None or speaker is None or speaker.i > clause.i:
            continue
        content = trim(ctx.text, clause.left_edge.idx, tok_end(clause.right_edge))
        result = Found(ctx.kind(*content), content, phrase(speaker), (tok.idx, tok_end(tok)),
                       f"noun-from:{tok.lemma_.lower()}{MISSED}", speaker)
        if content[1] > content[0] and _new(result, contents):
            out.append(result)
    return out


#: Verbs of a headline's closing "..., insider claims" that the parser may tag as a plural noun.
TRAILING_CUES = frozenset({"claims", "says", "warns", "insists", "admits", "alleges", "reveals"})


def missed_headline_cue(ctx: RuleContext, found: list[Found]) -> list[Found]:
    """"Star's wedding called off, insider claims": a sentence closing with a comma, a speaker noun and a verb the
    parser read as one compound noun ("insider claims"); the content is the sentence before the comma."""
    doc = ctx.doc
    cues, contents = _taken(found)
    out = []
    for tok in _tokens_where(doc, POS, NOUN):
        if tok.lower_ not in TRAILING_CUES or tok.i < 3 or cues.covers(tok.idx) or contents.covers(tok.idx):
            continue
        speaker, comma, sent = doc[tok.i - 1], doc[tok.i - 2], tok.sent
        if speaker.dep_ != "compound" or speaker.head.i != tok.i or comma.text != "," or comma.i <= sent.start:
            continue
        if not (is_person_noun(speaker.lemma_) or names_a_source(speaker)):
            continue
        if any(not (t.is_punct or t.is_space) for t in doc[tok.i + 1 : sent.end]):
            continue  # not the sentence's last word
        content = trim(ctx.text, sent.start_char, comma.idx)
        result = Found(ctx.kind(*content), content, phrase(speaker), (tok.idx, tok_end(tok)),
                       f"headline-cue:{tok.lower_}{MISSED}", speaker)
        if content[1] > content[0] and _new(result, contents):
            out.append(result)
    return out
