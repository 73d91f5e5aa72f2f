"""Trained models, evaluated in numpy over a spaCy parse: headline-body stance
(:mod:`newsaudit.models.stance`, FNC-1) and check-worthiness
(:mod:`newsaudit.models.checkworthy`, CLEF 2019 CheckThat! Task 1).

Inference needs numpy and the spaCy objects it is handed; training imports
torch or scikit-learn inside the training functions only, so an analysis never
loads them.  A model is a folder (``config.json``, ``vocab.tsv``,
``net.npz``/``net.json``; no pickle) read as its ``config.json`` says, so a
retrained folder replaces the shipped one without code changes.

Shared here: :mod:`.numpy_net` (the network), :mod:`.vocab` (idf and
bag-of-words indices), :mod:`.folder` (reading and writing a model folder),
:mod:`.torch_fit` (training a network with torch).
"""
