"""newsaudit_headline: does the headline state as fact what the body only attributes?

The headline's content words (lemmas of nouns, proper nouns, verbs, adjectives,
numbers) are matched against body units: each body sentence and each
attribution's content.  A unit counts as *attributed* when an attribution's
content covers most of it or when it lies inside a relay scope ("Rt.com
reports: ...").  Up to three units are picked greedily for the coverage they
add; the score is the weighted share of headline words they cover.

Verdicts (``HeadlineCheck.verdict``):

* ``attributed``: the headline carries its own attribution ("X says ...").
* ``attribution-dropped``: the headline asserts without attribution what the
  body covers mainly through attributed units.  The commonest trick.
* ``unattributed-in-body``: the body states it in its own voice as well.
* ``not-in-body``: no body unit covers enough of the headline (score below
  ``min_score``).
* ``contradicted-in-body``: the body disputes the headline.  This one comes
  from the stance model (:mod:`newsaudit.models.stance`, trained on FNC-1),
  which reads the headline span and the body span of the same Doc and writes
  ``HeadlineCheck.stance`` (agree / disagree / discuss / unrelated, the four
  probabilities, and the body passages that decided it) for every article
  with a headline.  The verdict replaces the others when the model's
  contradiction rule fires (the label is ``disagree``, its probability at
  least the threshold chosen on the training cross-validation, and a passage
  carries a refuting cue or a negation); the reason names the verdict the
  other rules gave.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from ..extensions import register_extensions
from ..lexicons import LEXICON_DIR, read_lines, read_table
from ..models.stance import StanceModel, load_stance_model
from ..text.spans import IntervalIndex, doc_text, headline_end
from ..types import (
    ATTRIBUTED,
    ATTRIBUTION_DROPPED,
    CONTRADICTED_IN_BODY,
    NOT_IN_BODY,
    UNATTRIBUTED_IN_BODY,
    Attribution,
    HeadlineCheck,
    HeadlineMatch,
    HeadlineStance,
    Source,
    Span,
)
from .concern import assess_concern
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
    doc: Doc, min_score: float = 0.3, max_units: int = 3, stance_model: StanceModel | None = None
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
    verdict, score, matches, reason = _verdict(doc, head, end, attributions, sources, min_score, max_units)
    found = headline_stance(doc, head, stance_model) if stance_model is not None else None
    stance, contradicted = found if found is not None else (None, False)
    if stance is not None and contradicted:
        where = f": {stance.passages[0].text!r}" if stance.passages else ""
        reason = (f"the body disputes the headline (stance disagree, probability {stance.probs.get('disagree', 0.0):.2f})"
                  f"{where}; without the stance model the verdict would be {verdict}")
        verdict = CONTRADICTED_IN_BODY
    concern, why = assess_concern(doc, verdict, headline_span, matches, {a.id: a for a in attributions}, sources, stance)
    return HeadlineCheck(headline_span, headline_span, verdict, score, matches, reason, concern, why, stance)


def _verdict(
    doc: Doc, head: SpacySpan, end: int, attributions: tuple[Attribution, ...], sources: dict[str, Source],
    min_score: float, max_units: int,
) -> tuple[str, float, tuple[HeadlineMatch, ...], str]:
    """(verdict, score, matches, reason) of the attribution rules (see the module docstring)."""
    hwords = content_lemmas(head)
    total = sum(hwords.values())
    own = [a for a in attributions if a.cue is not None and a.cue.end <= end]
    if own or HEADLINE_CUES.search(head.text):
        cue = own[0].cue.text if own else HEADLINE_CUES.search(head.text).group(0)  # type: ignore[union-attr]
        return ATTRIBUTED, 1.0, (), f"the headline attributes its claim itself ({cue!r})"
    prefix = source_prefix(head)
    if prefix is not None:
        return ATTRIBUTED, 1.0, (), f"the headline attributes its claim itself ('{prefix}:')"
    if total == 0:
        return NOT_IN_BODY, 0.0, (), "the headline has no content words to match"

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
    score = sum(hwords[w] for w in covered) / total
    matches = tuple(
        HeadlineMatch(u.attribution.id if u.attribution else None, u.span, round(s, 4), u.source) for u, s in picked
    )
    if score < min_score:
        return NOT_IN_BODY, score, matches, f"no body passage covers the headline (best coverage {score:.2f} < {min_score})"
    if sum(s for u, s in picked if u.attributed) >= sum(s for u, s in picked if not u.attributed):
        who = sorted({u.source for u, _ in picked if u.attributed and u.source})
        by = " and ".join(who) if who else "a source"
        return ATTRIBUTION_DROPPED, score, matches, f"the headline states as fact what the body attributes to {by}"
    return UNATTRIBUTED_IN_BODY, score, matches, "the body also states the headline's claim in its own voice"


class HeadlineChecker:
    """The ``newsaudit_headline`` component: writes ``doc._.headline_check``."""

    def __init__(self, nlp: Language, name: str = "newsaudit_headline", min_score: float = 0.3, max_units: int = 3,
                 stance: bool = True, stance_model: str | None = None) -> None:
        register_extensions()
        self.name = name
        self.min_score = min_score
        self.max_units = max_units
        self.stance_model = load_stance_model(stance_model) if stance else None

    def __call__(self, doc: Doc) -> Doc:
        doc._.headline_check = check_headline(doc, self.min_score, self.max_units, self.stance_model)
        return doc


@Language.factory(
    "newsaudit_headline", default_config={"min_score": 0.3, "max_units": 3, "stance": True, "stance_model": None},
    requires=["doc._.attributions", "doc._.sources"], assigns=["doc._.headline_check"],
)
def make_headline(
    nlp: Language, name: str, min_score: float, max_units: int, stance: bool, stance_model: str | None
) -> HeadlineChecker:
    """The headline check; ``stance``: run the stance model (``stance_model``: another model folder)."""
    return HeadlineChecker(nlp, name, min_score, max_units, stance, stance_model)
