"""Evaluations: a reusable P/R/F1 scorer and the PolNeAR attribution evaluation; the
FNC-1 files, dev split and score with the stance runner (``fnc``, ``fnc_score``,
``stance``); the CLEF 2019 files, folds and ranking measures with the
check-worthiness runner (``clef2019``, ``ranking``, ``checkworthy``).

Nothing here is imported by the analysis pipeline; ``newsaudit eval ...`` loads it.
"""
