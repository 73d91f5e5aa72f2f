"""Statements of a report (no model): what each article carries, how, and with which offsets."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.synthetic_trail import Quote, build_report, relay_example, write_batch
from newsaudit.corpus.trail.inputs import read_statements
from newsaudit.corpus.trail.statements import (
    compatible_sources,
    embed_text,
    source_key,
    statements_from_report,
)


def _statements(report, min_words=5):
    return statements_from_report(report.to_dict(), 0, min_words)


def test_trail_statements_offsets_point_at_text():
    for report in relay_example():
        statements, _ = _statements(report)
        text = report.article.text
        assert statements
        for s in statements:
            assert text[s.start:s.end] == s.text


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        # (article of relay_example, [(carried_as, attributed_to, relayed_via, kind)])
        (0, [("attributed", "Defence Ministry", None, "attribution"), ("attributed", "Defence Ministry", None, "attribution")]),
        (1, [("attributed", "Defence Ministry", None, "attribution")]),
        # "Rt.com reports: the Defence Ministry said X": the outer attribution is a relay scope, X is relayed
        # ... and its headline states it as fact: a statement of its own (a trail keeps one row per article: see
        # test_trail_group_relay_across_three_articles)
        (2, [("unattributed", None, None, "headline"), ("relayed", "Defence Ministry", "Rt.com", "attribution")]),
        (3, [("unattributed", None, None, "claim")]),
    ],
)
def test_trail_statements_carried_as(index, expected):
    statements, _ = _statements(relay_example()[index])
    assert [(s.carried_as, s.attributed_to, s.relayed_via, s.kind) for s in statements] == expected


def test_trail_statements_outlet_source_is_a_relay():
    report = build_report("o1", "Rt.com reports that the dam on the Varna river was damaged by shelling overnight.",
                          quotes=[Quote("the dam on the Varna river was damaged by shelling overnight", "Rt.com",
                                        source_role="outlet")])
    (s,), _ = _statements(report)
    assert (s.carried_as, s.attributed_to, s.relayed_via, s.source_key) == ("relayed", None, "Rt.com", None)


def test_trail_statements_headline_claim_kept_aside_unless_not_in_body():
    """An unattributed headline is a statement of its own (it need not be check-worthy in the body) and, unless it
    is nowhere in the body, also kept aside to find the body statements it states; an attributed one is neither."""
    m3 = relay_example()[2]
    statements, headline = _statements(m3)
    assert headline == m3.article.headline
    assert [(s.kind, s.start) for s in statements if s.kind == "headline"] == [("headline", 0)]
    m2 = relay_example()[1]  # "... says ...": the headline carries its attribution
    statements, headline = _statements(m2)
    assert headline == m2.article.headline
    assert all(s.kind != "headline" for s in statements)
    alone = build_report("h1", "Officials met on Monday to discuss the harbour.", headline="Harbour to close for good next year",
                         headline_verdict="not-in-body")
    statements, headline = _statements(alone)
    assert headline is None
    assert [(s.kind, s.carried_as, s.start) for s in statements] == [("headline", "unattributed", 0)]


@pytest.mark.parametrize(
    ("content", "min_words", "kept"),
    [
        ("the suit Monday", 5, False),
        ("questions about the audit", 5, False),
        ("the plant will reopen on Monday morning", 5, True),
        ("the plant will reopen", 5, False),
        ("the plant will reopen", 3, True),
    ],
)
def test_trail_statements_short_contents_left_out(content, min_words, kept):
    report = build_report("w", f"The company said {content}.", quotes=[Quote(content, "The company")])
    statements, _ = _statements(report, min_words)
    assert bool(statements) is kept


def test_trail_statements_claim_covered_by_attribution_not_repeated():
    body = "The agency said the river water was safe to drink again. Anglers were not convinced by the agency at all."
    report = build_report("c", body, quotes=[Quote("the river water was safe to drink again", "The agency")],
                          claims=["Anglers were not convinced by the agency at all."])
    statements, _ = _statements(report)
    assert [(s.kind, s.carried_as) for s in statements] == [("attribution", "attributed"), ("claim", "unattributed")]


@pytest.mark.parametrize(
    ("a", "b", "compatible"),
    [
        ("Defence Ministry", "the ministry", True),
        ("Donald Trump", "Mr. Trump", True),
        ("Trump", "Trump's campaign", True),
        ("Defence Ministry", "rebel commanders", False),
        ("Bill Clinton", "Hillary Clinton", False),
        ("Defence Ministry", None, True),
    ],
)
def test_trail_statements_source_compatibility(a, b, compatible):
    assert compatible_sources(source_key(a), source_key(b)) is compatible


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“We have nothing to hide,”", "We have nothing to hide"),
        ("that the firm had handed over evidence", "the firm had handed over evidence"),
        ("Minecraft is NOT stopping https://t.co/abc #SaveMinecraft (@HelenAngel)", "Minecraft is NOT stopping Save Minecraft"),
    ],
)
def test_trail_statements_embed_text(text, expected):
    assert embed_text(text) == expected


@given(st.text(max_size=200))
def test_trail_statements_embed_text_never_fails(text):
    out = embed_text(text)
    assert isinstance(out, str)
    assert out == out.strip()


def test_trail_statements_error_rows_skipped_and_counted(tmp_path):
    path = write_batch(tmp_path / "b.parquet", [*relay_example(), ("bad1", "input error: empty"), ("bad2", "internal error")])
    data = read_statements([path])
    assert (data.rows, data.errors, len(data.articles)) == (6, 2, 4)
    assert {a.id for a in data.articles} == {"m1", "m2", "m3", "m4"}


@pytest.mark.parametrize(
    ("content", "kept"),
    [
        ("to back him in the primary election next week", False),
        ("whether he was eligible to be president of the country", False),
        ("he was eligible to be president of the country", True),
    ],
)
def test_trail_statements_non_assertions_left_out(content, kept):
    report = build_report("n", f"The senator asked {content}.", quotes=[Quote(content, "The senator")])
    statements, _ = _statements(report)
    assert bool(statements) is kept


@pytest.mark.parametrize(
    ("headline", "body", "expected"),
    [
        # a post: no headline, one paragraph; carried as its attribution is
        ("", "The ministry said the Varna dam was damaged by shelling overnight.",
         [("post", "attributed", "ministry"), ("attribution", "attributed", "ministry")]),
        # a headline, or a second paragraph: an article, not a post
        ("Dam damaged", "The ministry said the Varna dam was damaged by shelling overnight.",
         [("attribution", "attributed", "ministry")]),
        ("", "The ministry said the Varna dam was damaged by shelling overnight.\n\nMore later.",
         [("attribution", "attributed", "ministry")]),
    ],
)
def test_trail_statements_posts(headline, body, expected):
    report = build_report("p", body, headline=headline,
                          quotes=[Quote("the Varna dam was damaged by shelling overnight", "The ministry", name="ministry")],
                          headline_verdict="headline-attributes" if headline else None)
    statements, _ = statements_from_report(report.to_dict(), 0, 5, post_max_words=100)
    assert [(s.kind, s.carried_as, s.attributed_to) for s in statements] == expected
    post = statements[0]
    if post.kind == "post":
        assert report.article.text[post.start:post.end] == post.text == body


@pytest.mark.parametrize(
    "report_json",
    [
        '{"article": 5}',
        "[1, 2]",
        '"a string"',
        '{"article": {"text": 7}}',
        '{"article": {"text": "Body."}, "attributions": 5}',
        '{"article": {"text": "Body."}, "claims": {"c1": 1}}',
        '{"article": {"text": "Body."}, "headline_check": []}',
        '{"article": {"text": "Body text here."}, "attributions": [{"id": {"x": 1}, '
        '"content": {"start": 0, "end": 4, "text": "Body"}}]}',
        '{"article": {"text": "Body.", "body_start": "x"}, "claims": [{"span": {"start": 0, "end": 5, "text": "Body."}}]}',
        "[" * 5000 + "]" * 5000,
    ],
)
def test_trail_statements_reports_of_the_wrong_shape_skipped_and_counted(tmp_path, report_json):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = write_batch(tmp_path / "b.parquet", relay_example())
    table = pq.read_table(path)
    values = table.column("report_json").to_pylist()
    values[1] = report_json
    pq.write_table(table.set_column(table.schema.get_field_index("report_json"), "report_json",
                                    pa.array(values, pa.string())), path)
    data = read_statements([path])
    assert (data.rows, data.errors, len(data.articles)) == (4, 1, 3)
    assert {a.id for a in data.articles} == {"m1", "m3", "m4"}


def test_trail_statements_wrong_shape_report_is_no_crash_in_the_cli(tmp_path):
    """The installed command skips the row (exit 0) instead of an internal error (exit 70)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tests.test_cli import run_cli

    path = write_batch(tmp_path / "b.parquet", relay_example())
    table = pq.read_table(path)
    values = table.column("report_json").to_pylist()
    values[0] = '{"article": 5}'
    pq.write_table(table.set_column(table.schema.get_field_index("report_json"), "report_json",
                                    pa.array(values, pa.string())), path)
    r = run_cli(["trail", path, "--out", tmp_path / "t.parquet", "--encoder", "hashing-512"], timeout=300)
    assert r.returncode == 0, r.stderr
    assert "skipped 1 error rows" in r.stdout
