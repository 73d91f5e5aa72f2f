"""newsaudit_paragraphs: a paragraph break always ends a sentence.

A paragraph is a non-blank line (the one rule, :mod:`newsaudit.text.paragraphs`),
so the token after a line break starts a sentence.  Placed before the parser,
which then respects it.  Without it the small English model often glues a
headline to the first body sentence, or a "reports:" line to the next paragraph.

The paragraph's second token does not start a sentence: with the first one
forced, the parser otherwise often cuts a name it does not know off its verb
("Rt.com | reports that ...", "Tass | reports that ..."), and the cue loses its
subject.  A one-word sentence ahead of another on the same line is rarer than
that ("Yes." ends in a full stop, which is the second token).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token


def _breaks_line(tok: Token) -> bool:
    return "\n" in tok.whitespace_ or (tok.is_space and "\n" in tok.text) or tok.text.endswith("\n")


class ParagraphBoundaries:
    def __init__(self, nlp: Language, name: str = "newsaudit_paragraphs") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        for i, tok in enumerate(doc[:-1]):
            if _breaks_line(tok):
                first = doc[i + 1]
                first.is_sent_start = True
                if i + 2 < len(doc) and not first.is_space and not _breaks_line(first) and not doc[i + 2].is_space:
                    doc[i + 2].is_sent_start = False
        return doc


@Language.factory(
    "newsaudit_paragraphs",
    default_config={},
    requires=[],
    assigns=["token.is_sent_start"],
)
def make_paragraphs(nlp: Language, name: str) -> ParagraphBoundaries:
    return ParagraphBoundaries(nlp, name)
