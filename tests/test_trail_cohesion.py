"""The trail's cohesion is average linkage: two groups join on a meaning edge only when the average
cosine between the statements of one and those of the other reaches it (hand-made unit vectors, no
model)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from newsaudit.corpus.trail.group import GroupOptions, group_nodes


def _at(*degrees: float) -> np.ndarray:
    """Unit vectors in the plane at these angles."""
    return np.asarray([[math.cos(math.radians(d)), math.sin(math.radians(d))] for d in degrees], dtype=np.float32)


def _groups(vectors: np.ndarray, cohesion: float | None) -> list[int]:
    n = len(vectors)
    opts = GroupOptions(threshold=0.7, knn=5, factcheck_threshold=None, cohesion=cohesion)
    roots = group_nodes(vectors, np.arange(n), [None] * n, [set() for _ in range(n)], opts)
    ids: dict[int, int] = {}
    return [ids.setdefault(int(r), len(ids)) for r in roots]


@pytest.mark.parametrize(
    ("degrees", "cohesion", "expected"),
    [
        # a chain A-B-C (A and C 80 degrees apart): the mean of A and B is 60 degrees from C (cosine 0.5),
        # but the average of C's cosines to A and B is 0.47, so average linkage keeps C out at 0.49
        ((0, 40, 80), 0.49, [0, 0, 1]),
        ((0, 40, 80), 0.45, [0, 0, 0]),
        ((0, 40, 80), None, [0, 0, 0]),
        # close statements join whatever the cohesion
        ((0, 5, 10), 0.9, [0, 0, 0]),
        # no edge at the threshold: nothing joins
        ((0, 60), None, [0, 1]),
    ],
)
def test_trail_cohesion_is_average_linkage(degrees, cohesion, expected):
    assert _groups(_at(*degrees), cohesion) == expected
