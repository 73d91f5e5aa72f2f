"""A bounded load test of the web service on loopback (used by ``make bench``).

:func:`run_loadtest` starts ``newsaudit serve`` (uvicorn, the model preloaded)
in a subprocess on a free 127.0.0.1 port, waits until ``/v1/health`` answers,
sends one warm-up request, then fires ``n`` ``POST /v1/analyze`` requests (or
``POST /v1/factcheck/search`` with ``endpoint="search"``) with at most
``concurrency`` in flight (httpx, asyncio), stops the server and returns
latency percentiles, status counts and the server's peak memory.  It always
stops by itself: each request has a time limit and the whole run has one too.
``db`` starts the server with a fact-check store (``newsaudit serve --db``), so
that analyze requests match their claims and search requests have a store.

``python -m benchmarks.service [N] [CONCURRENCY] [--db STORE] [--endpoint analyze|search] [--timeout S]``
prints the result as JSON (``--timeout``: the server's time limit of one analysis, default 60).
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from typing import Any

from newsaudit.errors import NewsauditError

__all__ = ["DEFAULT_ARTICLE", "run_loadtest"]

#: The claims searched by ``endpoint="search"``, sent in turn.
SEARCH_QUERIES = (
    "Obama released Guantanamo prisoners who went back to terrorism",
    "the rebels are preparing a chemical provocation with chlorine",
    "a photo shows a shark swimming on a flooded highway after the hurricane",
    "the city council cut library hours in the new budget",
)

ENDPOINTS = {"analyze": "/v1/analyze", "search": "/v1/factcheck/search"}

#: The article sent by default: short, with quotes, attributions and a relay.
DEFAULT_ARTICLE = {
    "headline": "Ministry says rebels are preparing a chemical provocation",
    "body": (
        "\u201cOur intelligence confirmed by three independent sources says that the rebels are preparing a "
        "provocation,\u201d the Defense Ministry said in a statement on Tuesday.\n\n"
        "Rt.com reports: The military alleged the militants are likely to use chlorine. Officials in Washington "
        "rejected the claim, calling it \u201cbaseless propaganda\u201d, according to a State Department spokesperson.\n\n"
        "A local resident, who asked not to be named, told reporters that canisters had been moved overnight."
    ),
    "date": "2018-06-12",
    "outlet": "Example News",
}

_SERVER = (
    "import sys, uvicorn\n"
    "from newsaudit.options import AnalyzeOptions\n"
    "from newsaudit.service.app import ServiceSettings, create_app\n"
    "port, workers, queue, db, timeout = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] or None, "
    "float(sys.argv[5])\n"
    "settings = ServiceSettings(port=port, workers=workers, queue=queue, preload=True, timeout_s=timeout,\n"
    "                           analyze=AnalyzeOptions(factcheck_db=db))\n"
    "uvicorn.run(create_app(settings), host='127.0.0.1', port=port, log_level='warning', access_log=False)\n"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


class _RssWatcher(threading.Thread):
    """Polls the resident memory of a process tree; keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        import psutil

        try:
            proc = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._stop_event.is_set():
            try:
                rss = proc.memory_info().rss + sum(c.memory_info().rss for c in proc.children(recursive=True))
            except psutil.Error:
                break
            self.peak = max(self.peak, rss)
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join(5)


async def _fire(url: str, n: int, concurrency: int, payloads: list[dict], timeout_s: float) -> tuple[list[float], Counter]:
    import httpx

    latencies: list[float] = []
    statuses: Counter = Counter()
    sem = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=timeout_s, limits=limits, trust_env=False) as client:

        async def one(payload: dict) -> None:
            async with sem:
                t0 = time.perf_counter()
                try:
                    resp = await client.post(url, json=payload)
                    statuses[str(resp.status_code)] += 1
                except httpx.HTTPError as exc:
                    statuses[f"error:{type(exc).__name__}"] += 1
                latencies.append(time.perf_counter() - t0)

        await asyncio.gather(*(one(payloads[i % len(payloads)]) for i in range(n)))
    return latencies, statuses


def run_loadtest(
    n: int = 200,
    concurrency: int = 20,
    *,
    workers: int = 2,
    payload: dict | None = None,
    request_timeout_s: float = 60.0,
    startup_timeout_s: float = 180.0,
    endpoint: str = "analyze",
    db: str | None = None,
    server_timeout_s: float = 60.0,
) -> dict[str, Any]:
    """Start the service on loopback, send ``n`` requests ``concurrency`` at a time, stop it; return the numbers.

    ``endpoint``: "analyze" (``payload``, else :data:`DEFAULT_ARTICLE`) or "search" (the
    :data:`SEARCH_QUERIES` in turn; needs ``db``).  ``server_timeout_s`` is the server's time limit of
    one analysis (``newsaudit serve --timeout``).

    Keys: endpoint, requests, concurrency, workers, server_timeout_s, status_counts, errors_5xx, failures
    (no HTTP answer), p50_ms, p95_ms, max_ms, mean_ms, requests_per_s, wall_s,
    startup_s, server_peak_rss_mb, load_average (the machine's 1-minute load at the end).
    """
    import httpx

    if n < 1 or concurrency < 1:
        raise NewsauditError("the load test needs n >= 1 and concurrency >= 1")
    if endpoint not in ENDPOINTS:
        raise NewsauditError(f"unknown endpoint {endpoint!r}; choose one of: {', '.join(ENDPOINTS)}")
    if endpoint == "search" and not db:
        raise NewsauditError("the search load test needs a fact-check store (db)")
    payloads = [payload or DEFAULT_ARTICLE] if endpoint == "analyze" else [
        {"query": q, "top": 5} for q in SEARCH_QUERIES]
    path = ENDPOINTS[endpoint]
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-c", _SERVER, str(port), str(workers), str(max(concurrency, 1) + n), db or "",
         str(server_timeout_s)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    watcher = _RssWatcher(proc.pid)
    watcher.start()
    try:
        deadline = time.monotonic() + startup_timeout_s
        while True:
            if proc.poll() is not None:
                err = (proc.stderr.read() or b"").decode(errors="replace").strip().splitlines()
                raise NewsauditError(f"the server exited during start-up: {err[-1] if err else proc.returncode}")
            try:
                if httpx.get(base + "/v1/health", timeout=1.0, trust_env=False).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise NewsauditError(f"the server did not answer within {startup_timeout_s:g} s")
            time.sleep(0.2)
        startup_s = time.monotonic() - started
        # warm-up: one request per worker at once, so that each worker has loaded what it needs
        _lat, warm = asyncio.run(_fire(base + path, workers, workers, payloads[:1], request_timeout_s))
        if set(warm) != {"200"}:
            raise NewsauditError(f"warm-up requests failed: {dict(warm)}")
        t0 = time.perf_counter()
        latencies, statuses = asyncio.run(_fire(base + path, n, concurrency, payloads, request_timeout_s))
        wall = time.perf_counter() - t0
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        watcher.stop()
        if proc.stderr:
            proc.stderr.close()
    ms = [x * 1000 for x in latencies]
    return {
        "endpoint": path,
        "requests": n,
        "concurrency": concurrency,
        "workers": workers,
        "status_counts": dict(sorted(statuses.items())),
        "errors_5xx": sum(v for k, v in statuses.items() if k.startswith("5")),
        "failures": sum(v for k, v in statuses.items() if k.startswith("error")),
        "p50_ms": round(_percentile(ms, 0.50), 1),
        "p95_ms": round(_percentile(ms, 0.95), 1),
        "max_ms": round(max(ms), 1) if ms else None,
        "mean_ms": round(sum(ms) / len(ms), 1) if ms else None,
        "requests_per_s": round(n / wall, 2) if wall > 0 else None,
        "wall_s": round(wall, 2),
        "startup_s": round(startup_s, 2),
        "server_peak_rss_mb": round(watcher.peak / 2**20, 1),
        "server_timeout_s": server_timeout_s,
        "load_average": round(os.getloadavg()[0], 2),
    }


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m benchmarks.service", description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=200, help="requests (default 200)")
    parser.add_argument("concurrency", type=int, nargs="?", default=20, help="in flight at once (default 20)")
    parser.add_argument("--db", help="fact-check store the server is started with")
    parser.add_argument("--endpoint", choices=sorted(ENDPOINTS), default="analyze")
    parser.add_argument("--timeout", type=float, default=60.0, help="the server's time limit of one analysis (default 60)")
    args = parser.parse_args(argv)
    result = run_loadtest(args.n, args.concurrency, endpoint=args.endpoint, db=args.db, server_timeout_s=args.timeout)
    sys.stdout.write(json.dumps(result, indent=2) + "\n")
    return 0 if result["errors_5xx"] == 0 and result["failures"] == 0 else 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
