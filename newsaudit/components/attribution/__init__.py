"""newsaudit_attribution: who says what.

By default the learned attribution model (:mod:`newsaudit.models.attribution`,
trained on PolNeAR) finds cue, source and content (:mod:`.learned`), then the
precision rules (:mod:`.precision`, two data files) drop what a careful reader
does not call an attribution (acts such as "approved", refusals such as
"declined to comment", relay phrases) and add ``as reported by X``; where the
model passed over plain speech ("according to X", a speech verb or noun with its
own speaker and a clause), the rules' reading is added (:mod:`.missed`, its
``rule`` ending ``+model-missed``); pronoun
speakers are then resolved as step 5 below says.  ``model = "rules"`` runs the
rule system alone, as before the model:

A rule-based, doc-level attribution extractor over spaCy's dependency parse.

1. Quote marks are paired once per doc into quotation spans by the one quote
   scanner (:func:`newsaudit.text.quotes.quotations`), across sentences and paragraphs.  Odd or unbalanced
   quote marks never raise and never drop text: an unclosed quote ends at its
   paragraph's end, unless the next paragraph opens with a quote mark (the
   newspaper convention for a quotation that runs over several paragraphs).
2. Cues are verbs whose lemma is in the cue lexicon (a hand-written list plus an
   optional list learned from PolNeAR train), ``according to`` and colons after
   a reporting verb (``Rt.com reports: ...``).
3. For each cue the source is its subject (``nsubj``; the ``by`` agent of a
   passive; the noun a ``who said`` relative clause hangs on), and the content
   is, in order of preference: what follows a colon (rest of the paragraph, or
   the next paragraph); an adjacent quotation (before and/or after the
   source+cue clause); the clausal complement; the clause the cue is inserted
   in (``The plan, the military said, is ...``); the direct object.
4. ``kind`` is ``direct`` when quote marks cover the content, ``mixed`` when
   they cover part of it, ``indirect`` otherwise.
5. Pronoun sources (he/she/it/they) are resolved to the nearest earlier
   compatible named source, else the nearest earlier compatible entity.
6. Two data-driven filters, both measured on PolNeAR train (files under
   ``newsaudit/data/lexicons/``, rebuilt with ``newsaudit train cues`` and
   ``newsaudit train rules``): (cue lemma, rule) pairs with a low precision
   are dropped, and cue verbs only the learned lexicon lists need a
   speaker-like subject (person, group, organisation).

``rule`` on each :class:`Attribution` is ``RULE:LEMMA``, e.g. ``quote-cue:say``
(“...,” X said), ``cue-quote:say`` (X said, “...”), ``quote-cue-quote:say``,
``clause-cue``, ``colon-quote``, ``colon-paragraph``, ``colon-next-paragraph``,
``complement``, ``inverted`` (..., X said), ``parenthetical`` (A, X said, B),
``xcomp``, ``object``, ``target-prep`` (accused X of ...), ``prep-object``,
``according-to:according``, ``noun-from`` (warnings from X that ...).

Everything is linear in the number of tokens (plus ``log n`` look-ups), so it
costs little next to the parse itself.

The package: :mod:`.candidates` (cue tokens, their sources, the lexicons),
:mod:`.content` (content spans; :class:`RuleContext`), :mod:`.rules` (one
function per kind of cue), :mod:`.spans` (trimming and quotation look-ups) and
:mod:`.extractor` (the component and its factory).
"""

from __future__ import annotations

from .candidates import CueLexicons, read_learned, read_lexicon, read_rule_filter
from .content import RuleContext
from .extractor import AttributionExtractor, make_attribution
from .spans import QuoteIndex

__all__ = [
    "AttributionExtractor",
    "CueLexicons",
    "QuoteIndex",
    "RuleContext",
    "make_attribution",
    "read_learned",
    "read_lexicon",
    "read_rule_filter",
]
