"""The reader rules for relayed wire sentences (:mod:`newsaudit.components.attribution.frames`) on small
hand-built Docs (the parse is given; the model is not the point)."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from newsaudit.components.attribution.frames import cut_frame, extend_frames, subject_source
from newsaudit.models.attribution.types import AttributionCandidate

VOCAB = Vocab()


def doc_of(parse: str) -> Doc:
    """A Doc from ``word/POS/dep/head/lemma`` items (head: a token index; lemma: the word when left out)."""
    words, pos, deps, heads, lemmas = [], [], [], [], []
    for item in parse.split():
        parts = item.split("/")
        words.append(parts[0])
        pos.append(parts[1])
        deps.append(parts[2])
        heads.append(int(parts[3]))
        lemmas.append(parts[4] if len(parts) > 4 else parts[0].lower())
    spaces = [i + 1 < len(words) and words[i + 1] not in (".", ",", ":") for i in range(len(words))]
    return Doc(VOCAB, words=words, spaces=spaces, pos=pos, deps=deps, heads=heads, lemmas=lemmas)


def chars(doc: Doc, text: str) -> tuple[int, int]:
    start = doc.text.index(text)
    return start, start + len(text)


def cand(doc: Doc, cue: str, content: str, source: str | None = None) -> AttributionCandidate:
    cue_span = chars(doc, cue)
    cue_index = next(t.i for t in doc if t.idx == cue_span[0])
    return AttributionCandidate(
        content=chars(doc, content), cue=cue_span, source=chars(doc, source) if source else None,
        kind="indirect", rule="model:x", score=1.0, cue_index=cue_index,
    )


#: "... that rebels attacked." after a cue at token 1
CLAUSE_1 = "that/SCONJ/mark/4 rebels/NOUN/nsubj/4 attacked/VERB/ccomp/1/attack ./PUNCT/punct/1"
REPORTS_THAT = f"Zvezda/PROPN/nsubj/1 reports/VERB/ROOT/1/report {CLAUSE_1}"
BROADCASTER = (
    "The/DET/det/3 state/NOUN/compound/2 broadcaster/NOUN/compound/3 Zvezda/PROPN/nsubj/4 reports/VERB/ROOT/4/report "
    "rebels/NOUN/nsubj/6 attacked/VERB/ccomp/4/attack ./PUNCT/punct/4"
)
HE_SAID = f"He/PRON/nsubj/1/he said/VERB/ROOT/1/say {CLAUSE_1}"
IT_APPEARED = f"It/PRON/nsubj/1/it appeared/VERB/ROOT/1/appear {CLAUSE_1}"
IT_WAS_REPORTED = (
    "It/PRON/nsubjpass/2/it was/AUX/auxpass/2/be reported/VERB/ROOT/2/report that/SCONJ/mark/5 rebels/NOUN/nsubj/5 "
    "attacked/VERB/ccomp/2/attack ./PUNCT/punct/2"
)


@pytest.mark.parametrize(
    ("parse", "cue", "expected"),
    [
        (REPORTS_THAT, "reports", "Zvezda"),
        (BROADCASTER, "reports", "The state broadcaster Zvezda"),  # the whole noun phrase
        (HE_SAID, "said", "He"),  # a pronoun: the extractor resolves it as it does the model's pronoun sources
        (IT_APPEARED, "appeared", None),  # no speech verb: its subject says nothing
        (IT_WAS_REPORTED, "reported", None),  # a passive's dummy subject
    ],
)
def test_attribution_frames_subject_source(parse, cue, expected):
    doc = doc_of(parse)
    out = subject_source(doc, cand(doc, cue, "rebels attacked"))
    assert (doc.text[out.source[0] : out.source[1]] if out.source else None) == expected
    assert out.rule.endswith("+subject") == (expected is not None)


def test_attribution_frames_subject_source_keeps_the_model_source():
    doc = doc_of(BROADCASTER)
    given = cand(doc, "reports", "rebels attacked", source="Zvezda")
    assert subject_source(doc, given) is given


FRAME = (
    "Zvezda/PROPN/nsubj/1 reports/VERB/ccomp/9/report :/PUNCT/punct/4 rebels/NOUN/nsubj/4 attacked/VERB/ccomp/9/attack "
    ",/PUNCT/punct/9 the/DET/det/8 defence/PROPN/compound/8 Ministry/PROPN/nsubj/9/ministry said/VERB/ROOT/9/say ./PUNCT/punct/9"
)


def test_attribution_frames_cut_frame():
    doc = doc_of(FRAME)
    inner = cut_frame(doc, cand(doc, "said", "Zvezda reports: rebels attacked", source="the defence Ministry"))
    assert doc.text[inner.content[0] : inner.content[1]] == "rebels attacked"
    assert inner.rule.endswith("+frame-cut")
    # the frame's own content is left alone
    outer = cand(doc, "reports", "rebels attacked", source="Zvezda")
    assert cut_frame(doc, outer) is outer


def test_attribution_frames_extend_frame_over_trailing_attribution():
    doc = doc_of(FRAME)
    outer = cand(doc, "reports", "rebels attacked", source="Zvezda")
    inner = cand(doc, "said", "rebels attacked", source="the defence Ministry")
    new_outer, new_inner = extend_frames(doc, [outer, inner])
    assert doc.text[new_outer.content[0] : new_outer.content[1]] == "rebels attacked, the defence Ministry said"
    assert new_outer.rule.endswith("+trailing-cue")
    assert new_inner is inner


def test_attribution_frames_no_frame_no_extension():
    doc = doc_of(REPORTS_THAT)
    only = cand(doc, "reports", "rebels attacked", source="Zvezda")
    assert extend_frames(doc, [only]) == [only]
