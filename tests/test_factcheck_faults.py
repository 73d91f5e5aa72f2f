"""The fact-check memory under bad input: bad values skip their record, deep files are one line,
foreign SQLite files are refused before anything is written, a store is searched read only."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsaudit.errors import FactCheckError
from newsaudit.factcheck.embed import HashingEmbedder
from newsaudit.factcheck.importers import ReviewRecord, claimreview_record, read_reviews
from newsaudit.factcheck.store import FactCheckStore
from tests.test_cli import run_cli

DATA = Path(__file__).parent / "data" / "factcheck"


def _claimreview(rating_value=1, claim="The moon is made of cheese.", url="https://fc.example/1") -> dict:
    return {"@context": "https://schema.org", "@type": "ClaimReview", "claimReviewed": claim, "url": url,
            "author": {"@type": "Organization", "name": "Example Check"},
            "reviewRating": {"@type": "Rating", "ratingValue": rating_value, "bestRating": 5, "worstRating": 1}}


def _store(path: Path) -> FactCheckStore:
    return FactCheckStore(path, create=True, embedder=HashingEmbedder(64))


@pytest.mark.parametrize(
    ("rating_value", "reason"),
    [
        ("nan", "reviewRating.ratingValue 'nan' is not a finite number"),
        ("NaN", "reviewRating.ratingValue 'NaN' is not a finite number"),
        ("1e400", "reviewRating.ratingValue '1e400' is not a finite number"),
        ("-inf", "reviewRating.ratingValue '-inf' is not a finite number"),
        ({"value": 1}, "reviewRating.ratingValue is a JSON object, not a rating"),
        ([1, 2], "reviewRating.ratingValue is a JSON list, not a rating"),
    ],
)
def test_factcheck_import_bad_rating_value_skips_its_record(tmp_path, rating_value, reason):
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps([_claimreview(rating_value), _claimreview(2, "Water is dry.", "https://fc.example/2")]))
    with _store(tmp_path / "fc.db") as store:
        result = store.import_file(path)
        assert (result.imported, result.skipped) == (1, 1)
        assert result.problems == [("index 0", reason)]
        assert [r.claim for r in store.iter_reviews()] == ["Water is dry."]


@pytest.mark.parametrize(("rating_value", "expected"), [(1, "false"), ("5", "true"), ("False", "false"), (None, None)])
def test_factcheck_import_good_rating_values_are_read(tmp_path, rating_value, expected):
    ((_where, record),) = read_reviews(_write(tmp_path, [_claimreview(rating_value)]))
    assert isinstance(record, ReviewRecord)
    assert record.normalised_verdict == expected


def _write(tmp_path: Path, value) -> Path:
    path = tmp_path / "r.json"
    path.write_text(json.dumps(value))
    return path


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("claimReviewed", "bad \ud800 claim", "claim holds invalid Unicode (a lone surrogate)"),
        ("name", "title \udfff", "title holds invalid Unicode (a lone surrogate)"),
        ("author", {"name": "pub \ud83d"}, "publisher holds invalid Unicode (a lone surrogate)"),
        ("extraField", {"k": ["\ud800"]}, "extra.extraField.k.0 holds invalid Unicode (a lone surrogate)"),
    ],
)
def test_factcheck_import_lone_surrogate_skips_its_record(tmp_path, field, value, reason):
    record = _claimreview()
    record[field] = value
    path = tmp_path / "r.json"
    path.write_text(json.dumps([record, _claimreview(2, "Water is dry.", "https://fc.example/2")]))  # \ud800 escaped
    with _store(tmp_path / "fc.db") as store:
        result = store.import_file(path)
    assert result.problems == [("index 0", reason)]
    assert result.imported == 1


def test_factcheck_import_too_deep_file_is_one_line_and_exit_2(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    r = run_cli(["factcheck", "import", deep, "--db", tmp_path / "fc.db", "--encoder", "hashing-64"], timeout=120)
    assert r.returncode == 2, r.stderr
    assert r.stderr.strip() == f"newsaudit: error: {deep}: JSON nested too deeply to read; not a ClaimReview file"
    assert not (tmp_path / "fc.db").exists()


def test_factcheck_import_too_deep_jsonl_line_skips_it(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps(_claimreview()) + "\n" + "[" * 50_000 + "]" * 50_000 + "\n")
    items = list(read_reviews(path))
    assert items[1] == ("line 2", "JSON nested too deeply to read")


def test_factcheck_import_bad_values_exit_1_listing_each(tmp_path):
    path = tmp_path / "r.json"
    path.write_text(json.dumps([_claimreview("nan"), _claimreview(2, "Water is dry.", "https://fc.example/2")]))
    r = run_cli(["factcheck", "import", path, "--db", tmp_path / "fc.db", "--encoder", "hashing-64"], timeout=120)
    assert r.returncode == 1, r.stderr
    assert "skipped index 0: reviewRating.ratingValue 'nan' is not a finite number" in r.stderr
    assert "imported 1, skipped 1" in r.stdout


# ---------------------------------------------------------------- the store opener


def _foreign_db(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE mine(x INTEGER)")
    conn.execute("INSERT INTO mine VALUES (1)")
    conn.commit()
    conn.close()
    return path


def _tables(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return sorted(name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
    finally:
        conn.close()


@pytest.mark.parametrize("args", [["factcheck", "search", "x"], ["factcheck", "import", str(DATA / "claimreview.json")]])
def test_factcheck_store_refuses_a_foreign_sqlite_file_before_writing(tmp_path, args):
    db = _foreign_db(tmp_path / "other.db")
    before = db.read_bytes()
    r = run_cli([*args, "--db", db, "--encoder", "hashing-64"] if "import" in args else [*args, "--db", db], timeout=120)
    assert r.returncode == 2, r.stderr
    assert "is not a newsaudit fact-check database (a SQLite database with other tables (mine))" in r.stderr
    assert "nothing was written" in r.stderr
    assert _tables(db) == ["mine"]
    assert db.read_bytes() == before


@pytest.mark.parametrize(("content", "message"), [
    (b"", "is not a newsaudit fact-check database (empty)"),
    (b"not sqlite at all " * 300, "is not a newsaudit fact-check database (not SQLite"),
])
def test_factcheck_store_search_refuses_what_is_not_a_store(tmp_path, content, message):
    db = tmp_path / "x.db"
    db.write_bytes(content)
    with pytest.raises(FactCheckError, match=message.replace("(", r"\(").replace(")", r"\)")):
        FactCheckStore(db)
    assert db.read_bytes() == content


def test_factcheck_store_search_opens_read_only(tmp_path):
    db = tmp_path / "fc.db"
    with _store(db) as store:
        store.import_file(DATA / "claimreview.json")
    before = db.read_bytes()
    with FactCheckStore(db) as store:
        assert store.read_only
        assert store.count() == 1
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store.conn.execute("DELETE FROM reviews")
    assert db.read_bytes() == before
    assert not Path(str(db) + "-wal").exists() or Path(str(db) + "-wal").stat().st_size == 0


def test_factcheck_store_on_read_only_media_is_opened_immutable(tmp_path, monkeypatch):
    """A WAL store on read-only media cannot make its -shm file: the plain read-only open fails, the
    immutable one is used."""
    import newsaudit.factcheck.store as store_module

    db = tmp_path / "fc.db"
    with _store(db) as store:
        store.import_file(DATA / "claimreview.json")
    real = sqlite3.connect
    uris: list[str] = []

    def connect(database, *args, **kwargs):
        uris.append(database)
        if database.endswith("mode=ro"):
            return _FailingConnection()
        return real(database, *args, **kwargs)

    monkeypatch.setattr(store_module.sqlite3, "connect", connect)
    with FactCheckStore(db) as store:
        assert store.count() == 1
    assert any(u.endswith("mode=ro&immutable=1") for u in uris)


class _FailingConnection:
    def execute(self, *_args):
        raise sqlite3.OperationalError("unable to open database file")

    def close(self):
        pass


def test_factcheck_store_not_writable_says_so(tmp_path, monkeypatch):
    import newsaudit.factcheck.store as store_module

    db = tmp_path / "fc.db"
    with _store(db) as store:
        store.import_file(DATA / "claimreview.json")
    real = store_module._connect

    def connect(path, mode):
        conn = real(path, mode)
        if mode == "rw":
            conn.close()
            conn = real(path, "ro")  # what a read-only file gives: every write fails
        return conn

    monkeypatch.setattr(store_module, "_connect", connect)
    with pytest.raises(FactCheckError, match=r"the fact-check store .*fc\.db is not writable"):
        FactCheckStore(db, create=True)
    with FactCheckStore(db) as store:  # searching still works
        assert store.count() == 1


# ---------------------------------------------------------------- ClaimReview values, generated

FINITE_OR_NOT = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**30, 10**30),
    st.sampled_from(["nan", "NaN", "inf", "-Infinity", "1e400", "-1e400", "3", "4.5", "", " ", "False", "Mostly true"]),
)
TEXT = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=40)  # surrogates included
JSON_LEAF = st.one_of(st.none(), st.booleans(), FINITE_OR_NOT, TEXT)
JSON_VALUE = st.recursive(JSON_LEAF, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                             st.dictionaries(TEXT, inner, max_size=3)), max_leaves=8)
RATING = st.one_of(JSON_VALUE, st.fixed_dictionaries({}, optional={
    "ratingValue": JSON_VALUE, "bestRating": FINITE_OR_NOT, "worstRating": FINITE_OR_NOT,
    "alternateName": JSON_VALUE, "name": JSON_VALUE}))
CLAIMREVIEW = st.fixed_dictionaries(
    {"@type": st.just("ClaimReview"), "claimReviewed": st.one_of(TEXT, JSON_VALUE)},
    optional={"reviewRating": st.one_of(RATING, st.lists(RATING, max_size=2)), "url": JSON_VALUE,
              "author": JSON_VALUE, "datePublished": JSON_VALUE, "itemReviewed": JSON_VALUE, "name": JSON_VALUE,
              "identifier": JSON_VALUE, "inLanguage": JSON_VALUE, "extra": JSON_VALUE},
)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(CLAIMREVIEW, min_size=1, max_size=4))
def test_factcheck_import_any_claimreview_values_never_raise(tmp_path_factory, records):
    """Whatever values a ClaimReview holds, each record is imported or skipped with a reason."""
    for record in records:
        result = claimreview_record(record)
        assert isinstance(result, ReviewRecord | str)
        if isinstance(result, ReviewRecord):
            result.claim.encode("utf-8")
            json.dumps(result.extra, ensure_ascii=False, default=str).encode("utf-8")
    with _store(tmp_path_factory.mktemp("fc") / "fc.db") as store:
        result = store.add_records((f"index {i}", claimreview_record(r)) for i, r in enumerate(records))
        assert result.imported + result.skipped + result.duplicates == len(records)
