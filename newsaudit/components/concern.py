"""How much a headline check should worry a reader: ``headline_check.concern``.

``headline-drops-attribution`` fires on nearly every wire story ("Fire kills three"
over a body saying "police said"), so the verdict alone cannot tell the seed
article's case (a government's accusation against its adversary, relayed by
an outlet, stated as fact) from routine copy.  The concern level weighs what a
fact-checker weighs, and lists each reason:

* how many independent parties back the claim, and whether they are
  identified (a name, or an institution such as "police" or "the ministry";
  anonymous sources such as "two people familiar with the matter" are not):
  sources of one state ("Russia", "the Russian Defense Ministry", "the
  Kremlin") are one party (``states.tsv``); a source cited by another is
  vouched for by it, not independent;
* whether the only party is an interested one: a government or military
  speaking of another state or of an armed group, a company speaking of
  itself;
* whether the claim is an accusation (``accusation_terms.tsv``: staging,
  provocation, plotting, atrocity) rather than a routine fact;
* whether it reached the article through another outlet.

Points (for ``headline-drops-attribution``, ``headline-drops-hedge`` and a
``body-disputes`` that rests on reported denials): accusation +2, interested
party +2, a single party +1, no identified source +1, relayed through an
outlet or resting on one other outlet alone +1, a hedge (the body only hedges
the claim, or the backing source's own words hedge it: "is reportedly in final
talks") +1, the accused party denying it +3 (other denials less); two or more
independent identified parties -1.  ``high`` from 4 points, ``medium`` from 2,
else ``low``.  The other verdicts: ``body-disputes`` in the body's own voice is
``high`` (a reader of the headline alone is misled); ``headline-attributes``,
``headline-hedges`` and ``body-asserts-too`` are ``low`` (the headline keeps
the attribution or the hedge, or the body says it in its own voice too);
``not-in-body`` is ``medium`` (the body does not carry the headline's claim).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc

from ..lexicons import LEXICON_DIR, read_lines, read_table
from ..models.modality.cues import find_cues, words
from ..text.spans import doc_text
from ..types import (
    Attribution,
    Concern,
    HeadlineMatch,
    HeadlineStance,
    Source,
    SourceIdentity,
    SourceRole,
    Span,
    Verdict,
)
from .source_roles import unnamed_in

#: Cue kinds that hedge a claim inside a source's own words ("reportedly", "in final talks", "may").
HEDGING_KINDS = frozenset({"hedge", "talks", "doubt"})
#: Points at or above which the concern is high / medium.
HIGH, MEDIUM = 4, 2
#: Points when the accused party denies the claim (the body reports it; the headline does not).
DENIED_BY_ACCUSED = 3

_WORD_RE = re.compile(r"[\w.'’-]+")


@lru_cache(maxsize=1)
def state_aliases() -> dict[tuple[str, ...], str]:
    """Alias (as a tuple of lowercase words) -> party key, from ``states.tsv``."""
    return {tuple(_clean(w) for w in alias.split()): key for key, alias in read_table(LEXICON_DIR / "states.tsv")}


@lru_cache(maxsize=1)
def accusation_terms() -> dict[tuple[str, ...], str]:
    """Accusation term (tuple of lowercase lemmas) -> family, from ``accusation_terms.tsv``."""
    return {tuple(term.split()): family for term, family in read_table(LEXICON_DIR / "accusation_terms.tsv")}


@lru_cache(maxsize=1)
def label_words() -> frozenset[str]:
    """Labelling words (``label_words.tsv``): naming an armed group or regime marks an adversary."""
    return frozenset(row[0] for row in read_table(LEXICON_DIR / "label_words.tsv") if " " not in row[0])


def _phrases(words: list[str], table: dict[tuple[str, ...], str]) -> list[tuple[str, str]]:
    """(matched phrase, value) for every table entry found in ``words`` (longest first at each position)."""
    longest = max((len(k) for k in table), default=1)
    found = []
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            value = table.get(tuple(words[i : i + n]))
            if value is not None:
                found.append((" ".join(words[i : i + n]), value))
                i += n - 1
                break
        i += 1
    return found


def _clean(word: str) -> str:
    word = word.lower().strip(".'’-")
    return word[:-2] if word.endswith(("'s", "’s")) else word


def parties_in_text(text: str) -> set[str]:
    """Party keys of the states and alliances named in ``text``."""
    return {key for _, key in _phrases([_clean(w) for w in _WORD_RE.findall(text)], state_aliases())}


#: Source roles that identify a source without a personal name ("police said", "the ministry said").
_INSTITUTIONS = frozenset({SourceRole.OFFICIAL, SourceRole.ORGANISATION, SourceRole.OUTLET})


@dataclass(frozen=True)
class _Party:
    key: str
    name: str
    #: named, or an institution: a reader knows whom to hold to the claim
    identified: bool
    types: frozenset[str]
    #: what an unidentified party is, for the reason ("anonymous", "an unnamed witness", "first name only")
    unnamed: str = "anonymous"
    #: the document of record it is ("criminal complaint"), or None
    document: str | None = None


def unnamed_by_text(source: Source, text: str) -> str | None:
    """What the text says makes ``source`` unidentified ("anonymous", "first name only"): :func:`.source_roles.unnamed_in`
    over its mentions; None when it says nothing."""
    return unnamed_in([(m.start, m.end) for m in source.mentions], text)


def _party(source: Source, sources: dict[str, Source], text: str = "") -> _Party:
    """The party a source speaks for: a cited source is vouched for by its citer, a spokesperson is the
    voice of the body it speaks for."""
    seen = set()
    while source.id not in seen:
        seen.add(source.id)
        up = source.speaks_for or source.cited_by
        if not up or up not in sources:
            break
        source = sources[up]
    states = sorted(parties_in_text(source.name))
    key = states[0] if states and source.role == SourceRole.OFFICIAL else source.name.lower().removeprefix("the ")
    document = official_document(source.name)
    identified = document is not None or source.identity == SourceIdentity.NAMED or (
        source.identity == SourceIdentity.DESCRIBED and source.role in _INSTITUTIONS)
    unnamed = "described, not named" if source.identity == SourceIdentity.DESCRIBED else "anonymous"
    said = unnamed_by_text(source, text)
    if said is not None:
        identified, unnamed = False, said
    elif source.role == SourceRole.WITNESS:
        unnamed = "an unnamed witness"
    return _Party(key, source.name, identified, frozenset({source.role}), unnamed, document)


@lru_cache(maxsize=1)
def body_words() -> frozenset[str]:
    """Single words that name a body speaking (``source_types.tsv``: "police", "ministry", "army")."""
    return frozenset(row[0] for row in read_table(LEXICON_DIR / "source_types.tsv") if " " not in row[0])


@lru_cache(maxsize=1)
def official_documents() -> tuple[str, ...]:
    """Documents of record (``official_documents.txt``), longest first."""
    return tuple(sorted({w.lower() for w in read_lines(LEXICON_DIR / "official_documents.txt")}, key=lambda d: (-len(d), d)))


def official_document(name: str) -> str | None:
    """The document of record ``name`` names ("a federal criminal complaint" -> "criminal complaint"), or None."""
    padded = " " + " ".join(_clean(w) for w in _WORD_RE.findall(name)) + " "
    return next((d for d in official_documents() if f" {d} " in padded), None)


def _lemmas(doc: Doc, spans: Iterable[Span]) -> list[str]:
    out: list[str] = []
    for span in spans:
        sp = doc.char_span(span.start, span.end, alignment_mode="expand")
        if sp is not None:
            out.extend(t.lemma_.lower() for t in sp if not t.is_punct)
            out.append("|")  # no phrase runs across two spans
    return out


def assess_concern(
    doc: Doc,
    verdict: str,
    headline: Span,
    matches: tuple[HeadlineMatch, ...],
    attributions: dict[str, Attribution],
    sources: dict[str, Source],
    stance: HeadlineStance | None = None,
    denials: Sequence[HeadlineMatch] = (),
) -> tuple[Concern, tuple[str, ...]]:
    """The concern level of a headline check, and its reasons (see the module docstring)."""
    own_denial = next((d for d in denials if d.attribution_id is None and d.source is None), None)
    if verdict == Verdict.BODY_DISPUTES and (own_denial is not None or not denials):
        if own_denial is not None:
            why = f"the body itself denies the headline's claim ({own_denial.span.text!r})"
        else:
            p = stance.probs.get("disagree", 0.0) if stance is not None else None
            why = "the body disputes the headline" + (f" (stance model: disagree, probability {p:.2f})" if p is not None else "")
        return Concern.HIGH, (f"{why}: a reader of the headline alone is misled",)
    if verdict == Verdict.NOT_IN_BODY:
        return Concern.MEDIUM, ("the body does not carry the headline's claim",)
    if verdict not in (Verdict.HEADLINE_DROPS_ATTRIBUTION, Verdict.HEADLINE_DROPS_HEDGE, Verdict.BODY_DISPUTES):
        return Concern.LOW, ("the headline keeps the attribution or the hedge, or the body states the claim in its own "
                             "voice",)
    reasons: list[str] = []
    points = _backing(doc, headline, matches, attributions, sources, reasons)
    if verdict == Verdict.HEADLINE_DROPS_HEDGE:
        hedges = [c.text for m in matches if m.attribution_id is None and m.modality is not None
                  and m.modality.label == "reported" for c in m.modality.cues]
        points += 1
        reasons.append("the body only hedges the claim" + (f" ({', '.join(repr(h) for h in dict.fromkeys(hedges))})"
                                                           if hedges else ""))
    else:
        backing = [attributions[m.attribution_id] for m in matches if m.attribution_id in attributions
                   and (m.modality is None or m.modality.label != "denied")]
        hedges = _content_hedges(backing)
        if hedges:
            points += 1
            reasons.append("the source itself only hedges it: " + ", ".join(f"'{h}'" for h in hedges))
    if denials:
        points += _denial_points(headline, denials, sources, reasons)
    level = Concern.HIGH if points >= HIGH else Concern.MEDIUM if points >= MEDIUM else Concern.LOW
    if verdict == Verdict.BODY_DISPUTES and level == Concern.LOW:
        level = Concern.MEDIUM  # a headline that asserts what the body reports denied is never routine
    return level, tuple(reasons)


def _backing(doc: Doc, headline: Span, matches: tuple[HeadlineMatch, ...], attributions: dict[str, Attribution],
             sources: dict[str, Source], reasons: list[str]) -> int:
    """Points for who backs the claim (parties, their identity and interest, relays) and for its kind."""
    points = 0
    backing_matches = [m for m in matches if m.modality is None or m.modality.label != "denied"]
    backing = [attributions[m.attribution_id] for m in backing_matches if m.attribution_id in attributions]
    # the claim as the body words it: the headline and what the sources say, never the source's own name
    claim_spans = [headline, *(a.content for a in backing),
                   *(m.span for m in backing_matches if m.attribution_id not in attributions and m.source is None)]

    accusations = sorted({term for term, _ in _phrases(_lemmas(doc, claim_spans), accusation_terms())})
    if accusations:
        points += 2
        reasons.append("an accusation, not a routine fact: " + ", ".join(f"'{a}'" for a in accusations))

    parties: dict[str, _Party] = {}
    for att in backing:
        if att.source_id in sources:
            party = _party(sources[att.source_id], sources, doc_text(doc))
            known = parties.get(party.key)
            parties[party.key] = party if known is None else _Party(
                party.key, known.name, known.identified or party.identified, known.types | party.types, known.unnamed,
                known.document)
    relayers = {sources[a.relayed_by].name for a in backing if a.relayed_by in sources}
    relayers |= {m.source for m in backing_matches if m.attribution_id is None and m.source}

    if not parties:
        points += 1
        reasons.append("no identified source backs the claim in the body")
    elif len(parties) == 1:
        (party,) = parties.values()
        points += 1
        reasons.append(f"one party backs the claim: {party.name}" + ("" if party.identified else f" ({party.unnamed})"))
    else:
        names = "; ".join(p.name for p in parties.values())
        if sum(p.identified for p in parties.values()) >= 2:
            points -= 1
            reasons.append(f"{len(parties)} independent parties back the claim: {names}")
        else:
            reasons.append(f"{len(parties)} parties back the claim, at most one of them identified: {names}")
    if parties and not any(p.identified for p in parties.values()):
        points += 1
        reasons.append("no source of the claim is identified: only unnamed sources")

    if len(parties) == 1:
        (party,) = parties.values()
        interest = _interest(party, claim_spans, _group_nouns(doc, claim_spans))
        if interest:
            points += 2
            reasons.append(f"{party.name} is an interested party: {interest}")
    if len(parties) == 1 and SourceRole.OUTLET in next(iter(parties.values())).types:
        relayers.add(next(iter(parties.values())).name)  # another outlet's report is all the article rests on
    if relayers:
        points += 1
        reasons.append("relayed through " + ", ".join(sorted(relayers)))
    return points


def _content_hedges(backing: Sequence[Attribution]) -> list[str]:
    """The hedges inside what the backing sources say ("is reportedly in final talks"), in text order, once each."""
    found: dict[str, None] = {}
    for att in backing:
        for cue in find_cues(words(att.content.text)):
            if cue.kind in HEDGING_KINDS:
                found[cue.text] = None
    return list(found)


def _denial_points(headline: Span, denials: Sequence[HeadlineMatch], sources: dict[str, Source],
                   reasons: list[str]) -> int:
    """Points for the body's reported denials: the accused party denying it weighs most."""
    accused = parties_in_text(headline.text)
    head_words = {_clean(w) for w in _WORD_RE.findall(headline.text)}
    by_name = {s.name: s for s in sources.values()}
    points = 0
    for d in denials:
        who = d.source or "someone"
        source = by_name.get(who)
        # who the denier is: a body ("police", "ministry", source_types.tsv) or a proper name ("NetShield")
        party_words = {_clean(w) for w in _WORD_RE.findall(who) if w[:1].isupper() or _clean(w) in body_words()}
        if (source is not None and _party(source, sources).key in accused) or parties_in_text(who) & accused \
                or party_words & head_words:
            reasons.append(f"the accused party denies it: {who} ({d.span.text!r})")
            return DENIED_BY_ACCUSED
        points = 1
        reasons.append(f"{who} disputes it ({d.span.text!r})")
    return points


def _group_nouns(doc: Doc, spans: Iterable[Span]) -> list[str]:
    """Labelling nouns for groups in ``spans`` ("jihadists", "militants", "regime")."""
    found: set[str] = set()
    for span in spans:
        sp = doc.char_span(span.start, span.end, alignment_mode="expand")
        for tok in sp if sp is not None else ():
            if tok.pos_ in ("NOUN", "PROPN") and tok.lemma_.lower() in label_words():
                found.add(tok.lemma_.lower())
    return sorted(found)


def _interest(party: _Party, claim_spans: list[Span], groups: list[str]) -> str:
    """Why the only party has a stake in the claim ('' when it has none we can see)."""
    text = " ".join(s.text for s in claim_spans)
    words = {_clean(w) for w in _WORD_RE.findall(text)}
    if SourceRole.OFFICIAL in party.types and party.document is None:  # a court's papers are no adversary
        others = sorted(parties_in_text(text) - {party.key})
        if others or groups:
            about = ", ".join(others + groups)
            return f"a government or military speaking of another state or armed group ({about})"
    if SourceRole.ORGANISATION in party.types:
        own = {_clean(w) for w in _WORD_RE.findall(party.name)} - {"the", "a", "an", "company", "firm", "group"}
        if own and own <= words:
            return "a company or organisation speaking of itself"
    return ""
