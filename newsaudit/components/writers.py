"""Who "I" is outside any quotation: the writer of the piece, named where the text names its writer.

* **Letters**: a letters page signs each letter with a paragraph that is only a name ("Michael Pravica.", then
  the town on its own line; "Human Rights." is a heading, its words written in lower case elsewhere in the
  article); "I" in a letter belongs to the next signature after it.
* **Opinion pieces**: the closing paragraph introduces the author ("Charlotte Meehan is playwright-in-residence
  at ..."); "I" anywhere before it is hers.

Elsewhere the writer stays unnamed ("the author").
"""

from __future__ import annotations

import re

from ..text.paragraphs import paragraph_bounds
from ..types import Span

NAME = r"[A-Z][\w'’-]*\.?(?:[ \t]+[A-Z][\w'’-]*\.?){1,3}"
#: A paragraph that is only a name: a letter's signature.
SIGNATURE = re.compile(rf"[ \t]*[—–-]?[ \t]*(?P<name>{NAME})[ \t]*\.?[ \t]*$")
#: A closing paragraph that introduces the author: "NAME is ...", "NAME, a ..., is ...".
BIO = re.compile(rf"[ \t]*(?P<name>{NAME})(?:[ \t]+is|[ \t]+was|,[ \t]+(?:a|an|the)[ \t])")
#: Words in capitals that end paragraphs without being anyone's name.
NOT_NAMES = frozenset({"Getty Images", "Associated Press", "Read More", "Related Stories", "The End"})
#: First words of a title or heading, never of a name.
NOT_FIRST = frozenset({"The", "A", "An", "In", "On", "Our", "My", "Your", "This", "That", "What", "Why", "How", "When", "Read", "More"})


def _ordinary(text: str, name: str) -> bool:
    """Whether a short paragraph is a heading, not a signature: its words are ordinary ones the article also writes in
    lower case ("Human Rights." beside "human rights"); a person's name is not written so."""
    words = [w.strip(".").lower() for w in name.split() if len(w.strip(".")) > 2]
    return any(re.search(rf"(?<![\w.]){re.escape(w)}\b", text) for w in words)


def writer_at(text: str, pos: int) -> Span | None:
    """The name of whoever writes "I" at ``pos`` (outside quotations); None when the text names no writer."""
    paragraphs = paragraph_bounds(text)
    for start, end in paragraphs:
        if end <= pos:
            continue
        found = SIGNATURE.match(text, start, end)
        if found is not None and found.group("name").rstrip(".") not in NOT_NAMES and start > pos and \
                found.group("name").split()[0] not in NOT_FIRST and not _ordinary(text, found.group("name")):
            name_end = found.end("name") - (1 if found.group("name").endswith(".") else 0)
            return Span(found.start("name"), name_end, text[found.start("name") : name_end])
    if paragraphs:
        start, end = paragraphs[-1]
        found = BIO.match(text, start, end)
        if found is not None and start > pos:
            return Span(found.start("name"), found.end("name"), found.group("name"))
    return None
