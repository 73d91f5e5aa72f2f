"""Training: one recipe per shipped model, and the cross-validations that fit models.

* :mod:`.loop`: the one torch training loop (epochs, early stopping, seeding and
  determinism, float16 rounding), and batching by length;
* :mod:`.net`: a :class:`~newsaudit.models.numpy_net.NumpyNet` trained with torch;
* :mod:`.attribution` (with :mod:`.attribution_data` and :mod:`.attribution_nets`),
  :mod:`.stance`, :mod:`.checkworthy` (with :mod:`.checkworthy_cv`) and
  :mod:`.techniques` (with :mod:`.techniques_finetune`, :mod:`.techniques_cv` and
  :mod:`.encode_cache`), :mod:`.modality` (with its claim-grouped cross-validation on Emergent): the
  recipes behind ``newsaudit train ...``;
* :mod:`.lexicons`: the lexicons learned from PolNeAR train.

Every recipe names its hyper-parameters ``<Model>TrainConfig`` and what its
command takes ``<Model>TrainOptions``.  torch and scikit-learn are imported
inside functions only.  This layer sits above ``eval`` (recipes read the
benchmark files and score folds with its scorers) and below the gate.
"""
