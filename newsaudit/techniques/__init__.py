"""Propaganda techniques (SemEval-2020 Task 11): span identification (SI) and
technique classification (TC) over the 14 PTC techniques.

Plain-Python entry points live in :mod:`.api`; the spaCy component in
:mod:`.component`; the CLI (``newsaudit techniques``) in :mod:`.cli`.
Nothing heavy is imported here.
"""

from .semeval import TECHNIQUES

__all__ = ["TECHNIQUES"]
