"""Scale benchmark of ``newsaudit trail`` (``make bench`` calls :func:`run_trail_bench`; alone: ``python -m benchmarks.trail``).

The corpus is **generated**, and every line of the output says so: 10,000
batch-output rows by default, written through the real ``report_row``, each
article built with :func:`~benchmarks.synthetic_trail.build_report`
from real sentence skeletons (the PolNeAR texts when ``../shared/data`` is
present, else the bundled example article) whose content words are resampled
from the corpus vocabulary (by frequency), so that almost every statement is a
new text; a share of the statements is copied, lightly edited and re-attributed,
from an earlier article, so that trails exist.  The number of statements per
article follows PolNeAR (28 on average with the default ``min_words``).

The run is ``python -m newsaudit trail`` in a subprocess (as a user runs it),
timed, with the peak resident memory of its whole process tree (the embedding
worker processes included, summed) sampled every 0.2 s.  A second run with
another threshold shows the cache: it embeds nothing.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
POLNEAR = Path(os.environ.get("NEWSAUDIT_DATA") or ROOT.parent / "shared" / "data") / "polnear"
SOURCES = ("Donald Trump", "Hillary Clinton", "the White House", "the State Department", "Senator Bernie Sanders",
           "the Justice Department", "Governor John Kasich", "the Pentagon", "the campaign", "a senior official",
           "Speaker Paul Ryan", "the FBI", "Senator Ted Cruz", "the Republican National Committee")
OUTLETS = ("breitbart", "huff-post", "nyt", "politico", "usa-today", "wash-post", "west-journal")
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")
_WORD = re.compile(r"[A-Za-z][a-z]{3,}")


def sentence_pool(limit: int = 30_000) -> tuple[list[str], str]:
    """Real sentences to take skeletons from, and where they came from."""
    files = sorted((POLNEAR / "train" / "text").glob("*.txt")) + sorted((POLNEAR / "dev" / "text").glob("*.txt"))
    origin = f"PolNeAR texts ({POLNEAR})"
    if not files:
        files = [ROOT / "examples" / "article.txt"]
        origin = "examples/article.txt (../shared/data absent)"
    pool: list[str] = []
    for f in files:
        body = f.read_text(encoding="utf-8").partition("\n\n")[2] or f.read_text(encoding="utf-8")
        for para in body.split("\n"):
            for s in _SENT.split(para.strip()):
                if 8 <= len(s.split()) <= 45 and s[-1:] in ".!?":
                    pool.append(s)
        if len(pool) >= limit:
            break
    return pool, origin


class _Generator:
    def __init__(self, pool: list[str], seed: int) -> None:
        from newsaudit.factcheck.search import _stop_words

        self.rng = random.Random(seed)
        self.pool = pool
        self.stop = _stop_words()
        counts = Counter(w.lower() for s in pool for w in _WORD.findall(s) if w.lower() not in self.stop)
        self.vocab = list(counts)
        self.cum = []
        total = 0
        for w in self.vocab:
            total += counts[w]
            self.cum.append(total)

    def word(self) -> str:
        import bisect

        return self.vocab[bisect.bisect_left(self.cum, self.rng.random() * self.cum[-1])]

    def sentence(self) -> str:
        """A real skeleton with its content words resampled."""
        base = self.rng.choice(self.pool)

        def swap(m: re.Match) -> str:
            w = m.group(0)
            if w.lower() in self.stop:
                return w
            new = self.word()
            return new.capitalize() if w[0].isupper() else new

        return _WORD.sub(swap, base).rstrip(".!? ")

    def edit(self, sentence: str) -> str:
        """A lightly edited copy (one content word changed), as outlets reword."""
        words = sentence.split()
        spots = [i for i, w in enumerate(words) if _WORD.fullmatch(w) and w.lower() not in self.stop]
        if spots:
            words[self.rng.choice(spots)] = self.word()
        return " ".join(words)


def generate_corpus(path: Path, n_articles: int, per_article: int = 28, shared: float = 0.1, seed: int = 17) -> dict[str, Any]:
    """Write a generated batch output of ``n_articles`` rows to ``path``."""
    import pyarrow.parquet as pq

    from benchmarks.synthetic_trail import Quote, build_report
    from newsaudit.corpus.rows import output_schema, report_row, rows_to_table

    pool, origin = sentence_pool()
    gen = _Generator(pool, seed)
    rng = gen.rng
    earlier: list[str] = []
    writer = pq.ParquetWriter(path, output_schema())
    rows: list[dict[str, Any]] = []
    statements = copies = 0
    try:
        for n in range(n_articles):
            k = rng.randint(per_article // 2, per_article + per_article // 2)
            quotes, claims, parts = [], [], []
            for _ in range(k):
                copy = bool(earlier) and rng.random() < shared
                content = gen.edit(rng.choice(earlier)) if copy else gen.sentence()
                copies += copy
                if not copy and rng.random() < 0.05:
                    earlier.append(content)
                roll = rng.random()
                if roll < 0.5:
                    source = rng.choice(SOURCES)
                    written = source[0].upper() + source[1:]
                    quotes.append(Quote(content, written, name=source, source_role="person",
                                        identity="described" if source.startswith("a ") else "named"))
                    parts.append(f"{written} said {content}.")
                elif roll < 0.6:
                    source, outlet = rng.choice(SOURCES), rng.choice(OUTLETS)
                    quotes.append(Quote(content, source, via=outlet.capitalize()))
                    parts.append(f"{outlet.capitalize()} reports: {source} said {content}.")
                else:
                    claims.append(content + ".")
                    parts.append(content + ".")
            statements += k
            headline = gen.sentence()[:90]
            date = f"2016-{1 + n * 12 // n_articles:02d}-{1 + rng.randrange(28):02d}"
            report = build_report(f"gen-{n:05d}", " ".join(parts), headline=headline, date=date,
                                  outlet=rng.choice(OUTLETS), quotes=quotes, claims=claims,
                                  headline_verdict="not-in-body")
            rows.append(report_row(n, report))
            if len(rows) >= 500:
                writer.write_table(rows_to_table(rows))
                rows = []
        if rows:
            writer.write_table(rows_to_table(rows))
    finally:
        writer.close()
    return {"articles": n_articles, "statements": statements, "copied": copies, "origin": origin}


def _tree_rss(pid: int) -> int:
    import psutil

    try:
        proc = psutil.Process(pid)
        total = proc.memory_info().rss
        for child in proc.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:
                pass
        return total
    except psutil.Error:
        return 0


def timed_run(args: list[str]) -> dict[str, Any]:
    """Run ``python -m newsaudit ARGS``; wall time, peak tree RSS (MB), stdout and stderr."""
    import resource

    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "newsaudit", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    stop.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the whole tree, worker processes included
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"seconds": time.monotonic() - started, "cpu_seconds": cpu, "peak_mb": peak / 2**20,
            "rc": proc.returncode, "stdout": out.strip(), "stderr": err.strip()}


def _summary(run: dict) -> str:
    """The command's result line (``wrote ...: N trails ...``, on stdout), else the end of what it printed."""
    return next((line for line in run["stdout"].splitlines() if line.startswith("wrote") and " trails " in line),
                (run["stdout"] + run["stderr"])[-300:])


def run_trail_bench(n_articles: int = 10_000, workdir: str | None = None, workers: int = 2,
                    encoder: str | None = None) -> list[str]:
    """Generate (once: the corpus is kept in ``workdir``, default ``.newsaudit/bench``), run
    ``trail`` twice from an empty embedding cache, and describe both runs in lines of text.
    ``encoder`` (default MiniLM; ``hashing-64`` in the tests) is passed to ``trail --encoder``."""
    from newsaudit.corpus.trail.embed_cache import cache_path

    lines: list[str] = []
    base = Path(workdir) if workdir else ROOT / ".newsaudit" / "bench"
    base.mkdir(parents=True, exist_ok=True)
    batch = base / f"trail-generated-{n_articles}.parquet"
    t0 = time.monotonic()
    if not batch.is_file():
        tmp_batch = base / f".{batch.name}.tmp"
        info = generate_corpus(tmp_batch, n_articles)
        os.replace(tmp_batch, batch)
        (base / f"{batch.name}.json").write_text(json.dumps(info), encoding="utf-8")
        made = f"generated in {time.monotonic() - t0:.0f} s"
    else:
        made = "generated earlier, reused"
    info_file = base / f"{batch.name}.json"
    info = json.loads(info_file.read_text(encoding="utf-8")) if info_file.is_file() else {}
    lines.append(
        f"trail bench corpus: GENERATED, {n_articles} articles, {info.get('statements', '?')} statements (skeletons of "
        f"{info.get('origin', '?')}, content words resampled; {info.get('copied', '?')} statements copied with edits "
        f"from earlier articles), {made}: {batch}"
    )
    cache_path(batch).unlink(missing_ok=True)  # the timed run embeds from scratch
    with tempfile.TemporaryDirectory(prefix="newsaudit-trail-bench-") as tmp:
        load = os.getloadavg()[0]
        extra = ["--encoder", encoder] if encoder else []
        run = timed_run(["trail", str(batch), "--out", str(Path(tmp) / "trail.parquet"), "--html",
                         str(Path(tmp) / "trail.html"), "--workers", str(workers), *extra])
        if run["rc"] != 0:
            return [*lines, f"trail bench: FAILED ({run['rc']}): {run['stderr'][-500:]}"]
        rate = n_articles / run["seconds"]
        cpus = os.cpu_count() or 1
        lines.append(f"trail bench run: {run['seconds'] / 60:.1f} min, {rate:.1f} articles/s, "
                     f"{10_000 / rate / 60:.1f} min per 10,000 articles, peak memory {run['peak_mb']:.0f} MB "
                     f"(process tree); load average {load:.1f} at start, {os.getloadavg()[0]:.1f} at end, "
                     f"{cpus} CPUs")
        lines.append(f"trail bench run: CPU time {run['cpu_seconds'] / 60:.1f} min (process tree, user + system), "
                     f"so about {run['cpu_seconds'] / cpus / 60:.1f} min of wall time on {cpus} otherwise idle CPUs "
                     f"(an estimate: the work spreads over {workers} embedding processes, the rest runs in one)")
        lines.append(f"trail bench run: {_summary(run)}")
        again = timed_run(["trail", str(batch), "--out", str(Path(tmp) / "trail2.parquet"), "--threshold", "0.75", *extra])
        lines.append(f"trail bench re-run with --threshold 0.75: {again['seconds']:.0f} s, peak memory {again['peak_mb']:.0f} MB; "
                     f"{_summary(again)}")
    return lines


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - `python -m benchmarks.trail`
    import argparse

    parser = argparse.ArgumentParser(description="Scale benchmark of newsaudit trail (generated corpus).")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    for line in run_trail_bench(args.articles, workers=args.workers):
        sys.stdout.write(line + "\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
