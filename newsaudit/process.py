"""Worker processes die with the process that started them.

A batch or a server that is killed (``kill -9``, out of memory) cannot stop
its workers, so each worker watches for its parent's death itself, twice over:

* on Linux, ``prctl(PR_SET_PDEATHSIG, SIGKILL)``: the kernel kills the worker
  the moment the thread that started it ends (so workers are started from a
  thread that lives as long as the pool: the main thread, or a pool's own
  spawner thread);
* everywhere, a daemon thread that checks every :data:`WATCH_INTERVAL_S`
  seconds whether the parent is still the parent, and ends the process at once
  (``os._exit``: no clean-up, no traceback) when it is not.

Nothing here imports anything heavy; a worker calls :func:`die_with_parent`
first thing.
"""

from __future__ import annotations

import os
import signal
import sys
import threading

#: How often the watchdog thread checks that the parent is alive, in seconds.
WATCH_INTERVAL_S = 0.5

#: ``PR_SET_PDEATHSIG`` of ``<sys/prctl.h>``.
PR_SET_PDEATHSIG = 1


def _set_pdeathsig() -> bool:
    """Ask the kernel to SIGKILL this process when its parent thread ends (Linux); False elsewhere."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent_pid: int) -> None:
    import time

    while True:
        if os.getppid() != parent_pid:
            os._exit(0)
        time.sleep(WATCH_INTERVAL_S)


def die_with_parent(parent_pid: int) -> None:
    """End this process when ``parent_pid`` (the process that started it) is gone.

    Call it first thing in a worker, with the parent's pid passed from the
    parent (``os.getpid()`` there): a parent that died before the call is seen
    at once.
    """
    _set_pdeathsig()
    if os.getppid() != parent_pid:
        os._exit(0)
    threading.Thread(target=_watch, args=(parent_pid,), name="newsaudit-parent-watch", daemon=True).start()
