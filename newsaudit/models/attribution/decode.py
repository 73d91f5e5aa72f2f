"""From tagged windows to attribution candidates (spans, kind, rule string).

For each cue token the tagger's BIO tags give content segments and source
segments.  The content is the union of its segments (``pieces`` when there are
several, e.g. ``“A,” he said. “B.”``); the source is the source segment nearest
the cue; the cue span is the cue token, with ``to`` after ``according`` and a
verb particle (``pointed out``).  A cue with no content tagged is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy
from spacy.tokens import Doc

from .features import FLAG_NAMES, TENSOR_WIDTH, DocFeatures
from .nn import TAGS
from .types import AttributionCandidate, Piece

DIRECT, INDIRECT, MIXED = "direct", "indirect", "mixed"
B_C, I_C, B_S, I_S = (TAGS.index(t) for t in ("B-C", "I-C", "B-S", "I-S"))


@dataclass
class DecodeConfig:
    """Decoding settings, stored in the model's config.json (chosen by cross-validation on train)."""

    cue_threshold: float = 0.5
    #: Drop a candidate whose content tokens are all inside an earlier, more confident candidate's content with the same source.
    dedupe: bool = True
    #: Content segments separated only by punctuation are joined into one piece.
    join_punct_gaps: bool = True
    #: Share of content tokens inside quote marks from which the kind is direct.
    direct_share: float = 0.9


def segments(tags: numpy.ndarray, begin: int, inside: int) -> list[tuple[int, int]]:
    """[start, end) runs of one role in a BIO sequence (window positions); a run starts at a B tag
    or at an I tag that follows no tag of its role."""
    role = (tags == begin) | (tags == inside)
    if not role.any():
        return []
    prev = numpy.empty_like(role)  # role shifted right by one (numpy.r_ is slow on this hot path)
    prev[0] = False
    prev[1:] = role[:-1]
    starts = numpy.flatnonzero(role & ((tags == begin) | ~prev))
    ends = []
    for k, s in enumerate(starts.tolist()):
        stop = int(starts[k + 1]) if k + 1 < len(starts) else len(tags)
        off = numpy.flatnonzero(~role[s:stop])
        ends.append(s + int(off[0]) if len(off) else stop)
    return list(zip(starts.tolist(), ends, strict=False))


def _chars(f: DocFeatures, first: int, last: int) -> Piece:
    return f.starts[first], f.starts[last] + len(f.texts[last])


PUNCT_FLAG = TENSOR_WIDTH + FLAG_NAMES.index("punct")
SPACE_FLAG = TENSOR_WIDTH + FLAG_NAMES.index("space")


def _punct_or_space(f: DocFeatures, k: int) -> bool:
    return bool(f.dense[k, PUNCT_FLAG] or f.dense[k, SPACE_FLAG])


QUOTE_MARKS = frozenset("“”«»‘’\"„'")


def _edge(f: DocFeatures, k: int) -> bool:
    """Punctuation or space that does not belong at a content's edge (quote marks and brackets do)."""
    text = f.texts[k]
    if f.dense[k, SPACE_FLAG]:
        return True
    return bool(f.dense[k, PUNCT_FLAG]) and not (text and text[0] in QUOTE_MARKS) and text not in ("(", ")", "[", "]")


def _trim_segment(f: DocFeatures, s: int, e: int) -> tuple[int, int]:
    while s < e and _edge(f, s):
        s += 1
    while e > s and _edge(f, e - 1):
        e -= 1
    return s, e


def _join(f: DocFeatures, segs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join token runs separated only by punctuation or white space."""
    out: list[tuple[int, int]] = []
    for s, e in segs:
        if out and all(_punct_or_space(f, k) for k in range(out[-1][1], s)):
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def cue_span(doc: Doc, f: DocFeatures, c: int) -> Piece:
    """The cue's characters: the token, plus ``to`` after ``according`` and a particle child."""
    last = c
    according = f.texts[c].lower() == "according" and c + 1 < f.n and f.texts[c + 1].lower() == "to"
    if according or (c + 1 < f.n and f.head[c + 1] == c and doc[c + 1].dep_ == "prt"):
        last = c + 1
    return _chars(f, c, last)


def kind_of(f: DocFeatures, tokens: numpy.ndarray, direct_share: float) -> str:
    """direct / mixed / indirect from the share of content tokens inside quote marks."""
    words = tokens[f.dense[tokens, TENSOR_WIDTH + FLAG_NAMES.index("punct")] == 0]
    if len(words) == 0:
        words = tokens
    share = float((f.quote[words] >= 0).mean()) if len(words) else 0.0
    if share >= direct_share:
        return DIRECT
    return MIXED if share > 0 else INDIRECT


def assemble(
    doc: Doc,
    f: DocFeatures,
    cues: list[int],
    probs: numpy.ndarray,
    tagged: list[tuple[int, numpy.ndarray]],
    config: DecodeConfig,
) -> list[AttributionCandidate]:
    """Candidates from tagged windows, most confident first during de-duplication, returned in text order."""
    found: list[tuple[float, int, AttributionCandidate, frozenset[int]]] = []
    for c, (start, tags) in zip(cues, tagged, strict=True):
        content = [(start + s, start + e) for s, e in segments(tags, B_C, I_C)]
        content = [(s, e) for s, e in content if not all(_punct_or_space(f, k) for k in range(s, e))]
        if not content:
            continue
        if config.join_punct_gaps:
            content = _join(f, content)
        content = [se for se in (_trim_segment(f, s, e) for s, e in content) if se[1] > se[0]]
        pieces = tuple(_chars(f, s, e - 1) for s, e in content)
        tokens = numpy.concatenate([numpy.arange(s, e) for s, e in content])
        sources = [(start + s, start + e) for s, e in segments(tags, B_S, I_S)]
        source = None
        if sources:
            s, e = min(sources, key=lambda se: min(abs(se[0] - c), abs(se[1] - 1 - c)))
            source = _chars(f, s, e - 1)
        cand = AttributionCandidate(
            content=(pieces[0][0], pieces[-1][1]),
            cue=cue_span(doc, f, c),
            source=source,
            kind=kind_of(f, tokens, config.direct_share),
            rule=f"model:{doc[c].lemma_.lower()}",
            score=round(float(probs[c]), 4),
            pieces=pieces if len(pieces) > 1 else (),
            cue_index=c,
        )
        found.append((float(probs[c]), c, cand, frozenset(tokens.tolist())))
    if config.dedupe:
        # a candidate whose content tokens lie inside a surer one's, with the same source, is dropped;
        # only the kept candidates holding its first token can contain it (linear on a 5 MB text)
        kept: list[tuple[float, int, AttributionCandidate, frozenset[int]]] = []
        holders: dict[int, list[int]] = {}
        for item in sorted(found, key=lambda x: (-x[0], x[1])):
            near = holders.get(min(item[3]), ()) if item[3] else range(len(kept))
            if any(item[3] <= kept[j][3] and item[2].source == kept[j][2].source for j in near):
                continue
            for t in item[3]:
                holders.setdefault(t, []).append(len(kept))
            kept.append(item)
        found = kept
    found.sort(key=lambda x: (x[2].content[0], x[1]))
    return [x[2] for x in found]
