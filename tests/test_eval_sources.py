"""``newsaudit eval sources``: the measures of source entities against an entity layer, on hand-made articles."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsaudit.errors import EvalError
from newsaudit.eval.sources import (
    EntityArticle,
    GoldEntity,
    GoldMention,
    PredSource,
    load_entity_layer,
    score_article,
    score_corpus,
)

TEXT = "Jane Roe said X. She added Y. Bob Lee said Z. He noted W. A spokesman said V."
#   Jane Roe 0-8, She 17-20, Bob Lee 30-37, He 46-48, A spokesman 58-69


def _article() -> EntityArticle:
    mentions = {
        "T1": GoldMention("T1", ((0, 8),), "Jane Roe"),
        "T2": GoldMention("T2", ((17, 20),), "She"),
        "T3": GoldMention("T3", ((30, 37),), "Bob Lee"),
        "T4": GoldMention("T4", ((46, 48),), "He"),
        "T5": GoldMention("T5", ((58, 69),), "A spokesman"),
    }
    entities = (
        GoldEntity("e1", "Jane Roe", "official", "named", None, ("T1", "T2")),
        GoldEntity("e2", "Bob Lee", "person", "named", None, ("T3", "T4")),
        GoldEntity("e3", "a spokesman", "official", "described", "e1", ("T5",)),
    )
    return EntityArticle("toy", TEXT, mentions, entities)


def _src(sid: str, name: str, role: str, identity: str, *mentions: tuple[int, int]) -> PredSource:
    return PredSource(sid, name, role, identity, tuple(mentions))


def test_eval_sources_perfect_report_scores_one():
    pred = [
        _src("s1", "Jane Roe", "official", "named", (0, 8), (17, 20)),
        _src("s2", "Bob Lee", "person", "named", (30, 37), (46, 48)),
        _src("s3", "A spokesman", "official", "described", (58, 69)),
    ]
    m = score_corpus([_article()], [pred]).counts.measures()
    assert m == {"mention recall": 1.0, "B3 precision": 1.0, "B3 recall": 1.0, "B3 F1": 1.0, "pronoun accuracy": 1.0,
                 "role accuracy": 1.0, "identity accuracy": 1.0, "source count ratio": 1.0}


def test_eval_sources_wrong_speaker_and_split_voice():
    # "She" credited to Bob Lee; "He" reported as a source of its own; the spokesman missed
    pred = [
        _src("s1", "Jane Roe", "person", "named", (0, 8)),
        _src("s2", "Bob Lee", "person", "named", (30, 37), (17, 20)),
        _src("s3", "He", "unknown", "described", (46, 48)),
    ]
    c = score_article(_article(), pred)
    m = c.measures()
    assert m["mention recall"] == pytest.approx(4 / 5)
    # B3 precision: T1 1, T2 1/2, T3 1/2, T4 1, T5 1 -> 4/5; recall: T1 1/2, T2 1/2, T3 1/2, T4 1/2, T5 1 -> 3/5
    assert m["B3 precision"] == pytest.approx(4 / 5)
    assert m["B3 recall"] == pytest.approx(3 / 5)
    assert m["pronoun accuracy"] == pytest.approx(0.0)  # "She" -> Bob Lee, "He" -> a source named "He"
    # e1 -> s1 (person, gold official): role wrong, identity right; e2 -> s2 (the first of a tie): both right
    assert (c.typed, c.role_right, c.identity_right) == (2, 1, 2)
    assert m["source count ratio"] == pytest.approx(3 / 2)


def test_eval_sources_gated_measures_are_better_higher():
    pred = [_src("s1", "Jane Roe", "official", "named", (0, 8), (17, 20))]
    gated = score_corpus([_article()], [pred]).counts.gated()
    assert gated["source count closeness"] == pytest.approx(1.0)
    assert set(gated) == {"mention recall", "B3 F1", "pronoun accuracy", "role accuracy", "identity accuracy",
                          "source count closeness"}


def _layer(tmp_path: Path) -> tuple[Path, Path]:
    split = tmp_path / "polnear" / "dev"
    (split / "text").mkdir(parents=True)
    (split / "attributions").mkdir()
    (split / "text" / "toy.txt").write_text(TEXT, encoding="utf-8")
    (split / "attributions" / "toy_ab12.ann").write_text(
        "T1\tSource 0 8\tJane Roe\nT2\tCue 9 13\tsaid\nT6\tSource 17 20\tShe\n", encoding="utf-8")
    ents = tmp_path / "entities" / "dev"
    ents.mkdir(parents=True)
    (ents / "pick.json").write_text(json.dumps({"toy": "toy_ab12"}), encoding="utf-8")
    layer = {"article": "toy", "entities": [{"id": "e1", "name": "Jane Roe", "role": "official", "identity": "named",
                                             "speaks_for": None, "mentions": ["T1", "T6"]}]}
    (ents / "toy.json").write_text(json.dumps(layer), encoding="utf-8")
    return split, ents


def test_eval_sources_reads_the_layer_and_its_source_spans(tmp_path):
    split, ents = _layer(tmp_path)
    for polnear in (split, split.parent):  # the split folder, or the PolNeAR folder holding it
        (article,) = load_entity_layer(polnear, ents)
        assert set(article.mentions) == {"T1", "T6"}
        assert article.mentions["T6"].pronoun
        assert article.entities[0].mentions == ("T1", "T6")


def test_eval_sources_layer_naming_a_span_that_is_not_a_source_is_an_error(tmp_path):
    split, ents = _layer(tmp_path)
    layer = json.loads((ents / "toy.json").read_text())
    layer["entities"][0]["mentions"].append("T2")  # a Cue
    (ents / "toy.json").write_text(json.dumps(layer), encoding="utf-8")
    with pytest.raises(EvalError, match="not Source spans"):
        load_entity_layer(split, ents)


def test_eval_sources_cli_missing_layer_exits_with_one_line(tmp_path):
    exe = Path(sys.executable).with_name("newsaudit")
    run = subprocess.run([str(exe), "eval", "sources", "--polnear", str(tmp_path), "--entities", str(tmp_path)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert "pick.json" in run.stderr
