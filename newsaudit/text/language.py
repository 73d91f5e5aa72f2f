"""Language detection: which language is an article written in?

Uses py3langid (a fork of Marco Lui's langid.py, BSD licence).  Its model
(``py3langid/data/model.npz.xz``) ships inside the package, so nothing is
downloaded; it is loaded once per process, lazily, on the first call
(about one second).

Decision rules of :func:`detect_language` (newsaudit's models are English-only,
and :func:`newsaudit.pipeline.check_language` refuses text detected as another
language, so the rules lean towards *not* refusing short English text):

* Only a bounded sample is classified: the first :data:`SAMPLE_CHARS`
  characters (cut at a space), with URLs and e-mail addresses removed, so a
  5 MB article costs the same as a 5 KB one.
* Fewer than :data:`MIN_LETTERS` letters or :data:`MIN_WORDS` words (a CJK
  character counts as a word; ``"Obama"``,
  ``"12345"``, ``"Hello world"``): ``(None, 0.0)``, "unknown".  ``None`` is
  never refused by the pipeline.
* Otherwise the top language of py3langid's normalised probabilities, when its
  probability is at least :data:`MIN_CONFIDENCE`.
* Below that threshold the guess is unreliable (short texts: a headline like
  "Police arrest man." scores Nigerian Pidgin 0.33, English 0.22).  Then the
  answer is ``"en"`` (with English's own probability) when English is among
  the :data:`EN_TOP_K` best guesses, else ``(None, p)``: unknown, never a
  confident-looking wrong non-English label.

The confidence is always a probability in [0, 1].

Articles are profiled paragraph by paragraph, and a paragraph that is not
plainly English sentence by sentence (:func:`profile_language`), since an
English report that quotes a Russian source must not be refused, even when
the quote sits inside an English paragraph:

* A paragraph is a non-blank line (newsaudit's paragraphs).  Paragraphs with
  fewer than :data:`PARAGRAPH_MIN_WORDS` words or :data:`PARAGRAPH_MIN_LETTERS`
  letters (headlines, bylines, datelines) are not classified.  The others are
  classified by the rules above on their first :data:`PARAGRAPH_SAMPLE_CHARS`
  characters; at most :data:`MAX_PARAGRAPHS` of them, spread evenly over the
  text when it has more, so a 5 MB article costs about 0.2 s.
* A paragraph detected as another language (not English, not one of
  :data:`NOT_FOREIGN`) is cut into its sentences and
  quotations (newsaudit's one quote scanner), and each long enough (the same
  word and letter minimums; at most :data:`MAX_UNITS` per paragraph, spread
  evenly) is classified.  When they do not all come out as one
  language, the paragraph is judged by them, sentence by sentence ("... denied
  it. «Это очередная провокация западных СМИ», the spokeswoman said ...": an
  English sentence, a Russian quotation); else as a whole.
* The article's language is English unless most of the classified characters
  (summed over classified paragraphs and sentences) are detected as another
  language; then it is the non-English language with the most characters
  (labels in :data:`NOT_FOREIGN` count for neither side).
  When no paragraph can be classified, the whole text is classified as one
  sample (:func:`detect_language`).
* In an English article, paragraphs, sentences and quotations detected as
  another language with a probability of at least :data:`FOREIGN_MIN_CONFIDENCE`
  (and not one of :data:`NOT_FOREIGN`) are *foreign*: the profile lists their
  character ranges and a warning names each one.  The pipeline marks them on
  the Doc so that the extractors do not read English attributions or claims
  into them (an English cue before a foreign quotation is still read).
* A text of at least :data:`LONG_TEXT_CHARS` characters whose language comes
  out unknown gets a warning saying why (e.g. a 1 MB "word" without spaces).
"""

from __future__ import annotations

import itertools
import re
import threading
from dataclasses import dataclass
from typing import Any

from .paragraphs import paragraph_bounds
from .quotes import quotations

#: Characters of the text that are classified (from the start).
SAMPLE_CHARS = 5_000
#: Below this many letters, or ...
MIN_LETTERS = 15
#: ... this many words, the language is not guessed: ``(None, 0.0)``.
MIN_WORDS = 3
#: A top guess below this probability is not trusted (see the module docstring).
MIN_CONFIDENCE = 0.5
#: An untrusted guess becomes "en" when English ranks within this many guesses.
EN_TOP_K = 3

#: Paragraphs with fewer words or letters than these are not classified.
PARAGRAPH_MIN_WORDS = 5
PARAGRAPH_MIN_LETTERS = 25
#: Characters of each paragraph that are classified.
PARAGRAPH_SAMPLE_CHARS = 600
#: At most this many paragraphs are classified per text.
MAX_PARAGRAPHS = 1_000
#: At most this many sentences and quotations are classified per paragraph judged sentence by sentence.
MAX_UNITS = 200
#: A paragraph of an English article is foreign when detected as another
#: language with at least this probability.
FOREIGN_MIN_CONFIDENCE = 0.8
#: Paragraph labels that never count as another language: "zxx" is py3langid's
#: "no linguistic content" (markup, code), and it labels English sentences
#: about Nigeria "pcm" (Nigerian Pidgin); measured on the FNC-1 bodies.
NOT_FOREIGN = ("zxx", "pcm")
#: Foreign paragraphs named one by one in the warnings (the rest are counted).
MAX_FOREIGN_WARNINGS = 20
#: An unknown language is worth a warning from this many characters on.
LONG_TEXT_CHARS = 200

_identifier: Any = None
_lock = threading.Lock()

_URL_RE = re.compile(r"\b(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.IGNORECASE)
_WORD_RE = re.compile(r"[^\W\d_]{2,}")
#: Scripts written without spaces: each character counts as a word.
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _get_identifier() -> Any:
    """py3langid's identifier with normalised probabilities, loaded once."""
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _identifier


def sample_text(text: str, limit: int = SAMPLE_CHARS) -> str:
    """The part of ``text`` that is classified: at most ``limit`` chars, cut at
    whitespace, with URLs and e-mail addresses taken out."""
    if len(text) > limit:
        cut = text.rfind(" ", limit // 2, limit)
        text = text[: cut if cut != -1 else limit]
    return _URL_RE.sub(" ", text)


def _counts(sample: str) -> tuple[int, int]:
    """(words, letters) of a sample as the rules count them."""
    words = _WORD_RE.findall(sample)
    return len(words) + len(_CJK_RE.findall(sample)), sum(len(w) for w in words)


def detect_language(text: str) -> tuple[str | None, float]:
    """ISO 639-1 code (e.g. ``"en"``) and confidence in [0, 1] for ``text``.

    ``(None, 0.0)`` when the text is too short to tell (see the module
    docstring for the exact rules); short English headlines are not
    mislabelled as another language.
    """
    sample = sample_text(text or "")
    n_words, letters = _counts(sample)
    if letters < MIN_LETTERS or n_words < MIN_WORDS:
        return None, 0.0
    return _classify(sample)


def _classify(sample: str) -> tuple[str | None, float]:
    ranked = _get_identifier().rank(sample)
    best, confidence = ranked[0]
    if confidence >= MIN_CONFIDENCE:
        return str(best), float(confidence)
    for lang, prob in ranked[:EN_TOP_K]:
        if lang == "en":
            return "en", float(prob)
    return None, float(confidence)


@dataclass(frozen=True)
class ParagraphLanguage:
    """A classified paragraph (or sentence, or quotation): ``text[start:end]`` looks like ``language``."""

    start: int
    end: int
    language: str | None
    confidence: float
    #: "paragraph", or "sentence" / "quotation" of a paragraph judged sentence by sentence.
    unit: str = "paragraph"


@dataclass(frozen=True)
class LanguageProfile:
    """What :func:`profile_language` found (rules in the module docstring)."""

    language: str | None
    confidence: float
    #: The classified paragraphs (and sentences of paragraphs judged sentence by sentence), in text order.
    paragraphs: tuple[ParagraphLanguage, ...] = ()
    #: Paragraphs (or sentences, quotations) of an English (or unknown) text that are in another language.
    foreign: tuple[ParagraphLanguage, ...] = ()
    warnings: tuple[str, ...] = ()




def _paragraphs(text: str) -> list[tuple[int, int, str]]:
    """(start, end, sample) of each paragraph worth classifying."""
    out = []
    for start, end in paragraph_bounds(text):
        if end - start < PARAGRAPH_MIN_LETTERS:
            continue
        sample = sample_text(text[start : min(end, start + PARAGRAPH_SAMPLE_CHARS + 100)], PARAGRAPH_SAMPLE_CHARS)
        n_words, letters = _counts(sample)
        if n_words >= PARAGRAPH_MIN_WORDS and letters >= PARAGRAPH_MIN_LETTERS:
            out.append((start, end, sample))
    return out


#: The end of a sentence inside a paragraph: end punctuation, closing marks, then white space.
_SENTENCE_END_RE = re.compile(r"[.!?…]+[\"'”’»)\]]*\s+")
_EDGE = " \t,;:—–-"


def _sample_ok(sample: str) -> bool:
    n_words, letters = _counts(sample)
    return n_words >= PARAGRAPH_MIN_WORDS and letters >= PARAGRAPH_MIN_LETTERS


def _units(text: str, start: int, end: int, quotes: list[tuple[int, int]]) -> list[tuple[int, int, str, str]]:
    """(start, end, sample, "sentence" | "quotation") of the sentences and quotations of the paragraph
    ``text[start:end]`` that are long enough to classify."""
    cuts = {start, end}
    inside = [(qs, qe) for qs, qe in quotes if start <= qs < end]
    for qs, qe in inside:
        cuts.update((qs, min(qe, end)))
    cuts.update(m.end() for m in _SENTENCE_END_RE.finditer(text, start, end))
    bounds = sorted(cuts)
    quoted = set(inside)
    out = []
    for a, b in itertools.pairwise(bounds):
        while a < b and text[a] in _EDGE:
            a += 1
        while b > a and text[b - 1] in _EDGE:
            b -= 1
        if b <= a:
            continue
        sample = sample_text(text[a : min(b, a + PARAGRAPH_SAMPLE_CHARS + 100)], PARAGRAPH_SAMPLE_CHARS)
        if _sample_ok(sample):
            out.append((a, b, sample, "quotation" if (a, b) in quoted else "sentence"))
    return out


def _judged(text: str, paragraphs: list[tuple[int, int, str]]) -> list[ParagraphLanguage]:
    """Each paragraph classified as a whole, or sentence by sentence when it is not plainly English
    and its sentences and quotations do not agree (see the module docstring)."""
    out: list[ParagraphLanguage] = []
    quotes: list[tuple[int, int]] | None = None
    for start, end, sample in paragraphs:
        lang, conf = _classify(sample)
        if lang not in (None, "en", *NOT_FOREIGN):
            quotes = quotations(text) if quotes is None else quotes
            found = _units(text, start, end, quotes)
            if len(found) > MAX_UNITS:
                found = [found[int(i * len(found) / MAX_UNITS)] for i in range(MAX_UNITS)]
            units = [ParagraphLanguage(a, b, *_classify(s), unit=kind) for a, b, s, kind in found]
            if len({u.language for u in units}) > 1:
                out.extend(units)
                continue
        out.append(ParagraphLanguage(start, end, lang, conf))
    return out


def _unknown_warning(text: str) -> str | None:
    """Why a long text's language is unknown, or None for a short text."""
    if len(text) < LONG_TEXT_CHARS:
        return None
    n_words, letters = _counts(sample_text(text))
    if n_words < MIN_WORDS or letters < MIN_LETTERS:
        why = f"too few words ({n_words} word(s) of two or more letters in the first {SAMPLE_CHARS:,} characters)"
    else:
        why = "no language was a reliable guess"
    return f"language could not be detected: {why}; treated as English"


def profile_language(text: str) -> LanguageProfile:
    """The language of ``text`` paragraph by paragraph (rules in the module docstring)."""
    text = text or ""
    paragraphs = _paragraphs(text)
    if len(paragraphs) > MAX_PARAGRAPHS:
        step = len(paragraphs) / MAX_PARAGRAPHS
        paragraphs = [paragraphs[int(i * step)] for i in range(MAX_PARAGRAPHS)]
    classified = _judged(text, paragraphs)
    weight: dict[str, int] = {}
    for p in classified:
        if p.language is not None and p.language not in NOT_FOREIGN:
            weight[p.language] = weight.get(p.language, 0) + (p.end - p.start)
    if not weight:
        lang, conf = detect_language(text)
        warning = _unknown_warning(text) if lang is None else None
        return LanguageProfile(lang, conf, tuple(classified), warnings=(warning,) if warning else ())
    english = weight.get("en", 0)
    other = sum(weight.values()) - english
    if other > english:
        lang = max((w, n) for n, w in weight.items() if n != "en")[1]
    else:
        lang = "en"
    mine = [p for p in classified if p.language == lang]
    total = sum(p.end - p.start for p in mine)
    confidence = sum(p.confidence * (p.end - p.start) for p in mine) / total
    foreign: tuple[ParagraphLanguage, ...] = ()
    warnings: list[str] = []
    if lang == "en":
        foreign = tuple(
            p for p in classified
            if p.language not in (None, "en", *NOT_FOREIGN) and p.confidence >= FOREIGN_MIN_CONFIDENCE
        )
        for p in foreign[:MAX_FOREIGN_WARNINGS]:
            warnings.append(
                f"{p.unit} at characters {p.start}-{p.end} looks like {p.language!r} ({p.confidence:.2f}), not English: "
                "no attributions or claims are read in it"
            )
        if len(foreign) > MAX_FOREIGN_WARNINGS:
            warnings.append(f"... and {len(foreign) - MAX_FOREIGN_WARNINGS} more paragraph(s) or sentence(s) not in English")
    return LanguageProfile(lang, confidence, tuple(classified), foreign, tuple(warnings))
