"""The attribution model package: the shipped folder, loading once, the PolNeAR reader, and training on a tiny
hand-written split (deterministic: the same folder twice).  No corpus needed."""

from __future__ import annotations

import threading

import pytest

from newsaudit.errors import BenchmarkFileError, ModelFileError
from newsaudit.models.attribution import DEFAULT_MODEL_DIR, load_model
from newsaudit.models.attribution.polnear import load_split, parse_ann

TEXTS = {
    "a_one": "The mayor said the bridge would reopen in May. “We are ready,” she told reporters.\n\nTraffic was light.",
    "b_two": "According to the police, two men were arrested. The company declined to comment.\n\nShares fell.",
}
ANNS = {
    "a_one": "T1\tSource 0 9\tThe mayor\nT2\tCue 10 14\tsaid\nT3\tContent 15 46\tthe bridge would reopen in May\n"
    "T4\tAttribution 10 14\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    "T5\tContent 48 63\t“We are ready,”\nT6\tSource 64 67\tshe\nT7\tCue 68 72\ttold\nT8\tAttribution 68 72\ttold\n"
    "E2\tAttribution:T8 Content:T5 Cue:T7 Source:T6\n",
    "b_two": "T1\tCue 0 12\tAccording to\nT2\tSource 13 23\tthe police\nT3\tContent 25 47\ttwo men were arrested\n"
    "T4\tAttribution 0 12\tAccording to\nE1\tAttribution:T4 Content:T3 Cue:T1 Source:T2\n",
}


@pytest.fixture
def split(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    for name, text in TEXTS.items():
        (tmp_path / "text" / f"{name}.txt").write_text(text, encoding="utf-8")
        (tmp_path / "attributions" / f"{name}_ann1.ann").write_text(ANNS[name], encoding="utf-8")
    (tmp_path / "attributions" / "a_one_ann2.ann").write_text(ANNS["a_one"].split("T5")[0], encoding="utf-8")
    return tmp_path


def test_models_attribution_shipped_folder_loads_once():
    assert (DEFAULT_MODEL_DIR / "weights.npz").is_file()
    size = sum(f.stat().st_size for f in DEFAULT_MODEL_DIR.iterdir())
    assert size < 30 * 1024 * 1024
    models = []
    threads = [threading.Thread(target=lambda: models.append(load_model())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(m is models[0] for m in models)
    assert load_model("default") is models[0]
    assert models[0].decode.cue_threshold == 0.4


def test_models_attribution_bad_folder_is_model_file_error(tmp_path):
    with pytest.raises(ModelFileError):
        load_model(tmp_path)


@pytest.mark.parametrize(
    ("ann", "expected"),
    [
        ("T1\tContent 5 9;12 20\tx\nT2\tCue 0 4\tsaid\nE1\tAttribution:T0 Content:T1 Cue:T2\n", [((5, 9), (12, 20))]),
        ("T1\tContent 30 40\tx\nT2\tContent 5 9\ty\nE1\tAttribution:T0 Content:T1 Content2:T2\n", [((5, 9), (30, 40))]),
        ("T1\tSource 0 3\tx\nE1\tAttribution:T0 Source:T1\n", []),  # no content: not a relation
    ],
)
def test_models_attribution_parse_ann(ann, expected):
    assert [r.content for r in parse_ann(ann)] == expected


def test_models_attribution_reader_every_annotator(split):
    articles = load_split(split)
    assert [a.name for a in articles] == ["a_one", "b_two"]
    assert [name for name, _ in articles[0].annotations] == ["ann1", "ann2"]
    assert len(articles[0].gold) == 2
    assert len(articles[0].annotations[1][1]) == 1
    with pytest.raises(BenchmarkFileError):
        load_split(split / "text")


def test_models_attribution_train_is_deterministic(split, tmp_path):
    pytest.importorskip("torch")
    from newsaudit.train.attribution import AttributionTrainOptions, train_attribution

    outs = []
    for k in range(2):
        out = tmp_path / f"model{k}"
        summary = train_attribution(AttributionTrainOptions(data=str(split), out=str(out)))
        assert summary.articles == 2
        assert summary.annotations == 3
        outs.append(out)
    for name in ("weights.npz", "vocab.json", "config.json"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes()
    from newsaudit.models.attribution.model import AttributionModel

    AttributionModel.load(outs[0])


def test_models_attribution_component_rules_setting():
    from newsaudit.pipeline import parse_pipeline

    nlp = parse_pipeline()
    nlp.add_pipe("newsaudit_attribution", config={"model": "rules"})
    atts = nlp("The council approved the budget, the mayor said.")._.attributions
    assert atts
    assert all(not a.rule.startswith("model:") for a in atts)
