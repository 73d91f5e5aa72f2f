"""newsaudit_attribution: who says what.

A rule-based, doc-level attribution extractor over spaCy's dependency parse.

1. Quote marks (“ ” " ‘ ’ « ») are paired once per doc into quote spans
   (:func:`find_quotes`), across sentences and paragraphs.  Odd or unbalanced
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

Everything is linear in the number of tokens (plus ``log n`` look-ups), so it
costs little next to the parse itself.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path

import numpy
from spacy.attrs import LEMMA, LOWER, POS
from spacy.language import Language
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc
from spacy.tokens import Token

from ..errors import ModelError
from ..extensions import SPAN_KEYS, register_extensions
from ..spans import char_span
from ..types import DIRECT, INDIRECT, MIXED, Attribution, Span

VERB_ID = POS_IDS["VERB"]
LEXICON_DIR = Path(__file__).resolve().parent.parent / "data" / "lexicons"
DEFAULT_CUE_LEXICON = str(LEXICON_DIR / "cue_verbs.txt")
DEFAULT_LEARNED_LEXICON = str(LEXICON_DIR / "cue_learned_polnear.tsv")
DEFAULT_NOUNS = str(LEXICON_DIR / "attribution_nouns.tsv")

OPENERS = {"“": "”", "«": "»", "‘": "’", '"': '"', "„": "“"}
DOUBLE_OPEN = "“«„"
DOUBLE_CLOSE = "”»"
QUOTE_CHARS = set("“”«»‘’\"„")
EDGE_PUNCT = " \t\r\n,;:.—–-"
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
CONTENT_DEPS = ("ccomp", "xcomp", "csubj")
RELATIVE_PRONOUNS = {"who", "that", "which", "whom"}
PRONOUNS = {"he": "person", "she": "person", "it": "organisation", "they": "group"}
#: Verbs whose direct object is the addressee, not the content.
ADDRESSEE_VERBS = {"tell", "ask", "inform", "warn", "assure", "advise", "urge", "instruct", "remind"}


def read_lexicon(path: str | Path) -> list[str]:
    """Non-comment, non-empty lines of a lexicon file (first column when tab-separated)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ModelError(f"cannot read attribution lexicon {path}: {exc}") from exc
    out = []
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def read_learned(path: str | Path, min_count: int, min_ratio: float) -> set[str]:
    """Lemmas from a learned cue table (``lemma<TAB>cue_count<TAB>total<TAB>ratio``)."""
    if not path or not Path(path).exists():
        return set()
    out = set()
    for line in read_lexicon(path):
        parts = line.split("\t")
        if len(parts) < 4 or parts[0] == "lemma":
            continue
        try:
            count, ratio = int(parts[1]), float(parts[3])
        except ValueError:
            continue
        if count >= min_count and ratio >= min_ratio:
            out.add(parts[0])
    return out


# --------------------------------------------------------------------------- quotes


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line of ``text`` (newsaudit's paragraphs)."""
    bounds = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            bounds.append((pos + lead, pos + lead + len(stripped)))
        pos = end + 1
    return bounds


def _is_apostrophe(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before.isalnum() and after.isalnum()


def _opens(text: str, i: int) -> bool:
    """Whether a straight or ambiguous quote at ``i`` opens (preceded by space/start)."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–-/:") and not after.isspace()


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Quote spans ``(start, end)`` in ``text`` (marks included), in text order.

    Double quotes (“ ” « » ") are paired first; single quotes (‘ ’) inside a
    double quote are nested and ignored, outside they are paired in the same way.
    An unclosed quote ends at its paragraph's end, or runs on when the next
    paragraph opens with a quote mark.  Never raises, whatever the marks.
    """
    paragraphs = paragraph_bounds(text)
    quotes: list[tuple[int, int]] = []
    open_at: int | None = None
    for p_index, (p_start, p_end) in enumerate(paragraphs):
        single_at: int | None = None
        i = p_start
        if open_at is not None:
            # A quotation carried over from the previous paragraph: this
            # paragraph opens with a quote mark, which continues it.
            i = p_start + 1
        while i < p_end:
            ch = text[i]
            if ch not in QUOTE_CHARS:
                i += 1
                continue
            if ch in "‘’":
                if open_at is None:
                    if ch == "‘" or (ch == "’" and _opens(text, i)):
                        if single_at is None and _opens(text, i):
                            single_at = i
                    elif single_at is not None and not _is_apostrophe(text, i):
                        after = text[i + 1] if i + 1 < len(text) else " "
                        if not after.isalpha():
                            quotes.append((single_at, i + 1))
                            single_at = None
                i += 1
                continue
            if ch in DOUBLE_OPEN or (ch == '"' and open_at is None and _opens(text, i)):
                if open_at is not None and ch != '"':
                    # A second opener while one is open: close the first before it.
                    end = i
                    while end > open_at + 1 and text[end - 1].isspace():
                        end -= 1
                    quotes.append((open_at, end))
                open_at = i
                single_at = None
            elif ch in DOUBLE_CLOSE or ch == '"':
                if open_at is not None:
                    quotes.append((open_at, i + 1))
                    open_at = None
            i += 1
        if open_at is not None:
            nxt = paragraphs[p_index + 1] if p_index + 1 < len(paragraphs) else None
            if nxt is not None and text[nxt[0]] in DOUBLE_OPEN + '"':
                continue  # multi-paragraph quotation: keep it open
            quotes.append((open_at, p_end))
            open_at = None
    quotes.sort()
    return quotes


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
        self.spans = find_quotes(text)
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
        cue_lexicon: str = DEFAULT_CUE_LEXICON,
        learned_lexicon: str = DEFAULT_LEARNED_LEXICON,
        learned_min_count: int = 3,
        learned_min_ratio: float = 0.35,
        nouns: str = DEFAULT_NOUNS,
        resolve_window: int = 2000,
        colon_paragraphs: int = 1,
    ) -> None:
        register_extensions()
        self.name = name
        self.cues: set[str] = {w.lower() for w in read_lexicon(cue_lexicon)}
        self.cues |= read_learned(learned_lexicon, learned_min_count, learned_min_ratio)
        self.nouns: dict[str, str] = {}
        for line in read_lexicon(nouns):
            parts = line.split("\t")
            if len(parts) >= 2:
                self.nouns[parts[0].strip().lower()] = parts[1].strip()
        self.resolve_window = resolve_window
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
        cols = doc.to_array([POS, LEMMA, LOWER])
        is_cue = (cols[:, 0] == VERB_ID) & numpy.isin(cols[:, 1], cue_hashes)
        is_cue |= cols[:, 2] == according
        for i in numpy.flatnonzero(is_cue).tolist():
            tok = doc[i]
            result = None
            if tok.lower_ == "according":
                if i + 1 < len(doc) and doc[i + 1].lower_ == "to":
                    result = self._according(doc, tok, quotes, text)
            elif tok.dep_ not in ("amod", "compound"):
                result = self._verb(doc, tok, quotes, paragraphs, p_starts, text)
            if result is None:
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
        return _Found(kind, content, source, (tok.idx, _tok_end(to)), "according-to", pobj)

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
            if t.text and t.text[0] in DOUBLE_OPEN + '"‘':
                after_quote = quotes.starting_at(t.idx)
                break
            if t.pos_ in ("VERB", "AUX") or t.is_sent_end and t.text in ".!?" or "\n" in t.text:
                break
            if t.dep_ in CONTENT_DEPS or t.dep_ in ("mark", "nsubj", "nsubjpass", "attr", "acomp"):
                break
            if t.dep_ == "dobj" and lemma not in ADDRESSEE_VERBS:
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
            if k < len(text) and text[k] in DOUBLE_OPEN + '"':
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
            clause_start = min(tok.idx, source[0]) if source else tok.idx
            before_quote = quotes.ending_before(clause_start)
            lead = _sentence_lead(text, before_quote[0]) if before_quote is not None else None
            if before_quote is not None and lead is not None and lead < before_quote[0]:
                # A quote inside a clause ("The planned “provocation,” the military
                # said, ..."): the clause, not just the quoted words, is the content.
                if tok.dep_ != "parataxis":
                    content, rule = (lead, before_quote[1]), "clause-cue"
            elif before_quote is not None:
                if after_quote is not None:
                    content, rule = (before_quote[0], after_quote[1]), "quote-cue-quote"
                else:
                    content, rule = before_quote, "quote-cue"
            elif after_quote is not None:
                content, rule = after_quote, "cue-quote"
        if content is None:
            comp = next((c for c in tok.children if c.dep_ in CONTENT_DEPS and c.i != (source_tok.i if source_tok is not None else -1)), None)
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
        if content is None:
            if tok.lemma_.lower() not in ADDRESSEE_VERBS:
                obj = next((c for c in tok.children if c.dep_ in ("dobj",)), None)
                if obj is not None and obj.i > tok.i:
                    content = _trim(text, obj.left_edge.idx, _tok_end(obj.right_edge))
                    rule = "object"
        if content is None:
            prep = next((c for c in tok.rights if c.dep_ == "prep" and c.lower_ in ("of", "about")), None)
            if prep is not None and any(c.dep_ == "pobj" for c in prep.children):
                content = _trim(text, prep.idx, _tok_end(prep.right_edge))
                rule = "prep-object"
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
        kind = self._kind(quotes, *content)
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


def _trim_keep_quotes(text: str, start: int, end: int) -> tuple[int, int]:
    start, end = _trim(text, start, end)
    # A lone closing quote mark at the start / opening mark at the end is noise.
    while start < end and text[start] in "”»’":
        start += 1
    while end > start and text[end - 1] in "“«‘":
        end -= 1
    return _trim(text, start, end)


@Language.factory(
    "newsaudit_attribution",
    default_config={
        "cue_lexicon": DEFAULT_CUE_LEXICON,
        "learned_lexicon": DEFAULT_LEARNED_LEXICON,
        "learned_min_count": 3,
        "learned_min_ratio": 0.35,
        "nouns": DEFAULT_NOUNS,
        "resolve_window": 2000,
        "colon_paragraphs": 1,
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
    resolve_window: int,
    colon_paragraphs: int,
) -> AttributionExtractor:
    """Attribution extractor.

    cue_lexicon: file of cue verb lemmas (one a line).
    learned_lexicon: table of cue lemmas learned from PolNeAR train
        (``lemma<TAB>cue_count<TAB>total<TAB>ratio``); "" to disable.
    learned_min_count / learned_min_ratio: keep learned lemmas seen as a cue at
        least this often and at least this share of the time.
    nouns: head nouns with a type (person/organisation) for pronoun resolution.
    resolve_window: how many characters back a pronoun speaker may be resolved.
    colon_paragraphs: paragraphs taken as content after a paragraph-final ``X reports:``.
    """
    return AttributionExtractor(
        nlp,
        name,
        cue_lexicon=cue_lexicon,
        learned_lexicon=learned_lexicon,
        learned_min_count=learned_min_count,
        learned_min_ratio=learned_min_ratio,
        nouns=nouns,
        resolve_window=resolve_window,
        colon_paragraphs=colon_paragraphs,
    )
