"""The propaganda-techniques model (SemEval-2020 Task 11): span identification (SI)
and technique classification (TC) over the 14 PTC techniques.

:mod:`.detect` holds the plain functions (what the spaCy component in
:mod:`newsaudit.components.techniques` calls), :mod:`.model` the model folder and
its inference, :mod:`.encoder` the MiniLM token encoder (torch, imported when a
model loads), :mod:`.features` the hand-made features and :mod:`.explain` the
reasons.  Training lives in :mod:`newsaudit.train.techniques`.  Nothing heavy is
imported here.
"""

from __future__ import annotations

#: The 14 techniques of the PTC corpus, in the task's order.
TECHNIQUES: tuple[str, ...] = (
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
)

__all__ = ["TECHNIQUES"]
