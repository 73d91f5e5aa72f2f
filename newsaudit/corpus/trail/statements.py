"""Statements of a batch output: what each article reports or asserts, with offsets.

From each ``status == "ok"`` row of a ``newsaudit batch`` output, the report in
``report_json`` gives:

* one statement per **attribution** (its ``content`` span), except a *relay
  scope*: an attribution whose content holds another attribution's content
  ("Rt.com reports: the ministry said X" holds "X"); the inner one is the
  statement, carried as ``relayed`` through the outer one's source;
* one statement per **check-worthy claim** in the article's own voice
  (``unattributed``), and per claim tied to an attribution that gave no
  statement of its own (too short, or a relay scope);
* the **headline**, carried ``unattributed``, whenever it asserts without
  attribution (every headline verdict but ``attributed``): a headline that states
  as fact what the body attributes is the step trails look for, and it must not
  depend on the body sentence being check-worthy too.  Unless the headline is
  found nowhere in the body (``not-in-body``), the headline claim is also kept
  aside to decide which body statements the headline states (:mod:`.group`).

``carried_as``: ``relayed`` when the attribution is relayed (``relayed_by``),
sits inside a relay scope, or is credited to an outlet ("Rt.com reports X":
``relayed_via`` Rt.com, ``attributed_to`` null); ``attributed`` for any other
attribution; ``unattributed`` for claims in the article's voice and headlines.

A statement shorter than ``min_words`` words (after dropping URLs and
handles) is left out: attribution contents such as "the suit Monday" are not
statements that travel; so is an attribution content that is no assertion,
known by its first word (an infinitive, "urged voters to back him"; an
embedded question, "asked whether he was eligible": the words in
``newsaudit/data/lexicons/trail_non_assertions.txt``).  Error rows, and ok rows whose report cannot be read
(not JSON, or JSON of the wrong shape: :func:`report_shape_problem`), are skipped and counted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ...models.modality import denies
from ...types import OLD_VERDICTS, Verdict

ATTRIBUTED, RELAYED, UNATTRIBUTED, DENIED = "attributed", "relayed", "unattributed", "denied"
#: The values of ``carried_as``.
CARRIED_AS = (ATTRIBUTED, RELAYED, UNATTRIBUTED, DENIED)
#: The headline verdict under which the headline is not tied to the body.
NOT_IN_BODY = Verdict.NOT_IN_BODY.value
#: The headline verdict under which the headline carries its own attribution (not a statement of its own), and
#: the one under which it hedges its claim (a statement of its own, reported).
HEADLINE_ATTRIBUTES = Verdict.HEADLINE_ATTRIBUTES.value
HEADLINE_HEDGES = Verdict.HEADLINE_HEDGES.value


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """One analysed article of the input (index ``input`` among the input files)."""

    input: int
    row: int
    id: str | None
    date: str | None
    outlet: str | None
    #: The article's headline verdict (``headline_check.verdict``), or None.
    headline_verdict: str | None = None
    #: The headline claim, when the headline check ties it to the body.
    headline_claim: str | None = None


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement of one article; ``text == article.text[start:end]``."""

    article: int  # index into StatementSet.articles
    kind: str  # "attribution" | "claim" | "headline"
    ref: str  # the report's id of the attribution or claim (a3, c5)
    text: str
    start: int
    end: int
    carried_as: str
    attributed_to: str | None = None
    relayed_via: str | None = None
    #: Normalised name of a named, non-outlet source (what grouping compares).
    source_key: str | None = None
    #: The best fact-check match of the claim behind this statement (review id).
    factcheck_review: str | None = None
    #: The text that is embedded (URLs, handles and quote marks dropped).
    embed_text: str = ""
    #: The statement hedges or asks its claim itself (a headline whose verdict is ``headline-hedges``).
    hedged: bool = False


@dataclass
class StatementSet:
    articles: list[ArticleInfo] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    #: Rows read, over all inputs.
    rows: int = 0
    #: Error rows (and ok rows whose report could not be read), skipped.
    errors: int = 0


# ------------------------------------------------------------------ text

_URL = re.compile(r"(?:https?://|pic\.twitter\.com/|www\.)\S+", re.I)
_HANDLE_GROUP = re.compile(r"\(\s*@\w+\s*\)")
_QUOTES = "\"'“”‘’«»„‟‹›"
_THAT = re.compile(r"^that\s+", re.I)
_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
_NAME_DROP = re.compile(r"\b(?:the|mr|mrs|ms|dr|sen|rep|gov|pres|president|senator|representative|minister)\b\.?", re.I)
_NAME_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def embed_text(text: str) -> str:
    """The form of a statement that is embedded and compared: no URLs, no
    ``(@handle)`` groups, hashtags and handles split into words, no enclosing
    quote marks, no leading "that"."""
    from ...factcheck.search import normalise_query

    text = _HANDLE_GROUP.sub(" ", _URL.sub(" ", text))
    text = normalise_query(text).strip(_QUOTES + " ,;:")
    text = _THAT.sub("", text).strip(_QUOTES + " ")
    return text


_NON_ASSERTIONS: frozenset[str] | None = None


def non_assertion(text: str) -> bool:
    """The attribution content ``text`` starts with a word that makes it no assertion."""
    global _NON_ASSERTIONS
    if _NON_ASSERTIONS is None:
        from ...lexicons import LEXICON_DIR, read_lines

        _NON_ASSERTIONS = frozenset(w.lower() for w in read_lines(LEXICON_DIR / "trail_non_assertions.txt"))
    first = text.split(None, 1)
    return bool(first) and first[0].lower() in _NON_ASSERTIONS


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def source_key(name: str | None) -> str | None:
    """A source name reduced for comparison: lower case, no titles or "the"."""
    if not name:
        return None
    name = re.sub(r"['’]s\b", "", name)
    tokens = _NAME_TOKEN.findall(_NAME_DROP.sub(" ", name.lower()))
    return " ".join(tokens) or None


def compatible_sources(a: str | None, b: str | None) -> bool:
    """Two source keys name the same source, as far as names tell: one's words
    include the other's ("ministry" and "defence ministry"; "trump" and "donald
    trump"); a missing key is compatible with anything."""
    if not a or not b or a == b:
        return True
    ta, tb = set(a.split()), set(b.split())
    return ta <= tb or tb <= ta


# ------------------------------------------------------------------ one report


def _role(src: dict[str, Any] | None) -> str | None:
    """A source's role; from a 1.x report's ``type`` when it has no ``role`` (``anonymous``: unknown)."""
    if not src:
        return None
    if "role" in src:
        return str(src["role"])
    kind = src.get("type")
    return "unknown" if kind == "anonymous" else kind


def _identity(src: dict[str, Any] | None) -> str | None:
    """A source's identity; from a 1.x report's ``named`` and ``type`` when it has no ``identity``."""
    if not src:
        return None
    if "identity" in src:
        return str(src["identity"])
    return "named" if src.get("named") and src.get("type") != "anonymous" else "anonymous"


def _span(value: Any) -> tuple[int, int, str] | None:
    if not isinstance(value, dict):
        return None
    try:
        return int(value["start"]), int(value["end"]), str(value["text"])
    except (KeyError, TypeError, ValueError):
        return None


#: The parts of a report the trail reads, and the JSON type each must have when present.
REPORT_PARTS: tuple[tuple[str, type], ...] = (
    ("article", dict), ("attributions", list), ("claims", list), ("sources", list), ("headline_check", dict),
)


def report_shape_problem(data: Any) -> str | None:
    """Why ``data`` (a decoded ``report_json``) is not a report the trail can read, or None.

    A report is an object whose ``article`` is an object with a string ``text``;
    ``attributions``, ``claims`` and ``sources`` are lists and ``headline_check`` an
    object when present."""
    if not isinstance(data, dict):
        return f"the report is a JSON {type(data).__name__}, not an object"
    for name, kind in REPORT_PARTS:
        value = data.get(name)
        if (value is not None or name == "article") and not isinstance(value, kind):
            return f"the report's {name!r} is {type(value).__name__}, not {kind.__name__}"
    if not isinstance(data["article"].get("text"), str):
        return "the report's article has no text"
    return None


def statements_from_report(data: dict[str, Any], article: int = 0, min_words: int = 5,
                           post_max_words: int = 0) -> tuple[list[Statement], str | None]:
    """The statements of one decoded report, and the headline claim when the
    headline check ties it to the body (see the module docs)."""
    out, headline_claim = _statements(data, article, min_words)
    if post_max_words > 0:
        post = _post(data, article, min_words, post_max_words, out)
        if post is not None:
            out = [post, *out]
    return out, headline_claim


def _post(data: dict[str, Any], article: int, min_words: int, max_words: int,
          inside: Sequence[Statement]) -> Statement | None:
    """The whole text of a post: an article without headline whose body is one
    paragraph of at most ``max_words`` words (a tweet); None for anything else.
    It is carried as its first attribution is (unattributed without one)."""
    art = data.get("article") or {}
    text = str(art.get("text") or "")
    if art.get("headline") or "\n\n" in text.strip():
        return None
    etext = embed_text(text)
    words = word_count(etext)
    if words < min_words or words > max_words:
        return None
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    review = None
    for c in sorted((c for c in data.get("claims") or () if isinstance(c, dict) and c.get("matches")),
                    key=lambda c: -float(c.get("score") or 0)):
        review = str(c["matches"][0].get("review_id"))
        break
    first = next((s for s in inside if s.carried_as != UNATTRIBUTED), None)
    return Statement(article=article, kind="post", ref="post", text=text[start:end], start=start, end=end,
                     carried_as=first.carried_as if first else UNATTRIBUTED,
                     attributed_to=first.attributed_to if first else None,
                     relayed_via=first.relayed_via if first else None, source_key=first.source_key if first else None,
                     factcheck_review=review, embed_text=etext)


def _statements(data: dict[str, Any], article: int, min_words: int) -> tuple[list[Statement], str | None]:
    art = data.get("article") or {}
    body_start = int(art.get("body_start") or 0)
    sources = {s.get("id"): s for s in data.get("sources") or () if isinstance(s, dict)}
    attrs = [a for a in data.get("attributions") or () if isinstance(a, dict) and _span(a.get("content"))]
    claims = [c for c in data.get("claims") or () if isinstance(c, dict) and _span(c.get("span"))]
    check = data.get("headline_check") if isinstance(data.get("headline_check"), dict) else None
    verdict = headline_verdict(check)
    out, kept_attrs = _attribution_statements(attrs, sources, _reviews_of_attributions(claims), article, min_words)
    out += _claim_statements(claims, sources, body_start, verdict, kept_attrs, out, article, min_words)
    headline_claim: str | None = None
    if check and verdict and verdict != NOT_IN_BODY:
        claim = _span(check.get("claim")) or _span(check.get("headline"))
        if claim and claim[2].strip():
            headline_claim = claim[2]
    out.sort(key=lambda s: (s.start, s.end))
    return out, headline_claim


def headline_verdict(check: dict[str, Any] | None) -> str | None:
    """The headline verdict of a report's check, by today's name (a schema 1.x report's names are mapped)."""
    verdict = check.get("verdict") if check else None
    return OLD_VERDICTS.get(str(verdict), str(verdict)) if verdict else None


def _source_name(sources: dict[Any, dict[str, Any]], sid: str | None) -> str | None:
    src = sources.get(sid)
    return str(src.get("name")) if src and src.get("name") else None


def _reviews_of_attributions(claims: list[dict[str, Any]]) -> dict[str, str]:
    """Fact-check anchor of each attribution: the best match of the first claim behind it."""
    review_of_attr: dict[str, str] = {}
    for c in claims:
        matches = c.get("matches") or ()
        if matches and c.get("attribution_id") and c["attribution_id"] not in review_of_attr:
            review_of_attr[c["attribution_id"]] = str(matches[0].get("review_id"))
    return review_of_attr


def _relay_scopes(attrs: list[dict[str, Any]], spans: dict[Any, tuple[int, int, str]]
                  ) -> tuple[set[Any], dict[Any, dict[str, Any]], set[Any]]:
    """(relay scopes: attributions holding another's content, the innermost scope of each held attribution,
    attributions whose content repeats an earlier one's)."""
    seen_spans: set[tuple[int, int]] = set()
    duplicates: set[Any] = set()
    for a in attrs:
        s, e, _t = spans[a.get("id")]
        if (s, e) in seen_spans:
            duplicates.add(a.get("id"))
        seen_spans.add((s, e))
    scope_of: dict[Any, dict[str, Any]] = {}
    scopes: set[Any] = set()
    for outer in attrs:
        os_, oe, _ = spans[outer.get("id")]
        for inner in attrs:
            if inner is outer or inner.get("id") in duplicates:
                continue
            is_, ie, _ = spans[inner.get("id")]
            if not (os_ <= is_ and ie <= oe) or (is_, ie) == (os_, oe):
                continue
            relays = outer.get("source_id") is not None and inner.get("relayed_by") == outer.get("source_id")
            if relays or (ie - is_) >= 0.5 * (oe - os_):
                scopes.add(outer.get("id"))
                prev = scope_of.get(inner.get("id"))
                if prev is None or spans[prev.get("id")][1] - spans[prev.get("id")][0] > oe - os_:
                    scope_of[inner.get("id")] = outer
    return scopes, scope_of, duplicates


def _attribution_statements(attrs: list[dict[str, Any]], sources: dict[Any, dict[str, Any]],
                            review_of_attr: dict[str, str], article: int,
                            min_words: int) -> tuple[list[Statement], set[Any]]:
    """One statement per attribution that is no relay scope (see the module docs), and the ids kept."""
    spans = {a.get("id"): _span(a["content"]) for a in attrs}
    spans_ok = {k: v for k, v in spans.items() if v is not None}
    scopes, scope_of, duplicates = _relay_scopes(attrs, spans_ok)
    out: list[Statement] = []
    kept: set[Any] = set()
    for a in attrs:
        aid = a.get("id")
        if aid in scopes or aid in duplicates:
            continue
        start, end, text = spans_ok[aid]
        etext = embed_text(text)
        if word_count(etext) < min_words or non_assertion(etext):
            continue
        out.append(_attribution_statement(a, scope_of.get(aid), sources, (start, end, text), etext, article,
                                          review_of_attr.get(str(aid))))
        kept.add(aid)
    return out, kept


def _attribution_statement(a: dict[str, Any], scope: dict[str, Any] | None, sources: dict[Any, dict[str, Any]],
                           span: tuple[int, int, str], etext: str, article: int, review: str | None) -> Statement:
    """How one attribution carries its content: attributed, relayed (through a relay, a relay scope or an
    outlet source), or denied (its cue denies: "the ministry denied that ...")."""
    src = sources.get(a.get("source_id"))
    name = _source_name(sources, a.get("source_id"))
    if name is None:
        resolved = _span(a.get("resolved_source")) or _span(a.get("source"))
        name = resolved[2] if resolved else None
    via = _source_name(sources, a.get("relayed_by")) if a.get("relayed_by") else None
    if via is None and scope is not None:
        via = _source_name(sources, scope.get("source_id"))
        if via is None:
            outer_source = _span(scope.get("source"))
            via = outer_source[2] if outer_source else None
    relayed = bool(a.get("relayed_by")) or scope is not None
    src_role = _role(src)
    if src_role == "outlet" and not relayed:
        relayed, via, name = True, name, None
    named = _identity(src) == "named" and src_role != "outlet" and name is not None
    cue = _span(a.get("cue"))
    carried = DENIED if cue is not None and denies(cue[2]) else RELAYED if relayed else ATTRIBUTED
    start, end, text = span
    return Statement(article=article, kind="attribution", ref=str(a.get("id")), text=text, start=start, end=end,
                     carried_as=carried, attributed_to=name, relayed_via=via,
                     source_key=source_key(name) if named else None, factcheck_review=review, embed_text=etext)


def _claim_statements(claims: list[dict[str, Any]], sources: dict[Any, dict[str, Any]], body_start: int,
                      verdict: str | None, kept_attrs: set[Any], kept: list[Statement], article: int,
                      min_words: int) -> list[Statement]:
    """One statement per check-worthy claim that no kept attribution carries, and the headline (see the module
    docs)."""
    out: list[Statement] = []
    for c in claims:
        start, end, text = _span(c["span"])  # type: ignore[misc]
        matches = c.get("matches") or ()
        review = str(matches[0].get("review_id")) if matches else None
        etext = embed_text(text)
        if body_start > 0 and end <= body_start:  # in the headline
            if verdict is not None and verdict != HEADLINE_ATTRIBUTES and word_count(etext) >= min_words:
                out.append(Statement(article=article, kind="headline", ref=str(c.get("id")), text=text, start=start,
                                     end=end, carried_as=UNATTRIBUTED, factcheck_review=review, embed_text=etext,
                                     hedged=verdict == HEADLINE_HEDGES))
            continue
        aid = c.get("attribution_id")
        if c.get("voice") == "attributed" and (aid in kept_attrs or _overlaps_kept(start, end, kept)):
            continue
        if word_count(etext) < min_words:
            continue
        if c.get("voice") == "attributed":
            src = sources.get(c.get("source_id"))
            name = _source_name(sources, c.get("source_id"))
            named = _identity(src) == "named" and _role(src) != "outlet"
            outlet_source = _role(src) == "outlet"
            out.append(Statement(
                article=article, kind="claim", ref=str(c.get("id")), text=text, start=start, end=end,
                carried_as=RELAYED if outlet_source else ATTRIBUTED,
                attributed_to=None if outlet_source else name, relayed_via=name if outlet_source else None,
                source_key=source_key(name) if named and name else None, factcheck_review=review, embed_text=etext,
            ))
        else:
            out.append(Statement(article=article, kind="claim", ref=str(c.get("id")), text=text, start=start, end=end,
                                 carried_as=UNATTRIBUTED, factcheck_review=review, embed_text=etext))
    return out


def _overlaps_kept(start: int, end: int, kept: Sequence[Statement]) -> bool:
    """The claim [start, end) shares at least half of a kept attribution statement."""
    for s in kept:
        overlap = min(end, s.end) - max(start, s.start)
        if overlap > 0 and overlap >= 0.5 * (s.end - s.start):
            return True
    return False
