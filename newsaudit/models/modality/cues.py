"""Words of a text, with offsets, and the modality cues among them (``modality_cues.tsv``).

>>> [w.text for w in words("Bale won't play Jobs?")]
["bale", "won't", 'play', 'jobs', '?']
>>> [(c.kind, c.text) for c in find_cues(words("Bale reportedly in talks"))]
[('hedge', 'reportedly'), ('talks', 'in talks')]

Everything here reads plain text (no parse), so the same features serve a
headline in ``analyze``, a statement of a trail and an Emergent row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ...lexicons import LEXICON_DIR, read_lines, read_table

CUE_FILE = "modality_cues.tsv"
#: The cue kinds, in the order of the features.
KINDS: tuple[str, ...] = ("hedge", "attribution", "talks", "denial", "negation", "affirm", "doubt")
#: Kinds that make a statement report or hedge a claim, and kinds that deny it.
REPORTING_KINDS = frozenset({"hedge", "attribution", "talks", "doubt"})
DENYING_KINDS = frozenset({"denial", "negation"})
#: Openings of a yes/no question ("Is Bale to play Jobs?").
QUESTION_OPENINGS = frozenset({"is", "are", "was", "were", "did", "does", "do", "has", "have", "had", "can", "could",
                               "will", "would", "should"})
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|\?", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Word:
    """A word of a text: lower-cased (curly apostrophes made straight), with its character offsets."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Cue:
    """A cue found in a text: its kind, the words as the lexicon has them, and the character offsets."""

    kind: str
    text: str
    start: int
    end: int


def words(text: str) -> list[Word]:
    """The words of ``text`` (runs of letters and digits, with inner apostrophes) and its question marks."""
    return [Word(m.group(0).lower().replace("’", "'"), m.start(), m.end()) for m in _WORD.finditer(text)]


@lru_cache(maxsize=1)
def cue_table() -> dict[tuple[str, ...], str]:
    """Cue (a tuple of lower-case words) -> kind, from ``modality_cues.tsv``."""
    table: dict[tuple[str, ...], str] = {}
    for kind, phrase in read_table(LEXICON_DIR / CUE_FILE):
        table[tuple(phrase.split())] = kind
    return table


@lru_cache(maxsize=1)
def _first_words() -> dict[str, int]:
    """The first word of each cue -> the length of the longest cue it starts."""
    first: dict[str, int] = {}
    for k in cue_table():
        first[k[0]] = max(first.get(k[0], 0), len(k))
    return first


def find_cues(ws: list[Word]) -> list[Cue]:
    """The cues among ``ws``, longest match first at each position; a word ending in "n't" is a negation."""
    table, first = cue_table(), _first_words()
    found: list[Cue] = []
    i = 0
    while i < len(ws):
        for n in range(min(first.get(ws[i].text, 0), len(ws) - i), 0, -1):
            kind = table.get(tuple(w.text for w in ws[i : i + n]))
            if kind is not None:
                found.append(Cue(kind, " ".join(w.text for w in ws[i : i + n]), ws[i].start, ws[i + n - 1].end))
                i += n
                break
        else:
            if ws[i].text.endswith("n't"):
                found.append(Cue("negation", ws[i].text, ws[i].start, ws[i].end))
            i += 1
    return found


def counts(cues: list[Cue]) -> dict[str, int]:
    """How many cues of each kind."""
    out = dict.fromkeys(KINDS, 0)
    for c in cues:
        out[c.kind] += 1
    return out


@lru_cache(maxsize=1)
def claim_nouns() -> frozenset[str]:
    """Nouns that point back at a claim ("denied the accusation"): ``claim_nouns.txt``."""
    return frozenset(w.lower() for w in read_lines(LEXICON_DIR / "claim_nouns.txt"))


def denies(text: str) -> bool:
    """``text`` holds a denial cue ("denied", "hoax", "withdrew"; a bare negation is not one)."""
    return any(c.kind == "denial" for c in find_cues(words(text)))


def bare_claim(text: str) -> str:
    """``text`` without what reports or hedges it (its hedges, attribution cues, talks, doubts and question marks):
    the claim it carries, to read the text's own modality against ("Bale could play Jobs?" -> "Bale play Jobs").
    Negations and denials stay: "Bale will not play Jobs" asserts that he will not."""
    cut = [(c.start, c.end) for c in find_cues(words(text)) if c.kind in REPORTING_KINDS]
    cut += [(w.start, w.end) for w in words(text) if w.text == "?"]
    out, last = [], 0
    for start, end in sorted(cut):
        out.append(text[last:start])
        last = max(last, end)
    out.append(text[last:])
    return " ".join("".join(out).split())
