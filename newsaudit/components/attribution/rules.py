"""The extraction rules, one function per kind of cue, each over a :class:`RuleContext`.

* :func:`according_to`: "according to X, ..." (the rest of the sentence);
* :func:`name_colon`: ``NAME: content`` at the start of a paragraph;
* :func:`verb_cue`: a cue verb, whose content is, in order of preference,
  what follows a colon, an adjacent quotation (before and/or after the
  source+cue clause), the clausal complement, the clause the cue is inserted
  in ("The plan, the military said, is ..."), a "target" preposition
  ("accused X of ..."), the direct object, or a content preposition.

``rule`` on each result is ``RULE:LEMMA`` (see the package docstring).
"""

from __future__ import annotations

from spacy.tokens import Token

from ...text.quotes import QUOTE_CHARS, SINGLE_OPEN, opens_quote
from ...types import DIRECT
from .candidates import verb_source
from .content import (
    RuleContext,
    colon_content,
    next_quote,
    prep_object,
    quote_leads,
    widen_quote,
)
from .spans import Found, phrase, sentence_lead, tok_end, trim, trim_keep_quotes

CONTENT_DEPS = ("ccomp", "xcomp", "csubj")
#: Rules fired by a cue verb (not by "according to" or a colon).
LEXICON_RULES = (
    "quote-cue", "cue-quote", "clause-cue", "colon-", "complement", "inverted", "parenthetical", "xcomp", "object",
    "target-prep", "prep-object",
)


def according_to(ctx: RuleContext, tok: Token) -> Found | None:
    """"according to X": X is the source; the rest of the sentence (before or after) the content."""
    doc, text = ctx.doc, ctx.text
    to = doc[tok.i + 1]
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if pobj is None:
        if to.i + 1 >= len(doc):
            return None
        pobj = doc[to.i + 1]
    source = phrase(pobj)
    phrase_start, phrase_end = tok.idx, max(source[1], tok_end(to))
    sent = tok.sent
    before = trim(text, sent.start_char, phrase_start)
    after = trim(text, phrase_end, sent.end_char)
    if before[1] - before[0] < 3:
        content = after
    elif after[1] - after[0] < 3:
        content = before
    else:
        content = (before[0], after[1])
    content = widen_quote(ctx, *content)
    if content[1] - content[0] < 2:
        return None
    return Found(ctx.kind(*content), content, source, (tok.idx, tok_end(to)), "according-to:according", pobj)


def name_colon(ctx: RuleContext, tok: Token) -> Found | None:
    """``NAME: content`` at the start of a paragraph (headlines, transcripts)."""
    doc, text = ctx.doc, ctx.text
    p = ctx.paragraph_of(tok.idx)
    if p < 0:
        return None
    p_start, p_end = ctx.paragraphs[p]
    if tok.idx - p_start > 60:
        return None
    names = 0
    j = tok.i - 1
    while j >= 0 and doc[j].idx >= p_start:
        t = doc[j]
        if t.pos_ in ("VERB", "AUX") or "\n" in t.text:
            return None
        if t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
            names += 1
        j -= 1
    first = j + 1
    if names == 0 or first >= tok.i or tok.i - first > 6:
        return None
    content = trim_keep_quotes(text, tok_end(tok), p_end)
    if content[1] - content[0] < 10:
        return None
    source = trim(text, doc[first].idx, tok.idx)
    if text[source[0] : source[0] + 1] in QUOTE_CHARS:
        source = (source[0] + 1, source[1])
    return Found(ctx.kind(*content), content, source, (tok.idx, tok_end(tok)), "name-colon:colon", doc[tok.i - 1])


def _after_cue(ctx: RuleContext, tok: Token) -> tuple[Token | None, tuple[int, int] | None]:
    """(a colon, a quotation) that follows the cue closely ("said in a statement: “...”")."""
    doc = ctx.doc
    addressee = ctx.lexicons.verb_classes.get(tok.lemma_.lower()) == "addressee"
    j = tok.i + 1
    limit = min(len(doc), tok.i + 8)
    while j < limit:
        t = doc[j]
        if t.text == ":":
            return t, None
        if opens_quote(t.text, 0) or t.text[:1] == SINGLE_OPEN:
            return None, ctx.quotes.starting_at(t.idx)
        if t.pos_ in ("VERB", "AUX") or (t.is_sent_end and t.text in ".!?") or "\n" in t.text:
            break
        if t.dep_ in CONTENT_DEPS or t.dep_ in ("mark", "nsubj", "nsubjpass", "attr", "acomp"):
            break
        if t.dep_ == "dobj" and not addressee:
            break
        j += 1
    return None, None


def _quoted_content(
    ctx: RuleContext, tok: Token, source: tuple[int, int] | None, source_tok: Token | None, after_quote: tuple[int, int] | None
) -> tuple[tuple[int, int], str] | None:
    """A quotation next to the source+cue clause: before it, after it, or both."""
    own_subject = source_tok is not None and (source_tok.head.i == tok.i or tok.dep_ == "relcl")
    clause_start = min(tok.idx, source[0]) if source and own_subject else tok.idx
    before_quote = ctx.quotes.ending_before(clause_start)
    lead = sentence_lead(ctx.text, before_quote[0]) if before_quote is not None else None
    if before_quote is not None and lead is not None and lead < before_quote[0]:
        # A quote inside a clause ("The planned “provocation,” the military
        # said, ..."): the clause, not just the quoted words, is the content.
        return ((lead, before_quote[1]), "clause-cue") if tok.dep_ != "parataxis" else None
    if before_quote is not None and quote_leads(ctx, before_quote, tok):
        if after_quote is None:
            after_quote = next_quote(ctx, tok)
        if after_quote is not None:
            return (before_quote[0], after_quote[1]), "quote-cue-quote"
        return before_quote, "quote-cue"
    if after_quote is not None:
        return after_quote, "cue-quote"
    return None


def _parsed_content(ctx: RuleContext, tok: Token, source_tok: Token | None) -> tuple[tuple[int, int], str] | None:
    """The content from the parse: a complement, the clause around an inserted cue,
    a target preposition, the direct object, a content preposition."""
    text = ctx.text
    skip = source_tok.i if source_tok is not None else -1
    comps = [c for c in tok.children if c.dep_ in CONTENT_DEPS and c.i != skip]
    # A complement after the cue wins over one before it.
    comp = next((c for c in comps if c.i > tok.i), comps[0] if comps else None)
    if comp is not None:
        rule = "inverted" if comp.i < tok.i else ("complement" if comp.dep_ != "xcomp" else "xcomp")
        return trim(text, comp.left_edge.idx, tok_end(comp.right_edge)), rule
    if tok.dep_ == "parataxis" and tok.head is not tok:
        head = tok.head
        start, end = head.left_edge.idx, tok_end(head.right_edge)
        own_start, own_end = tok.left_edge.idx, tok_end(tok.right_edge)
        if own_start <= start:
            start = own_end
        elif own_end >= end:
            end = own_start
        return trim(text, start, end), "parenthetical"
    vclass = ctx.lexicons.verb_classes.get(tok.lemma_.lower())
    if vclass == "target":
        content = prep_object(ctx, tok)
        if content:
            return content, "target-prep"
    if vclass != "addressee":
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        if obj is not None and obj.i > tok.i:
            end = tok_end(obj.right_edge)
            for child in tok.rights:
                if child.i > obj.i and child.dep_ in ("prep", "oprd", "advmod", "npadvmod", "xcomp", "ccomp", "acomp"):
                    end = max(end, tok_end(child.right_edge))
            return trim(text, obj.left_edge.idx, end), "object"
    content = prep_object(ctx, tok)
    return (content, "prep-object") if content else None


def verb_cue(ctx: RuleContext, tok: Token) -> Found | None:
    """An attribution cued by verb ``tok`` (see the module docstring)."""
    text = ctx.text
    source, source_tok = verb_source(tok)
    cue = (tok.idx, tok_end(tok))
    colon, after_quote = _after_cue(ctx, tok)
    found = colon_content(ctx, colon) if colon is not None else None
    if found is None:
        found = _quoted_content(ctx, tok, source, source_tok, after_quote)
    if found is None:
        found = _parsed_content(ctx, tok, source_tok)
    if found is None:
        return None
    content, rule = found
    content = trim_keep_quotes(text, *content)
    if not rule.startswith(("quote", "cue-quote", "colon")):
        wide = widen_quote(ctx, *content)
        if not wide[0] <= cue[0] < wide[1]:
            content = wide
    if content[1] <= content[0]:
        return None
    # The content must not swallow the cue itself (parser oddities).
    if content[0] <= cue[0] < content[1] and rule not in ("quote-cue-quote", "parenthetical"):
        return None
    # "“A,” he said. “B.”": both parts are quoted; the cue clause between is not content.
    kind = DIRECT if rule == "quote-cue-quote" else ctx.kind(*content)
    return Found(kind, content, source, cue, f"{rule}:{tok.lemma_.lower()}", source_tok)
