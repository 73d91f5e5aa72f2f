"""newsaudit_signals component (stub: to be written)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import register_extensions


class Stub:
    def __init__(self, nlp: Language, name: str) -> None:
        register_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.signals = ()
        return doc


@Language.factory("newsaudit_signals", default_config={})
def make_signals(nlp: Language, name: str) -> Stub:
    return Stub(nlp, name)
