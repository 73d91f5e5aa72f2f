"""The data types that flow through newsaudit's stages.

load -> parse (spaCy) -> extract -> match -> render.  Every finding carries
character offsets into ``Article.text`` (the headline, a blank line, then the
body), so a report can always point at its evidence.

All types are frozen dataclasses: cheap to pickle across processes (``nlp.pipe``
with ``n_process``, Dask workers) and safe to share.  ``to_dict`` gives the JSON
form documented in docs/report.md (schema version :data:`SCHEMA_VERSION`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypedDict

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan

#: Version of the JSON report.  A minor version adds keys; a major version renames or removes them.
#: 1.1 added ``techniques[].reason``; 1.2 ``article.foreign_spans``, ``headline_check.concern``,
#: ``concern_reasons`` and ``stance``, and the verdict ``contradicted-in-body``; 2.0 replaced a source's
#: ``type`` and ``named`` with ``role`` and ``identity`` (and a relay node's ``type`` with ``role``), and added
#: ``speaks_for``, ``non_answers`` and the summary's independent voices; it also renamed the headline verdicts
#: (:data:`OLD_VERDICTS`), added ``headline-hedges`` and ``headline-drops-hedge``, and
#: ``headline_check.headline_modality``, ``denials`` and ``matches[].modality``; 2.1 added ``sources[].sums_up``.
SCHEMA_VERSION = "2.1"

#: Separator between headline and body in ``Article.text``.
HEADLINE_SEPARATOR = "\n\n"


# The closed vocabularies of the report.  Each enum is the single source of its
# values: the JSON schema (report.schema.json), docs/report.md and the
# renderers list exactly these members (tests/test_types_vocabulary.py checks it).
# They are StrEnums, so a member is the string itself ("attributed" == Verdict.ATTRIBUTED).


class AttributionKind(StrEnum):
    """How the content is reported."""

    DIRECT = "direct"  # the words are quoted
    INDIRECT = "indirect"  # reported speech
    MIXED = "mixed"  # reported speech with a partial quote


class SourceRole(StrEnum):
    """What kind of voice a source is (docs/sources.md)."""

    OFFICIAL = "official"  # holds, seeks or speaks for public office or a public body
    OUTLET = "outlet"  # a news organisation, or a journalist speaking for one
    ORGANISATION = "organisation"  # a company, campaign, party, NGO, union, university, think tank
    EXPERT = "expert"  # quoted for expertise: an analyst, academic, pollster
    WITNESS = "witness"  # reports what they saw or lived through
    PERSON = "person"  # any other individual
    DOCUMENT = "document"  # a document, study, poll or post with no author the text credits
    UNKNOWN = "unknown"


class SourceIdentity(StrEnum):
    """How far the text identifies a source."""

    NAMED = "named"  # a proper name: a person's name, an organisation's own name
    DESCRIBED = "described"  # unnamed, but by a specific role a reader could check ("a local resident")
    ANONYMOUS = "anonymous"  # unidentified on purpose, or too vague to check ("sources", "critics")


class Verdict(StrEnum):
    """The headline check's verdict: what the headline does with its claim, and what the body does with it
    (docs/modality.md gives each one and the names it replaced)."""

    HEADLINE_ATTRIBUTES = "headline-attributes"
    HEADLINE_HEDGES = "headline-hedges"
    HEADLINE_DROPS_ATTRIBUTION = "headline-drops-attribution"
    HEADLINE_DROPS_HEDGE = "headline-drops-hedge"
    BODY_ASSERTS_TOO = "body-asserts-too"
    BODY_DISPUTES = "body-disputes"
    NOT_IN_BODY = "not-in-body"


#: Verdict names of reports before schema 2.0 -> today's names (``unattributed-in-body`` could also be
#: today's ``headline-drops-hedge``: the old check did not read hedges).
OLD_VERDICTS: dict[str, str] = {
    "attributed": Verdict.HEADLINE_ATTRIBUTES,
    "attribution-dropped": Verdict.HEADLINE_DROPS_ATTRIBUTION,
    "unattributed-in-body": Verdict.BODY_ASSERTS_TOO,
    "contradicted-in-body": Verdict.BODY_DISPUTES,
    "not-in-body": Verdict.NOT_IN_BODY,
}


class Modality(StrEnum):
    """How a statement carries a claim: asserts it as fact, reports it (attributed, hedged or asked), or denies it."""

    ASSERTED = "asserted"
    REPORTED = "reported"
    DENIED = "denied"


class Stance(StrEnum):
    """The body's stance towards the headline (the FNC-1 labels)."""

    AGREE = "agree"
    DISAGREE = "disagree"
    DISCUSS = "discuss"
    UNRELATED = "unrelated"


class Concern(StrEnum):
    """How much a headline check should worry a reader (see newsaudit.components.concern)."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class SignalKind(StrEnum):
    """A framing signal's kind."""

    SCARE_QUOTE = "scare_quote"
    HEDGE = "hedge"
    LOADED = "loaded"
    LABEL = "label"


class ClaimVoice(StrEnum):
    """Who asserts a claim: an attributed source, or the article itself."""

    ATTRIBUTED = "attributed"
    ARTICLE = "article"


#: The report's closed vocabularies, by the JSON schema definition and property that holds each.
VOCABULARIES: dict[tuple[str, str], type[StrEnum]] = {
    ("attribution", "kind"): AttributionKind,
    ("source", "role"): SourceRole,
    ("source", "identity"): SourceIdentity,
    ("headline_check", "verdict"): Verdict,
    ("modality", "label"): Modality,
    ("headline_check", "concern"): Concern,
    ("stance", "label"): Stance,
    ("signal", "kind"): SignalKind,
    ("claim", "voice"): ClaimVoice,
}


def _plain(value: Any) -> Any:
    """Turn nested dataclasses/tuples into JSON-ready dicts/lists."""
    if isinstance(value, StrEnum):
        return value.value
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if isinstance(value, float):
        return round(value, 4)
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


class _Record:
    def to_dict(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]


@dataclass(frozen=True)
class Span(_Record):
    """A piece of the article: ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        return cls(start, end, text[start:end])

    @classmethod
    def from_spacy(cls, span: SpacySpan) -> Span:
        return cls(span.start_char, span.end_char, span.text)

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Article(_Record):
    """One news article.  ``text`` is what gets analysed and what offsets index."""

    body: str
    headline: str = ""
    id: str | None = None
    date: str | None = None
    url: str | None = None
    outlet: str | None = None
    language: str | None = None
    #: Non-fatal problems met while loading (bad bytes, language, ...).
    warnings: tuple[str, ...] = ()
    #: Paragraphs of an English article detected as another language (offsets
    #: into :attr:`text`); set by the pipeline's language check, and the
    #: extractors read no attributions or claims in them.
    foreign_spans: tuple[Span, ...] = ()

    @property
    def text(self) -> str:
        if self.headline:
            return self.headline + HEADLINE_SEPARATOR + self.body
        return self.body

    @property
    def body_start(self) -> int:
        """Offset of the body inside :attr:`text`."""
        return len(self.headline) + len(HEADLINE_SEPARATOR) if self.headline else 0

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["text"] = self.text
        data["body_start"] = self.body_start
        return data


#: Attribution kinds (aliases of :class:`AttributionKind`).
DIRECT, INDIRECT, MIXED = AttributionKind.DIRECT, AttributionKind.INDIRECT, AttributionKind.MIXED


@dataclass(frozen=True)
class Attribution(_Record):
    """Who says what: a source, a cue (verb, "according to", ":") and content."""

    id: str
    kind: str  # an AttributionKind
    content: Span
    source: Span | None = None
    cue: Span | None = None
    #: id of the :class:`Source` this attribution belongs to.
    source_id: str | None = None
    #: id of the Source (an outlet or body) through which this is relayed.
    relayed_by: str | None = None
    #: When ``source`` is a pronoun, the named mention it was resolved to.
    resolved_source: Span | None = None
    #: Short machine-readable reason for the rule that fired.
    rule: str = ""
    #: When the content is interrupted by its own source and cue (“A,” X said, “B.”), its pieces
    #: (``content`` then spans them all); empty for a content in one piece.
    content_pieces: tuple[Span, ...] = ()

    def said(self, gap: str = " … ") -> str:
        """The content as a reader reads it: its pieces joined by ``gap``, without the source and cue
        that interrupt it (``content.text`` for a content in one piece)."""
        return gap.join(p.text for p in self.content_pieces) if self.content_pieces else self.content.text


#: Source roles and identities (the values of :class:`SourceRole` and :class:`SourceIdentity`, in order).
SOURCE_ROLES = tuple(t.value for t in SourceRole)
SOURCE_IDENTITIES = tuple(t.value for t in SourceIdentity)


@dataclass(frozen=True)
class Source(_Record):
    """A source entity: one referent the article attributes words to, with every mention of it."""

    id: str
    name: str
    role: str  # a SourceRole
    identity: str  # a SourceIdentity
    mentions: tuple[Span, ...] = ()
    attribution_ids: tuple[str, ...] = ()
    #: why it got this role and identity (human-readable)
    reason: str = ""
    #: id of the Source this one is known through: the one whose words cite it ("X, confirmed by Y": Y is
    #: cited by X; "citing an unnamed source"), or that reports it ("received a tip-off from a local resident").
    cited_by: str | None = None
    #: id of the Source this one is the voice of: a spokesperson, lawyer or aide of a body or person that is
    #: itself a source.  Speaking for is not relaying: it adds no relay depth.
    speaks_for: str | None = None
    #: where the source declined to answer ("declined to comment", "did not respond"): no content, no stance
    non_answers: tuple[Span, ...] = ()
    #: ids of the body's sources that an unnamed source met only in the headline stands for ("Witnesses describe
    #: fireball ..." over the two witnesses the body quotes): it sums them up and is no voice of its own
    sums_up: tuple[str, ...] = ()

    @property
    def independent(self) -> bool:
        """A voice of its own: it speaks for no other source of the article and sums up none."""
        return self.speaks_for is None and not self.sums_up


@dataclass(frozen=True)
class RelayNode(_Record):
    """One link of a relay chain: who passes on what, and whom they cite."""

    name: str
    #: the source's role (a SourceRole), or ``article`` for the root
    role: str
    source_id: str | None = None
    attribution_ids: tuple[str, ...] = ()
    children: tuple[RelayNode, ...] = ()
    #: the sources that speak for this one (its spokespeople, lawyers, aides): at its level, adding no depth
    voices: tuple[RelayNode, ...] = ()

    def depth(self) -> int:
        """Links from this node down the deepest chain; a voice's own citations count from this node's level."""
        return max(1 + max((c.depth() for c in self.children), default=0), max((v.depth() for v in self.voices), default=0))

    def path(self) -> list[str]:
        """Names along the deepest branch (``article -> Rt.com -> ...``); a voice stands for its body."""
        best: list[str] = []
        for child in self.children:
            p = child.path()
            if len(p) > len(best):
                best = p
        for voice in self.voices:
            p = voice.path()[1:]
            if len(p) > len(best):
                best = p
        return [self.name, *best]


@dataclass(frozen=True)
class ModalityReading(_Record):
    """How a text carries a claim, from the modality model (schema 2.0)."""

    label: str  # a Modality
    #: the probability of each label
    probs: dict[str, float]
    #: the words that decided it (hedges, attribution, denials, a question mark), in the article's offsets
    cues: tuple[Span, ...] = ()


@dataclass(frozen=True)
class HeadlineMatch(_Record):
    attribution_id: str | None
    span: Span  # the matching body sentence or attribution content
    score: float
    source: str | None = None
    #: how the body carries the headline's claim here: an attributed passage is ``reported``; otherwise the
    #: modality model reads the passage's sentence against the headline (schema 2.0; None in older reports)
    modality: ModalityReading | None = None


@dataclass(frozen=True)
class HeadlineStance(_Record):
    """The body's stance towards the headline, from the stance model (schema 1.2)."""

    label: str  # a Stance
    #: the probability of each of the four labels
    probs: dict[str, float]
    #: the body passages (sentences) that decided it, most relevant first
    passages: tuple[Span, ...] = ()


@dataclass(frozen=True)
class HeadlineCheck(_Record):
    headline: Span
    claim: Span
    verdict: str  # a Verdict
    score: float
    matches: tuple[HeadlineMatch, ...] = ()
    reason: str = ""
    #: a Concern: how much the verdict should worry a reader (schema 1.2; None in older reports)
    concern: str | None = None
    #: why that concern level: the sources, their stake, the kind of claim
    concern_reasons: tuple[str, ...] = ()
    #: the body's stance towards the headline (schema 1.2; None in older reports)
    stance: HeadlineStance | None = None
    #: how the headline itself carries its claim (schema 2.0; None in older reports)
    headline_modality: ModalityReading | None = None
    #: body passages that deny the headline's claim, in the article's voice or a source's (schema 2.0)
    denials: tuple[HeadlineMatch, ...] = ()


#: Signal kinds (aliases of :class:`SignalKind`).
SCARE_QUOTE, HEDGE, LOADED, LABEL = SignalKind.SCARE_QUOTE, SignalKind.HEDGE, SignalKind.LOADED, SignalKind.LABEL


@dataclass(frozen=True)
class Signal(_Record):
    """A framing signal: a span, what kind, and why it was flagged."""

    kind: str  # a SignalKind
    span: Span
    reason: str
    lexicon: str | None = None


@dataclass(frozen=True)
class Technique(_Record):
    """A propaganda technique (SemEval-2020 Task 11 label) on a span."""

    technique: str
    start: int
    end: int
    text: str
    score: float
    #: what the technique means and the model's evidence for this span
    reason: str = ""


@dataclass(frozen=True)
class FactCheckMatch(_Record):
    review_id: str
    claim: str
    score: float
    verdict: str | None = None
    normalised_verdict: str | None = None
    publisher: str | None = None
    date: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Claim(_Record):
    """A check-worthy sentence, tied to its attribution or the article's own voice."""

    id: str
    span: Span
    score: float
    #: a ClaimVoice: "attributed" when an attribution covers it, else "article".
    voice: str
    attribution_id: str | None = None
    source_id: str | None = None
    reasons: tuple[str, ...] = ()
    matches: tuple[FactCheckMatch, ...] = ()


class ReportSummary(TypedDict, total=False):
    """A report's counts at a glance (:func:`newsaudit.report.summarize` gives every key; a report read
    from an older file may lack some)."""

    attributions: int
    attributions_by_kind: dict[str, int]
    sources: int
    named_sources: int
    anonymous_sources: int
    independent_voices: int
    voices_by_identity: dict[str, int]
    sources_by_role: dict[str, int]
    relay_depth: int
    headline_verdict: str | None
    signals: int
    signals_by_kind: dict[str, int]
    claims: int
    claims_in_article_voice: int
    techniques: int
    techniques_by_label: dict[str, int]
    source_names: list[str]


@dataclass(frozen=True)
class Report(_Record):
    """Everything newsaudit found in one article."""

    article: Article
    attributions: tuple[Attribution, ...] = ()
    sources: tuple[Source, ...] = ()
    relay_chains: tuple[RelayNode, ...] = ()
    headline_check: HeadlineCheck | None = None
    signals: tuple[Signal, ...] = ()
    claims: tuple[Claim, ...] = ()
    techniques: tuple[Technique, ...] = ()
    summary: ReportSummary = field(default_factory=ReportSummary)
    warnings: tuple[str, ...] = ()
    schema_version: str = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        # schema_version first: it is what a reader checks first.
        return {"schema_version": data.pop("schema_version"), **data}
