"""newsaudit_paragraphs: a paragraph break ("\\n\\n") always ends a sentence.

Placed before the parser, it marks the token after each blank line as a sentence
start, which the parser then respects.  Without it the small English model often
glues a headline to the first body sentence, or a "reports:" line to the next
paragraph.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class ParagraphBoundaries:
    def __init__(self, nlp: Language, name: str = "newsaudit_paragraphs") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        for i, tok in enumerate(doc[:-1]):
            if tok.is_space and "\n\n" in tok.text or (tok.whitespace_ == "" and tok.text.endswith("\n\n")):
                doc[i + 1].is_sent_start = True
        return doc


@Language.factory("newsaudit_paragraphs", default_config={})
def make_paragraphs(nlp: Language, name: str) -> ParagraphBoundaries:
    return ParagraphBoundaries(nlp, name)
