"""Approximate nearest-neighbour index (hnswlib, cosine) over a store's vectors.

The index lives next to the database (``<db>.hnsw/``: ``claim.bin``,
``title.bin``, ``state.json``).  ``state.json`` records the store's
generation, row count and encoder; when any differs (a new import happened) or
a file is missing or unreadable, the index rebuilds itself from the vectors
stored in the database.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import numpy as np

from .store import FactCheckStore

#: hnswlib build parameters.
M = 16
EF_CONSTRUCTION = 200
EF_SEARCH = 128

_lock = threading.Lock()


def build_hnsw(vectors: np.ndarray, labels: np.ndarray, *, m: int = M, ef_construction: int = EF_CONSTRUCTION,
               threads: int = -1) -> Any:
    """A cosine hnswlib index over ``vectors`` (n, dim) labelled ``labels``."""
    import hnswlib

    index = hnswlib.Index(space="cosine", dim=int(vectors.shape[1]))
    index.init_index(max_elements=max(1, len(vectors)), M=m, ef_construction=ef_construction)
    if len(vectors):
        index.add_items(vectors, labels, num_threads=threads)
    index.set_ef(EF_SEARCH)
    return index


class VectorIndex:
    """The claim and title ANN indexes of one store, rebuilt when stale."""

    def __init__(self, store: FactCheckStore) -> None:
        self.store = store
        self.dir = store.path.with_name(store.path.name + ".hnsw")
        self.claim = None
        self.title = None
        self.sizes = {"claim": 0, "title": 0}
        self.rebuilt = False

    def _state(self) -> dict:
        return {"generation": self.store.generation, "rows": self.store.count_vectors(),
                "encoder": self.store.get_meta("encoder"), "dim": int(self.store.get_meta("dim") or 0),
                "m": M, "ef_construction": EF_CONSTRUCTION}

    def is_stale(self) -> bool:
        state_file = self.dir / "state.json"
        try:
            saved = json.loads(state_file.read_text())
        except (OSError, ValueError):
            return True
        want = self._state()
        return any(saved.get(k) != v for k, v in want.items())

    def load(self) -> VectorIndex:
        """Load the saved indexes, rebuilding them first when stale or unreadable."""
        with _lock:
            if not self.is_stale():
                try:
                    self._load_files()
                    return self
                except (OSError, RuntimeError, ValueError):
                    pass
            self.rebuild()
        return self

    def _load_files(self) -> None:
        import hnswlib

        saved = json.loads((self.dir / "state.json").read_text())
        dim = saved["dim"]
        for which in ("claim", "title"):
            n = saved.get(f"{which}_count", 0)
            self.sizes[which] = n
            if n == 0:
                setattr(self, which, None)
                continue
            index = hnswlib.Index(space="cosine", dim=dim)
            index.load_index(str(self.dir / f"{which}.bin"), max_elements=n)
            index.set_ef(EF_SEARCH)
            setattr(self, which, index)

    def rebuild(self) -> None:
        """Build the indexes from the stored vectors and save them next to the store; when that
        place cannot be written (a store on read-only media), they are kept in memory only."""
        state = self._state()
        built = {}
        for which in ("claim", "title"):
            ids, mat = self.store.all_vectors(which)
            self.sizes[which] = len(ids)
            state[f"{which}_count"] = len(ids)
            built[which] = build_hnsw(mat, ids) if len(ids) else None
            setattr(self, which, built[which])
        self.rebuilt = True
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            for which, index in built.items():
                if index is not None:
                    index.save_index(str(self.dir / f"{which}.bin"))
            (self.dir / "state.json").write_text(json.dumps(state))
        except (OSError, RuntimeError):  # read-only media: the indexes live in memory for this process
            pass

    def query(self, vectors: np.ndarray, k: int, which: str = "claim") -> list[list[tuple[int, float]]]:
        """For each query vector, up to ``k`` (rowid, cosine) pairs, best first."""
        index = getattr(self, which)
        n = self.sizes[which]
        if index is None or n == 0 or len(vectors) == 0:
            return [[] for _ in range(len(vectors))]
        k = min(k, n)
        index.set_ef(max(EF_SEARCH, k))
        labels, dists = index.knn_query(vectors, k=k)
        return [
            [(int(label), float(1.0 - d)) for label, d in zip(lrow, drow, strict=False)]
            for lrow, drow in zip(labels, dists, strict=False)
        ]
