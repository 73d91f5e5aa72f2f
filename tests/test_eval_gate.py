"""The evaluation gate: floors pinned in the repository, corpus hashes, refusals."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from newsaudit import gate
from newsaudit.errors import EvalError
from newsaudit.gate import Check, GateOptions, corpus_hash, floor_of, run_gate

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("score", "expected"), [(0.7, 0.695), (0.69721, 0.692), (0.005, 0.0), (1.0, 0.995)])
def test_eval_gate_floor_is_score_minus_margin_rounded_down(score, expected):
    assert floor_of(score) == pytest.approx(expected)


def test_eval_gate_corpus_hash_follows_content(tmp_path):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.txt").write_text("one", encoding="utf-8")
    first = corpus_hash([tmp_path / "c"])
    assert corpus_hash([tmp_path / "c"]) == first
    (tmp_path / "c" / "a.txt").write_text("two", encoding="utf-8")
    assert corpus_hash([tmp_path / "c"]) != first


@pytest.fixture
def fake(tmp_path, monkeypatch):
    """A data folder with one corpus and one check whose score the test sets."""
    data = tmp_path / "data"
    (data / "toy").mkdir(parents=True)
    (data / "toy" / "doc.txt").write_text("gold", encoding="utf-8")
    state = {"score": 0.8}
    monkeypatch.setattr(gate, "CHECKS", (Check("toy", ("toy",), lambda _d, _c: {"F1": state["score"]}),
                                         Check("absent", ("nothing-here",), lambda _d, _c: {"F1": 1.0})))

    def options(**kw):
        return GateOptions(data=str(data), floors=str(tmp_path / "floors.json"), cache_dir=str(tmp_path / "cache"), **kw)

    return data, state, options


def _shared_artefact(_data: Path, cache: Path) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    with (cache / "prepared.txt").open("a", encoding="utf-8") as fh:
        fh.write("built\n")


def _reads_the_artefact(_data: Path, cache: Path) -> dict[str, float]:
    import os

    return {"lines": float(len((cache / "prepared.txt").read_text().splitlines())), "pid": float(os.getpid())}


def _plain(_data: Path, _cache: Path) -> dict[str, float]:
    import os

    return {"pid": float(os.getpid())}


def test_eval_gate_jobs_run_checks_in_worker_processes_and_prepare_shared_artefacts_once(tmp_path, monkeypatch):
    import os

    data = tmp_path / "data"
    (data / "toy").mkdir(parents=True)
    (data / "toy" / "doc.txt").write_text("gold", encoding="utf-8")
    monkeypatch.setattr(gate, "CHECKS", (
        Check("first", ("toy",), _reads_the_artefact, prepare=_shared_artefact, cost=1),
        Check("second", ("toy",), _reads_the_artefact, prepare=_shared_artefact, cost=2),
        Check("third", ("toy",), _plain)))
    result = run_gate(GateOptions(data=str(data), floors=str(tmp_path / "floors.json"), cache_dir=str(tmp_path / "cache"),
                                  pin=True, jobs=2))
    assert [c.name for c in result.checks] == ["first", "second", "third"]
    assert [c.scores.get("lines") for c in result.checks] == [1.0, 1.0, None]
    assert all(c.scores["pid"] != os.getpid() for c in result.checks)


def test_eval_gate_jobs_must_be_positive(fake):
    _data, _state, options = fake
    with pytest.raises(EvalError, match="--jobs"):
        run_gate(options(jobs=0))


def test_eval_gate_pin_then_pass_then_fail(fake):
    _data, state, options = fake
    pinned = run_gate(options(pin=True))
    assert pinned.pinned
    assert [c.skipped is not None for c in pinned.checks] == [False, True]
    floors = json.loads(Path(options().floors).read_text())
    assert floors["checks"]["toy"]["floors"] == {"F1": 0.795}
    assert run_gate(options()).ok
    state["score"] = 0.79
    failed = run_gate(options())
    assert not failed.ok
    assert "below its floor" in failed.checks[0].problems[0]


def test_eval_gate_changed_corpus_fails_until_pinned(fake):
    data, _state, options = fake
    run_gate(options(pin=True))
    (data / "toy" / "doc.txt").write_text("gold, edited", encoding="utf-8")
    result = run_gate(options())
    assert not result.ok
    assert "corpus changed" in result.checks[0].problems[0]
    run_gate(options(pin=True))
    assert run_gate(options()).ok


def test_eval_gate_lowering_needs_a_reason(fake):
    _data, state, options = fake
    run_gate(options(pin=True))
    state["score"] = 0.7
    with pytest.raises(EvalError, match="--allow-lower"):
        run_gate(options(pin=True))
    run_gate(options(pin=True, allow_lower="a harder tokenizer"))
    floors = json.loads(Path(options().floors).read_text())
    assert floors["checks"]["toy"]["floors"] == {"F1": 0.695}
    assert floors["lowered"][0] | {"date": None} == {"check": "toy", "metric": "F1", "from": 0.795, "to": 0.695,
                                                      "date": None, "reason": "a harder tokenizer"}


def test_eval_gate_unknown_check_is_an_error(fake):
    _data, _state, options = fake
    with pytest.raises(EvalError, match="unknown check"):
        run_gate(options(only=("nope",)))


def test_eval_gate_repository_floors_cover_every_check_and_every_lowering_is_in_changelog():
    floors = json.loads((ROOT / "eval-floors.json").read_text(encoding="utf-8"))
    assert set(floors["checks"]) == {c.name for c in gate.CHECKS}
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    for entry in floors["lowered"]:
        line = f"{entry['date']}: {entry['check']} {entry['metric']} {entry['from']} -> {entry['to']}"
        assert line in changelog, f"CHANGELOG.md has no line for a lowered floor: {line}"
    for name, check in floors["checks"].items():
        assert re.fullmatch(r"[0-9a-f]{64}", check["corpus_sha256"]), name


def test_eval_gate_polnear_dev_reads_the_strict_measures(monkeypatch, tmp_path):
    from newsaudit.eval import polnear
    from newsaudit.eval.scorer import Score, StrictScore

    result = polnear.EvalResult(articles=1, gold=2)
    result.scores["newsaudit"] = {m: Score(1, 1, 1) for m in polnear.MEASURES}
    result.strict["newsaudit"] = StrictScore(n_pred=2, n_gold=2, partial_p=1.0, partial_r=1.0, jaccard=1, exact=1,
                                             source=2, cue=0, overlap=1)
    monkeypatch.setattr(polnear, "evaluate", lambda _options: result)
    scores = gate._polnear_dev(tmp_path, tmp_path)
    assert set(scores) == {f"{m} F1" for m in polnear.MEASURES} | {f"strict {m} F1" for m in gate.GATED_STRICT}
    assert set(gate.GATED_STRICT) == {"partial", "jaccard", "source", "cue"}
    assert (scores["strict partial F1"], scores["strict source F1"], scores["strict cue F1"]) == (0.5, 1.0, 0.0)


def test_eval_gate_trail_check_scores_both_groupings(monkeypatch, tmp_path):
    """clef2020-trail-dev reports pairwise F1 by meaning alone and with the CLEF store (settings of ``eval trail``)."""
    from newsaudit.eval import trail

    calls = []

    def fake_eval(opts):
        calls.append(opts)
        return SimpleNamespace(f1=0.7 if opts.db else 0.3)

    monkeypatch.setattr(trail, "evaluate_trails", fake_eval)
    monkeypatch.setattr(gate, "_clef_store", lambda _d, c: c / "clef.db")
    scores = gate._clef_trail_dev(tmp_path, tmp_path / "cache")
    assert scores == {"pairwise F1 (meaning alone)": 0.3, "pairwise F1 (with the store)": 0.7}
    assert [o.split for o in calls] == ["dev", "dev"]
    assert calls[0].db is None
    assert calls[1].db.endswith("clef.db")
    assert all(o.threshold is None for o in calls)  # the train-tuned defaults


def test_eval_gate_emergent_check_runs_the_claim_grouped_cross_validation(tmp_path, monkeypatch):
    """emergent-cv reads Emergent train and reports the cross-validation's stance and pairwise scores, the
    headlines' embeddings cached under the gate's cache folder."""
    from newsaudit.train import modality

    (emergent,) = [c for c in gate.CHECKS if c.name == "emergent-cv"]
    assert emergent.corpus == ("emergent/train.csv",)
    seen = []
    scores = {"stance accuracy": 0.8, "stance macro-F1": 0.7, "pairwise F1": 0.9}

    def cv(file, cache):
        seen.append((file, cache))
        return SimpleNamespace(result=SimpleNamespace(scores=lambda: scores))

    monkeypatch.setattr(modality, "cross_validate_file", cv)
    assert emergent.run(tmp_path, tmp_path / "c") == scores
    assert seen == [(tmp_path / "emergent" / "train.csv", tmp_path / "c" / "emergent")]
