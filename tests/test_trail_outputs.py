"""What a trail run gives a reader: the HTML view, the stats summary, the commands and the CLEF evaluation."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from benchmarks.synthetic_trail import relay_example, write_batch
from newsaudit.corpus.trail import TrailOptions, loss_summary, loss_summary_text, run_trail
from newsaudit.corpus.trail.html import trails_html
from newsaudit.eval.trail import score_pairs, tweet_article

#: The hashing encoder (no model): the relay example's three versions share most words.
FAST = {"encoder": "hashing-512", "threshold": 0.5, "headline_threshold": 0.4}


@pytest.fixture
def trail_run(tmp_path):
    batch = write_batch(tmp_path / "batch.parquet", [*relay_example(), ("bad", "input error: empty")])
    out = tmp_path / "trail.parquet"
    result = run_trail(TrailOptions(inputs=(str(batch),), out=str(out), html=str(tmp_path / "trail.html"), **FAST))
    return batch, out, result


def test_trail_outputs_fast_encoder_finds_the_relay(trail_run):
    _batch, out, result = trail_run
    rows = pq.read_table(out).to_pylist()
    assert [r["id"] for r in rows] == ["m1", "m2", "m3"]
    assert result.errors == 1


def test_trail_outputs_row_type_names_every_column():
    from newsaudit.corpus.trail.table import TRAIL_COLUMNS, TrailRow

    assert list(TrailRow.__annotations__) == list(TRAIL_COLUMNS)


def test_trail_outputs_html_is_one_offline_file(trail_run, tmp_path):
    page = (tmp_path / "trail.html").read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    assert "Plotly.newPlot" in page
    assert page.count("<section") == 1
    assert "Trail 1:" in page
    assert not re.search(r"<(?:script|link|img)[^>]+(?:src|href)=\"?https?:", page)  # nothing fetched
    data = json.loads(re.search(r'id="trail-data">(.*?)</script>', page, re.S).group(1))
    m3 = next(d for d in data.values() if d["id"] == "m3")
    assert m3["statement"].startswith("rebel forces had shelled")
    assert "Rt.com reports" in m3["before"]
    assert m3["headline"] == "headline-drops-attribution"
    assert m3["carried_as"] == "relayed"


NODE_HARNESS = r"""
const elements = {};
function el(id) {
  if (!elements[id]) elements[id] = {id, textContent: '', children: [], style: {},
    appendChild(c) { this.children.push(c); }};
  return elements[id];
}
global.document = {
  getElementById: (id) => id === 'trail-data' ? {textContent: process.argv[2]} : el(id),
  createElement: (tag) => ({tag, textContent: '', children: [], appendChild(c) { this.children.push(c); }}),
  createTextNode: (t) => ({text: t}),
  querySelectorAll: () => [],
};
eval(require('fs').readFileSync(process.argv[3], 'utf8'));
showContext(process.argv[4]);
const box = elements['ctx-1'];
const body = box.children[1];
console.log(JSON.stringify({display: box.style.display, meta: box.children[0].textContent,
  mark: body.children[1].textContent, before: body.children[0].text}));
"""


def test_trail_outputs_html_click_shows_context(trail_run, tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the page script is not run")
    page = (tmp_path / "trail.html").read_text(encoding="utf-8")
    payload = re.search(r'id="trail-data">(.*?)</script>', page, re.S).group(1)
    script = page.rsplit("<script>", 1)[1].split("</script>")[0]
    (tmp_path / "page.js").write_text(script, encoding="utf-8")
    (tmp_path / "harness.js").write_text(NODE_HARNESS, encoding="utf-8")
    key = next(k for k, d in json.loads(payload).items() if d["id"] == "m3")
    proc = subprocess.run([node, str(tmp_path / "harness.js"), payload, str(tmp_path / "page.js"), key],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    shown = json.loads(proc.stdout)
    assert shown["display"] == "block"
    assert shown["mark"].startswith("rebel forces had shelled")
    assert "Daily Planet" in shown["meta"]
    assert "via Rt.com" in shown["meta"]
    assert "headline-drops-attribution" in shown["meta"]


def test_trail_outputs_html_without_trails_still_a_page():
    page = trails_html([], {})
    assert "No trails" in page
    assert page.endswith("</html>")


def test_trail_outputs_loss_summary(trail_run):
    _batch, out, _result = trail_run
    summary = loss_summary(out)
    assert (summary["trails"], summary["losing_trails"]) == (1, 1)
    assert summary["outlets"][0] == {"outlet": "Daily Planet", "trails": 1, "drops": 1, "drop_share": 1.0}
    assert summary["examples"][0]["dropped_by"] == "m3 (Daily Planet)"
    text = loss_summary_text(summary)
    assert "1 lose their attribution" in text
    assert "Daily Planet" in text


def _cli(*args, timeout=600):
    env = dict(os.environ)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1]) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "newsaudit", *args], capture_output=True, text=True, timeout=timeout, env=env)


def test_trail_outputs_cli_and_stats(trail_run, tmp_path):
    batch, _out, _result = trail_run
    out = tmp_path / "cli.parquet"
    proc = _cli("trail", str(batch), "--out", str(out), "--encoder", "hashing-512", "--threshold", "0.5")
    assert proc.returncode == 0, proc.stderr
    assert "1 trails" in proc.stdout
    assert "skipped 1 error rows" in proc.stdout
    assert "embedded 0 texts" in proc.stdout
    assert pq.read_table(out).num_rows == 3
    proc = _cli("stats", str(batch), "--trails", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "Claim trails: 1 trails; 1 lose their attribution" in proc.stdout
    proc = _cli("stats", str(batch), "--trails", str(out), "--html", str(tmp_path / "stats.html"))
    assert proc.returncode == 0, proc.stderr
    assert "<h2>Claim trails</h2>" in (tmp_path / "stats.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["trail", "/no/such/batch.parquet", "--out", "x.parquet"], "input not found"),
        (["trail", "{batch}", "--out", "x.parquet", "--engine", "spark"], "unknown engine"),
        (["trail", "{batch}", "--out", "x.parquet", "--threshold", "7"], "threshold"),
        (["trail", "{not_batch}", "--out", "x.parquet"], "not a newsaudit batch output"),
    ],
)
def test_trail_outputs_cli_bad_input_exit_2(trail_run, tmp_path, args, message):
    batch, _out, _result = trail_run
    not_batch = tmp_path / "other.parquet"
    pq.write_table(pq.read_table(batch, columns=["id"]), not_batch)
    args = [a.format(batch=batch, not_batch=not_batch) for a in args]
    proc = _cli(*args, "--encoder", "hashing-512")
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Polls look bad for Obama. — Donald J. Trump (@realDonaldTrump) October 17, 2012",
         {"text": "Polls look bad for Obama.", "outlet": "@realDonaldTrump", "date": "2012-10-17"}),
        ("Wakanda is listed as a US free trade partner?? pic.twitter.com/x — Francis Tseng (@frnsys) December 18, 2019",
         {"text": "Wakanda is listed as a US free trade partner?? pic.twitter.com/x", "outlet": "@frnsys", "date": "2019-12-18"}),
        ("A number of fraudulent text messages have circulated this week.",
         {"text": "A number of fraudulent text messages have circulated this week."}),
    ],
)
def test_trail_outputs_tweet_as_article(text, expected):
    assert tweet_article("7", text) == {"id": "7", **expected}


@pytest.mark.parametrize(
    ("groups", "gold", "expected"),
    [
        ({"1": {1}, "2": {1}, "3": {2}, "4": {2}}, {"1": {"a"}, "2": {"a"}, "3": {"b"}, "4": {"c"}}, (1, 1, 0)),
        ({"1": {1}, "2": {1, 2}, "3": {2}}, {"1": {"a"}, "2": {"a"}, "3": {"a"}}, (2, 0, 1)),
        ({}, {"1": {"a"}, "2": {"a"}}, (0, 0, 1)),
    ],
)
def test_trail_outputs_pairwise_scores(groups, gold, expected):
    # a tweet in two trails pairs with the members of both; pairs are unordered
    assert score_pairs(groups, gold, sorted(gold)) == expected


@pytest.mark.slow
def test_trail_outputs_eval_command_on_a_tiny_clef_folder(tmp_path):
    tweets = [
        ("1", "The new 5G towers caused the outbreak in Wuhan, scientists confirm. — A B (@ab) March 2, 2020"),
        ("2", "Scientists confirm that 5G towers caused the Wuhan outbreak!! — C D (@cd) March 3, 2020"),
        ("3", "Drinking hot water with lemon every morning cured 90 percent of coronavirus patients in Italy."),
        ("4", "Hot lemon water every morning cured 90 percent of the coronavirus patients in Italy, doctors say."),
        ("5", "The Eiffel Tower will be painted bright green for the Olympic Games next summer."),
    ]
    split = tmp_path / "clef" / "dev"
    split.mkdir(parents=True)
    (split / "tweets.queries.tsv").write_text("\ttweet_content\n" + "".join(f"{q}\t{t}\n" for q, t in tweets), encoding="utf-8")
    (split / "tweet-vclaim-pairs.qrels").write_text("1\t0\t10\t1\n2\t0\t10\t1\n3\t0\t20\t1\n4\t0\t20\t1\n5\t0\t30\t1\n")
    proc = _cli("eval", "trail", "--data", str(tmp_path / "clef"), "--split", "dev", "--work", str(tmp_path / "work"),
                "--threshold", "0.6", "--json")
    assert proc.returncode == 0, proc.stderr
    (score,) = json.loads(proc.stdout)
    assert (score["tweets"], score["gold_pairs"]) == (5, 2)
    assert score["tp"] == 2
    assert score["fp"] == 0
    assert score["f1"] == 1.0


def _clef_split(root, tweets: dict[str, str], claims: dict[str, str]) -> str:
    split = root / "dev"
    split.mkdir(parents=True)
    (split / "tweets.queries.tsv").write_text(
        "\ttweet_content\n" + "".join(f"{q}\t{t}\n" for q, t in tweets.items()), encoding="utf-8")
    (split / "tweet-vclaim-pairs.qrels").write_text(
        "".join(f"{q}\t0\t{c}\t1\n" for q, c in claims.items()), encoding="utf-8")
    return str(root)


def test_trail_eval_cosine_ceiling_finds_the_best_threshold(tmp_path):
    from newsaudit.eval.trail import CosineCeiling, TrailEvalOptions, cosine_ceiling

    tweets = {
        "1": "The vaccine contains a microchip that tracks people",
        "2": "the vaccine contains a microchip that tracks people!",
        "3": "Bill Gates put a tracking chip in the vaccine",
        "4": "The mayor opened a new bridge over the river today",
    }
    claims = {"1": "c1", "2": "c1", "3": "c1", "4": "c2"}
    data = _clef_split(tmp_path, tweets, claims)
    bound = cosine_ceiling(TrailEvalOptions(data=data, split="dev", encoder="hashing-256"))
    assert isinstance(bound, CosineCeiling)
    assert bound.tweets == 4
    assert bound.gold_pairs == 3
    assert 0 < bound.f1 <= 1
    assert 0 <= bound.recall <= 1
    assert 0 < bound.precision <= 1
    # the two near-identical tweets are the closest pair, so some threshold keeps them alone: P = 1
    assert bound.precision == 1.0 or bound.f1 >= 0.5
    assert bound.f1 == pytest.approx(2 * bound.precision * bound.recall / (bound.precision + bound.recall))


def test_trail_eval_cosine_ceiling_needs_a_gold_pair(tmp_path):
    from newsaudit.errors import EvalError
    from newsaudit.eval.trail import TrailEvalOptions, cosine_ceiling

    data = _clef_split(tmp_path, {"1": "one tweet here", "2": "another tweet there"}, {"1": "c1", "2": "c2"})
    with pytest.raises(EvalError, match="no two tweets share"):
        cosine_ceiling(TrailEvalOptions(data=data, split="dev", encoder="hashing-64"))


def test_trail_eval_batch_reused_only_while_the_analysis_is_unchanged(tmp_path, monkeypatch):
    from newsaudit.eval import trail as trail_eval

    data = _clef_split(tmp_path / "clef", {"1": "a tweet", "2": "another tweet"}, {"1": "c1", "2": "c1"})
    calls = []

    def batch(options):
        calls.append(options.out)
        Path(options.out).write_bytes(b"")

    monkeypatch.setattr(trail_eval, "run_batch", batch)
    opts = trail_eval.TrailEvalOptions(data=data, split="dev", work=str(tmp_path / "work"))
    monkeypatch.setattr(trail_eval, "analysis_stamp", lambda: "v1")
    trail_eval.prepare_batch(opts)
    trail_eval.prepare_batch(opts)
    assert len(calls) == 1  # same tweets, same analysis: reused
    monkeypatch.setattr(trail_eval, "analysis_stamp", lambda: "v2")
    trail_eval.prepare_batch(opts)
    assert len(calls) == 2  # another newsaudit (code, model or lexicon): analysed again
