"""Speed and memory of the techniques component, for ``make bench``.

:func:`measure` times the bare spaCy parse, the full ``analyze`` without and
with techniques, and the techniques component alone, over the same texts.
"""

from __future__ import annotations

import time
from dataclasses import replace

from newsaudit.options import AnalyzeOptions
from newsaudit.types import Article


def _peak_rss_mb() -> float:
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    except (ImportError, AttributeError):  # pragma: no cover - non-Unix
        return float("nan")


def measure(texts: list[str], options: AnalyzeOptions | None = None, repeats: int = 1) -> dict[str, float]:
    """Seconds for: bare parse, analyze (no techniques), analyze with techniques,
    techniques component alone; ``ratio`` = analyze-with-techniques / bare parse;
    ``peak_rss_mb`` = peak resident memory of this process so far."""
    from newsaudit.models.techniques.detect import detect
    from newsaudit.models.techniques.model import get_model
    from newsaudit.nlp import load_spacy
    from newsaudit.pipeline import analyze

    options = options or AnalyzeOptions()
    with_t = replace(options, techniques=True)
    without = replace(options, techniques=False)
    articles = [Article(body=t) for t in texts]
    bare = load_spacy(options.model)
    model = get_model(options.techniques_model)
    # warm up: model loading is once per process and not part of the per-article cost
    bare("Warm up the pipeline.")
    analyze(Article(body="Warm up the pipeline, twice over."), with_t)
    detect("Warm up the techniques model.", model)

    def clock(fn) -> float:
        best = float("inf")
        for _ in range(repeats):
            t0 = time.perf_counter()
            for item in texts if fn is not analyze_one else articles:
                fn(item)
            best = min(best, time.perf_counter() - t0)
        return best

    def analyze_one(a: Article, opts: AnalyzeOptions = with_t) -> None:
        analyze(a, opts)

    bare_s = clock(bare)
    tech_only = clock(lambda t: detect(t, model))
    with_s = clock(analyze_one)
    t0 = time.perf_counter()
    for a in articles:
        analyze(a, without)
    without_s = time.perf_counter() - t0
    return {
        "articles": len(texts),
        "chars": sum(len(t) for t in texts),
        "bare_parse_s": round(bare_s, 3),
        "analyze_s": round(without_s, 3),
        "analyze_techniques_s": round(with_s, 3),
        "techniques_only_s": round(tech_only, 3),
        "ratio": round(with_s / bare_s, 3) if bare_s else float("nan"),
        "ratio_techniques_only": round((bare_s + tech_only) / bare_s, 3) if bare_s else float("nan"),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
    }
