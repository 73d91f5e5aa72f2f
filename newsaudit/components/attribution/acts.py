"""What a cue names that is not a report of speech: an act ("approved a resolution"), a purpose ("to blame on
the government"), a citation ("cited unnamed sources"), the people told or asked ("Shop owners were never asked").
:func:`.precision.drop_reason` reads these rules; ``non_speech_cues.tsv`` says which verb takes which."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from ...models.attribution.types import AttributionCandidate
from ...models.modality.cues import claim_nouns
from ...text.spans import char_span
from ..source_kinds import document_terms, has_verb, names_a_source
from ..source_roles import is_person_noun

#: Verbs whose direct object is the person addressed, not the content ("told reporters").
ADDRESSEE_VERBS = frozenset({"tell", "ask", "inform", "assure", "remind", "warn", "urge", "brief", "notify", "advise"})


def passive_addressee(cand: AttributionCandidate, tok: Token, lemma: str) -> bool:
    """The content is the people told or asked, the subject of a passive addressee verb with no agent ("Shop owners
    were never asked"; not "a different side of the story was told by The Daily Caller")."""
    if lemma not in ADDRESSEE_VERBS or cand.content[1] > tok.idx or any(c.dep_ == "agent" for c in tok.children):
        return False
    return any(c.dep_ == "nsubjpass" and cand.content[0] <= c.idx < cand.content[1] and (
        c.tag_ == "PRP" or c.ent_type_ in ("PERSON", "NORP") or is_person_noun(c.lemma_)) for c in tok.children)


def question_put(cand: AttributionCandidate, tok: Token, lemma: str) -> bool:
    """A fronted "Asked about his health, Hendry laughed": the question put to the sentence's subject, with no
    one to say it and no clause said; what the subject answers is the report."""
    return (lemma == "ask" and tok.tag_ == "VBN" and tok.dep_ == "advcl" and tok.i < tok.head.i
            and not any(c.dep_ in ("ccomp", "nsubj", "nsubjpass") for c in tok.children))


def as_if(tok: Token) -> bool:
    """"..., as if saying it made it so": a comparison the writer draws, not a report of speech."""
    marks = [c.lower_ for c in tok.children if c.dep_ == "mark"]
    return marks[-2:] in (["as", "if"], ["as", "though"])


#: Phrasal verbs (lemma, particle) that name an act whatever their verb alone names ("called off the wedding").
PHRASAL_ACTS = frozenset({("call", "off")})


def non_speech(doc: Doc, cand: AttributionCandidate, tok: Token, lemma: str, when: str | None, content: str) -> str | None:
    """The rules of ``non_speech_cues.tsv``: a verb that names an act, always or without a clause; and a phrasal
    verb of :data:`PHRASAL_ACTS`."""
    if any(c.dep_ == "prt" and (lemma, c.lower_) in PHRASAL_ACTS for c in tok.children):
        return f"an act, not speech ({lemma} {next(c.lower_ for c in tok.children if c.dep_ == 'prt')})"
    if when == "always":
        return f"an act, not speech ({lemma})"
    if when in ("unless-clause", "unless-clause-or-document", "unless-clause-or-claim"):
        clause = any(c.dep_ == "ccomp" for c in tok.children) or cand.kind != "indirect" or content.lower().startswith("that ")
        if not clause and not (when == "unless-clause-or-document" and document_subject(tok)) and not (
                when == "unless-clause-or-claim" and _claim_object(tok)):
            return f"an act, not speech, without a clause or quotation ({lemma})"
    if when == "unless-content-clause" and cand.kind == "indirect" and _content_without_clause(doc, cand):
        return f"an act, not speech, whose object holds no clause ({lemma})"
    if when == "unless-not-a-role" and _content_without_clause(doc, cand) and _role_object(doc, cand):
        return f"an appointment, not speech ({lemma} a person to a role)"  # "Marla Quinn named new host of ..."
    if when == "passive-for":
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children) or (tok.tag_ == "VBN" and tok.dep_ in ("acl", "relcl"))
        if passive and any(c.dep_ == "prep" and c.lower_ == "for" for c in tok.children):
            return f"a penalty, not speech ({lemma} for)"
    return None


def _role_object(doc: Doc, cand: AttributionCandidate) -> bool:
    """The content's head is a noun of a person or a role ("new host of \"Late Hour\"", "the victim as John Smith")."""
    span = char_span(doc, cand.content[0], cand.content[1])
    return span is not None and span.root.pos_ == "NOUN" and is_person_noun(span.root.text)


def _claim_object(tok: Token) -> bool:
    """The verb's object is a claim ("rejected the accusation", "rejected these reports"): a denial, which is speech."""
    return any(c.dep_ == "dobj" and c.lower_ in claim_nouns() for c in tok.children)


def document_subject(tok: Token) -> bool:
    """The verb's subject is a document that states findings ("Polls show a close contest", "A USA TODAY analysis
    ... shows Democratic groups outpacing Republicans"): a word ``source_types.tsv`` gives the role document."""
    subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    return subject is not None and (subject.lemma_.lower() in document_terms() or subject.lower_ in document_terms())


def cited_source(doc: Doc, cand: AttributionCandidate) -> bool:
    """The indirect content holds no clause and its head noun is a source: a person or body the parser names, or a
    word ``source_types.tsv`` knows ("unnamed sources close to the production", "a report by Reuters")."""
    if cand.kind != "indirect" or not _content_without_clause(doc, cand):
        return False
    span = char_span(doc, cand.content[0], cand.content[1])
    return span is not None and names_a_source(span.root)


def _content_without_clause(doc: Doc, cand: AttributionCandidate) -> bool:
    """The content has no verb: a thing ("'top secret' messages"), not something said.  A participle that only
    describes a noun ("the *ruling* party", "a *retired* general") is no verb here."""
    span = char_span(doc, cand.content[0], cand.content[1])
    return span is not None and not has_verb(span)


def purpose_without_clause(doc: Doc, cand: AttributionCandidate, tok: Token) -> bool:
    """An infinitive of purpose whose content holds no clause: "preparing an attack *to blame on the
    government*" plans an act; nobody has said anything yet."""
    if cand.kind != "indirect" or tok.tag_ != "VB" or tok.dep_ not in ("advcl", "acl"):
        return False
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children) and _content_without_clause(doc, cand)


#: Modal auxiliaries of advice or obligation: what someone should say has not been said.
ADVICE_MODALS = frozenset({"should", "must", "ought"})


def recommended(tok: Token) -> str | None:
    """The modal of a cue that says what a named or definite someone should do ("The council should demand"), or None;
    "must have said" reports speech, and "should Clinton attempt" is a condition, left to the other rules."""
    aux = [c for c in tok.children if c.dep_ == "aux"]
    modal = next((a for a in aux if a.lower_ in ADVICE_MODALS), None)
    subject = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if modal is None or subject is None or any(a.lower_ == "have" for a in aux) or subject.i > modal.i:
        return None
    # a body or a person the article names (not "voters should know ...", which PolNeAR reads as their view)
    return modal.lower_ if subject.pos_ == "PROPN" or subject.left_edge.lower_ == "the" else None
