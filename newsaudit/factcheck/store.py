"""The fact-check store: one SQLite file (FTS5 for BM25), no server.

Tables: ``reviews`` (one row per review; extra fields as JSON), ``reviews_fts``
(FTS5 over claim and title, porter stemming), ``embeddings`` (claim and title
vectors as float32 blobs, computed once at import) and ``meta`` (encoder name,
dimension, and a ``generation`` counter that every import bumps, so the ANN
index next to the database knows when it is stale).
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import FactCheckError
from .embed import Embedder, get_embedder
from .importers import ColumnMapping, ReviewRecord, read_reviews

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reviews(
    rowid INTEGER PRIMARY KEY,
    review_id TEXT NOT NULL,
    key TEXT NOT NULL UNIQUE,
    claim TEXT NOT NULL,
    title TEXT,
    verdict TEXT,
    normalised_verdict TEXT,
    publisher TEXT,
    url TEXT,
    date TEXT,
    claimant TEXT,
    language TEXT,
    extra TEXT NOT NULL DEFAULT '{}',
    canon TEXT
);
CREATE INDEX IF NOT EXISTS reviews_review_id ON reviews(review_id);
CREATE INDEX IF NOT EXISTS reviews_canon ON reviews(canon);
CREATE VIRTUAL TABLE IF NOT EXISTS reviews_fts USING fts5(
    claim, title, content='reviews', content_rowid='rowid', tokenize='porter unicode61'
);
CREATE TABLE IF NOT EXISTS embeddings(
    rowid INTEGER PRIMARY KEY,
    claim_vec BLOB NOT NULL,
    title_vec BLOB
);
"""

COLUMNS = ("review_id", "key", "claim", "title", "verdict", "normalised_verdict", "publisher",
           "url", "date", "claimant", "language", "extra", "canon")

_NON_WORD = re.compile(r"[\W_]+")


def canonical_claim(text: str) -> str:
    """The claim with case, punctuation and quote styles erased: reviews whose
    canonical claims are equal are duplicates of one another."""
    canon = _NON_WORD.sub(" ", text.lower()).strip()
    return canon or text


@dataclass
class ImportResult:
    """What an import did.  ``problems`` are ``(where, reason)`` of skipped records."""

    imported: int = 0
    skipped: int = 0
    duplicates: int = 0
    seconds: float = 0.0
    problems: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        return f"imported {self.imported}, skipped {self.skipped}, duplicates {self.duplicates}"


@dataclass(frozen=True)
class StoredReview:
    rowid: int
    review_id: str
    claim: str
    title: str | None
    verdict: str | None
    normalised_verdict: str | None
    publisher: str | None
    url: str | None
    date: str | None
    claimant: str | None
    language: str | None
    extra: dict[str, Any]


def _stored(row: tuple[Any, ...]) -> StoredReview:
    """A row of ``SELECT rowid, review_id, ..., language, extra`` as a StoredReview."""
    (rowid, review_id, claim, title, verdict, normalised, publisher, url, date, claimant, language, extra) = row
    return StoredReview(rowid, review_id, claim, title, verdict, normalised, publisher, url, date, claimant, language,
                        extra=json.loads(extra or "{}"))


#: The tables that make a SQLite file a newsaudit fact-check store.
STORE_TABLES = frozenset({"meta", "reviews", "reviews_fts", "embeddings"})


def _connect(path: Path, mode: str) -> sqlite3.Connection:
    """A connection to ``path``: ``"rw"`` (read-write, created if missing) or ``"ro"`` (read only:
    nothing is written, not even a journal; on read-only media the file is opened as immutable)."""
    from urllib.parse import quote

    uri = "file:" + quote(str(path.resolve()))
    if mode == "rw":
        return sqlite3.connect(uri + "?mode=rwc", uri=True, check_same_thread=False)
    conn = sqlite3.connect(uri + "?mode=ro", uri=True, check_same_thread=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:  # a WAL store on read-only media cannot make its -shm file
        conn.close()
    return sqlite3.connect(uri + "?mode=ro&immutable=1", uri=True, check_same_thread=False)


def store_tables(path: Path) -> set[str]:
    """The tables of the SQLite file ``path`` (read only); FactCheckError when it is not SQLite."""
    try:
        conn = _connect(path, "ro")
        try:
            return {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise FactCheckError(f"{path} is not a newsaudit fact-check database (not SQLite: {exc})") from None


class FactCheckStore:
    """A fact-check database file.

    ``create=False`` (searching) refuses a missing file and opens the store read
    only: nothing is written to it, and a store on read-only media can be
    searched.  ``create=True`` (importing) creates the file, or opens an
    existing store for writing.  Either way a file that exists but is not a
    newsaudit store (another SQLite database, any other file) is refused before
    anything is written to it.
    ``embedder``: the encoder for new vectors and queries; None: the one the
    store was filled with (recorded in ``meta``), else MiniLM.
    """

    def __init__(self, path: str | Path, *, create: bool = False, embedder: Embedder | None = None) -> None:
        self.path = Path(path).expanduser()
        self.read_only = not create
        if not create and not self.path.is_file():
            raise FactCheckError(f"no fact-check database at {self.path} (run 'newsaudit factcheck import FILE --db {self.path}' first)")
        if self.path.exists() and not self.path.is_file():
            raise FactCheckError(f"{self.path} is not a file; give the fact-check database file")
        fresh = create and (not self.path.exists() or self.path.stat().st_size == 0)
        if not fresh:
            tables = store_tables(self.path)
            if not STORE_TABLES.issubset(tables):
                what = f"a SQLite database with other tables ({', '.join(sorted(tables)[:5])})" if tables else "empty"
                raise FactCheckError(f"{self.path} is not a newsaudit fact-check database ({what}); nothing was written "
                                     "to it; give another --db")
        if create:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise FactCheckError(f"cannot create the folder of {self.path} ({exc.strerror or exc})") from None
        self.conn = self._open()
        self._embedder = embedder
        stored = self.get_meta("encoder")
        if embedder is not None and stored and stored != embedder.name and self.count_vectors():
            raise FactCheckError(
                f"{self.path} was embedded with {stored!r}, not {embedder.name!r}; use a new database or the same encoder")

    def _open(self) -> sqlite3.Connection:
        """Open the store: read only for searching, for writing (its tables made when new) for importing."""
        try:
            conn = _connect(self.path, "ro") if self.read_only else self._writable()
        except sqlite3.OperationalError as exc:
            if "readonly" in str(exc) or "read-only" in str(exc) or "unable to open" in str(exc):
                raise FactCheckError(f"the fact-check store {self.path} is not writable ({exc})") from None
            raise FactCheckError(f"{self.path}: cannot open the fact-check store ({exc})") from None
        except sqlite3.DatabaseError as exc:
            raise FactCheckError(f"{self.path} is not a newsaudit fact-check database ({exc})") from None
        cols = {row[1] for row in conn.execute("PRAGMA table_info(reviews)")}
        if not set(COLUMNS) <= cols:
            conn.close()
            raise FactCheckError(f"{self.path} lacks the columns {', '.join(sorted(set(COLUMNS) - cols))} of a "
                                 "fact-check store; import the reviews again into a new --db")
        return conn

    def _writable(self) -> sqlite3.Connection:
        conn = _connect(self.path, "rw")
        try:
            conn.execute("BEGIN IMMEDIATE")  # a write, undone: fails at once on a read-only file or folder
            conn.execute("CREATE TABLE newsaudit_write_check(x)")
            conn.rollback()
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(SCHEMA)
        except sqlite3.DatabaseError:
            conn.close()
            raise
        return conn

    # ------------------------------------------------------------ meta
    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: object) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, str(value)))

    @property
    def generation(self) -> int:
        return int(self.get_meta("generation") or 0)

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = get_embedder(self.get_meta("encoder"))
        return self._embedder

    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM reviews").fetchone()[0]

    def count_vectors(self) -> int:
        return self.conn.execute("SELECT count(*) FROM embeddings").fetchone()[0]

    def has_vectors(self) -> bool:
        """Whether the store holds any embedding (constant time; counting them scans the table)."""
        return bool(self.conn.execute("SELECT EXISTS (SELECT 1 FROM embeddings)").fetchone()[0])

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> FactCheckStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ writing
    def add_records(self, items: Iterable[tuple[str, ReviewRecord | str]], *, embed: bool = True,
                    batch_size: int = 512) -> ImportResult:
        """Insert records (skipping duplicates by key), embedding new ones when ``embed``."""
        result = ImportResult()
        t0 = time.perf_counter()
        embedder = self.embedder if embed else None
        if embedder is not None:
            stored = self.get_meta("encoder")
            if stored and stored != embedder.name and self.count_vectors():
                raise FactCheckError(f"{self.path} was embedded with {stored!r}, not {embedder.name!r}")
        batch: list[ReviewRecord] = []
        seen: set[str] = set()

        def flush() -> None:
            if not batch:
                return
            keys = [r.key for r in batch]
            existing: set[str] = set()
            for i in range(0, len(keys), 500):
                chunk = keys[i:i + 500]
                q = f"SELECT key FROM reviews WHERE key IN ({','.join('?' * len(chunk))})"
                existing.update(k for (k,) in self.conn.execute(q, chunk))
            fresh = [r for r in batch if r.key not in existing]
            result.duplicates += len(batch) - len(fresh)
            batch.clear()
            if not fresh:
                return
            claim_vecs: np.ndarray | None = None
            title_vecs: dict[int, np.ndarray] = {}
            if embedder is not None:
                claim_vecs = embedder.encode([r.claim for r in fresh])
                titled = [(i, r.title) for i, r in enumerate(fresh) if r.title]
                tv = embedder.encode([title for _i, title in titled]) if titled else None
                title_vecs = {i: tv[j] for j, (i, _title) in enumerate(titled)} if tv is not None else {}
            with self.conn:
                for i, r in enumerate(fresh):
                    cur = self.conn.execute(
                        f"INSERT INTO reviews({','.join(COLUMNS)}) VALUES ({','.join('?' * len(COLUMNS))})",
                        (r.review_id, r.key, r.claim, r.title, r.verdict, r.normalised_verdict, r.publisher,
                         r.url, r.date, r.claimant, r.language, json.dumps(r.extra, ensure_ascii=False, default=str),
                         canonical_claim(r.claim)),
                    )
                    rowid = cur.lastrowid
                    self.conn.execute("INSERT INTO reviews_fts(rowid, claim, title) VALUES (?, ?, ?)",
                                      (rowid, r.claim, r.title or ""))
                    if claim_vecs is not None:
                        tvec = title_vecs.get(i)
                        self.conn.execute(
                            "INSERT INTO embeddings(rowid, claim_vec, title_vec) VALUES (?, ?, ?)",
                            (rowid, claim_vecs[i].astype(np.float32).tobytes(),
                             None if tvec is None else tvec.astype(np.float32).tobytes()))
                if embedder is not None:
                    self.set_meta("encoder", embedder.name)
                    self.set_meta("dim", embedder.dim)
                self.set_meta("generation", self.generation + 1)
            result.imported += len(fresh)

        for where, item in items:
            if isinstance(item, str):
                result.skipped += 1
                result.problems.append((where, item))
                continue
            if item.key in seen:
                result.duplicates += 1
                continue
            seen.add(item.key)
            batch.append(item)
            if len(batch) >= batch_size:
                flush()
        flush()
        result.seconds = time.perf_counter() - t0
        return result

    def import_file(self, path: str | Path, mapping: ColumnMapping | None = None, *, fmt: str | None = None,
                    embed: bool = True) -> ImportResult:
        """Import a ClaimReview JSON/JSONL, Fact Check API JSON or CSV/TSV file."""
        return self.add_records(read_reviews(path, mapping, fmt), embed=embed)

    # ------------------------------------------------------------ reading
    def get(self, rowids: Iterable[int]) -> dict[int, StoredReview]:
        ids = list(rowids)
        out: dict[int, StoredReview] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            q = (f"SELECT rowid, review_id, claim, title, verdict, normalised_verdict, publisher, url, date, "
                 f"claimant, language, extra FROM reviews WHERE rowid IN ({','.join('?' * len(chunk))})")
            for row in self.conn.execute(q, chunk):
                out[row[0]] = _stored(row)
        return out

    def vectors(self, rowids: Iterable[int]) -> tuple[list[int], np.ndarray, np.ndarray, np.ndarray]:
        """``(ids, claim, title, has_title)`` for the stored ``rowids``: the rows' claim and title vectors
        as matrices (a zero title row where a review has no title vector) and which rows have a title."""
        ids: list[int] = []
        claims: list[bytes] = []
        titles: list[bytes | None] = []
        wanted = list(rowids)
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            q = f"SELECT rowid, claim_vec, title_vec FROM embeddings WHERE rowid IN ({','.join('?' * len(chunk))})"
            for rowid, cv, tv in self.conn.execute(q, chunk):
                ids.append(rowid)
                claims.append(cv)
                titles.append(tv)
        if not ids:
            empty = np.zeros((0, 0), dtype=np.float32)
            return ids, empty, empty, np.zeros(0, dtype=bool)
        claim = np.frombuffer(b"".join(claims), dtype=np.float32).reshape(len(ids), -1)
        has_title = np.fromiter((tv is not None for tv in titles), dtype=bool, count=len(ids))
        blank = bytes(claim.shape[1] * 4)
        title = np.frombuffer(b"".join(tv if tv is not None else blank for tv in titles),
                              dtype=np.float32).reshape(len(ids), -1)
        return ids, claim, title, has_title

    def all_vectors(self, which: str = "claim") -> tuple[np.ndarray, np.ndarray]:
        """(rowids, matrix) of every stored claim (or title) vector."""
        col = "claim_vec" if which == "claim" else "title_vec"
        rows = self.conn.execute(f"SELECT rowid, {col} FROM embeddings WHERE {col} IS NOT NULL ORDER BY rowid").fetchall()
        dim = int(self.get_meta("dim") or 0)
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros((0, dim), dtype=np.float32)
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        mat = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), -1)
        return ids, mat

    def iter_reviews(self) -> Iterator[StoredReview]:
        q = ("SELECT rowid, review_id, claim, title, verdict, normalised_verdict, publisher, url, date, "
             "claimant, language, extra FROM reviews ORDER BY rowid")
        for row in self.conn.execute(q):
            yield _stored(row)

    def duplicates(self, rowids: Iterable[int]) -> dict[int, str]:
        """rowid -> canonical claim, for ``rowids`` and every review sharing a canonical claim with one."""
        ids = list(rowids)
        canon: dict[int, str] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            q = ("SELECT rowid, canon FROM reviews WHERE canon IN "
                 f"(SELECT canon FROM reviews WHERE rowid IN ({','.join('?' * len(chunk))}))")
            canon.update(self.conn.execute(q, chunk).fetchall())
        return canon

    def bm25(self, match_query: str, limit: int) -> list[tuple[int, float]]:
        """(rowid, score) by BM25 (higher is better) for an FTS5 MATCH expression."""
        if not match_query:
            return []
        try:
            rows = self.conn.execute(
                "SELECT rowid, bm25(reviews_fts, 1.0, 0.7) AS s FROM reviews_fts WHERE reviews_fts MATCH ? "
                "ORDER BY s LIMIT ?", (match_query, limit)).fetchall()
        except sqlite3.OperationalError as exc:
            raise FactCheckError(f"full-text query failed: {exc}") from None
        return [(rowid, -score) for rowid, score in rows]
