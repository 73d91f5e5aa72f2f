"""newsaudit_claims component (stub: to be written)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import register_extensions


class Stub:
    def __init__(self, nlp: Language, name: str) -> None:
        register_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.claims = ()
        return doc


@Language.factory("newsaudit_claims", default_config={})
def make_claims(nlp: Language, name: str) -> Stub:
    return Stub(nlp, name)
