"""The ``newsaudit_attribution`` component: the learned attribution model (or, with
``model = "rules"``, the rules over every cue candidate), the precision rules,
then pronoun speakers resolved and the results written."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan
from spacy.util import minibatch

from ...extensions import SPAN_KEYS, foreign_test, register_extensions
from ...lexicons import read_wordlist
from ...models.attribution.types import AttributionCandidate
from ...text.spans import IntervalIndex, char_span, doc_text
from ...types import Attribution, Span
from .antecedents import group_antecedent
from .candidates import CueLexicons, cue_candidates, is_speaker
from .content import RuleContext
from .formats import layout_attributions
from .learned import model_found, predict_many
from .missed import mend_fragments, missed_according, missed_headline_cue, missed_noun, missed_speech
from .rules import LEXICON_RULES, according_to, name_colon, verb_cue
from .spans import Found, tok_end

PRONOUNS = {"he": "person", "she": "person", "it": "organisation", "they": "group"}

@lru_cache(maxsize=1)
def nested_speech_verbs() -> frozenset[str]:
    """Lemmas read as a nested cue whenever they govern a clause (``nested_speech_verbs.txt``)."""
    return read_wordlist("nested_speech_verbs.txt")


class AttributionExtractor:
    """Finds attributions in a parsed Doc; writes ``doc._.attributions`` and span groups."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        cue_lexicon: str = "default",
        learned_lexicon: str = "default",
        learned_min_count: int = 3,
        learned_min_ratio: float = 0.2,
        nouns: str = "default",
        verb_classes: str = "default",
        resolve_window: int = 2000,
        colon_paragraphs: int = 1,
        rule_filter: str = "default",
        rule_min_count: int = 5,
        rule_min_precision: float = 0.3,
        speaker_check: bool = True,
        model: str = "default",
    ) -> None:
        register_extensions()
        self.name = name
        #: "default" (the shipped model), a model folder, or "rules" (the rule system alone)
        self.model = model
        self.lexicons = CueLexicons.load(
            cue_lexicon=cue_lexicon,
            learned_lexicon=learned_lexicon,
            learned_min_count=learned_min_count,
            learned_min_ratio=learned_min_ratio,
            nouns=nouns,
            verb_classes=verb_classes,
            rule_filter=rule_filter,
            rule_min_count=rule_min_count,
            rule_min_precision=rule_min_precision,
        )
        self.nouns = self.lexicons.nouns
        self.speaker_check = speaker_check
        self.resolve_window = resolve_window
        self.colon_paragraphs = colon_paragraphs

    @property
    def cues(self) -> frozenset[str]:
        """Every cue lemma (core and learned)."""
        return self.lexicons.cues

    # ------------------------------------------------------------------ main

    def __call__(self, doc: Doc) -> Doc:
        return self._extract(doc, None)

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        """:meth:`__call__` of each doc; the learned model reads a batch of docs at once (the same results)."""
        for batch in minibatch(docs, size=batch_size):
            if self.model == "rules":
                yield from (self._extract(doc, None) for doc in batch)
                continue
            predicted = predict_many(batch, self.model)
            yield from (self._extract(doc, p) for doc, p in zip(batch, predicted, strict=True))

    def _extract(self, doc: Doc, predicted: list[AttributionCandidate] | None) -> Doc:
        if self.model == "rules":
            found = self._rules(doc)
        else:
            ctx = RuleContext(doc, self.lexicons, self.colon_paragraphs)  # one reading of quotes and paragraphs
            found = mend_fragments(ctx, model_found(doc, self.model, predicted))
            found = [*found, *self._colon_relays(ctx, found)]
            found, layout = layout_attributions(ctx.text, found)
            found = [*found, *layout]
            found = [*found, *self._nested_speech(ctx, found)]
            found = sorted([*found, *self._missed(ctx, found)], key=lambda f: (f.content[0], f.cue[0]))
        doc._.attributions = tuple(self._finish(doc, found, doc_text(doc)))
        self._span_groups(doc)
        return doc

    def _rules(self, doc: Doc) -> list[Found]:
        """The rule system: one rule per kind of cue token, then the two data-driven filters."""
        ctx = RuleContext(doc, self.lexicons, self.colon_paragraphs)
        found: list[Found] = []
        seen: set[tuple[int, int, int]] = set()
        foreign = foreign_test(doc)  # paragraphs not in English: no cues read there
        sentences = doc.has_annotation("SENT_START")
        for i in cue_candidates(doc, self.lexicons.cues):
            tok = doc[i]
            if foreign is not None and self._in_foreign(doc, i, sentences, foreign):
                continue
            result = self._rule(ctx, tok)
            if result is None or tuple(result.rule.split(":", 1)[::-1]) in self.lexicons.blocked:
                continue
            if (
                self.speaker_check
                and result.rule.startswith(LEXICON_RULES)
                and tok.lemma_.lower() not in self.lexicons.core_cues
                and not is_speaker(result.source_token, self.nouns)
            ):
                continue
            key = (result.content[0], result.content[1], result.cue[0])
            if key in seen or result.content[1] <= result.content[0]:
                continue
            seen.add(key)
            found.append(result)
        found.sort(key=lambda f: (min(f.content[0], f.cue[0], f.source[0] if f.source else f.cue[0]), f.cue[0]))
        return found

    def _colon_relays(self, ctx: RuleContext, found: list[Found]) -> list[Found]:
        """The rule's reading of "X reports: ..." / "X said: ..." where the model found no attribution with
        that cue: the cue classifier is least sure of a cue before a colon, and such a cue is how an
        article relays another outlet ("The Eastbridge Courier reports: A senior official ... said")."""
        doc = ctx.doc
        taken = IntervalIndex([f.cue for f in found], key=lambda c: (c[0], max(c[1], c[0] + 1)))
        foreign = foreign_test(doc)
        sentences = doc.has_annotation("SENT_START")
        out = []
        for i in cue_candidates(doc, self.lexicons.cues):
            tok = doc[i]
            if tok.text == ":" or i + 1 >= len(doc) or doc[i + 1].text != ":" or tok.pos_ != "VERB":
                continue
            if taken.covers(tok.idx):
                continue
            if foreign is not None and self._in_foreign(doc, i, sentences, foreign):
                continue
            result = verb_cue(ctx, tok)
            if result is not None and result.content[1] > result.content[0]:
                out.append(result)
        return out

    def _nested_speech(self, ctx: RuleContext, found: list[Found]) -> list[Found]:
        """The rule's reading of a speaker quoted inside another attribution's content ("Our intelligence
        confirmed by three independent Syrian sources says that ..." inside the ministry's quotation),
        where the model found no attribution with that cue: the cue classifier learned from PolNeAR that
        a verb inside a quotation is rarely a cue, and the relay chain needs the inner speaker.  Only a
        verb of ``nested_speech_verbs.txt`` with a noun subject and a clause of its own, read by the rule,
        whose content stays inside the outer content."""
        doc = ctx.doc
        speech = nested_speech_verbs()
        taken = {f.cue for f in found}
        seen: set[int] = set()
        out = []
        for outer in found:
            span = doc.char_span(outer.content[0], outer.content[1], alignment_mode="contract")
            for tok in span or ():
                if tok.i in seen or tok.pos_ != "VERB" or tok.lemma_.lower() not in speech:
                    continue
                seen.add(tok.i)
                if (tok.idx, tok_end(tok)) in taken or not any(ch.dep_ == "ccomp" for ch in tok.children):
                    continue
                subject = next((ch for ch in tok.children if ch.dep_ == "nsubj" and ch.pos_ in ("NOUN", "PROPN")), None)
                if subject is None:
                    continue
                result = verb_cue(ctx, tok)
                if result is None or not (outer.content[0] <= result.content[0] and result.content[1] <= outer.content[1]):
                    continue
                # the whole subject is the source: "confirmed by three ... sources" names whom it cites
                whole = (subject.left_edge.idx, tok_end(subject.right_edge))
                out.append(replace(result, source=whole, source_token=subject))
        return out

    def _missed(self, ctx: RuleContext, found: list[Found]) -> list[Found]:
        """The rules' reading of "according to X", of plain speech verbs and of speech nouns the model passed over
        (:mod:`.missed`), outside paragraphs marked as not English."""
        out = [*missed_according(ctx, found), *missed_speech(ctx, found, self.lexicons.core_cues), *missed_noun(ctx, found),
               *missed_headline_cue(ctx, found)]
        foreign = foreign_test(ctx.doc)
        if foreign is not None:
            out = [f for f in out if not foreign(f.cue[0], max(f.cue[1], f.cue[0] + 1))]
        return out

    @staticmethod
    def _rule(ctx: RuleContext, tok: Token) -> Found | None:
        """The rule for this kind of cue token."""
        doc = ctx.doc
        if tok.lower_ == "according":
            if tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
                return according_to(ctx, tok)
            return None
        if tok.text == ":":
            return name_colon(ctx, tok)
        if tok.dep_ not in ("amod", "compound"):
            return verb_cue(ctx, tok)
        return None

    @staticmethod
    def _in_foreign(doc: Doc, i: int, sentences: bool, foreign: Callable[[int, int], bool]) -> bool:
        """Whether token ``i``'s sentence lies in a paragraph marked as not English."""
        sent = doc[i].sent if sentences else doc[i : i + 1]
        last = sent.end - 1
        while last > sent.start and doc[last].is_space:
            last -= 1
        return bool(foreign(sent.start_char, tok_end(doc[last])))

    # ------------------------------------------------------------------ output

    def _mention_type(self, doc: Doc, start: int, end: int, head: Token | None, surnames: frozenset[str] = frozenset()) -> str | None:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return None
        for t in span:
            if t.ent_type_ == "PERSON":
                return "person"
        if len(span) == 1 and span[0].pos_ == "PROPN" and span[0].text in surnames:
            return "person"  # "Okoro said" after "Dana Okoro": the parser may not tag the surname alone
        if head is not None:
            noun = self.nouns.get(head.lemma_.lower()) or self.nouns.get(head.lower_)
            if noun:
                return noun
        for t in span:
            if t.ent_type_ in ("ORG", "GPE", "NORP"):
                return "organisation"
        if head is not None and head.pos_ in ("NOUN", "PROPN"):
            return "thing"
        return None

    def _finish(self, doc: Doc, found: list[Found], text: str) -> list[Attribution]:
        # Named (non-pronoun) sources, by position, for pronoun resolution.
        named: list[tuple[int, int, int, str]] = []
        surnames = frozenset(e[-1].text for e in doc.ents if e.label_ == "PERSON" and len(e) > 1)
        for f in found:
            if f.source is None or f.source_token is None:
                continue
            if f.source_token.lower_ in PRONOUNS or f.source_token.pos_ == "PRON":
                continue
            kind = self._mention_type(doc, f.source[0], f.source[1], f.source_token, surnames)
            if kind:
                named.append((f.source[0], f.source[1], 0, kind))
        named.sort()
        named_starts = [n[0] for n in named]
        ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in ("PERSON", "ORG", "GPE", "NORP")]
        ent_starts = [e[0] for e in ents]
        out: list[Attribution] = []
        for n, f in enumerate(found, start=1):
            resolved = f.resolved
            if resolved is None and f.source_token is not None and f.source is not None and f.source_token.lower_ in PRONOUNS:
                resolved = self._resolve(f.source_token, named, named_starts, ents, ent_starts)
            out.append(
                Attribution(
                    id=f"a{n}",
                    kind=f.kind,
                    content=Span.of(text, *f.content),
                    source=Span.of(text, *f.source) if f.source else None,
                    cue=Span.of(text, *f.cue),
                    resolved_source=Span.of(text, *resolved) if resolved else None,
                    rule=f.rule,
                    content_pieces=tuple(Span.of(text, *p) for p in f.pieces),
                )
            )
        return out

    def _resolve(self, pronoun: Token, named: list[tuple[int, int, int, str]], named_starts: list[int],
                 ents: list[tuple[int, int, str]], ent_starts: list[int]) -> tuple[int, int] | None:
        want = PRONOUNS[pronoun.lower_]
        pos = pronoun.idx
        floor = pos - self.resolve_window

        def fits(kind: str) -> bool:
            if want == "person":
                return kind == "person"
            if want == "organisation":
                return kind in ("organisation", "thing")
            return kind in ("organisation", "person", "thing", "group")

        # "They" after "a boy ... as well as medical staff ... testified": the group, unless a fitting named source is nearer
        group = group_antecedent(pronoun, self.cues, self.nouns) if want == "group" else None
        i = bisect.bisect_left(named_starts, pos) - 1
        while i >= 0 and named[i][0] >= floor:
            if group is not None and named[i][0] < group[0]:
                return group
            if fits(named[i][3]):
                return named[i][0], named[i][1]
            i -= 1
        if group is not None:
            return group
        labels = {"person": ("PERSON",), "organisation": ("ORG", "GPE", "NORP")}.get(want, ("ORG", "NORP", "PERSON"))
        i = bisect.bisect_left(ent_starts, pos) - 1
        while i >= 0 and ents[i][0] >= floor:
            if ents[i][2] in labels:
                return ents[i][0], ents[i][1]
            i -= 1
        return None

    def _span_groups(self, doc: Doc) -> None:
        """Span groups aligned with ``doc._.attributions`` (``attrs["attribution_ids"]``
        names the attribution of each span; cue/source groups skip absent ones)."""
        groups: dict[str, tuple[list[SpacySpan], list[str]]] = {"content": ([], []), "cue": ([], []), "source": ([], [])}
        for att in doc._.attributions:
            for key in groups:
                span = getattr(att, key)
                if span is None:
                    continue
                sp = char_span(doc, span.start, span.end, label=att.kind)
                if sp is None:
                    continue
                groups[key][0].append(sp)
                groups[key][1].append(att.id)
        for key, (spans, ids) in groups.items():
            doc.spans[SPAN_KEYS[key]] = spans
            doc.spans[SPAN_KEYS[key]].attrs["attribution_ids"] = ids


@Language.factory(
    "newsaudit_attribution",
    default_config={
        "cue_lexicon": "default",
        "learned_lexicon": "default",
        "learned_min_count": 3,
        "learned_min_ratio": 0.2,
        "nouns": "default",
        "verb_classes": "default",
        "resolve_window": 2000,
        "colon_paragraphs": 1,
        "rule_filter": "default",
        "rule_min_count": 5,
        "rule_min_precision": 0.3,
        "speaker_check": True,
        "model": "default",
    },
    requires=["token.dep", "token.head", "token.lemma", "token.tag", "token.ent_type", "doc.sents"],
    assigns=["doc._.attributions", "doc.spans"],
)
def make_attribution(
    nlp: Language,
    name: str,
    cue_lexicon: str,
    learned_lexicon: str,
    learned_min_count: int,
    learned_min_ratio: float,
    nouns: str,
    verb_classes: str,
    resolve_window: int,
    colon_paragraphs: int,
    rule_filter: str,
    rule_min_count: int,
    rule_min_precision: float,
    speaker_check: bool,
    model: str,
) -> AttributionExtractor:
    """Attribution extractor.

    Path options take "default" (the file bundled in newsaudit/data/lexicons),
    "" (none, where optional) or a file path.

    cue_lexicon: file of cue verb lemmas (one a line).
    learned_lexicon: table of cue lemmas learned from PolNeAR train
        (``lemma<TAB>cue_count<TAB>total<TAB>ratio``); "" to disable.
    learned_min_count / learned_min_ratio: keep learned lemmas seen as a cue at
        least this often and at least this share of the time.
    nouns: head nouns with a type (person/organisation) for pronoun resolution.
    verb_classes: verb lemma -> class (addressee: the object is the person
        addressed, "told him that"; target: the content follows a preposition,
        "accused X of ...").
    resolve_window: how many characters back a pronoun speaker may be resolved.
    colon_paragraphs: paragraphs taken as content after a paragraph-final ``X reports:``.
    rule_filter: table of (cue lemma, rule) precisions measured on PolNeAR train;
        "" to disable.  Pairs seen at least ``rule_min_count`` times with a
        precision below ``rule_min_precision`` are not reported.
    speaker_check: for cue verbs only the learned lexicon lists ("show",
        "support", ...), require a speaker-like subject (a person, group or
        organisation); false keeps them all (higher PolNeAR recall, lower precision).
    model: "default" (the shipped attribution model, newsaudit/data/attribution/model), a model folder
        (written by ``newsaudit train attribution``), or "rules" (the rule system above, without the
        model).  With a model, the cue/content/source spans are the model's after the precision rules
        (:mod:`.precision`); the lexicon options then serve only pronoun resolution.
    """
    return AttributionExtractor(
        nlp,
        name,
        cue_lexicon=cue_lexicon,
        learned_lexicon=learned_lexicon,
        learned_min_count=learned_min_count,
        learned_min_ratio=learned_min_ratio,
        nouns=nouns,
        verb_classes=verb_classes,
        resolve_window=resolve_window,
        colon_paragraphs=colon_paragraphs,
        rule_filter=rule_filter,
        rule_min_count=rule_min_count,
        rule_min_precision=rule_min_precision,
        speaker_check=speaker_check,
        model=model,
    )
