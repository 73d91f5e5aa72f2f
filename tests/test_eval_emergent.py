"""newsaudit eval emergent: the Emergent reader, the stance and pairwise scorers, and the command (with the
shipped model, and under claim-grouped cross-validation), on small hand-written files."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from newsaudit.errors import EvalError
from newsaudit.eval.emergent import pair_score, read_emergent, stance_report
from newsaudit.train.modality import claim_folds

HEADER = ["articleId", "claimId", "claimHeadline", "articleHeadline", "articleHeadlineStance"]
CLAIMS = [
    ("Christian Bale will play Steve Jobs", ["Christian Bale to play Steve Jobs", "Bale reportedly in talks to play Jobs",
                                             "Christian Bale will not play Steve Jobs after all"]),
    ("A meteorite landed in Nicaragua", ["Meteorite crashes near Managua airport", "Did a meteorite hit Nicaragua?",
                                         "Nicaragua meteorite was a hoax, experts say"]),
    ("Apple will open a store on the Moon", ["Apple opens Moon store", "Apple may open a store on the Moon",
                                             "Apple denies Moon store plans"]),
    ("A giant squid washed up in Cornwall", ["Giant squid washes up in Cornwall", "Giant squid reportedly found in Cornwall",
                                             "Cornwall squid photo is fake"]),
    ("Lego will build a theme park in Iceland", ["Lego to build Iceland theme park", "Lego could build a park in Iceland",
                                                 "Lego rules out Iceland park"]),
]
STANCES = ["for", "observing", "against"]


def _write(path: Path, labelled: bool = True) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER if labelled else HEADER[:-1])
        for c, (claim, heads) in enumerate(CLAIMS):
            for h, (head, stance) in enumerate(zip(heads, STANCES, strict=True)):
                w.writerow([f"a{c}{h}", f"c{c}", claim, head, stance][: 5 if labelled else 4])
    return path


def test_eval_emergent_reader(tmp_path):
    rows = read_emergent(_write(tmp_path / "e.csv"))
    assert len(rows) == 15
    assert rows[0].claim_id == "c0"
    assert rows[2].stance == "against"
    assert read_emergent(_write(tmp_path / "u.csv", labelled=False))[0].stance is None
    bad = tmp_path / "bad.csv"
    bad.write_text("articleId,claimHeadline\n1,x\n", encoding="utf-8")
    with pytest.raises(EvalError, match="no column claimId"):
        read_emergent(bad)
    wrong = tmp_path / "wrong.csv"
    wrong.write_text(",".join(HEADER) + "\n1,c,x,y,agree\n", encoding="utf-8")
    with pytest.raises(EvalError, match="line 2"):
        read_emergent(wrong)


def test_eval_emergent_stance_report():
    report = stance_report(["for", "for", "observing", "against"], ["for", "observing", "observing", "for"])
    assert report.accuracy == 0.5
    assert report.confusion == ((1, 1, 0), (0, 1, 0), (1, 0, 0))
    assert report.f1 == {"for": 0.5, "observing": 2 / 3, "against": 0.0}
    assert abs(report.macro_f1 - (0.5 + 2 / 3) / 3) < 1e-9


@pytest.mark.parametrize(
    ("groups", "gold", "expected"),
    [
        ([1, 1, 2, 2], ["a", "a", "b", "b"], (2, 0, 0)),
        ([1, 1, 1, 1], ["a", "a", "b", "b"], (2, 4, 0)),
        ([1, 2, 3, 4], ["a", "a", "b", "b"], (0, 0, 2)),
        ([1, 1, 2, 3], ["a", "a", "a", "b"], (1, 0, 2)),
    ],
)
def test_eval_emergent_pair_score(groups, gold, expected):
    s = pair_score(groups, gold)
    assert (s.tp, s.fp, s.fn) == expected


def test_eval_emergent_claim_folds_keep_claims_together(tmp_path):
    rows = read_emergent(_write(tmp_path / "e.csv"))
    folds = claim_folds(rows)
    assert sorted(i for f in folds for i in f.tolist()) == list(range(len(rows)))
    for fold in folds:
        claims = {rows[i].claim_id for i in fold}
        assert all(rows[i].claim_id not in claims for other in folds if other is not fold for i in other)
    assert [f.tolist() for f in folds] == [f.tolist() for f in claim_folds(rows)]


def _cli(*args: str) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("newsaudit")
    return subprocess.run([str(exe), *args], capture_output=True, text=True)


def test_eval_emergent_command_writes_predictions(tmp_path):
    out = tmp_path / "pred.csv"
    done = _cli("eval", "emergent", str(_write(tmp_path / "e.csv")), "--pred", str(out), "--encoder", "hashing-256",
                "--cache", str(tmp_path / "cache" / "e"))
    assert done.returncode == 0, done.stderr
    assert "stance: accuracy" in done.stdout
    assert "pairwise P" in done.stdout
    assert "shipped model" in done.stdout
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["articleId"] for r in rows] == [f"a{c}{h}" for c in range(5) for h in range(3)]
    assert {r["stance"] for r in rows} <= set(STANCES)
    assert all(r["trail"].isdigit() for r in rows)


@pytest.mark.slow
def test_eval_emergent_command_cross_validates(tmp_path):
    done = _cli("eval", "emergent", str(_write(tmp_path / "e.csv")), "--cv", "--encoder", "hashing-256",
                "--cache", str(tmp_path / "cache" / "e"), "--json")
    assert done.returncode == 0, done.stderr
    assert '"mode": "claim-grouped 5-fold cross-validation"' in done.stdout
    assert '"pairwise F1"' in done.stdout


def test_eval_emergent_command_bad_file_is_a_usage_error(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    done = _cli("eval", "emergent", str(bad))
    assert done.returncode == 2
    assert "not an Emergent file" in done.stderr
