"""Features of a (claim, text) pair for the modality model: plain text in, numbers out.

:func:`pair_features` gives the dense vector (names in :data:`DENSE_NAMES`), the
text's word 1-2-gram counts (the bag the model weighs with its vocabulary) and
the cues found in the text.  The *text* is what is read (a headline, a body
sentence, a statement); the *claim* is what it is read against (the claim
headline, the article's headline, the trail's representative statement).  A
text read against its bare claim (:func:`.cues.bare_claim`: itself without
its hedges, attribution cues and question marks) gives its own modality (is
the headline itself hedged?).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from .cues import KINDS, QUESTION_OPENINGS, Cue, Word, counts, cue_table, find_cues, words

#: Counts are capped here (a headline with four hedges is no more hedged than one with three).
CAP = 3
#: Claim-side kinds (what the claim itself says: a negated claim is denied by an affirmative text).
CLAIM_KINDS: tuple[str, ...] = ("negation", "denial", "hedge", "attribution")
DENSE_NAMES: tuple[str, ...] = (
    *(f"t_{k}" for k in KINDS),
    *(f"c_{k}" for k in CLAIM_KINDS),
    "question", "question_end", "question_opening", "colon_source", "says_end", "caps_denial", "exclamation",
    "quoted", "log_words",
    "negation_diff", "denial_new", "claim_overlap", "novel_share", "negated_claim_words",
)
#: A negation's scope: at most this many words after it ("will not play Steve Jobs"; not "who are not American
#: citizens from entering").
NEGATION_REACH = 3
_CLAUSE_END = re.compile(r"[,;:.!?()\[\]]")
#: A short source before a colon opens the text ("Report: ...", "Mexico prosecutor: ...").
_COLON_SOURCE = re.compile(r"^\s*([^:?!.\n]{1,40}?):\s+\S")
#: The text ends in an attribution (", officials say", ", report claims").
_SAYS_END = re.compile(r",\s*(?:[\w.'’-]+\s+){0,6}(?:says?|said|claims?|claimed|reports?|suggests?|tells?|warns?)\W*$",
                       re.I)
_CAPS_DENIAL = frozenset({"NOT", "NO", "NEVER", "FAKE", "HOAX", "FALSE", "NOPE", "DENIES", "DENIED"})
_QUOTES = re.compile(r"[\"“”‘]|(?:^|\s)'")


@dataclass(frozen=True)
class PairFeatures:
    dense: np.ndarray
    #: word 1-2-gram counts of the text
    grams: Counter[str]
    #: the cues found in the text
    cues: tuple[Cue, ...]


def grams(ws: list[Word]) -> Counter[str]:
    """Word unigrams and bigrams (the bag the model weighs)."""
    toks = [w.text for w in ws]
    out = Counter(toks)
    out.update(f"{a} {b}" for a, b in pairwise(toks))
    return out


def _content(ws: list[Word]) -> set[str]:
    """Content words as 5-letter stems: alphabetic words of four letters or more that are no cue."""
    cue_words = _cue_words()
    return {w.text[:5] for w in ws if len(w.text) >= 4 and w.text.isalpha() and w.text not in cue_words}


_CUE_WORDS: frozenset[str] | None = None


def _cue_words() -> frozenset[str]:
    global _CUE_WORDS
    if _CUE_WORDS is None:
        _CUE_WORDS = frozenset(w for phrase in cue_table() for w in phrase)
    return _CUE_WORDS


def _negated(text: str, ws: list[Word], cues: list[Cue], targets: set[str]) -> int:
    """How many words of ``targets`` (5-letter stems) lie in a negation's scope: the words after it, up to
    :data:`NEGATION_REACH` of them and not past a punctuation mark or "but" ("will not play Steve")."""
    index = {w.start: i for i, w in enumerate(ws)}
    negated: set[int] = set()
    for c in cues:
        if c.kind != "negation" or c.start not in index:
            continue
        last = c.end
        for w in ws[index[c.start] + 1 : index[c.start] + 1 + NEGATION_REACH]:
            if w.text == "but" or _CLAUSE_END.search(text, last, w.start):
                break
            negated.add(w.start)
            last = w.end
    return sum(1 for w in ws if w.start in negated and w.text[:5] in targets)


def _style(text: str, ws: list[Word]) -> list[float]:
    """question, question_end, question_opening, colon_source, says_end, caps_denial, exclamation, quoted, log_words."""
    colon = _COLON_SOURCE.match(text)
    raw = re.findall(r"[A-Za-z]+", text)
    shouting = sum(1 for t in raw if t.isupper() and len(t) > 1) > 0.6 * max(1, len(raw))
    return [
        float(any(w.text == "?" for w in ws)),
        float(text.rstrip().endswith("?")),
        float(bool(ws) and ws[0].text in QUESTION_OPENINGS),
        float(colon is not None and len(colon.group(1).split()) <= 5),
        float(bool(_SAYS_END.search(text))),
        float(not shouting and any(t in _CAPS_DENIAL for t in raw)),
        float("!" in text),
        float(bool(_QUOTES.search(text))),
        math.log1p(sum(1 for w in ws if w.text != "?")),
    ]


def pair_features(claim: str, text: str) -> PairFeatures:
    """The features of ``text`` read against ``claim`` (see the module docs)."""
    tw, cw = words(text), words(claim)
    tcues, ccues = find_cues(tw), find_cues(cw)
    tc, cc = counts(tcues), counts(ccues)
    tcont, ccont = _content(tw), _content(cw)
    dense = [float(min(tc[k], CAP)) for k in KINDS]
    dense += [float(min(cc[k], CAP)) for k in CLAIM_KINDS]
    dense += _style(text, tw)
    dense += [
        float(min(tc["negation"], CAP) - min(cc["negation"], CAP)),
        float(tc["denial"] > 0 and cc["denial"] == 0),
        len(tcont & ccont) / len(ccont) if ccont else 0.0,
        len(tcont - ccont) / len(tcont) if tcont else 0.0,
        float(min(_negated(text, tw, tcues, ccont), CAP) - min(_negated(claim, cw, ccues, ccont), CAP)),
    ]
    return PairFeatures(np.asarray(dense, np.float64), grams(tw), tuple(tcues))
