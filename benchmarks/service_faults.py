"""The service under faults, against a real ``newsaudit serve`` on loopback.

``python -m benchmarks.service_faults [TIMEOUT]`` starts ``newsaudit serve --timeout TIMEOUT``
(default 10; the model preloaded, two warm workers), then:

1. sends a long article (about 1.9 MB) that runs past the limit, and times the answer (a ``504``);
2. sends a short article right after it, and times that answer (a warm worker takes it);
3. sends a request body one byte a second, and times the answer (``408`` at ``--body-timeout``);

and prints the results as JSON, with the server's headers and whether its log holds a traceback.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from typing import Any

from benchmarks.service import DEFAULT_ARTICLE, _free_port

#: A body long enough to run past a 10 s limit on a 2-core machine.
LONG_ARTICLE = {"headline": "Long", "body": "The ministry said the plant was shelled on Friday, officials said. " * 28_000}


def _wait_ready(url: str, proc: subprocess.Popen, timeout_s: float = 300.0) -> dict[str, Any]:
    import httpx

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the server exited during start-up")
        try:
            r = httpx.get(url + "/v1/health", timeout=2, trust_env=False)
            if r.status_code == 200 and r.json().get("model_loaded"):
                return dict(r.headers)
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the server did not start in time")


def _timed_post(url: str, payload: dict[str, Any]) -> tuple[int, float]:
    import httpx

    started = time.monotonic()
    r = httpx.post(url + "/v1/analyze", json=payload, timeout=300, trust_env=False)
    return r.status_code, round(time.monotonic() - started, 2)


def _slow_client(port: int, limit_s: float = 90.0) -> tuple[str, float]:
    """Send the headers, then the body one byte a second; (the status line, seconds until it came)."""
    body = json.dumps(DEFAULT_ARTICLE).encode()
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(b"POST /v1/analyze HTTP/1.1\r\nHost: loopback\r\nContent-Type: application/json\r\n"
                     b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n")
        sock.settimeout(1.0)
        started = time.monotonic()
        answer = b""
        for byte in body:
            try:
                sock.sendall(bytes([byte]))
                chunk = sock.recv(4096)
            except TimeoutError:
                chunk = None
            except OSError:
                break
            if chunk == b"":
                break
            answer += chunk or b""
            if b"\r\n" in answer or time.monotonic() - started > limit_s:
                break
        return answer.split(b"\r\n")[0].decode("latin-1"), round(time.monotonic() - started, 1)


def run(timeout_s: float = 10.0) -> dict[str, Any]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "newsaudit", "serve", "--port", str(port), "--timeout", str(timeout_s)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        headers = _wait_ready(url, proc)
        long_status, long_s = _timed_post(url, LONG_ARTICLE)
        next_status, next_s = _timed_post(url, DEFAULT_ARTICLE)
        slow_status, slow_s = _slow_client(port)
    finally:
        proc.terminate()
        try:
            log, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            log, _ = proc.communicate()
    return {
        "timeout_s": timeout_s,
        "long_article": {"status": long_status, "seconds": long_s},
        "request_after_it": {"status": next_status, "seconds": next_s},
        "slow_client": {"status_line": slow_status, "seconds": slow_s},
        "server_header": "server" in {k.lower() for k in headers},
        "traceback_in_log": "Traceback" in log,
        "load_average": round(os.getloadavg()[0], 2),
    }


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    result = run(float(args[0]) if args else 10.0)
    sys.stdout.write(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
