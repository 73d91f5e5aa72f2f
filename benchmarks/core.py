"""``make bench`` (``python -m benchmarks``): speed of newsaudit against a bare spaCy parse, in the same run.

Texts: the PolNeAR dev articles when ``../shared/data`` (or ``$NEWSAUDIT_DATA``) is present, else the
bundled example and test articles repeated.  Each measurement is the best of
``--repeat`` runs, the bare parse and the audit interleaved so that both see the
same machine load.  The last line is always ``audit/parse time ratio = X.XX``.

Optional parts (each skipped with a line saying why when unavailable):
start-up time as whole processes, propaganda techniques, sentence-encoder
throughput (texts per second), the fact-check store scale test, the web service
load test and claim trails over 10,000 generated articles (``--trail-articles``).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import resource
import time
from collections.abc import Callable
from pathlib import Path

from newsaudit.options import AnalyzeOptions
from newsaudit.types import Article

ROOT = Path(__file__).resolve().parents[1]


def bench_articles(limit: int) -> tuple[list[Article], str]:
    """Articles to time, and where they came from."""
    dev = Path(os.environ.get("NEWSAUDIT_DATA") or ROOT.parent / "shared" / "data") / "polnear" / "dev" / "text"
    if dev.is_dir():
        files = sorted(dev.glob("*.txt"))[:limit]
        arts = [Article(body=f.read_text(encoding="utf-8"), id=f.stem, language="en") for f in files]
        return arts, f"{len(arts)} PolNeAR dev articles ({dev})"
    from newsaudit.load import load_file

    example = load_file(ROOT / "examples" / "article.txt")
    arts = [example] * min(limit, 40)
    return arts, f"{len(arts)} copies of examples/article.txt (../shared/data absent)"


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def best_of_interleaved(repeat: int, *fns: Callable[[], object]) -> tuple[float, ...]:
    """Best of ``repeat`` runs of each, in turn, so that all see the same machine load."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, acc in zip(fns, times, strict=True):
            gc.collect()
            t0 = time.perf_counter()
            fn()
            acc.append(time.perf_counter() - t0)
    return tuple(min(acc) for acc in times)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(limit: int = 40, repeat: int = 3, extras: bool = True, trail_articles: int = 10_000) -> list[str]:
    from newsaudit.nlp import load_spacy
    from newsaudit.pipeline import analyze_many, base_pipe_names, build_pipeline

    lines: list[str] = []
    articles, origin = bench_articles(limit)
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    bare = load_spacy()
    options = AnalyzeOptions(any_language=True)
    nlp = build_pipeline(options)
    # warm up both
    list(bare.pipe(texts[:2]))
    list(analyze_many(articles[:2], options))

    def parse() -> None:
        for _ in bare.pipe(texts, batch_size=options.batch_size):
            pass

    def audit() -> None:
        for _ in analyze_many(articles, options):
            pass

    def own_parse() -> None:
        with nlp.select_pipes(enable=base_pipe_names(nlp)):
            for _ in nlp.pipe(texts, batch_size=options.batch_size):
                pass

    t_parse, t_audit, t_own = best_of_interleaved(repeat, parse, audit, own_parse)
    lines.append(f"texts: {origin}; {words} words; best of {repeat}")
    lines.append(f"bare spaCy parse : {len(texts) / t_parse:8.2f} articles/s {words / t_parse:10.0f} words/s ({t_parse:.2f} s)")
    lines.append(f"newsaudit analyze: {len(texts) / t_audit:8.2f} articles/s {words / t_audit:10.0f} words/s ({t_audit:.2f} s)")
    lines.append(f"  of which its parse (attribute ruler and lemmatizer twins): {t_own:.2f} s, "
                 f"{t_own / t_parse:.2f} of the bare parse; its extractors and report: {t_audit - t_own:.2f} s")
    ratio = t_audit / t_parse

    if extras:
        lines += _optional("start-up", _startup)
        lines += _optional("techniques", lambda: _techniques(articles, options, repeat, t_parse))
        lines += _optional("encoder", _encoder)
        lines += _optional("factcheck", _factcheck)
        lines += _optional("service load test", _loadtest)
        lines += _optional("trail", lambda: _trail(trail_articles))
    lines.append(f"peak memory (this process): {peak_rss_mb():.0f} MB")
    lines.append(f"audit/parse time ratio = {ratio:.2f}")
    return lines


def _optional(name: str, fn: Callable[[], list[str]]) -> list[str]:
    try:
        return fn()
    except (ImportError, AttributeError) as exc:
        return [f"{name}: skipped ({type(exc).__name__}: {exc})"]


def _techniques(articles: list[Article], options: AnalyzeOptions, repeat: int, t_parse: float) -> list[str]:
    from dataclasses import replace

    from newsaudit.pipeline import TECHNIQUES_COMPONENT, analyze_many, build_pipeline

    importlib.import_module("newsaudit.components.techniques")
    topts = replace(options, techniques=True)
    build_pipeline(topts)
    list(analyze_many(articles[:2], topts))
    before = peak_rss_mb()
    t = best_of(max(1, repeat - 1), lambda: [None for _ in analyze_many(articles, topts)])
    component = build_pipeline(topts).get_pipe(TECHNIQUES_COMPONENT)
    component.background = False  # the same work, inline after the parse, for comparison
    try:
        t_inline = best_of(1, lambda: [None for _ in analyze_many(articles, topts)])
    finally:
        component.background = True
    return [
        f"analyze with techniques: {len(articles) / t:8.2f} articles/s ({t:.2f} s)",
        f"techniques inline, no background thread: ratio {t_inline / t_parse:.2f} ({t_inline:.2f} s)",
        f"techniques/parse time ratio = {t / t_parse:.2f}",
        f"peak memory with techniques: {max(before, peak_rss_mb()):.0f} MB",
    ]


def _startup() -> list[str]:
    """Whole processes: `newsaudit version` (target 0.3 s) and `analyze` of a short article (2.5 s)."""
    module = importlib.import_module("benchmarks.startup")
    return list(module.lines(module.startup_rows()))


def _factcheck() -> list[str]:
    module = importlib.import_module("benchmarks.factcheck")
    result = module.run_bench()
    return [f"factcheck {k}: {v}" for k, v in result.items()]


def _encoder() -> list[str]:
    """Sentence-encoder throughput, texts per second (ONNX Runtime, numpy, and torch before them)."""
    module = importlib.import_module("benchmarks.encoder")
    return list(module.rows(1000, reference=True))


def _loadtest() -> list[str]:
    """200 requests, 20 at a time: /v1/analyze; then, with a store of 2,000 CLEF 2020 verified claims
    (when ../shared/data is present), /v1/analyze matching claims and /v1/factcheck/search."""
    import tempfile

    module = importlib.import_module("benchmarks.service")
    runs: list[tuple[str, str, str | None]] = [("service", "analyze", None)]
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = _clef_store(Path(tmp), 2000)
        if db is None:
            lines.append("service with a fact-check store: skipped (../shared/data/clef2020-task2 absent)")
        else:
            runs += [("service --db", "analyze", db), ("service --db", "search", db)]
        for label, endpoint, store in runs:
            result = module.run_loadtest(200, 20, endpoint=endpoint, db=store)
            lines += [f"{label} {endpoint} {k}: {v}" for k, v in result.items()
                      if k in ("status_counts", "p50_ms", "p95_ms", "requests_per_s", "server_peak_rss_mb")]
            bad = (result.get("errors_5xx") or 0) + (result.get("failures") or 0)
            lines.append(f"{label} {endpoint} load test: {'FAIL' if bad else 'ok'} ({bad} 5xx or failed requests)")
    return lines


def _clef_store(folder: Path, n: int) -> str | None:
    """A fact-check store of the first ``n`` CLEF 2020 verified claims (MiniLM vectors), or None without the data."""
    from newsaudit.factcheck.importers import ColumnMapping
    from newsaudit.factcheck.store import FactCheckStore

    tsv = Path(os.environ.get("NEWSAUDIT_DATA") or ROOT.parent / "shared" / "data") / "clef2020-task2" / "verified_claims.docs.tsv"
    if not tsv.is_file():
        return None
    part = folder / "claims.tsv"
    with tsv.open(encoding="utf-8") as src:
        part.write_text("".join(line for _, line in zip(range(n + 1), src, strict=False)), encoding="utf-8")
    with FactCheckStore(folder / "clef.db", create=True) as store:
        store.import_file(part, ColumnMapping(id=0, claim="vclaim", title="title"))
    return str(folder / "clef.db")


def _trail(n_articles: int) -> list[str]:
    if n_articles <= 0:
        return ["trail: skipped (--trail-articles 0)"]
    module = importlib.import_module("benchmarks.trail")
    return list(module.run_trail_bench(n_articles))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=40, help="articles to time (default 40)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best counts (default 3)")
    parser.add_argument("--core-only", action="store_true", help="skip techniques, fact-check and service parts")
    parser.add_argument("--trail-articles", type=int, default=10_000,
                        help="generated articles for the claim-trail scale run (default 10000; 0 skips it)")
    args = parser.parse_args(argv)
    for line in run(args.limit, args.repeat, extras=not args.core_only, trail_articles=args.trail_articles):
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
