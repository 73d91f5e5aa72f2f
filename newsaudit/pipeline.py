"""Plain-Python entry points: build the pipeline, analyse one article or many.

The CLI, the web service and batch jobs are thin wrappers over
:func:`analyze` and :func:`analyze_many`.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, cast

from spacy.language import Language
from spacy.tokens import Doc

from .errors import FailedRow, LanguageError, NewsauditError
from .nlp import resolve_model_name
from .options import AnalyzeOptions
from .text.windows import split_windows
from .types import Article, Report, Span

if TYPE_CHECKING:
    from .components.techniques import TechniquesComponent

#: newsaudit's components, in pipeline order.
COMPONENTS = (
    "newsaudit_attribution",
    "newsaudit_sources",
    "newsaudit_relay",
    "newsaudit_headline",
    "newsaudit_signals",
    "newsaudit_claims",
)
TECHNIQUES_COMPONENT = "newsaudit_techniques"

_lock = threading.Lock()


def import_components() -> None:
    """Import the component modules, which declares their spaCy factories."""
    importlib.import_module("newsaudit.components")


def _parser(model: str) -> Language:
    """A fresh copy of the spaCy pipeline ``model`` with ``newsaudit_paragraphs`` before its parser."""
    from .nlp import load_fresh

    import_components()
    from .components.token_attributes import use_twins

    # A fresh copy: the cached bare pipeline (used for baselines) stays bare.
    nlp = load_fresh(model)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("newsaudit_paragraphs", before="parser")
    use_twins(nlp)  # the attribute ruler and lemmatizer: the same output, faster
    return nlp


@lru_cache(maxsize=4)
def _build(model: str, techniques: bool, techniques_model: str | None, techniques_peak: float | None) -> Language:
    nlp = _parser(model)
    for name in COMPONENTS:
        nlp.add_pipe(name)
    if techniques:
        importlib.import_module("newsaudit.components.techniques")
        config = {"model_dir": techniques_model, "peak": techniques_peak}
        nlp.add_pipe(TECHNIQUES_COMPONENT, config=config)
    return nlp


def parse_pipeline(spacy_model: str | None = None) -> Language:
    """A fresh copy of the parser ``analyze`` runs before newsaudit's extractors: the spaCy model with
    ``newsaudit_paragraphs`` (what the attribution model trains on, and what tests parse with)."""
    return _parser(resolve_model_name(spacy_model))


def build_pipeline(options: AnalyzeOptions | None = None) -> Language:
    """The spaCy pipeline with newsaudit's components (cached per process)."""
    options = options or AnalyzeOptions()
    with _lock:
        return _build(resolve_model_name(options.model), options.techniques, options.techniques_model, options.techniques_peak)


#: Components that are part of the parse, not extractors run after it.
PARSE_COMPONENTS = ("newsaudit_paragraphs", "newsaudit_attribute_ruler", "newsaudit_lemmatizer")


#: The article a worker analyses before it says it is ready: a headline, a quotation, an
#: attribution and a check-worthy claim, so every model an analysis can use is loaded.
WARM_UP_ARTICLE = Article(
    headline="Ministry says rebels shelled water plant",
    body="The Defence Ministry said on Friday that rebel forces shelled the Varna water plant, cutting supplies to "
         "40,000 homes. \"This is a crime,\" a spokesman told reporters. Unemployment rose by 4 percent last year, "
         "according to official figures.",
    id="warm-up",
)


def warm_up(options: AnalyzeOptions | None = None) -> None:
    """Build the pipeline and analyse :data:`WARM_UP_ARTICLE`, so that every model a request can use
    (the spaCy pipeline, language identification, the attribution, stance and check-worthiness
    models, the techniques model and the fact-check store when ``options`` ask for them) is loaded.

    A worker calls it before it says it is ready: its first real article then runs at warm speed
    (a cold first analysis costs about a second more), so a time limit measures the analysis alone.
    """
    options = replace(options or AnalyzeOptions(), any_language=True)
    analyze(WARM_UP_ARTICLE, options)


def base_pipe_names(nlp: Language) -> list[str]:
    return [name for name in nlp.pipe_names if not name.startswith("newsaudit_") or name in PARSE_COMPONENTS]


def _mark(doc: Doc, foreign: tuple[tuple[int, int], ...]) -> Doc:
    """Put the ranges of paragraphs not in English on the Doc (``doc._.foreign_spans``),
    where the attribution and claims components read them."""
    if foreign:
        from .extensions import register_extensions

        register_extensions()
        doc._.foreign_spans = foreign
    return doc


def _foreign(article: Article) -> tuple[tuple[int, int], ...]:
    return tuple((s.start, s.end) for s in article.foreign_spans)


def _input(nlp: Language, article: Article) -> str | Doc:
    """What ``nlp`` is given for ``article``: its text, or a marked Doc when
    some paragraphs are not in English."""
    foreign = _foreign(article)
    return _mark(nlp.make_doc(article.text), foreign) if foreign else article.text


def parse(nlp: Language, text: str, options: AnalyzeOptions, foreign: tuple[tuple[int, int], ...] = ()) -> Doc:
    """Run ``nlp`` over ``text``; long texts are parsed in windows then joined,
    so memory stays bounded and nothing is truncated.  ``foreign``: char
    ranges of paragraphs not in English (see :func:`check_language`)."""
    if len(text) <= options.window_chars:
        return nlp(_mark(nlp.make_doc(text), foreign) if foreign else text)
    base = base_pipe_names(nlp)
    windows = split_windows(text, options.window_chars)
    with nlp.select_pipes(enable=base):
        # the tok2vec tensors are kept: Doc.from_docs joins them, and the attribution model reads them
        docs = list(nlp.pipe(windows, batch_size=1))
    doc = _mark(Doc.from_docs(docs, ensure_whitespace=False), foreign)
    del docs, windows  # the joined Doc holds it all: the windows' Docs (and their tensors) go before the extractors run
    for name, proc in nlp.pipeline:
        if name not in base:
            doc = proc(doc)
    return doc


def check_language(article: Article, options: AnalyzeOptions) -> Article:
    """Detect the language if unknown; refuse non-English text unless allowed.

    Detection is per paragraph (:func:`newsaudit.text.language.profile_language`):
    an article is refused only when most of its text is not English.  The
    paragraphs of an English article that are in another language are listed
    in ``warnings`` and kept in ``foreign_spans``; :func:`analyze` marks them
    on the Doc, and no attributions or claims are read in them.  A long text
    whose language is unknown gets a warning.  A declared ``language`` is
    trusted (nothing is detected).
    """
    from .text.language import profile_language

    if article.language is None:
        profile = profile_language(article.text)
        text = article.text
        article = replace(
            article,
            language=profile.language,
            warnings=article.warnings + profile.warnings,
            foreign_spans=tuple(Span.of(text, p.start, p.end) for p in profile.foreign),
        )
    if article.language not in (None, "en") and not options.any_language:
        raise LanguageError(
            f"the article looks like {article.language!r}, not English; "
            "newsaudit's models are English-only (pass --any-language to analyse anyway)"
        )
    return article


def analyze(article: Article, options: AnalyzeOptions | None = None) -> Report:
    """Analyse one article and return its :class:`Report`."""
    options = options or AnalyzeOptions()
    article = check_language(article, options)
    nlp = build_pipeline(options)
    doc = parse(nlp, article.text, options, _foreign(article))
    return _finish(doc, article, options)


def _finish(doc: Doc, article: Article, options: AnalyzeOptions) -> Report:
    from .report import report_from_doc

    report = report_from_doc(doc, article)
    if options.factcheck_db:
        from .factcheck.match import attach_matches

        report = attach_matches(report, options)
    return report


def analyze_many(
    articles: Iterable[Article | FailedRow | NewsauditError], options: AnalyzeOptions | None = None
) -> Iterator[Report | FailedRow | NewsauditError]:
    """One result per input item, in order: a Report, or the error that stopped it.

    Items that are not articles (a loader's :class:`~newsaudit.errors.FailedRow`, an
    error) pass through unchanged.

    Articles are parsed in batches with ``nlp.pipe``; an error in one article
    never drops or reorders the others.
    """
    options = options or AnalyzeOptions()
    nlp = build_pipeline(options)
    batch: list[Article | FailedRow | NewsauditError] = []

    def flush() -> Iterator[Report | FailedRow | NewsauditError]:
        ok = [a for a in batch if isinstance(a, Article)]
        short = [a for a in ok if len(a.text) <= options.window_chars]
        techniques = (cast("TechniquesComponent", nlp.get_pipe(TECHNIQUES_COMPONENT))
                      if TECHNIQUES_COMPONENT in nlp.pipe_names else None)
        try:
            if techniques is not None and short:
                # the techniques model reads only the text: start it now, in a
                # background thread, while spaCy parses in this one
                try:
                    techniques.prefetch([a.text for a in short])
                except NewsauditError:
                    pass  # e.g. a broken model: each article then reports the error itself
            docs = iter(nlp.pipe((_input(nlp, a) for a in short), batch_size=options.batch_size))
            for item in batch:
                if not isinstance(item, Article):
                    yield item
                    continue
                try:
                    doc = next(docs) if len(item.text) <= options.window_chars else parse(nlp, item.text, options, _foreign(item))
                    yield _finish(doc, item, options)
                except NewsauditError as exc:
                    yield exc
        finally:
            if techniques is not None:
                techniques.cancel_prefetch()
            batch.clear()

    for article in articles:
        if not isinstance(article, Article):  # a loader's failed row passes through
            batch.append(article)
        else:
            try:
                batch.append(check_language(article, options))
            except NewsauditError as exc:
                batch.append(exc)
        if len(batch) >= options.batch_size:
            yield from flush()
    yield from flush()
