"""Text helpers shared by the loaders and the extractors: the one quote
scanner (:mod:`.quotes`), the one paragraph rule (:mod:`.paragraphs`),
windows for long texts (:mod:`.windows`) and character spans (:mod:`.spans`).

Nothing here knows about attributions, sources or reports.
"""
