"""spaCy component ``newsaudit_techniques``: writes ``doc.spans["techniques"]``
(label = technique, ``attrs["scores"]`` and ``attrs["reasons"]``: one score and
one reason per span) and
``doc._.techniques`` (tuple of :class:`newsaudit.types.Technique`).

The model is loaded lazily, on the first document, once per process.

The model reads only the text, not the parse, so a caller that knows its texts
before parsing them (``analyze_many``) can call :meth:`TechniquesComponent.prefetch`:
the texts are then analysed in one background thread while spaCy parses them in
the calling thread (torch releases the GIL), and ``__call__`` collects the result.
Without a prefetch, ``__call__`` works inline.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, SpanGroup

from ..extensions import SPAN_KEYS, register_extensions
from ..options import check_peak
from ..text.spans import char_span, doc_text
from ..types import Technique


@dataclass
class _Prefetch:
    """A text's analysis started in the background, and how many prefetches of it are not yet collected."""

    future: Future[list[Technique]]
    count: int


class TechniquesComponent:
    def __init__(self, nlp: Language, name: str, model_dir: str | None = None, window_chars: int = 50_000,
                 background: bool = True, peak: float | None = None) -> None:
        register_extensions()
        check_peak(peak)
        self.name = name
        self.model_dir = model_dir
        self.window_chars = window_chars
        #: keep a span only if one token reaches this probability (None: the model's own)
        self.peak = peak
        #: False: :meth:`prefetch` does nothing and every doc is analysed inline
        self.background = background
        self._pool: ThreadPoolExecutor | None = None
        self._pending: dict[str, _Prefetch] = {}
        self._lock = threading.Lock()

    def _detect(self, text: str) -> list[Technique]:
        from ..models.techniques.detect import detect

        # detect() answers [] for a blank or one-word text before loading the model
        return detect(text, model_dir=self.model_dir, window_chars=self.window_chars, peak=self.peak)

    def prefetch(self, texts: Iterable[str]) -> None:
        """Start analysing ``texts`` in a background thread; each later
        ``__call__`` on a doc with one of these texts collects its result."""
        from ..models.techniques.model import get_model

        if not self.background:
            return
        get_model(self.model_dir)  # load (or fail) here, once, not in the worker
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsaudit-techniques")
            for text in texts:
                entry = self._pending.get(text)
                if entry is None:
                    self._pending[text] = _Prefetch(self._pool.submit(self._detect, text), 1)
                else:
                    entry.count += 1

    def cancel_prefetch(self) -> None:
        """Forget prefetched texts that were never collected (work not started is cancelled)."""
        with self._lock:
            for entry in self._pending.values():
                entry.future.cancel()
            self._pending.clear()

    def _collect(self, text: str) -> Future[list[Technique]] | None:
        with self._lock:
            entry = self._pending.get(text)
            if entry is None:
                return None
            entry.count -= 1
            if entry.count <= 0:
                del self._pending[text]
            return entry.future

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        future = self._collect(text)
        found = future.result() if future is not None else self._detect(text)
        spans, scores, kept = [], [], []
        for t in found:
            span = char_span(doc, t.start, t.end, label=t.technique)
            if span is None:
                continue
            spans.append(span)
            scores.append(t.score)
            kept.append(t)
        group = SpanGroup(doc, name=SPAN_KEYS["techniques"], spans=spans)
        group.attrs["scores"] = scores
        group.attrs["reasons"] = [t.reason for t in kept]
        doc.spans[SPAN_KEYS["techniques"]] = group
        doc._.techniques = tuple(kept)
        return doc


@Language.factory(
    "newsaudit_techniques",
    default_config={"model_dir": None, "window_chars": 50_000, "background": True, "peak": None},
    requires=[],
    assigns=["doc._.techniques", "doc.spans"],
)
def make_techniques(nlp: Language, name: str, model_dir: str | None, window_chars: int,
                    background: bool, peak: float | None) -> TechniquesComponent:
    return TechniquesComponent(nlp, name, model_dir=model_dir, window_chars=window_chars, background=background, peak=peak)
