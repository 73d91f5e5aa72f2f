"""Plain texts (headlines, say) grouped into trails by the code ``newsaudit trail`` groups statements with.

Each text is one statement of its own article: it is put in its embedded form
(:func:`.statements.embed_text`), embedded by the trail's encoder (and cache),
and grouped by :func:`.group.group_nodes` with the numbers it states, no
source and no fact-check match.  ``newsaudit eval emergent`` groups Emergent's
article headlines this way, without their claim ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .embed_cache import embed_texts
from .group import GroupOptions, group_nodes, numbers_in
from .statements import embed_text


@dataclass(frozen=True)
class TextVectors:
    """The distinct embedded forms of some texts, the form of each text, and their unit vectors."""

    distinct: list[str]
    form_of: np.ndarray
    vectors: np.ndarray


def text_vectors(texts: Sequence[str], encoder: str | None = None, cache: str | Path | None = None,
                 workers: int = 1) -> TextVectors:
    """Embed the distinct forms of ``texts`` once (looked up in, and added to, the trail embedding cache
    beside ``cache`` when given)."""
    index: dict[str, int] = {}
    form_of = np.asarray([index.setdefault(embed_text(t), len(index)) for t in texts], dtype=np.int64)
    distinct = list(index)
    inputs = [cache] if cache is not None else [Path("unused")]
    vectors, _stats = embed_texts(distinct, [list(range(len(distinct)))], inputs, encoder=encoder, workers=workers,
                                  use_cache=cache is not None)
    return TextVectors(distinct, form_of, vectors)


def group_vectors(tv: TextVectors, rows: Sequence[int] | np.ndarray | None = None, threshold: float = 0.8,
                  cohesion: float | None = 0.8, knn: int = 10) -> list[int]:
    """The trail of each text (of the texts ``rows``, all by default), numbered from 1 in order of first
    appearance; a text alone in its group is a trail of its own."""
    picked = np.arange(len(tv.form_of)) if rows is None else np.asarray(rows, dtype=np.int64)
    forms = tv.form_of[picked]
    used, local = np.unique(forms, return_inverse=True)
    numbers = [numbers_in(tv.distinct[int(f)]) for f in used]
    opts = GroupOptions(threshold=threshold, knn=knn, factcheck_threshold=None, cohesion=cohesion)
    roots = group_nodes(tv.vectors[used], np.arange(len(used)), [None] * len(used), [set() for _ in used], opts,
                        numbers)
    ids: dict[int, int] = {}
    return [ids.setdefault(int(roots[int(k)]), len(ids) + 1) for k in local]


def group_texts(texts: Sequence[str], threshold: float = 0.8, cohesion: float | None = 0.8, knn: int = 10,
                encoder: str | None = None, cache: str | Path | None = None) -> list[int]:
    """The trail of each of ``texts`` (see the module docs)."""
    return group_vectors(text_vectors(texts, encoder, cache), None, threshold, cohesion, knn)
