"""newsaudit_attribution: who says what.

A rule-based, doc-level attribution extractor over spaCy's dependency parse.

1. Quote marks (“ ” " ‘ ’ « ») are paired once per doc into quote spans
   (:func:`newsaudit.text.quotes.quotations`), across sentences and paragraphs.  Odd or unbalanced
   quote marks never raise and never drop text: an unclosed quote ends at its
   paragraph's end, unless the next paragraph opens with a quote mark (the
   newspaper convention for a quotation that runs over several paragraphs).
2. Cues are verbs whose lemma is in the cue lexicon (a hand-written list plus an
   optional list learned from PolNeAR train), ``according to`` and colons after
   a reporting verb (``Rt.com reports: ...``).
3. For each cue the source is its subject (``nsubj``; the ``by`` agent of a
   passive; the noun a ``who said`` relative clause hangs on), and the content
   is, in order of preference: what follows a colon (rest of the paragraph, or
   the next paragraph); an adjacent quotation (before and/or after the
   source+cue clause); the clausal complement; the clause the cue is inserted
   in (``The plan, the military said, is ...``); the direct object.
4. ``kind`` is ``direct`` when quote marks cover the content, ``mixed`` when
   they cover part of it, ``indirect`` otherwise.
5. Pronoun sources (he/she/it/they) are resolved to the nearest earlier
   compatible named source, else the nearest earlier compatible entity.
6. Two data-driven filters, both measured on PolNeAR train (files under
   ``newsaudit/data/lexicons/``, rebuilt with ``newsaudit eval build-cues`` and
   ``newsaudit eval build-rules``): (cue lemma, rule) pairs with a low precision
   are dropped, and cue verbs only the learned lexicon lists need a
   speaker-like subject (person, group, organisation).

``rule`` on each :class:`Attribution` is ``RULE:LEMMA``, e.g. ``quote-cue:say``
(“...,” X said), ``cue-quote:say`` (X said, “...”), ``quote-cue-quote:say``,
``clause-cue``, ``colon-quote``, ``colon-paragraph``, ``colon-next-paragraph``,
``complement``, ``inverted`` (..., X said), ``parenthetical`` (A, X said, B),
``xcomp``, ``object``, ``target-prep`` (accused X of ...), ``prep-object``,
``according-to:according``.

Everything is linear in the number of tokens (plus ``log n`` look-ups), so it
costs little next to the parse itself.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy
from spacy.attrs import LEMMA, LOWER, POS
from spacy.language import Language
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc
from spacy.tokens import Token

from ..errors import ModelError
from ..extensions import SPAN_KEYS, foreign_test, register_extensions
from ..lexicons import LEXICON_DIR, read_lines
from ..text.paragraphs import paragraph_bounds
from ..text.quotes import QUOTE_CHARS, SINGLE_OPEN, opens_quote, quotations
from ..text.spans import char_span
from ..types import DIRECT, INDIRECT, MIXED, Attribution, Span

VERB_ID = POS_IDS["VERB"]
DEFAULT_CUE_LEXICON = str(LEXICON_DIR / "cue_verbs.txt")
DEFAULT_LEARNED_LEXICON = str(LEXICON_DIR / "cue_learned_polnear.tsv")
DEFAULT_NOUNS = str(LEXICON_DIR / "attribution_nouns.tsv")
DEFAULT_VERB_CLASSES = str(LEXICON_DIR / "attribution_verb_classes.tsv")
DEFAULT_RULE_FILTER = str(LEXICON_DIR / "attribution_rules_polnear.tsv")

EDGE_PUNCT = " \t\r\n,;:.—–-"
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
CONTENT_DEPS = ("ccomp", "xcomp", "csubj")
RELATIVE_PRONOUNS = {"who", "that", "which", "whom"}
PRONOUNS = {"he": "person", "she": "person", "it": "organisation", "they": "group"}
#: Rules fired by a cue verb (not by "according to" or a colon).
LEXICON_RULES = ("quote-cue", "cue-quote", "clause-cue", "colon-", "complement", "inverted", "parenthetical", "xcomp", "object", "target-prep", "prep-object")
#: Prepositions whose object can be the content ("spoke about X", "called for X").
CONTENT_PREPS = ("about", "of", "for", "on", "to", "over", "against", "with")


def _data_path(value: str, default: str) -> str:
    """"default" -> the bundled file; "" -> none; anything else is a path."""
    return default if value == "default" else value


def read_lexicon(path: str | Path) -> list[str]:
    """Non-comment, non-empty lines of a lexicon file (:func:`newsaudit.lexicons.read_lines`)."""
    try:
        return read_lines(path)
    except OSError as exc:
        raise ModelError(f"cannot read attribution lexicon {path}: {exc}") from exc


def _numeric_rows(path: str | Path, width: int, columns: tuple[int, ...]) -> Iterator[tuple[list[str], tuple[float, ...]]]:
    """Rows of a learned table with at least ``width`` cells whose ``columns`` parse as numbers
    (the header row and malformed rows are skipped)."""
    for line in read_lexicon(path):
        parts = line.split("\t")
        if len(parts) < width or parts[0] == "lemma":
            continue
        try:
            yield parts, tuple(float(parts[c]) for c in columns)
        except ValueError:
            continue


def read_rule_filter(path: str | Path, min_count: int, min_precision: float) -> set[tuple[str, str]]:
    """(lemma, rule) pairs to drop: seen at least ``min_count`` times on PolNeAR
    train with a precision below ``min_precision``
    (table ``lemma<TAB>rule<TAB>matched<TAB>predicted<TAB>precision``)."""
    if not path:
        return set()
    return {
        (parts[0], parts[1])
        for parts, (n, precision) in _numeric_rows(path, 5, (3, 4))
        if n >= min_count and precision < min_precision
    }


def read_learned(path: str | Path, min_count: int, min_ratio: float) -> set[str]:
    """Lemmas from a learned cue table (``lemma<TAB>cue_count<TAB>total<TAB>ratio``)."""
    if not path:
        return set()
    return {parts[0] for parts, (count, ratio) in _numeric_rows(path, 4, (1, 3)) if count >= min_count and ratio >= min_ratio}


# --------------------------------------------------------------------------- quotes


# --------------------------------------------------------------------------- helpers


@dataclass
class _Found:
    kind: str
    content: tuple[int, int]
    source: tuple[int, int] | None
    cue: tuple[int, int]
    rule: str
    source_token: Token | None = None


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip whitespace and edge punctuation (keeping quote marks and balanced brackets)."""
    while start < end and text[start] in EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in EDGE_PUNCT:
        end -= 1
    return start, end


def _tok_end(tok: Token) -> int:
    return tok.idx + len(tok.text)


def _phrase(tok: Token, exclude: tuple[str, ...] = ("relcl", "acl", "punct")) -> tuple[int, int]:
    """Char extent of ``tok``'s subtree, cut before a relative clause or trailing punctuation."""
    left = tok.left_edge
    right = tok.right_edge
    for child in tok.rights:
        if child.dep_ in exclude:
            right = child.left_edge.nbor(-1) if child.left_edge.i > tok.i else tok
            break
    # Never cross the edges of the sentence.
    if right.i < tok.i:
        right = tok
    start, end = left.idx, _tok_end(right)
    return start, end


class QuoteIndex:
    """Quote spans of one doc with fast look-ups."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = quotations(text)
        self.starts = [s for s, _ in self.spans]
        self.ends = sorted(e for _, e in self.spans)
        self.by_end = sorted(self.spans, key=lambda q: q[1])

    def starting_at(self, pos: int) -> tuple[int, int] | None:
        i = bisect.bisect_left(self.starts, pos)
        if i < len(self.spans) and self.spans[i][0] == pos:
            return self.spans[i]
        return None

    def ending_before(self, pos: int) -> tuple[int, int] | None:
        """The quote that ends at or before ``pos`` with only spaces/commas between."""
        i = bisect.bisect_right(self.ends, pos) - 1
        if i < 0:
            return None
        q = self.by_end[i]
        gap = self.text[q[1] : pos]
        if gap.strip(" ,—–-\t") == "" and "\n" not in gap:
            return q
        return None

    def coverage(self, start: int, end: int) -> float:
        """Fraction of [start, end) inside quote marks (quote spans never overlap)."""
        if end <= start:
            return 0.0
        covered = 0
        j = bisect.bisect_left(self.starts, end) - 1
        while j >= 0 and self.spans[j][1] > start:
            qs, qe = self.spans[j]
            covered += max(0, min(end, qe) - max(start, qs))
            j -= 1
        return min(1.0, covered / (end - start))

    def containing(self, start: int, end: int) -> tuple[int, int] | None:
        """The quote that contains [start, end), if any."""
        i = bisect.bisect_right(self.starts, start) - 1
        if i >= 0 and self.spans[i][0] <= start and end <= self.spans[i][1]:
            return self.spans[i]
        return None


# --------------------------------------------------------------------------- component


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
    ) -> None:
        register_extensions()
        self.name = name
        cue_lexicon = _data_path(cue_lexicon, DEFAULT_CUE_LEXICON)
        learned_lexicon = _data_path(learned_lexicon, DEFAULT_LEARNED_LEXICON)
        nouns = _data_path(nouns, DEFAULT_NOUNS)
        rule_filter = _data_path(rule_filter, DEFAULT_RULE_FILTER)
        verb_classes = _data_path(verb_classes, DEFAULT_VERB_CLASSES)
        self.core_cues: set[str] = {w.lower() for w in read_lexicon(cue_lexicon)} if cue_lexicon else set()
        self.cues = self.core_cues | read_learned(learned_lexicon, learned_min_count, learned_min_ratio)
        self.speaker_check = speaker_check
        self.nouns: dict[str, str] = {}
        for line in read_lexicon(nouns) if nouns else ():
            parts = line.split("\t")
            if len(parts) >= 2:
                self.nouns[parts[0].strip().lower()] = parts[1].strip()
        self.verb_classes: dict[str, str] = {}
        for line in read_lexicon(verb_classes) if verb_classes else ():
            parts = line.split("\t")
            if len(parts) >= 2:
                self.verb_classes[parts[0].strip()] = parts[1].strip()
        self.resolve_window = resolve_window
        self.blocked = read_rule_filter(rule_filter, rule_min_count, rule_min_precision)
        self.colon_paragraphs = colon_paragraphs

    # ------------------------------------------------------------------ main

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        quotes = QuoteIndex(text)
        paragraphs = paragraph_bounds(text)
        p_starts = [p[0] for p in paragraphs]
        found: list[_Found] = []
        seen: set[tuple[int, int, int]] = set()
        # Only candidate tokens become Token objects: a column scan finds them.
        strings = doc.vocab.strings
        cue_hashes = numpy.array(sorted(strings.add(c) for c in self.cues), dtype="uint64")
        according = strings.add("according")
        colon = strings.add(":")
        cols = doc.to_array([POS, LEMMA, LOWER])
        is_cue = (cols[:, 0] == VERB_ID) & numpy.isin(cols[:, 1], cue_hashes)
        is_cue |= (cols[:, 2] == according) | (cols[:, 2] == colon)
        foreign = foreign_test(doc)  # paragraphs not in English: no cues read there
        sentences = doc.has_annotation("SENT_START")
        for i in numpy.flatnonzero(is_cue).tolist():
            tok = doc[i]
            if foreign is not None:
                sent = tok.sent if sentences else doc[i : i + 1]
                last = sent.end - 1
                while last > sent.start and doc[last].is_space:
                    last -= 1
                if foreign(sent.start_char, _tok_end(doc[last])):
                    continue
            result = None
            if tok.lower_ == "according":
                if i + 1 < len(doc) and doc[i + 1].lower_ == "to":
                    result = self._according(doc, tok, quotes, text)
            elif tok.text == ":":
                result = self._name_colon(doc, tok, quotes, paragraphs, p_starts, text)
            elif tok.dep_ not in ("amod", "compound"):
                result = self._verb(doc, tok, quotes, paragraphs, p_starts, text)
            if result is None or self.blocked and tuple(result.rule.split(":", 1)[::-1]) in self.blocked:
                continue
            if self.speaker_check and result.rule.startswith(LEXICON_RULES) and tok.lemma_.lower() not in self.core_cues and not self._speaker(result.source_token):
                continue
            key = (result.content[0], result.content[1], result.cue[0])
            if key in seen or result.content[1] <= result.content[0]:
                continue
            seen.add(key)
            found.append(result)
        found.sort(key=lambda f: (min(f.content[0], f.cue[0], f.source[0] if f.source else f.cue[0]), f.cue[0]))
        doc._.attributions = tuple(self._finish(doc, found, text))
        self._span_groups(doc)
        return doc

    # ------------------------------------------------------------------ rules

    def _kind(self, quotes: QuoteIndex, start: int, end: int) -> str:
        cover = quotes.coverage(start, end)
        if cover >= 0.9:
            return DIRECT
        if cover > 0.0:
            return MIXED
        return INDIRECT

    def _according(self, doc: Doc, tok: Token, quotes: QuoteIndex, text: str) -> _Found | None:
        to = doc[tok.i + 1]
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            if to.i + 1 >= len(doc):
                return None
            pobj = doc[to.i + 1]
        source = _phrase(pobj)
        phrase_start, phrase_end = tok.idx, max(source[1], _tok_end(to))
        sent = tok.sent
        before = _trim(text, sent.start_char, phrase_start)
        after = _trim(text, phrase_end, sent.end_char)
        if before[1] - before[0] < 3:
            content = after
        elif after[1] - after[0] < 3:
            content = before
        else:
            content = (before[0], after[1])
        content = self._widen_quote(quotes, *content)
        if content[1] - content[0] < 2:
            return None
        kind = self._kind(quotes, *content)
        return _Found(kind, content, source, (tok.idx, _tok_end(to)), "according-to:according", pobj)

    def _widen_quote(self, quotes: QuoteIndex, start: int, end: int) -> tuple[int, int]:
        """Widen a content span that sits inside a quotation to the whole quotation
        when it covers most of it (e.g. the parser's clause lacks the quote marks)."""
        q = quotes.containing(start, end)
        if q is not None and (end - start) >= 0.6 * (q[1] - q[0]):
            return q
        # Content starting with an opening quote that closes just after it.
        q = quotes.containing(end - 1, end)
        if q is not None and q[0] >= start - 2 and end < q[1] and q[1] - end <= 3:
            start, end = min(start, q[0]), q[1]
        q = quotes.containing(start, start + 1)
        if q is not None and start - q[0] <= 2 and q[1] <= end + 3:
            start, end = q[0], max(end, q[1])
        return (start, end)

    def _next_quote(self, doc: Doc, tok: Token, quotes: QuoteIndex, text: str) -> tuple[int, int] | None:
        """A quotation that opens right after the sentence of ``“...,” X said.``
        in the same paragraph and closes its own sentence (the same speaker
        goes on; ``“...,” she replied`` would be somebody else's)."""
        j = tok.i + 1
        limit = min(len(doc), tok.i + 40)
        while j < limit and doc[j].text not in (".", "!", "?") and "\n" not in doc[j].text:
            if doc[j].text[:1] in QUOTE_CHARS:
                return None
            j += 1
        if j >= limit or doc[j].text not in (".", "!", "?"):
            return None
        k = _tok_end(doc[j])
        while k < len(text) and text[k] in " \t":
            k += 1
        if opens_quote(text, k):
            q = quotes.starting_at(k)
            if q is not None:
                inner = text[q[0] : q[1]].rstrip("”»\"' ")
                if inner[-1:] in (".", "!", "?") or q[1] >= len(text) or text[q[1] : q[1] + 1] == "\n":
                    return q
        return None

    def _name_colon(
        self,
        doc: Doc,
        tok: Token,
        quotes: QuoteIndex,
        paragraphs: list[tuple[int, int]],
        p_starts: list[int],
        text: str,
    ) -> _Found | None:
        """``NAME: content`` at the start of a paragraph (headlines, transcripts)."""
        p = bisect.bisect_right(p_starts, tok.idx) - 1
        if p < 0:
            return None
        p_start, p_end = paragraphs[p]
        if tok.idx - p_start > 60:
            return None
        names = 0
        j = tok.i - 1
        while j >= 0 and doc[j].idx >= p_start:
            t = doc[j]
            if t.pos_ in ("VERB", "AUX") or "\n" in t.text:
                return None
            if t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
                names += 1
            j -= 1
        first = j + 1
        if names == 0 or first >= tok.i or tok.i - first > 6:
            return None
        content = _trim_keep_quotes(text, _tok_end(tok), p_end)
        if content[1] - content[0] < 10:
            return None
        source = _trim(text, doc[first].idx, tok.idx)
        if text[source[0] : source[0] + 1] in QUOTE_CHARS:
            source = (source[0] + 1, source[1])
        return _Found(self._kind(quotes, *content), content, source, (tok.idx, _tok_end(tok)), "name-colon:colon", doc[tok.i - 1])

    def _speaker(self, tok: Token | None) -> bool:
        """Whether ``tok`` can head a speaker: a person, group or organisation
        (entity, proper noun, personal pronoun or a known source noun)."""
        if tok is None:
            return False
        if tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or tok.pos_ == "PROPN":
            return True
        if tok.lower_ in ("i", "we", "you", "he", "she", "they", "it"):
            return True
        return tok.lemma_.lower() in self.nouns

    def _prep_object(self, tok: Token, text: str) -> tuple[int, int] | None:
        """The object of the first content preposition after ``tok`` ("spoke about X")."""
        for prep in tok.rights:
            if prep.dep_ == "prep" and prep.lower_ in CONTENT_PREPS:
                obj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
                if obj is not None:
                    return _trim(text, obj.left_edge.idx, _tok_end(obj.right_edge))
        return None

    def _quote_leads(self, text: str, quote: tuple[int, int], tok: Token) -> bool:
        """Whether a quotation just before the source+cue clause is its content:
        yes for ``“...,” he said`` and ``“...?” she asked``; no when the quote
        closed its own sentence (``.”``) and the cue has its own complement."""
        inner = text[quote[0] : quote[1]].rstrip("”»\"’' ")
        last = inner[-1:] if inner else ""
        if last in ",—–-":
            return True
        has_comp = any(c.dep_ in ("ccomp", "dobj") and c.i > tok.i for c in tok.children)
        return not has_comp

    def _source(self, tok: Token) -> tuple[tuple[int, int] | None, Token | None]:
        """The source phrase of cue verb ``tok`` and its head token."""
        subj = None
        passive = False
        for child in tok.children:
            if child.dep_ in SUBJECT_DEPS:
                subj = child
                passive = child.dep_ == "nsubjpass"
                break
        if passive or subj is None:
            agent = next((c for c in tok.children if c.dep_ == "agent"), None)
            if agent is not None:
                pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return _phrase(pobj), pobj
            if passive:
                return None, None
        if subj is None:
            # Borrow the subject of the governing verb: "..., saying that ...",
            # "X declined to comment and said ...".
            if tok.dep_ in ("advcl", "xcomp", "conj") and tok.head is not tok:
                return self._source_shallow(tok.head)
            return None, None
        if subj.lower_ in RELATIVE_PRONOUNS and tok.dep_ == "relcl":
            head = tok.head
            return _phrase(head), head
        return _phrase(subj), subj

    def _source_shallow(self, verb: Token) -> tuple[tuple[int, int] | None, Token | None]:
        for child in verb.children:
            if child.dep_ == "nsubj":
                if child.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                    return _phrase(verb.head), verb.head
                return _phrase(child), child
        return None, None

    def _verb(
        self,
        doc: Doc,
        tok: Token,
        quotes: QuoteIndex,
        paragraphs: list[tuple[int, int]],
        p_starts: list[int],
        text: str,
    ) -> _Found | None:
        lemma = tok.lemma_.lower()
        source, source_tok = self._source(tok)
        cue = (tok.idx, _tok_end(tok))
        content: tuple[int, int] | None = None
        rule = ""
        # a. colon / b. quotation right after the cue ("said in a statement: “...”").
        after_quote = None
        colon_at = None
        j = tok.i + 1
        limit = min(len(doc), tok.i + 8)
        while j < limit:
            t = doc[j]
            if t.text == ":":
                colon_at = t
                break
            if opens_quote(t.text, 0) or t.text[:1] == SINGLE_OPEN:
                after_quote = quotes.starting_at(t.idx)
                break
            if t.pos_ in ("VERB", "AUX") or t.is_sent_end and t.text in ".!?" or "\n" in t.text:
                break
            if t.dep_ in CONTENT_DEPS or t.dep_ in ("mark", "nsubj", "nsubjpass", "attr", "acomp"):
                break
            if t.dep_ == "dobj" and self.verb_classes.get(lemma) != "addressee":
                break
            j += 1
        if colon_at is not None:
            start = _tok_end(colon_at)
            i = bisect.bisect_right(p_starts, colon_at.idx) - 1
            p_end = paragraphs[i][1] if i >= 0 else len(text)
            q = None
            k = start
            while k < len(text) and text[k].isspace():
                k += 1
            if opens_quote(text, k):
                q = quotes.starting_at(k)
            if q is not None:
                content, rule = q, "colon-quote"
            elif text[start:p_end].strip():
                content, rule = (start, p_end), "colon-paragraph"
            elif i + 1 < len(paragraphs):
                last = min(len(paragraphs), i + 1 + self.colon_paragraphs) - 1
                content, rule = (paragraphs[i + 1][0], paragraphs[last][1]), "colon-next-paragraph"
                q = quotes.starting_at(paragraphs[i + 1][0])
                if q is not None and q[1] > content[1]:
                    content = (content[0], q[1])
        if content is None:
            own_subject = source_tok is not None and (source_tok.head.i == tok.i or tok.dep_ == "relcl")
            clause_start = min(tok.idx, source[0]) if source and own_subject else tok.idx
            before_quote = quotes.ending_before(clause_start)
            lead = _sentence_lead(text, before_quote[0]) if before_quote is not None else None
            if before_quote is not None and lead is not None and lead < before_quote[0]:
                # A quote inside a clause ("The planned “provocation,” the military
                # said, ..."): the clause, not just the quoted words, is the content.
                if tok.dep_ != "parataxis":
                    content, rule = (lead, before_quote[1]), "clause-cue"
            elif before_quote is not None and self._quote_leads(text, before_quote, tok):
                if after_quote is None:
                    after_quote = self._next_quote(doc, tok, quotes, text)
                if after_quote is not None:
                    content, rule = (before_quote[0], after_quote[1]), "quote-cue-quote"
                else:
                    content, rule = before_quote, "quote-cue"
            elif after_quote is not None:
                content, rule = after_quote, "cue-quote"
        if content is None:
            skip = source_tok.i if source_tok is not None else -1
            comps = [c for c in tok.children if c.dep_ in CONTENT_DEPS and c.i != skip]
            # A complement after the cue wins over one before it.
            comp = next((c for c in comps if c.i > tok.i), comps[0] if comps else None)
            if comp is not None:
                start, end = comp.left_edge.idx, _tok_end(comp.right_edge)
                content = _trim(text, start, end)
                rule = "inverted" if comp.i < tok.i else ("complement" if comp.dep_ != "xcomp" else "xcomp")
        if content is None and tok.dep_ == "parataxis" and tok.head is not tok:
            head = tok.head
            start, end = head.left_edge.idx, _tok_end(head.right_edge)
            own_start, own_end = tok.left_edge.idx, _tok_end(tok.right_edge)
            if own_start <= start:
                start = own_end
            elif own_end >= end:
                end = own_start
            content = _trim(text, start, end)
            rule = "parenthetical"
        vclass = self.verb_classes.get(lemma)
        if content is None and vclass == "target":
            content = self._prep_object(tok, text)
            rule = "target-prep" if content else rule
        if content is None and vclass != "addressee":
            obj = next((c for c in tok.children if c.dep_ in ("dobj",)), None)
            if obj is not None and obj.i > tok.i:
                end = _tok_end(obj.right_edge)
                for child in tok.rights:
                    if child.i > obj.i and child.dep_ in ("prep", "oprd", "advmod", "npadvmod", "xcomp", "ccomp", "acomp"):
                        end = max(end, _tok_end(child.right_edge))
                content = _trim(text, obj.left_edge.idx, end)
                rule = "object"
        if content is None:
            content = self._prep_object(tok, text)
            rule = "prep-object" if content else rule
        if content is None:
            return None
        content = _trim_keep_quotes(text, *content)
        if not rule.startswith(("quote", "cue-quote", "colon")):
            wide = self._widen_quote(quotes, *content)
            if not wide[0] <= cue[0] < wide[1]:
                content = wide
        if content[1] <= content[0]:
            return None
        # The content must not swallow the cue itself (parser oddities).
        if content[0] <= cue[0] < content[1] and rule not in ("quote-cue-quote", "parenthetical"):
            return None
        # "“A,” he said. “B.”": both parts are quoted; the cue clause between is not content.
        kind = DIRECT if rule == "quote-cue-quote" else self._kind(quotes, *content)
        return _Found(kind, content, source, cue, f"{rule}:{tok.lemma_.lower()}", source_tok)

    # ------------------------------------------------------------------ output

    def _mention_type(self, doc: Doc, start: int, end: int, head: Token | None) -> str | None:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return None
        for t in span:
            if t.ent_type_ == "PERSON":
                return "person"
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

    def _finish(self, doc: Doc, found: list[_Found], text: str) -> list[Attribution]:
        # Named (non-pronoun) sources, by position, for pronoun resolution.
        named: list[tuple[int, int, int, str]] = []
        for f in found:
            if f.source is None or f.source_token is None:
                continue
            if f.source_token.lower_ in PRONOUNS or f.source_token.pos_ == "PRON":
                continue
            kind = self._mention_type(doc, f.source[0], f.source[1], f.source_token)
            if kind:
                named.append((f.source[0], f.source[1], 0, kind))
        named.sort()
        named_starts = [n[0] for n in named]
        ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in ("PERSON", "ORG", "GPE", "NORP")]
        ent_starts = [e[0] for e in ents]
        out = []
        for n, f in enumerate(found, start=1):
            resolved = None
            if f.source_token is not None and f.source is not None and f.source_token.lower_ in PRONOUNS:
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
                )
            )
        return out

    def _resolve(self, pronoun, named, named_starts, ents, ent_starts) -> tuple[int, int] | None:
        want = PRONOUNS[pronoun.lower_]
        pos = pronoun.idx
        floor = pos - self.resolve_window

        def fits(kind: str) -> bool:
            if want == "person":
                return kind == "person"
            if want == "organisation":
                return kind in ("organisation", "thing")
            return kind in ("organisation", "person", "thing", "group")

        i = bisect.bisect_left(named_starts, pos) - 1
        while i >= 0 and named[i][0] >= floor:
            if fits(named[i][3]):
                return named[i][0], named[i][1]
            i -= 1
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
        groups = {"content": ([], []), "cue": ([], []), "source": ([], [])}
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


def _sentence_lead(text: str, pos: int, limit: int = 600) -> int:
    """Start of the sentence-ish stretch that ends at ``pos`` (after . ! ? : or a newline)."""
    floor = max(0, pos - limit)
    i = pos
    while i > floor:
        ch = text[i - 1]
        if ch == "\n" or (ch in ".!?:" and i < len(text) and text[i].isspace()):
            break
        i -= 1
    while i < pos and text[i].isspace():
        i += 1
    return i


_TRAILING_WORDS = (" as well as", " and", " or", " but")


def _trim_keep_quotes(text: str, start: int, end: int) -> tuple[int, int]:
    start, end = _trim(text, start, end)
    for word in _TRAILING_WORDS:
        if end - start > len(word) and text.endswith(word, start, end):
            end -= len(word)
            start, end = _trim(text, start, end)
            break
    # A lone closing quote mark at the start / opening mark at the end is noise.
    while start < end and text[start] in "”»’":
        start += 1
    while end > start and text[end - 1] in "“«‘":
        end -= 1
    return _trim(text, start, end)


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
    },
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
    )
