"""How each member of a trail carries the trail's claim: asserted, reported or denied.

* The trail's **claim** is its representative statement, chosen among the members that do not deny (no
  denial or negation cue, not carried as ``denied``), so a trail of "Bale will play Jobs" and "Bale will not
  play Jobs" is the trail of the first, whatever the dates and the counts; among those, one that states the
  claim plainly (not attributed, hedged or "in talks") comes first.
* Each member's **modality** (:func:`member_modalities`): ``denied`` when the claim affirms, the member does
  not, and it is carried as a denial (an attribution whose cue denies: "the studio denied that ...") or the
  modality model (:mod:`newsaudit.models.modality`) reads it as denying the claim and it holds a denial word
  ("Bale has withdrawn from the role") or negates the claim's own words ("Bale will not play Jobs");
  members of one polarity never deny each other ("she did not send classified emails" twice).
  ``reported`` when it is attributed or relayed, its headline hedges, or the model reads it as reported
  ("Bale will reportedly play"); else ``asserted``.
* The trail's **summary** (:func:`summary`): how many outlets asserted, reported and denied it, and how its
  articles carried it in date order.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TypedDict

import numpy as np

from ...models.modality import DENSE_NAMES, DENYING_KINDS, REPORTING_KINDS, ModalityModel, find_cues, pair_features, words
from ...types import Modality
from .statements import ATTRIBUTED, DENIED, RELAYED, Statement

ASSERTED, REPORTED = Modality.ASSERTED.value, Modality.REPORTED.value
_NEGATED = DENSE_NAMES.index("negated_claim_words")
#: Labels in the order an article's labels are written ("reported+denied").
ORDER = (Modality.ASSERTED.value, Modality.REPORTED.value, Modality.DENIED.value)


class TrailModalities(TypedDict):
    """What :func:`summary` tells of a trail (the TRAIL.parquet columns of the same names)."""

    trail_asserted: int
    trail_reported: int
    trail_denied: int
    trail_sequence: str


@lru_cache(maxsize=4096)
def cue_kinds(text: str) -> frozenset[str]:
    """The kinds of the modality cues in ``text`` (a trail reads a member's cues for its claim, its plainness and
    its denial: once)."""
    return frozenset(c.kind for c in find_cues(words(text)))


def affirms(s: Statement) -> bool:
    """The statement carries no denial: not carried as one, and no denial or negation cue in its words."""
    return s.carried_as != DENIED and not cue_kinds(s.embed_text) & DENYING_KINDS


def plain(s: Statement) -> bool:
    """The statement states its words as they are: not attributed, relayed or denied, under no hedging headline,
    and with no hedge, attribution, "in talks" or doubt cue of its own ("Marla Quinn named new host")."""
    return s.carried_as not in (ATTRIBUTED, RELAYED, DENIED) and not s.hedged and not cue_kinds(s.embed_text) & REPORTING_KINDS


def representative(members: Sequence[Statement], vectors: np.ndarray) -> int:
    """The position of the trail's claim among ``members`` (in date order): the member nearest the trail's
    mean vector among those that affirm and state it plainly, else among those that affirm (all of them when
    none does); the first of equals.  A plain claim is what the modality model reads the others against, as
    Emergent's claims are ("Comedian Marla Quinn will reportedly take over ..." would make "Marla Quinn will
    not host" read as asserting it)."""
    centre = vectors.mean(axis=0)
    sims = vectors @ centre
    affirming = [i for i, s in enumerate(members) if affirms(s)]
    candidates = [i for i in affirming if plain(members[i])] or affirming or list(range(len(members)))
    return max(candidates, key=lambda i: (float(sims[i]), -i))


def member_modalities(members: Sequence[Statement], claim: Statement, model: ModalityModel) -> list[str]:
    """The modality of each member towards ``claim`` (see the module docs)."""
    readings = model.read_many([(claim.embed_text, s.embed_text) for s in members])
    claim_affirms = affirms(claim)
    out = []
    for s, r in zip(members, readings, strict=True):
        if claim_affirms and not affirms(s) and _denies(s, claim, r.label == Modality.DENIED):
            out.append(Modality.DENIED.value)
        elif s.carried_as in (ATTRIBUTED, RELAYED, DENIED) or s.hedged or r.label == Modality.REPORTED:
            out.append(REPORTED)
        else:
            out.append(ASSERTED)
    return out


def _denies(s: Statement, claim: Statement, read_denied: bool) -> bool:
    """A member that does not affirm denies the claim (which does) when it is carried as a denial, or the model
    reads it as denying and it holds a denial word ("hoax", "withdrew") or negates the claim's own words ("will
    not play"); a negation elsewhere ("Muslims who are not citizens") is no denial of the claim."""
    if s.carried_as == DENIED:
        return True
    if not read_denied:
        return False
    if "denial" in cue_kinds(s.embed_text):
        return True
    return bool(pair_features(claim.embed_text, s.embed_text).dense[_NEGATED] > 0)


def summary(articles: Sequence[int], outlets: Sequence[str | None], labels: Sequence[str]) -> TrailModalities:
    """``trail_asserted``, ``trail_reported``, ``trail_denied`` (outlets showing each label; an article without
    an outlet counts alone) and ``trail_sequence`` (each article's labels in the order given, "reported >
    asserted > denied") of a trail's rows (``articles``, ``outlets`` and ``labels`` aligned, in date order)."""
    per_article: dict[int, set[str]] = {}
    per_label: dict[str, set[str]] = {label: set() for label in ORDER}
    for a, o, label in zip(articles, outlets, labels, strict=True):
        per_article.setdefault(a, set()).add(label)
        per_label[label].add(o or f"#{a}")
    sequence = " > ".join("+".join(x for x in ORDER if x in got) for got in per_article.values())
    return {"trail_asserted": len(per_label[ASSERTED]), "trail_reported": len(per_label[REPORTED]),
            "trail_denied": len(per_label[Modality.DENIED.value]), "trail_sequence": sequence}
