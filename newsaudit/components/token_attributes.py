"""newsaudit_attribute_ruler and newsaudit_lemmatizer: spaCy's attribute ruler and rule lemmatizer, the same
output in a fraction of the time.

Between them the two took about a sixth of a parse of a news article (``python -m benchmarks``'s articles, one
at a time): the attribute ruler runs a token Matcher over every token with 179 patterns and sets each match
through a Span, and the lemmatizer caches only the inflected forms, so every singular noun, infinitive and
plain adjective is read again through its morphology.

* :class:`IndexedAttributeRuler` reads the stock ruler's own patterns.  Their single-token conditions (a tag,
  a lower-case form, a dependency label, a space; a value, a set, a set to avoid, a regular expression) are
  tested once per distinct (tag, lower, dep, space) of a token, with the patterns that ask for one tag looked
  up by it; the few multi-token patterns are tried where their first token matches.  Each token then takes
  the attributes of its matching patterns in the stock order (a later pattern wins), as the stock ruler sets
  them.
* :class:`CachedLemmatizer` asks the stock lemmatizer once per (form, part of speech, morphology), the whole
  of what a rule lemma depends on, and writes the lemmas in one array.

A pattern the index cannot read (an operator, another attribute) or a lemmatizer that is not spaCy's, or not in
rule or lookup mode, keeps the stock component (:func:`can_index`, :func:`can_cache`).  The stock components
stay in the pipeline, disabled, so their patterns and tables are where spaCy keeps them;
``tests/test_token_attributes.py`` checks that tags, parts of speech, morphology, lemmas and labels are the
stock ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, cast

import numpy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.strings import StringStore
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

#: The token attributes a condition may test, in the order of a token's key.
KEY_ATTRS = ("TAG", "LOWER", "DEP", "IS_SPACE")
#: Lemmatizer modes whose lemma depends on the form, part of speech and morphology alone.
CACHED_MODES = ("rule", "lookup")
#: Distinct keys remembered, at most (the memory is cleared past it).
MEMO_LIMIT = 500_000

Test = tuple[int, str, Any]


class NotIndexable(ValueError):
    """A pattern the index does not read."""


def _tests(strings: StringStore, cond: dict[str, Any]) -> tuple[Test, ...]:
    """A token pattern's conditions as (key column, operator, value) tests on string hashes."""
    out: list[Test] = []
    for attr, value in cond.items():
        if attr not in KEY_ATTRS:
            raise NotIndexable(f"attribute {attr}")
        col = KEY_ATTRS.index(attr)
        if attr == "IS_SPACE":
            if not isinstance(value, bool):
                raise NotIndexable(f"IS_SPACE {value!r}")
            out.append((col, "==", int(value)))
        elif isinstance(value, str):
            out.append((col, "==", strings.add(value)))
        elif isinstance(value, dict) and value and set(value) <= {"IN", "NOT_IN", "REGEX"}:
            for op, arg in value.items():
                if op == "REGEX":
                    out.append((col, op, re.compile(arg)))
                else:
                    out.append((col, op, frozenset(strings.add(v) for v in arg)))
        else:
            raise NotIndexable(f"{attr} {value!r}")
    return tuple(out)


def _compiled(ruler: AttributeRuler) -> list[tuple[int, list[tuple[Test, ...]]]]:
    """Each pattern of ``ruler`` as (pattern id, the tests of each of its tokens), in the stock order; raises
    :class:`NotIndexable` for a condition the index does not read."""
    strings = ruler.vocab.strings
    return [(i, [_tests(strings, cond) for cond in pattern])
            for i in range(len(ruler.attrs)) for pattern in ruler.matcher.get(str(i))[1]]


def _holds(strings: StringStore, tests: tuple[Test, ...], key: tuple[int, ...]) -> bool:
    for col, op, value in tests:
        x = key[col]
        if op == "==":
            if x != value:
                return False
        elif op == "IN":
            if x not in value:
                return False
        elif op == "NOT_IN":
            if x in value:
                return False
        elif not value.search(strings[x]):
            return False
    return True


class IndexedAttributeRuler:
    """The stock attribute ruler's patterns, tested per distinct token key (see the module docs)."""

    def __init__(self, nlp: Language, name: str = "newsaudit_attribute_ruler", stock: str = "attribute_ruler") -> None:
        self.name = name
        ruler = nlp.get_pipe(stock)
        if not isinstance(ruler, AttributeRuler):
            raise NotIndexable(f"{stock!r} is not an attribute ruler")
        self.strings = nlp.vocab.strings
        self.attrs = ruler.attrs
        #: tag hash (None: any tag) -> [(pattern id, tests)], pattern ids ascending
        self.by_tag: dict[int | None, list[tuple[int, tuple[Test, ...]]]] = {}
        #: (pattern id, tests of each token, index of the token that takes the attributes)
        self.multi: list[tuple[int, list[tuple[Test, ...]], int]] = []
        for i, tests in _compiled(ruler):
            if len(tests) == 1:
                tag = next((v for col, op, v in tests[0] if col == 0 and op == "=="), None)
                self.by_tag.setdefault(tag, []).append((i, tests[0]))
            elif tests:
                self.multi.append((i, tests, ruler.indices[i]))
        self._memo: dict[tuple[int, ...], tuple[tuple[int, ...], tuple[int, ...]]] = {}
        self._merged: dict[tuple[int, ...], dict[int, Any]] = {}

    def _read(self, key: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """(single-token patterns that match a token of this key, multi-token patterns it may start)."""
        candidates = sorted(self.by_tag.get(key[0], []) + self.by_tag.get(None, []), key=lambda p: p[0])
        single = tuple(i for i, tests in candidates if _holds(self.strings, tests, key))
        starts = tuple(j for j, (_, tests, _) in enumerate(self.multi) if _holds(self.strings, tests[0], key))
        return single, starts

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        keys = [tuple(row) for row in doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()]
        if len(self._memo) > MEMO_LIMIT:
            self._memo.clear()
        applied: list[tuple[int, ...]] = []
        extra: dict[int, tuple[int, ...]] = {}
        for i, key in enumerate(keys):
            read = self._memo.get(key)
            if read is None:
                read = self._memo[key] = self._read(key)
            applied.append(read[0])
            for j in read[1]:
                pattern, tests, index = self.multi[j]
                size = len(tests)
                if i + size <= n and all(_holds(self.strings, t, keys[i + q]) for q, t in enumerate(tests[1:], start=1)):
                    target = i + index if index >= 0 else i + size + index
                    extra[target] = (*extra.get(target, ()), pattern)
        for target, more in extra.items():
            applied[target] = tuple(sorted((*applied[target], *more)))
        for i, ids in enumerate(applied):
            if ids:
                set_token_attrs(doc[i], self._attributes(ids))
        return doc

    def _attributes(self, ids: tuple[int, ...]) -> dict[int, Any]:
        """The attributes patterns ``ids`` set, a later pattern's value winning."""
        merged = self._merged.get(ids)
        if merged is None:
            merged = {}
            for i in ids:
                merged.update(self.attrs[i])
            self._merged[ids] = merged
        return merged


class CachedLemmatizer:
    """The stock lemmatizer's lemma of each (form, part of speech, morphology), asked once (see the module docs)."""

    def __init__(self, nlp: Language, name: str = "newsaudit_lemmatizer", stock: str = "lemmatizer") -> None:
        self.name = name
        lemmatizer = nlp.get_pipe(stock)
        if not isinstance(lemmatizer, Lemmatizer) or not can_cache(lemmatizer):
            raise NotIndexable(f"{stock!r} is not a rule or lookup lemmatizer")
        self.stock = lemmatizer
        self._memo: dict[tuple[int, int, int], int] = {}
        self._validated = False

    def __call__(self, doc: Doc) -> Doc:
        if not self._validated:
            self.stock(Doc(doc.vocab))  # the stock lemmatizer's check of its tables, on an empty Doc
            self._validated = True
        if not len(doc):
            return doc
        table = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = table[:, 3].copy()
        if len(self._memo) > MEMO_LIMIT:
            self._memo.clear()
        overwrite = self.stock.overwrite
        strings = doc.vocab.strings
        for i, (orth, pos, morph, lemma) in enumerate(table.tolist()):
            if lemma and not overwrite:
                continue
            key = (orth, pos, morph)
            value = self._memo.get(key)
            if value is None:
                value = self._memo[key] = strings.add(self.stock.lemmatize(doc[i])[0])
            lemmas[i] = value
        doc.from_array([LEMMA], cast(Any, lemmas.reshape(-1, 1).astype(numpy.uint64)))
        return doc


def can_index(component: object) -> bool:
    """Whether ``component`` is an attribute ruler whose every pattern :class:`IndexedAttributeRuler` reads."""
    if not isinstance(component, AttributeRuler):
        return False
    try:
        _compiled(component)
    except NotIndexable:
        return False
    return True


def can_cache(component: object) -> bool:
    """Whether ``component`` is spaCy's lemmatizer in a mode whose lemma depends on form, tag and morphology alone."""
    return isinstance(component, Lemmatizer) and component.mode in CACHED_MODES


#: (stock component, its faster twin's factory, the test that the twin reads it) in pipeline order.
TWINS: tuple[tuple[str, str, Callable[[object], bool]], ...] = (
    ("attribute_ruler", "newsaudit_attribute_ruler", can_index),
    ("lemmatizer", "newsaudit_lemmatizer", can_cache),
)


def use_twins(nlp: Language) -> list[str]:
    """Put each stock component's faster twin after it and disable the stock one, where the twin reads it;
    returns the twins added."""
    added = []
    for stock, factory, readable in TWINS:
        if stock in nlp.pipe_names and readable(nlp.get_pipe(stock)):
            nlp.add_pipe(factory, after=stock, config={"stock": stock})
            nlp.disable_pipe(stock)
            added.append(factory)
    return added


@Language.factory(
    "newsaudit_attribute_ruler",
    default_config={"stock": "attribute_ruler"},
    assigns=["token.tag", "token.pos", "token.morph", "token.lemma"],
)
def make_attribute_ruler(nlp: Language, name: str, stock: str) -> IndexedAttributeRuler:
    return IndexedAttributeRuler(nlp, name, stock)


@Language.factory(
    "newsaudit_lemmatizer",
    default_config={"stock": "lemmatizer"},
    assigns=["token.lemma"],
)
def make_lemmatizer(nlp: Language, name: str, stock: str) -> CachedLemmatizer:
    return CachedLemmatizer(nlp, name, stock)
