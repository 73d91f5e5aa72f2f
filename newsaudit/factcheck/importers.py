"""Read fact-check reviews from files: ClaimReview JSON-LD, Google Fact Check
Tools API responses, and CSV/TSV with a column mapping.

Every reader yields ``(where, ReviewRecord | str)``: ``where`` says which
record (``line 12``, ``index 3``, ``row 7``) and a string is the reason a
malformed record is skipped.  Values are checked as well as shapes: a rating
that is a number but not a finite one (``"nan"``, ``"1e400"``), a rating that
is an object or a list, or text that is not valid Unicode (a lone surrogate,
as a JSON ``"\ud800"`` escape gives) skips its record with a reason naming the
field.  File-level problems (empty file, JSON that is not ClaimReview or is
nested too deeply to read, a mapped column that does not exist) raise
:class:`~newsaudit.errors.FactCheckError`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import FactCheckError


@dataclass(frozen=True)
class ReviewRecord:
    """One fact-check review, as stored."""

    claim: str
    review_id: str
    key: str
    title: str | None = None
    verdict: str | None = None
    normalised_verdict: str | None = None
    publisher: str | None = None
    url: str | None = None
    date: str | None = None
    claimant: str | None = None
    language: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ColumnMapping:
    """CSV/TSV columns: each a header name or a 0-based index (``"0"`` works too)."""

    claim: str | int = "claim"
    id: str | int | None = None
    title: str | int | None = None
    verdict: str | int | None = None
    url: str | int | None = None
    publisher: str | int | None = None
    date: str | int | None = None
    claimant: str | int | None = None
    language: str | int | None = None
    #: "," / "\t"; None: tab for .tsv/.tab files, else sniffed (comma or tab).
    delimiter: str | None = None


Item = tuple[str, "ReviewRecord | str"]

# ---------------------------------------------------------------- verdicts

_VERDICTS = Path(__file__).with_name("data") / "verdicts.tsv"


@lru_cache(maxsize=1)
def _verdict_table() -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    exact: dict[str, str] = {}
    contains: list[tuple[str, str]] = []
    for line in _VERDICTS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, text, norm = line.split("\t")
        if kind == "exact":
            exact[text] = norm
        else:
            contains.append((text, norm))
    return exact, tuple(contains)


def normalise_verdict(verdict: str | None, rating_value: Any = None,
                      best: Any = None, worst: Any = None) -> str | None:
    """Map a textual rating (or a numeric one with its scale) to a normalised
    verdict (see ``data/verdicts.tsv``); None when unknown."""
    exact, contains = _verdict_table()
    if verdict:
        text = re.sub(r"\s+", " ", verdict.strip().lower()).strip(" .!")
        if text in exact:
            return exact[text]
        for phrase, norm in contains:
            if phrase in text:
                return norm
    try:
        value, hi, lo = float(rating_value), float(best if best is not None else 5), float(worst if worst is not None else 1)
    except (TypeError, ValueError, OverflowError):
        return None
    if not (math.isfinite(value) and math.isfinite(hi) and math.isfinite(lo)) or hi <= lo:
        return None
    pos = (value - lo) / (hi - lo)
    scale = ("false", "mostly-false", "mixture", "mostly-true", "true")
    return scale[min(4, max(0, round(pos * 4)))]


# ---------------------------------------------------------------- helpers

def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or value.get("url")
    elif isinstance(value, list):
        parts = [_text(v) for v in value]
        value = ", ".join(p for p in parts if p)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def make_key(url: str | None, rid: str | None, claim: str, publisher: str | None) -> str:
    """Dedup key: the review URL, else the id column, else a hash of claim+publisher."""
    if url:
        return "url:" + url.strip()
    if rid:
        return "id:" + rid.strip()
    digest = hashlib.sha1(f"{claim}\x00{publisher or ''}".encode()).hexdigest()[:16]
    return "sha1:" + digest


_SURROGATE = re.compile("[\ud800-\udfff]")


def invalid_text(value: Any, where: str = "") -> str | None:
    """Where ``value`` (a string, or the strings inside a list or object) holds a lone
    surrogate (not valid Unicode: it cannot be stored or tokenised), else None."""
    if isinstance(value, str):
        return where or "a value" if _SURROGATE.search(value) else None
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        bad = invalid_text(key, where) if isinstance(key, str) else None
        bad = bad or invalid_text(item, f"{where}.{key}" if where else str(key))
        if bad:
            return bad
    return None


def _record(claim: Any, *, rid: str | None = None, url: str | None = None, **kw: Any) -> ReviewRecord | str:
    claim_text = _text(claim)
    if not claim_text:
        return "no claim text"
    bad = invalid_text(claim_text, "claim") or invalid_text(rid, "id") or invalid_text(url, "url")
    bad = bad or next((b for name, v in kw.items() if (b := invalid_text(v, name))), None)
    if bad:
        return f"{bad} holds invalid Unicode (a lone surrogate)"
    key = make_key(url, rid, claim_text, kw.get("publisher"))
    review_id = rid or url or key
    return ReviewRecord(claim=claim_text, review_id=review_id, key=key, url=url, **kw)


def _bad_rating(rating: dict[str, Any]) -> str | None:
    """Why a reviewRating's values cannot be read: a number that is not finite, an object or list."""
    for name in ("ratingValue", "bestRating", "worstRating"):
        value = rating.get(name)
        if isinstance(value, dict | list):
            return f"reviewRating.{name} is a JSON {'object' if isinstance(value, dict) else 'list'}, not a rating"
        if isinstance(value, bool) or value is None:
            continue
        try:
            number = float(value)
        except (TypeError, ValueError, OverflowError):
            continue  # a textual rating ("False") is a verdict, not a number
        if not math.isfinite(number):
            return f"reviewRating.{name} {str(value)[:40]!r} is not a finite number"
    return None


# ---------------------------------------------------------------- ClaimReview

def _is_type(obj: Any, name: str) -> bool:
    if not isinstance(obj, dict):
        return False
    t = obj.get("@type")
    types = t if isinstance(t, list) else [t]
    return any(isinstance(x, str) and x.split("/")[-1].split(":")[-1] == name for x in types)


def claimreview_record(obj: dict[str, Any]) -> ReviewRecord | str:
    """One schema.org ClaimReview object -> record (or the reason it is malformed)."""
    rating = obj.get("reviewRating")
    if isinstance(rating, list):
        rating = rating[0] if rating else None
    rating = rating if isinstance(rating, dict) else {}
    bad = _bad_rating(rating)
    if bad:
        return bad
    verdict = _text(rating.get("alternateName")) or _text(rating.get("name"))
    if verdict is None and rating.get("ratingValue") is not None:
        verdict = str(rating.get("ratingValue"))
    reviewed = obj.get("itemReviewed")
    item: dict[str, Any] = reviewed if isinstance(reviewed, dict) else {}
    author = obj.get("author")
    if isinstance(author, list):
        author = author[0] if author else None
    known = {"@context", "@type", "claimReviewed", "reviewRating", "author", "datePublished",
             "url", "itemReviewed", "inLanguage", "@id", "identifier", "name", "headline"}
    extra = {k: v for k, v in obj.items() if k not in known}
    if item:
        extra["itemReviewed"] = item
    if isinstance(rating.get("ratingValue"), (int, float, str)) and rating.get("ratingValue") != "":
        extra["ratingValue"] = rating.get("ratingValue")
    return _record(
        obj.get("claimReviewed"),
        rid=_text(obj.get("identifier")) or _text(obj.get("@id")),
        url=_text(obj.get("url")),
        title=_text(obj.get("name")) or _text(obj.get("headline")),
        verdict=verdict,
        normalised_verdict=normalise_verdict(verdict, rating.get("ratingValue"),
                                             rating.get("bestRating"), rating.get("worstRating")),
        publisher=_text(author),
        date=_text(obj.get("datePublished")),
        claimant=_text(item.get("author")),
        language=_text(obj.get("inLanguage")),
        extra=extra,
    )


def factcheck_api_records(claim: dict[str, Any]) -> list[ReviewRecord | str]:
    """One ``claims[]`` entry of a Fact Check Tools API response -> one record per review."""
    reviews = claim.get("claimReview")
    if not isinstance(reviews, list) or not reviews:
        return ["claim has no claimReview list"]
    out: list[ReviewRecord | str] = []
    for review in reviews:
        if not isinstance(review, dict):
            out.append("claimReview entry is not an object")
            continue
        verdict = _text(review.get("textualRating"))
        found = review.get("publisher")
        publisher: dict[str, Any] = found if isinstance(found, dict) else {}
        extra = {k: v for k, v in review.items()
                 if k not in ("publisher", "url", "title", "reviewDate", "textualRating", "languageCode")}
        if claim.get("claimDate"):
            extra["claimDate"] = claim["claimDate"]
        if publisher.get("site"):
            extra["publisherSite"] = publisher["site"]
        out.append(_record(
            claim.get("text"),
            url=_text(review.get("url")),
            title=_text(review.get("title")),
            verdict=verdict,
            normalised_verdict=normalise_verdict(verdict),
            publisher=_text(publisher.get("name")) or _text(publisher.get("site")),
            date=_text(review.get("reviewDate")),
            claimant=_text(claim.get("claimant")),
            language=_text(review.get("languageCode")),
            extra=extra,
        ))
    return out


def _json_items(value: Any, where: str) -> Iterator[tuple[str, Any]]:
    """Flatten a JSON value into (where, candidate object) pairs."""
    if isinstance(value, list):
        for i, v in enumerate(value):
            yield from _json_items(v, f"{where}index {i}" if not where else f"{where}, index {i}")
    elif isinstance(value, dict) and isinstance(value.get("@graph"), list):
        for i, v in enumerate(value["@graph"]):
            yield (f"{where}, @graph index {i}" if where else f"@graph index {i}"), v
    else:
        yield where or "index 0", value


def _from_json_value(value: Any, where: str) -> Iterator[tuple[str, ReviewRecord | str, bool]]:
    """(where, record-or-reason, recognised) for one parsed JSON value."""
    if isinstance(value, dict) and isinstance(value.get("claims"), list):
        for i, claim in enumerate(value["claims"]):
            w = f"{where + ', ' if where else ''}claims[{i}]"
            if not isinstance(claim, dict):
                yield w, "claim is not an object", True
                continue
            for j, rec in enumerate(factcheck_api_records(claim)):
                yield f"{w}.claimReview[{j}]", rec, True
        return
    for w, obj in _json_items(value, where):
        if _is_type(obj, "ClaimReview") or (isinstance(obj, dict) and "claimReviewed" in obj):
            yield w, claimreview_record(obj), True
        elif isinstance(obj, dict) and isinstance(obj.get("claimReview"), list):
            for j, rec in enumerate(factcheck_api_records(obj)):
                yield f"{w}.claimReview[{j}]", rec, True
        else:
            yield w, "not a ClaimReview object", False


def read_json(path: Path, text: str) -> Iterator[Item]:
    """ClaimReview JSON-LD (object, list, @graph), Fact Check API responses, or JSONL of them."""
    items: list[tuple[str, ReviewRecord | str, bool]] = []
    try:
        value = json.loads(text)
        items.extend(_from_json_value(value, ""))
    except RecursionError:
        raise FactCheckError(f"{path}: JSON nested too deeply to read; not a ClaimReview file") from None
    except json.JSONDecodeError as whole_error:
        lines = text.splitlines()
        parsed_any = False
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
                found = list(_from_json_value(value, f"line {n}"))
            except json.JSONDecodeError as exc:
                items.append((f"line {n}", f"invalid JSON: {exc.msg}", True))
                continue
            except RecursionError:
                items.append((f"line {n}", "JSON nested too deeply to read", True))
                continue
            parsed_any = True
            items.extend(found)
        if not parsed_any:
            raise FactCheckError(f"{path}: not valid JSON or JSONL ({whole_error.msg} at line {whole_error.lineno})") from None
    if not any(recognised for _w, _r, recognised in items):
        raise FactCheckError(
            f"{path}: JSON holds no ClaimReview objects (schema.org @type ClaimReview with claimReviewed) "
            "and no Fact Check Tools API 'claims' list")
    for where, rec, _recognised in items:
        yield where, rec


# ---------------------------------------------------------------- CSV / TSV

def _column_index(header: list[str], spec: str | int, flag: str) -> int:
    if isinstance(spec, int) or (isinstance(spec, str) and spec.strip().isdigit() and spec not in header):
        idx = int(spec)
        if idx >= len(header):
            raise FactCheckError(f"column index {idx} ({flag}) is out of range: the file has {len(header)} columns")
        return idx
    names = [h.strip() for h in header]
    if spec in header:
        return header.index(spec)
    if spec.strip() in names:
        return names.index(spec.strip())
    lowered = [n.lower() for n in names]
    if spec.strip().lower() in lowered:
        return lowered.index(spec.strip().lower())
    shown = ", ".join(repr(h) for h in header)
    raise FactCheckError(f"column {spec!r} ({flag}) not found; the header has {shown}")


def read_csv(path: Path, text: str, mapping: ColumnMapping) -> Iterator[Item]:
    """Rows of a CSV/TSV with a header line, columns chosen by ``mapping``."""
    delimiter = mapping.delimiter
    if delimiter is None:
        if path.suffix.lower() in (".tsv", ".tab"):
            delimiter = "\t"
        else:
            first = text.split("\n", 1)[0]
            delimiter = "\t" if first.count("\t") > first.count(",") else ","
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise FactCheckError(f"{path}: the file is empty") from None
    cols: dict[str, int] = {}
    for name in ("claim", "id", "title", "verdict", "url", "publisher", "date", "claimant", "language"):
        spec = getattr(mapping, name)
        if spec is not None:
            cols[name] = _column_index(header, spec, f"--{name}-col")
    used = set(cols.values())
    for row in reader:
        where = f"line {reader.line_num}"
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header) and max(cols.values()) >= len(row):
            yield where, f"row has {len(row)} fields, expected {len(header)}"
            continue

        def get(name: str, row: list[str] = row) -> str | None:
            if name not in cols:
                return None
            value = row[cols[name]].strip()
            return value or None

        verdict = get("verdict")
        extra = {header[i].strip() or f"col{i}": row[i] for i in range(min(len(row), len(header))) if i not in used}
        yield where, _record(
            get("claim"), rid=get("id"), url=get("url"), title=get("title"), verdict=verdict,
            normalised_verdict=normalise_verdict(verdict), publisher=get("publisher"), date=get("date"),
            claimant=get("claimant"), language=get("language"), extra=extra,
        )


# ---------------------------------------------------------------- dispatch

def detect_format(path: Path, text: str) -> str:
    """"json" or "csv", from the extension, else from the first character."""
    suffix = path.suffix.lower()
    if suffix in (".json", ".jsonl", ".jsonld", ".ndjson"):
        return "json"
    if suffix in (".csv", ".tsv", ".tab"):
        return "csv"
    return "json" if text.lstrip()[:1] in ("{", "[") else "csv"


def read_reviews(path: str | Path, mapping: ColumnMapping | None = None, fmt: str | None = None) -> Iterator[Item]:
    """Every record of ``path`` as ``(where, ReviewRecord | reason)``."""
    path = Path(path)
    if not path.is_file():
        raise FactCheckError(f"{path}: no such file")
    raw = path.read_bytes()
    if not raw.strip():
        raise FactCheckError(f"{path}: the file is empty")
    if b"\x00" in raw[:4096]:
        raise FactCheckError(f"{path}: binary file, expected ClaimReview JSON, JSONL, CSV or TSV")
    text = raw.decode("utf-8-sig", errors="replace")
    fmt = fmt or detect_format(path, text)
    if fmt == "json":
        return read_json(path, text)
    if fmt == "csv":
        return read_csv(path, text, mapping or ColumnMapping())
    raise FactCheckError(f"unknown format {fmt!r} (expected json or csv)")
