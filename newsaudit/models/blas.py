"""numpy's BLAS on one thread for a block of small matrix work (threadpoolctl, when installed)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from threadpoolctl import ThreadpoolController

_blas_controller: ThreadpoolController | None = None


@contextlib.contextmanager
def single_thread_blas() -> Iterator[None]:
    """Run numpy's BLAS on one thread inside the block (threadpoolctl, when installed; else nothing).

    The matrices of newsaudit's models are small: a second BLAS thread saves nothing and, on a loaded
    machine, costs several times the work waiting for a core (measured: the attribution model's matrix
    products took ~10x longer with OpenBLAS's default two threads under load, and fitting the modality
    model's logistic regression 39 s instead of 2)."""
    global _blas_controller
    try:
        if _blas_controller is None:
            from threadpoolctl import ThreadpoolController

            _blas_controller = ThreadpoolController()
        limiter = _blas_controller.limit(limits=1, user_api="blas")
    except ImportError:
        limiter = contextlib.nullcontext()
    with limiter:
        yield
