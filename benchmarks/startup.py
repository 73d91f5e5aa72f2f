"""Start-up time of the command line, measured as whole processes.

``newsaudit version`` (target 0.3 s) and ``newsaudit analyze SHORT.txt`` of one short
article (target 2.5 s; the floor, spaCy's import, the model's load and one parse
without torch, is about 1.9 s).  Each command runs once to warm the disk cache, then
``runs`` times; a row gives the median wall time (``time.perf_counter`` around the
whole process), the median CPU time of the process (user + system: on a shared,
busy machine it says more than the wall time) and the largest peak resident memory
of the runs (the child's ``ru_maxrss``, from ``os.wait4``;
``resource.getrusage(RUSAGE_CHILDREN)`` where there is no ``wait4``).

    python -m benchmarks.startup          # a table; make bench prints lines()
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Targets (seconds, whole process, wall).
TARGETS = {"version": 0.3, "analyze": 2.5}

#: One short article (59 words): a headline, a quote, an attribution.
SHORT_ARTICLE = """date 2024-01-05 Council passes budget after long debate

The city council passed the budget on Monday after a four-hour debate, the mayor said.

"It is a fair plan for every district," she told reporters outside the town hall. Opposition members
said the plan cuts library hours, according to a statement from their office. The budget takes effect in March.
"""


def newsaudit_command() -> list[str]:
    """The installed console script beside this Python, else ``python -m newsaudit``."""
    script = Path(sys.executable).with_name("newsaudit")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "newsaudit"]


def _run_once(argv: list[str], cwd: Path) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MB) of one whole process running ``argv``."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if hasattr(os, "wait4"):
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        rss_kb = usage.ru_maxrss
        cpu = usage.ru_utime + usage.ru_stime
    else:  # pragma: no cover - no wait4: the largest child so far, and the CPU time it added
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        proc.wait()
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        rss_kb = after.ru_maxrss
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}: {err.strip()[-500:]}")
    rss_mb = rss_kb / 1024 if sys.platform != "darwin" else rss_kb / (1024 * 1024)  # macOS counts bytes
    return wall, cpu, rss_mb


def measure(name: str, argv: list[str], runs: int = 5, cwd: Path = ROOT) -> dict[str, object]:
    """One row: the median wall time of ``runs`` whole processes (after one warm-up run) and their peak RSS."""
    _run_once(argv, cwd)  # warm-up: disk cache, .pyc files
    walls, cpus, peaks = [], [], []
    for _ in range(runs):
        wall, cpu, rss = _run_once(argv, cwd)
        walls.append(wall)
        cpus.append(cpu)
        peaks.append(rss)
    target = TARGETS.get(name)
    median = statistics.median(walls)
    return {
        "measurement": f"newsaudit {name}",
        "median_s": round(median, 3),
        "min_s": round(min(walls), 3),
        "max_s": round(max(walls), 3),
        "median_cpu_s": round(statistics.median(cpus), 3),
        "runs": runs,
        "peak_rss_mb": round(max(peaks), 1),
        "target_s": target,
        "within_target": None if target is None else median <= target,
    }


def startup_rows(runs: int = 5, article: str | os.PathLike[str] | None = None) -> list[dict[str, object]]:
    """Rows for ``newsaudit version`` and ``newsaudit analyze SHORT.txt`` (:data:`SHORT_ARTICLE` unless ``article``)."""
    command = newsaudit_command()
    rows = [measure("version", [*command, "version"], runs)]
    with tempfile.TemporaryDirectory(prefix="newsaudit-startup-") as tmp:
        path = Path(article) if article is not None else Path(tmp) / "short.txt"
        if article is None:
            path.write_text(SHORT_ARTICLE, encoding="utf-8")
        rows.append(measure("analyze", [*command, "analyze", str(path), "--format", "json"], runs))
    return rows


def lines(rows: list[dict[str, object]]) -> list[str]:
    """The rows as ``make bench`` prints them."""
    out = []
    for row in rows:
        target = row["target_s"]
        verdict = "" if target is None else f" (target {target} s: {'met' if row['within_target'] else 'MISSED'})"
        out.append(f"startup {row['measurement']}: median {row['median_s']:.3f} s of {row['runs']} whole processes "
                   f"(min {row['min_s']:.3f}, max {row['max_s']:.3f}; CPU {row['median_cpu_s']:.3f} s), "
                   f"peak RSS {row['peak_rss_mb']:.0f} MB{verdict}")
    return out


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each command (after one warm-up)")
    parser.add_argument("--article", help="the article to analyse (default: a built-in 59-word one)")
    args = parser.parse_args(argv)
    for line in lines(startup_rows(args.runs, args.article)):
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
