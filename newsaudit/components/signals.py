"""newsaudit_signals: framing signals (scare quotes, hedges, loaded and labelling words).

Writes ``doc._.signals`` (tuple of :class:`newsaudit.types.Signal`, in text
order) and ``doc.spans["signals"]`` (span label = signal kind).

* **Scare quotes** (``scare_quote``): a short quoted phrase that is not
  someone's quoted speech: "preparing a “provocation”".  Quote pairs come
  from the one quote scanner (:func:`newsaudit.text.quotes.quote_pairs`), nested
  ones included, so single quotes inside a double quoted passage are found
  too; an apostrophe (``government’s``) is told from a closing single quote by
  its neighbours.  Unclosed quotes are dropped at the end of the line.  A quoted phrase is speech, not a scare quote, when it is
  long (more than ``max_words`` words, ``nested_max_words`` inside another
  quote), follows a colon or a speech verb ("said “no”"), is a whole sentence
  ("“Never.”"), or opens a sentence and is followed by a speech verb
  ("“Yes,” he said").
* **Hedges** (``hedge``): Hyland (2005) hedges as distributed by Recasens et
  al. (2013), and Wikipedia's words of doubt (MOS:DOUBT), with part-of-speech
  conditions from ``hedge_rules.tsv`` ("may" only as a modal, "about" only
  before a number, ...).
* **Labels** (``label``) and **loaded words** (``loaded``): ``label_words.tsv``
  and ``loaded_words.tsv`` (sources in their headers and in
  ``newsaudit/data/lexicons/README.md``), matched on lower-cased lemmas with a
  set lookup per token, multi-word terms with one ``PhraseMatcher``.  Words
  inside named entities (``Rebel Wilson``, ``Great Britain``) are skipped.

Signals inside quoted speech are kept (they show the source's framing) and
their reason says so.  Everything is linear in the length of the text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from ..extensions import SPAN_KEYS, register_extensions
from ..lexicons import LEXICON_DIR, read_table, read_wordlist
from ..text.quotes import DOUBLE_OPEN, QuotePair, quote_pairs
from ..text.spans import char_span, doc_text
from ..types import HEDGE, LABEL, LOADED, SCARE_QUOTE, Signal, Span

# ------------------------------------------------------------------ lexicons

#: Human titles of the lexicons, used in reasons.
LEXICON_TITLES = {
    "hedges_hyland2005": "Hyland 2005 hedges, via Recasens et al. 2013",
    "wikipedia-mos-doubt": "Wikipedia MOS:DOUBT words of doubt",
    "newsaudit-derived": "newsaudit reportive adverbs",
    "wikipedia-mos-label": "Wikipedia MOS:LABEL contentious labels",
    "wikipedia-mos-label-2010": "Wikipedia MOS:LABEL, 2010 revision",
    "recasens2013-selected": "Recasens et al. 2013 bias lexicon, selected",
    "huliu2004-selected": "Hu & Liu 2004 negative opinion words, selected",
    "newsaudit": "newsaudit label list",
    "recasens2013*huliu2004": "Recasens et al. 2013 bias lexicon x Hu & Liu 2004 opinion lexicon",
    "wikipedia-mos-puffery": "Wikipedia MOS:PUFFERY",
}

#: Lemmas of verbs that introduce speech right before a quote ("said “no”").
SPEECH_VERBS = frozenset(
    {"say", "tell", "ask", "add", "reply", "answer", "shout", "write", "declare", "respond", "tweet", "post", "scream", "yell", "insist"}
)
#: Entity types inside which loaded/label words are not flagged (names).
NAME_ENT_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "WORK_OF_ART", "LAW", "PRODUCT", "EVENT", "LANGUAGE"})


@dataclass(frozen=True)
class Entry:
    term: str
    kind: str  # hedge | label | loaded
    lexicon: str  # file stem, e.g. "hedges_hyland2005"
    source: str  # key of LEXICON_TITLES
    rule: str = ""  # hedge rule, or required POS for loaded words


@dataclass(frozen=True)
class SignalLexicons:
    words: dict[str, tuple[Entry, ...]] = field(default_factory=dict)
    phrases: tuple[Entry, ...] = ()
    prefixes: tuple[Entry, ...] = ()


def _add(words: dict[str, list[Entry]], phrases: list[Entry], prefixes: list[Entry], entry: Entry) -> None:
    term = entry.term
    if term.endswith("-"):
        prefixes.append(entry)
    elif " " in term or "-" in term or "'" in term:
        phrases.append(entry)
    else:
        words.setdefault(term, []).append(entry)


@lru_cache(maxsize=1)
def load_signal_lexicons() -> SignalLexicons:
    """All signal lexicons, read once per process."""
    words: dict[str, list[Entry]] = {}
    phrases: list[Entry] = []
    prefixes: list[Entry] = []
    rules = {row[0].lower(): row[1] for row in read_table(LEXICON_DIR / "hedge_rules.tsv") if len(row) >= 2}
    for term in sorted(read_wordlist("hedges_hyland2005.txt")):
        _add(words, phrases, prefixes, Entry(term, HEDGE, "hedges_hyland2005", "hedges_hyland2005", rules.get(term, "")))
    for row in read_table(LEXICON_DIR / "hedges_doubt.tsv"):
        term = row[0].lower()
        _add(words, phrases, prefixes, Entry(term, HEDGE, "hedges_doubt", row[1], rules.get(term, "")))
    for row in read_table(LEXICON_DIR / "label_words.tsv"):
        _add(words, phrases, prefixes, Entry(row[0].lower(), LABEL, "label_words", row[1]))
    for row in read_table(LEXICON_DIR / "loaded_words.tsv"):
        pos = row[2] if len(row) > 2 else ""
        _add(words, phrases, prefixes, Entry(row[0].lower(), LOADED, "loaded_words", row[1], pos))
    return SignalLexicons(
        words={k: tuple(v) for k, v in words.items()},
        phrases=tuple(phrases),
        prefixes=tuple(prefixes),
    )


# ------------------------------------------------------------------ quotes

_WORD_RE = re.compile(r"\w+(?:[-'\u2019]\w+)*")
_TRAILING = ",.;:!?\u2026 \t\n"


def _interval_test(intervals: list[tuple[int, int]]) -> Callable[[int], bool]:
    """A function telling whether an offset lies strictly inside one of ``intervals``."""
    merged: list[list[int]] = []
    for s, e in sorted(intervals):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    starts = [m[0] for m in merged]

    def inside(offset: int) -> bool:
        k = bisect.bisect_right(starts, offset) - 1
        return k >= 0 and merged[k][0] < offset < merged[k][1]

    return inside


@dataclass(frozen=True)
class QuoteAnalysis:
    #: (pair, term start, term end, variant); variant: "nested" (inside quoted speech),
    #: "name" (a quoted Title Case name or title), "reported" (in a sentence that reports
    #: speech: may be the source's own word), or "" (plain scare quote).
    scare: tuple[tuple[QuotePair, int, int, str], ...]
    speech: tuple[QuotePair, ...]


def classify_quotes(
    doc: Doc, pairs: list[QuotePair], max_words: int = 4, nested_max_words: int = 10, text: str | None = None
) -> QuoteAnalysis:
    """Split quote pairs into scare quotes and quoted speech."""
    text = doc_text(doc) if text is None else text
    starts = [t.idx for t in doc]
    scare = []
    speech = []
    max_close = -1  # pairs come sorted by opening offset: nested iff an earlier pair closes later
    for pair in sorted(pairs, key=lambda p: p.open):
        nested = max_close > pair.close
        max_close = max(max_close, pair.close)
        a, b = pair.inner
        raw = text[a:b]
        lead = len(raw) - len(raw.lstrip())
        term_start = a + lead
        term_end = b
        while term_end > term_start and text[term_end - 1] in _TRAILING:
            term_end -= 1
        if term_end - term_start < 2:
            continue  # empty or one letter: rock 'n' roll
        n_words = len(_WORD_RE.findall(text[term_start:term_end]))
        limit = nested_max_words if nested else max_words
        if n_words == 0 or n_words > limit or _looks_like_speech(doc, text, starts, pair, term_start, term_end):
            speech.append(pair)
            continue
        term = text[term_start:term_end]
        if nested:
            variant = "nested"
        elif n_words >= 2 and all(w[0].isupper() for w in _WORD_RE.findall(term)):
            variant = "name"
        elif _reports_speech_before(doc, starts, pair.open):
            variant = "reported"
        else:
            variant = ""
        scare.append((pair, term_start, term_end, variant))
    return QuoteAnalysis(tuple(scare), tuple(speech))


def _token_at(doc: Doc, starts: list[int], offset: int) -> int:
    """Index of the token containing (or just before) char ``offset``."""
    return max(0, bisect.bisect_right(starts, offset) - 1)


def _reports_speech_before(doc: Doc, starts: list[int], offset: int, window: int = 12) -> bool:
    """A speech verb earlier in the same sentence (at most ``window`` tokens back)."""
    if not len(doc):
        return False
    i = _token_at(doc, starts, offset - 1) if offset else 0
    for k in range(i, max(-1, i - window), -1):
        tok = doc[k]
        if tok.lemma_.lower() in SPEECH_VERBS and tok.pos_ in ("VERB", "AUX"):
            return True
        if tok.is_sent_start:
            break
    return False


def _looks_like_speech(doc: Doc, text: str, starts: list[int], pair: QuotePair, term_start: int, term_end: int) -> bool:
    inner = text[term_start : pair.close]
    # What stands before the opening mark.
    k = pair.open - 1
    while k >= 0 and text[k] in " \t":
        k -= 1
    prev_char = text[k] if k >= 0 else "\n"
    if prev_char == ":":
        return True
    sentence_start = prev_char in "\n.!?" or prev_char in DOUBLE_OPEN or prev_char in "\"'\u2018"
    if len(doc) and k >= 0 and prev_char.isalpha():
        prev_tok = doc[_token_at(doc, starts, k)]
        if prev_tok.lemma_.lower() in SPEECH_VERBS or prev_tok.lower_ in SPEECH_VERBS:
            return True
    ends_sentence = inner.rstrip().endswith((".", "!", "?", "\u2026"))
    first = text[term_start]
    if sentence_start and first.isupper() and ends_sentence:
        return True  # a whole quoted sentence: “Never.”
    if sentence_start and len(doc):
        # “Yes,” he said. -- a speech verb within four tokens after the closing mark.
        i = _token_at(doc, starts, pair.close) + 1
        for tok in doc[i : i + 5]:
            if tok.lemma_.lower() in SPEECH_VERBS and tok.pos_ in ("VERB", "AUX"):
                return True
    return False


# ------------------------------------------------------------------ component

SCARE_REASONS = {
    "": "short quoted phrase not attributed as speech: distances the writer from the term (scare quotes)",
    "nested": "short phrase in quotes inside quoted speech: the speaker distances themself from the term (scare quotes)",
    "name": "quoted name or title: the writer may be distancing from the name (scare quotes), or only marking a title",
    "reported": (
        "short quoted phrase in reported speech: either the source's exact word or the writer "
        "distancing from it (scare quotes)"
    ),
}


def _hedge_ok(tok: Token, rule: str) -> bool:
    if not rule:
        return True
    if rule == "skip":
        return False
    if rule == "modal":
        return tok.tag_ == "MD"
    if rule == "verb":
        return tok.pos_ in ("VERB", "AUX")
    if rule == "adj":
        return tok.pos_ == "ADJ" or (tok.tag_ == "VBN" and tok.dep_ == "amod")
    if rule == "adv":
        nxt = tok.nbor(1).lower_ if tok.i + 1 < len(tok.doc) else ""
        return tok.pos_ == "ADV" and nxt != "than"
    if rule == "num":
        doc = tok.doc
        for j in range(tok.i + 1, min(tok.i + 3, len(doc))):
            if doc[j].like_num or doc[j].ent_type_ in ("CARDINAL", "MONEY", "PERCENT", "QUANTITY"):
                return True
        return False
    if rule == "to_that":
        nxt = tok.nbor(1).lower_ if tok.i + 1 < len(tok.doc) else ""
        return tok.pos_ in ("VERB", "AUX") and nxt in ("to", "that")
    if rule == "not_to":
        nxt = tok.nbor(1).lower_ if tok.i + 1 < len(tok.doc) else ""
        return nxt != "to"
    return True


def _label_ok(tok: Token) -> bool:
    if tok.ent_type_ in NAME_ENT_TYPES:
        return False
    # "tax regime", "sanctions regime": a common-noun compound makes it a technical term.
    return not any(c.dep_ == "compound" and c.pos_ == "NOUN" for c in tok.children)


def _reason(entry: Entry, text: str, in_speech: bool) -> str:
    title = LEXICON_TITLES.get(entry.source, entry.source)
    if entry.kind == HEDGE:
        reason = f"hedge: '{text}' ({title}) marks the statement as uncertain or second-hand"
    elif entry.kind == LABEL:
        reason = f"labelling word: '{text}' is a value-laden label for a person, group, government or issue ({title})"
    else:
        reason = f"loaded word: '{text}' carries a judgement rather than a description ({title})"
    if in_speech:
        reason += "; inside quoted speech: the source's wording, not the writer's"
    return reason


class SignalsComponent:
    """Finds framing signals; see the module docstring."""

    def __init__(self, nlp: Language, name: str, max_words: int = 4, nested_max_words: int = 10) -> None:
        register_extensions()
        self.name = name
        self.max_words = max_words
        self.nested_max_words = nested_max_words
        self.lexicons = load_signal_lexicons()
        # one C-level startswith over every prefix first: most words have none
        self._prefix_stems = tuple(entry.term.rstrip("-") for entry in self.lexicons.prefixes)
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._phrase_entries: dict[str, Entry] = {}
        for entry in self.lexicons.phrases:
            key = f"{entry.kind}:{entry.term}"
            self._phrase_entries[key] = entry
            variants = {entry.term}
            if entry.kind in (LABEL, LOADED) and not entry.term.endswith("s"):
                variants.add(entry.term + "s")
            self.matcher.add(key, [nlp.make_doc(v) for v in sorted(variants)])

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        analysis = classify_quotes(doc, quote_pairs(text), self.max_words, self.nested_max_words, text)
        signals = self._scare_quotes(doc, text, analysis)
        in_speech = _interval_test([(p.open, p.close) for p in analysis.speech])
        self._words(doc, text, in_speech, signals)
        self._phrases(doc, in_speech, signals)
        ordered = tuple(sorted(signals.values(), key=lambda s: (s.span.start, s.span.end, s.kind)))
        doc._.signals = ordered
        group = []
        for sig in ordered:
            sp = char_span(doc, sig.span.start, sig.span.end, label=sig.kind)
            if sp is not None:
                group.append(sp)
        doc.spans[SPAN_KEYS["signals"]] = group
        return doc

    def _scare_quotes(self, doc: Doc, text: str, analysis: QuoteAnalysis) -> dict[tuple[str, int, int], Signal]:
        """Scare quotes, keyed by (kind, start, end); a short quote inside an attribution's content may be the
        source's own word (upstream attributions: None when newsaudit_attribution did not run)."""
        in_content = _interval_test(
            [(a.content.start - 1, a.content.end + 1) for a in (doc._.attributions or ())]
        )
        signals: dict[tuple[str, int, int], Signal] = {}
        for _pair, start, end, variant in analysis.scare:
            if variant == "" and in_content(start):
                variant = "reported"
            signals[(SCARE_QUOTE, start, end)] = Signal(SCARE_QUOTE, Span.of(text, start, end), SCARE_REASONS[variant], None)
        return signals

    def _entries(self, tok: Token) -> tuple[Entry, ...] | None:
        """The lexicon entries a word may match: its form, its lemma, a plural's singular, a prefix."""
        words = self.lexicons.words
        lower = tok.lower_
        entries = words.get(lower)
        if entries is None:
            lemma = tok.lemma_.lower()
            if lemma != lower:
                entries = words.get(lemma)
        if entries is None and lower.endswith("s") and len(lower) > 3:
            # Plural proper nouns keep their form as lemma ("Jihadists"): try the singular.
            entries = tuple(e for e in words.get(lower[:-1], ()) if e.kind != HEDGE) or None
        if entries is None and self._prefix_stems and lower.startswith(self._prefix_stems):
            for stem, entry in zip(self._prefix_stems, self.lexicons.prefixes, strict=True):
                if lower.startswith(stem) and len(lower) > len(entry.term) + 2:
                    return (entry,)
        return entries

    def _words(self, doc: Doc, text: str, in_speech: Callable[[int], bool],
               signals: dict[tuple[str, int, int], Signal]) -> None:
        """Hedges, labels and loaded words of single tokens, added to ``signals``."""
        for tok in doc:
            if tok.is_space or tok.is_punct:
                continue
            for entry in self._entries(tok) or ():
                if not _entry_applies(entry, tok):
                    continue
                key = (entry.kind, tok.idx, tok.idx + len(tok.text))
                if key not in signals:
                    signals[key] = Signal(entry.kind, Span.of(text, key[1], key[2]),
                                          _reason(entry, tok.text, in_speech(tok.idx)), entry.lexicon)

    def _phrases(self, doc: Doc, in_speech: Callable[[int], bool], signals: dict[tuple[str, int, int], Signal]) -> None:
        """Signals of several words (the phrase matcher), added to ``signals``."""
        for match_id, start, end in self.matcher(doc):
            entry = self._phrase_entries[doc.vocab.strings[match_id]]
            span = doc[start:end]
            if entry.kind != HEDGE and any(t.ent_type_ in NAME_ENT_TYPES for t in span):
                continue
            key = (entry.kind, span.start_char, span.end_char)
            if key not in signals:
                signals[key] = Signal(entry.kind, Span.from_spacy(span), _reason(entry, span.text, in_speech(span.start_char)),
                                      entry.lexicon)


def _entry_applies(entry: Entry, tok: Token) -> bool:
    """Whether a lexicon entry that ``tok`` matches is a signal here: a hedge's lemma matches only verbs and
    its rule must hold, a label must read as a label, a loaded word is no name and has the part of speech
    its rule asks (a participle used as an adjective counts as one)."""
    if entry.kind == HEDGE:
        if entry.term != tok.lower_ and tok.pos_ not in ("VERB", "AUX"):
            return False  # lemma matches only for verbs ("claiming" -> claim)
        return _hedge_ok(tok, entry.rule)
    if entry.kind == LABEL:
        return _label_ok(tok)
    if tok.ent_type_:
        return False
    if entry.rule and tok.pos_ != entry.rule:
        return entry.rule == "ADJ" and tok.tag_ == "VBN" and tok.dep_ == "amod"
    return True


@Language.factory(
    "newsaudit_signals",
    default_config={"max_words": 4, "nested_max_words": 10},
    requires=["doc._.attributions", "token.lemma", "token.tag"],
    assigns=["doc._.signals", "doc.spans"],
)
def make_signals(nlp: Language, name: str, max_words: int, nested_max_words: int) -> SignalsComponent:
    """Framing signals: scare quotes, hedges, loaded and labelling words."""
    return SignalsComponent(nlp, name, max_words=max_words, nested_max_words=nested_max_words)
