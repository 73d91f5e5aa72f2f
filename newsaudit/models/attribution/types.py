"""Plain data types of the attribution model (no spaCy, no newsaudit imports)."""

from __future__ import annotations

from dataclasses import dataclass

Piece = tuple[int, int]
Pieces = tuple[Piece, ...]


@dataclass(frozen=True)
class Relation:
    """One attribution relation as character pieces (end exclusive); gold or predicted.

    A discontinuous span is a tuple of several pieces; ``None`` is an absent role.
    """

    content: Pieces
    cue: Pieces | None = None
    source: Pieces | None = None


@dataclass(frozen=True)
class AttributionCandidate:
    """One attribution found by :meth:`.model.AttributionModel.predict` (character offsets into ``doc.text``).

    ``content`` is one extent ``(start, end)``; when the content is a quotation
    interrupted by its own source and cue (``“A,” he said. “B.”``) ``pieces``
    holds the quoted parts and ``content`` spans them all.
    """

    content: Piece
    cue: Piece | None
    source: Piece | None
    kind: str  # direct | indirect | mixed
    rule: str
    score: float
    pieces: Pieces = ()
    #: index of the cue's head token in the doc (-1 when unknown)
    cue_index: int = -1
    #: the antecedent when the source is a relative pronoun ("locals who told him": "locals")
    resolved_source: Piece | None = None

    def relation(self) -> Relation:
        """The scorer's view of this candidate."""
        return Relation(
            content=self.pieces or (self.content,),
            cue=(self.cue,) if self.cue else None,
            source=(self.source,) if self.source else None,
        )
