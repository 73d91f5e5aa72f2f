"""newsaudit_headline: does the headline state as fact what the body only attributes, hedges or denies?

The headline's content words (lemmas of nouns, proper nouns, verbs, adjectives,
numbers) are matched against body units: each body sentence and each
attribution's content.  A unit counts as *attributed* when an attribution's
content covers most of it or when it lies inside a relay scope ("Rt.com
reports: ...").  Up to three units are picked greedily for the coverage they
add; the score is the weighted share of headline words they cover.  The
modality model (:mod:`newsaudit.models.modality`, trained on Emergent) reads
the headline itself and each picked unit's sentence against the headline
(:mod:`.headline_modality`): asserted, reported (attributed, hedged, asked) or
denied.

Verdicts (``HeadlineCheck.verdict``; docs/modality.md maps them to the names of
schema 1.x):

* ``headline-attributes``: the headline carries its own attribution ("X says ...", "RT: ...").
* ``headline-hedges``: the headline hedges or asks its claim ("reportedly", "may", a question).
* ``headline-drops-attribution``: the headline asserts what the body covers mainly through attributed
  units.  The commonest trick.
* ``headline-drops-hedge``: the headline asserts what the body only hedges ("Bale will reportedly play",
  "in talks", "may"), mainly in units no attribution covers.
* ``body-asserts-too``: the body states the claim in its own voice as well.
* ``not-in-body``: no body unit covers enough of the headline (score below ``min_score``).
* ``body-disputes``: the body denies the headline's claim or reports a denial of it (a picked unit or
  another sentence the modality model reads as ``denied``, see :mod:`.headline_modality`; listed in
  ``HeadlineCheck.denials``), for a headline that asserts and has no denial of its own.  The stance model
  (:mod:`newsaudit.models.stance`, trained on FNC-1) also reads the headline span and the body span of the
  same Doc and writes ``HeadlineCheck.stance`` (agree / disagree / discuss / unrelated, the four
  probabilities, and the body passages that decided it) for every article with a headline; when its
  contradiction rule fires (the label is ``disagree``, its probability at least the threshold chosen on
  the training cross-validation, and a passage carries a refuting cue or a negation) the verdict is
  ``body-disputes`` whatever the other rules gave.  The reason names the verdict they gave.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from ..extensions import register_extensions
from ..lexicons import LEXICON_DIR, read_lines, read_table, read_wordlist
from ..models.modality import ModalityModel, as_reported, load_modality_model
from ..models.stance import StanceModel, load_stance_model
from ..text.spans import IntervalIndex, doc_text, headline_end
from ..types import (
    Attribution,
    HeadlineCheck,
    HeadlineMatch,
    HeadlineStance,
    Modality,
    ModalityReading,
    Source,
    Span,
    Verdict,
)
from .concern import assess_concern
from .headline_modality import Passage, find_denials, hedge_sources, negative, read_passages, reports
from .relay import relay_scopes
from .sources import load_outlets

CONTENT_POS = {"NOUN": 1.0, "PROPN": 1.5, "VERB": 0.8, "ADJ": 0.8, "NUM": 1.5}
#: Words that attribute a headline on their own ("X says", "claims", "according to").
HEADLINE_CUES = re.compile(
    r"\b(?:says?|said|claims?|claimed|alleges?|alleged|according to|reports?|reportedly|warns?|accuses?|insists?"
    r"|denies|suggests?)\b|:\s*\S+\s*$",
    re.I,
)


#: Entity types that make a headline's "Name:" opening a source ("Pence: ...", "Judicial Watch: ...").
SOURCE_ENTS = {"PERSON", "ORG", "GPE", "NORP"}


@lru_cache(maxsize=1)
def headline_labels() -> frozenset[str]:
    """Openings before a colon that label a headline ("Breaking: ..."): ``headline_labels.txt``."""
    return frozenset(line.lower() for line in read_lines(LEXICON_DIR / "headline_labels.txt"))


def source_prefix(head: SpacySpan) -> str | None:
    """The source a headline opens with before a colon, as in "RT: rebels preparing a provocation" or
    "Pence: Flowers won't be at the debate": one to four proper nouns, at least one a person,
    organisation or place entity (a state speaking) or a known outlet, and not a label ("Breaking:").
    A question or a wh-opening after the colon makes the name a topic ("Ukraine: what happens next")."""
    colon = next((t for t in head[:6] if t.text == ":"), None)
    if colon is None or colon.i == head.start or colon.i + 1 >= head.end:
        return None
    rest = head.doc[colon.i + 1 : head.end]
    if rest.text.rstrip().endswith("?") or rest[0].tag_ in ("WDT", "WP", "WP$", "WRB"):
        return None
    words = head.doc[head.start : colon.i]
    if len(words) > 4 or any(t.pos_ != "PROPN" for t in words) or words.text.lower() in headline_labels():
        return None
    if any(t.ent_type_ in SOURCE_ENTS for t in words) or words.text.lower() in load_outlets():
        return words.text
    return None


@lru_cache(maxsize=1)
def equivalents() -> dict[str, str]:
    """Headline/body word equivalences from ``equivalents.tsv``."""
    return {word.lower(): canon for word, canon in read_table(LEXICON_DIR / "equivalents.tsv")}


def content_lemmas(span: SpacySpan) -> dict[str, float]:
    out: dict[str, float] = {}
    for tok in span:
        weight = CONTENT_POS.get(tok.pos_)
        if weight is None or tok.is_stop or not (tok.is_alpha or tok.like_num):
            continue
        lemma = tok.lemma_.lower() if tok.pos_ != "PROPN" else tok.lower_
        lemma = equivalents().get(lemma, lemma)
        out[lemma] = max(out.get(lemma, 0.0), weight)
    return out


#: A short phrase a headline puts in quotation marks ("The city's \"bold\" plan").
HEADLINE_QUOTE = re.compile(r"[\"\u201c\u2018]([^\"\u201c\u201d\u2018\u2019]{1,40})[\"\u201d\u2019]")


def _only_the_quoted_word(head: SpacySpan, hwords: dict[str, float], passages: list[Passage],
                          picked: list[tuple[_Unit, float]]) -> set[str]:
    """What the headline says of its subject (:func:`predicate_words`), when the attributed passages share with the
    headline the word it puts in scare quotes and its subject but none of that: "The city's \"bold\" transit plan is
    a gift to developers" against "City Hall calls its new transit plan \"bold\"" (the source of the quoted word, not
    of the headline's claim); else an empty set."""
    quoted = {w.lower() for m in HEADLINE_QUOTE.finditer(head.text) for w in m.group(1).split()} & set(hwords)
    said = predicate_words(head, hwords) if quoted else set()
    if not said:
        return set()
    attributed = [set(u.words) for p, (u, _s) in zip(passages, picked, strict=True) if p.attributed]
    only = bool(attributed) and any(quoted & w for w in attributed) and not any(said & w for w in attributed)
    return said if only else set()


def predicate_words(head: SpacySpan, hwords: dict[str, float]) -> set[str]:
    """The headline's content words outside its subject ("gift", "developers" of "The city's plan is a gift to
    developers"); empty when the parse gives the headline no verb with a subject."""
    root = head.root
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if root.pos_ not in ("VERB", "AUX") or subject is None:
        return set()
    inside = {t.i for t in subject.subtree}
    rest = [t for t in head if t.i not in inside]
    words = {t.lemma_.lower() if t.pos_ != "PROPN" else t.lower_ for t in rest}
    return {equivalents().get(w, w) for w in words} & set(hwords)


@dataclass
class _Unit:
    span: Span
    words: dict[str, float]
    attributed: bool
    attribution: Attribution | None
    source: str | None


def headline_stance(doc: Doc, head: SpacySpan, model: StanceModel) -> tuple[HeadlineStance, bool] | None:
    """The body's stance towards the headline span (the rest of the same Doc is the body), and
    whether the model's contradiction rule fires; None when the body is empty.  A sentence in which a
    source declines to answer ("The Kremlin declined to comment") is never shown as a passage behind it."""
    start = head.end
    while start < len(doc) and doc[start].is_space:
        start += 1
    if start >= len(doc):
        return None
    body = doc[start:]
    result = model.predict(head, body)
    text = doc_text(doc)
    silent = [n for s in (doc._.sources or ()) for n in s.non_answers]
    passages = []
    for p in result.passages:
        start, end = p.start_char, p.end_char
        if any(n.start < end and start < n.end for n in silent):
            continue
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            passages.append(Span.of(text, start, end))
    return HeadlineStance(result.label, dict(result.probs), tuple(passages)), model.rule.fires(result)


def check_headline(
    doc: Doc, min_score: float = 0.3, max_units: int = 3, stance_model: StanceModel | None = None,
    modality_model: ModalityModel | None = None,
) -> HeadlineCheck | None:
    end = headline_end(doc)
    if end <= 0:
        return None
    head = doc.char_span(0, end, alignment_mode="contract")
    if head is None or not head.text.strip():
        return None
    attributions: tuple[Attribution, ...] = tuple(doc._.attributions or ())
    sources: dict[str, Source] = {s.id: s for s in (doc._.sources or ())}
    headline_span = Span(head.start_char, head.end_char, head.text)
    own = modality_model.read_own(head.text, head.start_char) if modality_model is not None else None
    verdict, score, matches, reason, denials = _verdict(doc, head, end, attributions, sources, min_score, max_units,
                                                        modality_model, own)
    if own is not None and verdict == Verdict.HEADLINE_ATTRIBUTES:  # "..., security firm says": reported, as its verdict says
        own = as_reported(own, head.text, head.start_char)
    found = headline_stance(doc, head, stance_model) if stance_model is not None else None
    stance, contradicted = found if found is not None else (None, False)
    if stance is not None and contradicted:
        where = f": {stance.passages[0].text!r}" if stance.passages else ""
        reason = (f"the body disputes the headline (stance disagree, probability {stance.probs.get('disagree', 0.0):.2f})"
                  f"{where}; without the stance model the verdict would be {verdict}")
        verdict = Verdict.BODY_DISPUTES
    concern, why = assess_concern(doc, verdict, headline_span, matches, {a.id: a for a in attributions}, sources, stance,
                                  denials)
    return HeadlineCheck(headline_span, headline_span, verdict, score, matches, reason, concern, why, stance, own,
                         tuple(denials))


_Verdict = tuple[str, float, tuple[HeadlineMatch, ...], str, list[HeadlineMatch]]


@lru_cache(maxsize=1)
def _speech_verbs() -> frozenset[str]:
    return read_wordlist("cue_verbs.txt")


def _speech_verb(doc: Doc, start: int, end: int) -> bool:
    """The cue at ``start:end`` is a verb of ``cue_verbs.txt`` (by lemma)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is not None and any(t.pos_ == "VERB" and t.lemma_.lower() in _speech_verbs() for t in span)


def _own_voice(head: SpacySpan, end: int, attributions: tuple[Attribution, ...], own: ModalityReading | None) -> _Verdict | None:
    """The verdict when the headline attributes or hedges its claim itself, else None."""
    # an attribution read in the headline counts when its cue reports ("says", "claims") or is a verb of speech
    # ("Witnesses describe fireball"; not "shot")
    cues = [a for a in attributions if a.cue is not None and a.cue.end <= end
            and (reports(a.cue.text) or _speech_verb(head.doc, a.cue.start, a.cue.end))]
    found = HEADLINE_CUES.search(head.text)
    if cues or found:
        cue = cues[0].cue.text if cues and cues[0].cue is not None else found.group(0) if found else ""
        return Verdict.HEADLINE_ATTRIBUTES, 1.0, (), f"the headline attributes its claim itself ({cue!r})", []
    prefix = source_prefix(head)
    if prefix is not None:
        return Verdict.HEADLINE_ATTRIBUTES, 1.0, (), f"the headline attributes its claim itself ('{prefix}:')", []
    if own is not None and own.label == Modality.REPORTED and own.cues:
        words = ", ".join(repr(c.text) for c in own.cues)
        return Verdict.HEADLINE_HEDGES, 1.0, (), f"the headline hedges or asks its claim itself ({words})", []
    return None


def _units(doc: Doc, end: int, attributions: tuple[Attribution, ...], sources: dict[str, Source]) -> list[_Unit]:
    """The body units: each attribution's content, and each body sentence (attributed when an attribution
    covers most of it or it lies inside a relay scope)."""
    scopes = relay_scopes(doc_text(doc), attributions, sources)
    body_atts = [a for a in attributions if a.content.start >= end]
    att_index = IntervalIndex(body_atts, lambda a: (a.content.start, a.content.end))
    scope_index = IntervalIndex(scopes, lambda c: (c.span.start, c.span.end))

    def source_name(att: Attribution | None) -> str | None:
        if att is None or att.source_id not in sources:
            return att.source.text if att is not None and att.source is not None else None
        return sources[att.source_id].name

    units: list[_Unit] = []
    for att in body_atts:
        sp = doc.char_span(att.content.start, att.content.end, alignment_mode="expand")
        if sp is not None:
            units.append(_Unit(att.content, content_lemmas(sp), True, att, source_name(att)))
    for whole in doc.sents:
        if whole.end_char <= end:
            continue
        # a parse that glued the headline to the body: only the body part
        sent = whole if whole.start_char >= end else doc.char_span(end, whole.end_char, alignment_mode="contract")
        if sent is None or not sent.text.strip():
            continue
        sspan = Span(sent.start_char, sent.end_char, sent.text)
        covering = None
        for att in att_index.overlapping(sspan.start, sspan.end):
            overlap = min(att.content.end, sspan.end) - max(att.content.start, sspan.start)
            if overlap > 0.5 * len(sspan):
                covering = att
                break
        scope = next(iter(scope_index.containing(sspan.start, sspan.end)), None)
        if covering is None and scope is not None:
            relayer = sources.get(scope.source_id)
            units.append(_Unit(sspan, content_lemmas(sent), True, None, relayer.name if relayer else None))
        else:
            units.append(_Unit(sspan, content_lemmas(sent), covering is not None, covering, source_name(covering)))
    return units


def _pick(units: list[_Unit], hwords: dict[str, float], max_units: int) -> tuple[list[tuple[_Unit, float]], float]:
    """Up to ``max_units`` units picked greedily for the headline words they add; (picked with their share,
    the share of the headline all of them cover)."""
    total = sum(hwords.values())
    covered: set[str] = set()
    picked: list[tuple[_Unit, float]] = []
    for _ in range(max_units):
        best, gain = None, 0.0
        for u in units:
            g = sum(w for lemma, w in hwords.items() if lemma in u.words and lemma not in covered)
            if g > gain:
                best, gain = u, g
        if best is None or gain / total < 0.1:
            break
        picked.append((best, sum(w for lemma, w in hwords.items() if lemma in best.words) / total))
        covered |= {lemma for lemma in hwords if lemma in best.words}
        units.remove(best)
    return picked, sum(hwords[w] for w in covered) / total


def _verdict(
    doc: Doc, head: SpacySpan, end: int, attributions: tuple[Attribution, ...], sources: dict[str, Source],
    min_score: float, max_units: int, model: ModalityModel | None, own: ModalityReading | None,
) -> _Verdict:
    """(verdict, score, matches, reason, denials) of the attribution and modality rules (see the module docs)."""
    mine = _own_voice(head, end, attributions, own)
    if mine is not None:
        return mine
    hwords = content_lemmas(head)
    if sum(hwords.values()) == 0:
        return Verdict.NOT_IN_BODY, 0.0, (), "the headline has no content words to match", []
    picked, score = _pick(_units(doc, end, attributions, sources), hwords, max_units)
    passages = [Passage(u.span, u.attribution, u.attributed, u.source, s) for u, s in picked]
    if model is not None:
        matches, denials = read_passages(doc, head, end, passages, model, attributions, sources)
        if negative(head.text):  # "Bale will not play Jobs": a body that denies Bale will play agrees with it
            denials = []
        else:
            denials += find_denials(doc, head, end, model, attributions, sources, set(hwords), matches)
    else:
        matches = [HeadlineMatch(p.attribution.id if p.attribution else None, p.span, round(p.share, 4), p.source)
                   for p in passages]
        denials = []
    verdict, reason = _body_verdict(matches, passages, score, min_score)
    unsaid = _only_the_quoted_word(head, hwords, passages, picked) if verdict == Verdict.HEADLINE_DROPS_ATTRIBUTION else set()
    if unsaid:
        verdict, reason = Verdict.NOT_IN_BODY, ("the body attributes only the word the headline quotes, not what the "
                                                f"headline says ({', '.join(sorted(unsaid))})")
    if verdict == Verdict.HEADLINE_DROPS_HEDGE:
        matches += hedge_sources(doc_text(doc), matches, attributions, sources)
    if denials:
        who = sorted({d.source or "the article itself" for d in denials})
        reason = (f"the body denies the headline's claim or reports a denial of it ({'; '.join(who)}: "
                  f"{denials[0].span.text!r}); without the denial the verdict would be {verdict}")
        verdict = Verdict.BODY_DISPUTES
    return verdict, score, tuple(matches), reason, denials


def _body_verdict(matches: list[HeadlineMatch], passages: list[Passage], score: float,
                  min_score: float) -> tuple[str, str]:
    """The verdict of the picked passages: by weight, asserted in the body's voice, attributed, or hedged."""
    if score < min_score:
        return Verdict.NOT_IN_BODY, f"no body passage covers the headline (best coverage {score:.2f} < {min_score})"
    weight = {"asserted": 0.0, "attributed": 0.0, "hedged": 0.0}
    hedges: list[str] = []
    for m, p in zip(matches, passages, strict=True):
        label = m.modality.label if m.modality is not None else None
        if label == Modality.DENIED:
            continue
        if p.attributed:
            weight["attributed"] += p.share
        elif label == Modality.REPORTED:
            weight["hedged"] += p.share
            hedges += [c.text for c in m.modality.cues] if m.modality is not None else []
        else:
            weight["asserted"] += p.share
    if weight["asserted"] > weight["attributed"] + weight["hedged"]:
        return Verdict.BODY_ASSERTS_TOO, "the body also states the headline's claim in its own voice"
    if weight["attributed"] >= weight["hedged"]:
        who = sorted({p.source for p in passages if p.attributed and p.source})
        by = " and ".join(who) if who else "a source"
        return Verdict.HEADLINE_DROPS_ATTRIBUTION, f"the headline states as fact what the body attributes to {by}"
    words = ", ".join(repr(w) for w in dict.fromkeys(hedges)) or "a hedge"
    return Verdict.HEADLINE_DROPS_HEDGE, f"the headline states as fact what the body only hedges ({words})"


class HeadlineChecker:
    """The ``newsaudit_headline`` component: writes ``doc._.headline_check``."""

    def __init__(self, nlp: Language, name: str = "newsaudit_headline", min_score: float = 0.3, max_units: int = 3,
                 stance: bool = True, stance_model: str | None = None, modality: bool = True,
                 modality_model: str | None = None) -> None:
        register_extensions()
        self.name = name
        self.min_score = min_score
        self.max_units = max_units
        self.stance_model = load_stance_model(stance_model) if stance else None
        self.modality_model = load_modality_model(modality_model) if modality else None

    def __call__(self, doc: Doc) -> Doc:
        doc._.headline_check = check_headline(doc, self.min_score, self.max_units, self.stance_model,
                                              self.modality_model)
        return doc


@Language.factory(
    "newsaudit_headline",
    default_config={"min_score": 0.3, "max_units": 3, "stance": True, "stance_model": None, "modality": True,
                    "modality_model": None},
    requires=["doc._.attributions", "doc._.sources"], assigns=["doc._.headline_check"],
)
def make_headline(
    nlp: Language, name: str, min_score: float, max_units: int, stance: bool, stance_model: str | None,
    modality: bool, modality_model: str | None,
) -> HeadlineChecker:
    """The headline check; ``stance``: run the stance model (``stance_model``: another model folder);
    ``modality``: read the modality of the headline and the body (``modality_model``: another model folder)."""
    return HeadlineChecker(nlp, name, min_score, max_units, stance, stance_model, modality, modality_model)
