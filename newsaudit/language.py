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
"""

from __future__ import annotations

import re
import threading
from typing import Any

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


def detect_language(text: str) -> tuple[str | None, float]:
    """ISO 639-1 code (e.g. ``"en"``) and confidence in [0, 1] for ``text``.

    ``(None, 0.0)`` when the text is too short to tell (see the module
    docstring for the exact rules); short English headlines are not
    mislabelled as another language.
    """
    sample = sample_text(text or "")
    words = _WORD_RE.findall(sample)
    letters = sum(len(w) for w in words)
    n_words = len(words) + len(_CJK_RE.findall(sample))
    if letters < MIN_LETTERS or n_words < MIN_WORDS:
        return None, 0.0
    ranked = _get_identifier().rank(sample)
    best, confidence = ranked[0]
    if confidence >= MIN_CONFIDENCE:
        return str(best), float(confidence)
    for lang, prob in ranked[:EN_TOP_K]:
        if lang == "en":
            return "en", float(prob)
    return None, float(confidence)
