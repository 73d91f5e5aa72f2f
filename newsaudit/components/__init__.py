"""newsaudit's spaCy components.  Importing this package declares their factories
(``nlp.add_pipe("newsaudit_attribution")`` and so on); newsaudit itself imports it
only when a pipeline is built."""

from . import attribution, claims, headline, paragraphs, relay, signals, sources, token_attributes  # noqa: F401
