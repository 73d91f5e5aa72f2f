"""newsaudit_paragraphs: a paragraph break always ends a sentence.

A paragraph is a non-blank line (the one rule, :mod:`newsaudit.text.paragraphs`),
so the token after a line break starts a sentence.  Placed before the parser,
which then respects it.  Without it the small English model often glues a
headline to the first body sentence, or a "reports:" line to the next paragraph.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class ParagraphBoundaries:
    def __init__(self, nlp: Language, name: str = "newsaudit_paragraphs") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        for i, tok in enumerate(doc[:-1]):
            if "\n" in tok.whitespace_ or (tok.is_space and "\n" in tok.text) or tok.text.endswith("\n"):
                doc[i + 1].is_sent_start = True
        return doc


@Language.factory("newsaudit_paragraphs", default_config={})
def make_paragraphs(nlp: Language, name: str) -> ParagraphBoundaries:
    return ParagraphBoundaries(nlp, name)
