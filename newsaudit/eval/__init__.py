"""Evaluations: a reusable P/R/F1 scorer and the PolNeAR attribution evaluation.

Nothing here is imported by the analysis pipeline; ``newsaudit eval ...`` loads it.
"""
