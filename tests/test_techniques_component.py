"""The newsaudit_techniques component and the detect() API on short texts."""

import json
import shutil
from dataclasses import replace

import pytest
import spacy

from newsaudit.errors import ModelError
from newsaudit.eval import ptc
from newsaudit.models.techniques import detect as api
from newsaudit.models.techniques.explain import Finding, load_definitions
from newsaudit.models.techniques.model import SHIPPED_MODEL_DIR, get_model, load_model
from newsaudit.types import Technique

TEXT = (
    "Traitors and thugs want to destroy our great nation!\n"
    "These corrupt, evil bureaucrats lie again and again, and the so-called experts are nothing but puppets."
)


@pytest.fixture(scope="module")
def model():
    return get_model(None)


def test_techniques_shipped_model_loads(model):
    assert model.cfg.techniques[0] == "Appeal_to_Authority"
    assert len(model.cfg.techniques) == 14


def test_techniques_component_writes_spans_and_extension():
    import newsaudit.components.techniques  # noqa: F401  (declares the factory)

    nlp = spacy.blank("en")
    nlp.add_pipe("newsaudit_techniques")
    doc = nlp(TEXT)
    group = doc.spans["techniques"]
    assert isinstance(doc._.techniques, tuple)
    assert len(group) == len(group.attrs["scores"]) == len(group.attrs["reasons"]) == len(doc._.techniques)
    assert doc._.techniques, "expected at least one technique span in an obviously loaded text"
    for span, t in zip(group, doc._.techniques, strict=False):
        assert isinstance(t, Technique)
        assert span.label_ == t.technique
        assert TEXT[t.start : t.end] == t.text
        assert 0.0 <= t.score <= 1.0
        assert t.reason.startswith(load_definitions()[t.technique])
        assert f"score {t.score:.2f}" in t.reason
    assert group.attrs["reasons"] == [t.reason for t in doc._.techniques]


@pytest.mark.parametrize(("text", "expected"), [("", 0), ("   \n\t ", 0), ("Hello", 0), ("word.", 0)])
def test_techniques_component_blank_or_one_word(text, expected):
    import newsaudit.components.techniques  # noqa: F401

    nlp = spacy.blank("en")
    nlp.add_pipe("newsaudit_techniques")
    doc = nlp(text)
    assert len(doc._.techniques) == expected
    assert len(doc.spans["techniques"]) == expected


def test_techniques_detect_offsets_index_text(model):
    found = api.detect(TEXT, model)
    assert all(TEXT[t.start : t.end] == t.text and t.technique in model.cfg.techniques for t in found)


def test_techniques_long_text_is_windowed_not_truncated(monkeypatch):
    """Every window is analysed and offsets are shifted back into the whole text."""
    calls = []

    class Fake:
        def predict(self, piece, peak=None):
            calls.append(len(piece))
            i = piece.find("evil")
            return [Finding("Loaded_Language", i, i + 4, 0.9, 0.95, 0.95, "Doubt", 0.01)] if i >= 0 else []

    para = "They are evil people. " * 40 + "\n\n"
    text = para * 2000  # about 1.8 MB
    found = api.detect(text, Fake(), window_chars=50_000)
    assert sum(calls) == len(text)
    assert len(calls) > 30
    assert all(t.text == "evil" for t in found)
    assert found[-1].start > len(text) - 50_000


@pytest.mark.parametrize("broken", ["config.json", "si_head.safetensors", "tc_head.safetensors", "encoder.safetensors"])
def test_techniques_corrupted_model_names_file(tmp_path, broken):
    target = tmp_path / "model"
    shutil.copytree(SHIPPED_MODEL_DIR, target)
    (target / broken).write_bytes(b"\x00garbage{")
    with pytest.raises(ModelError, match=broken.replace(".", r"\.")):
        load_model(target)


@pytest.mark.parametrize("missing", ["config.json", "si_head.safetensors", "tc_head.safetensors", "encoder.safetensors"])
def test_techniques_missing_model_file_names_file(tmp_path, missing):
    target = tmp_path / "model"
    shutil.copytree(SHIPPED_MODEL_DIR, target)
    (target / missing).unlink()
    with pytest.raises(ModelError, match=missing.replace(".", r"\.")):
        load_model(target)


@pytest.mark.parametrize(("members", "expected"), [([], "no span tagger"), (["conv", "gru"], "unknown span tagger kind 'gru'")])
def test_techniques_bad_members_in_config(tmp_path, members, expected):
    target = tmp_path / "model"
    shutil.copytree(SHIPPED_MODEL_DIR, target)
    cfg = json.loads((target / "config.json").read_text(encoding="utf-8"))
    cfg["members"] = members
    (target / "config.json").write_text(json.dumps(cfg), encoding="utf-8")
    with pytest.raises(ModelError, match=expected):
        load_model(target)


def test_techniques_shipped_model_is_small():
    total = sum(p.stat().st_size for p in SHIPPED_MODEL_DIR.parent.rglob("*") if p.is_file())
    assert total < 50 * 1024 * 1024


def test_techniques_missing_model_dir(tmp_path):
    with pytest.raises(ModelError, match="not found"):
        load_model(tmp_path / "nope")


def test_techniques_template_round_trip(tmp_path, model):
    arts = tmp_path / "articles"
    arts.mkdir()
    (arts / "article5.txt").write_text(TEXT, encoding="utf-8")
    (arts / "article6.txt").write_text("Title\n\nThe mayor said the road will reopen on Monday.\n", encoding="utf-8")
    rows = [("5", 0, 8), ("6", 11, 21), ("5", 68, 72), ("5", 68, 72)]
    template = tmp_path / "template.txt"
    template.write_text("".join(f"{a}\t?\t{s}\t{e}\n" for a, s, e in rows), encoding="utf-8")
    out = ptc.predict(ptc.PredictOptions(articles=str(arts), format="semeval-tc", spans=str(template)))
    lines = [ln.split("\t") for ln in out.splitlines()]
    assert [(a, int(s), int(e)) for a, _t, s, e in lines] == rows
    assert all(t in model.cfg.techniques for _a, t, _s, _e in lines)
    assert lines[2][1] != lines[3][1], "a span listed twice gets two different techniques"
    si = ptc.predict(ptc.PredictOptions(articles=str(arts), format="semeval-si"))
    for line in si.splitlines():
        a, s, e = line.split("\t")
        assert a in {"5", "6"}
        assert 0 <= int(s) < int(e)
    js = ptc.predict(ptc.PredictOptions(articles=str(arts), format="jsonl"))
    assert [json.loads(x)["article_id"] for x in js.splitlines()] == ["5", "6"]


def test_techniques_component_prefetch_gives_same_result_as_inline():
    import newsaudit.components.techniques  # noqa: F401

    nlp = spacy.blank("en")
    comp = nlp.add_pipe("newsaudit_techniques")
    inline = nlp(TEXT)._.techniques
    comp.prefetch([TEXT, TEXT, "one"])
    assert len(comp._pending) == 2  # the same text twice is analysed once
    first, second = nlp(TEXT)._.techniques, nlp(TEXT)._.techniques
    assert first == second == inline
    assert list(comp._pending) == ["one"]
    comp.cancel_prefetch()
    assert comp._pending == {}


def test_techniques_analyze_many_prefetch_keeps_order_and_errors():
    from newsaudit.errors import InputError
    from newsaudit.options import AnalyzeOptions
    from newsaudit.pipeline import TECHNIQUES_COMPONENT, analyze_many, build_pipeline
    from newsaudit.types import Article

    options = AnalyzeOptions(techniques=True, any_language=True, batch_size=2)
    texts = [TEXT, "A calm report on the weather.\nIt rained a little on Tuesday.", TEXT]
    items = [Article(body=texts[0]), InputError("bad row"), Article(body=texts[1]), Article(body=texts[2])]
    out = list(analyze_many(items, options))
    assert isinstance(out[1], InputError)
    assert [r.article.text for r in (out[0], out[2], out[3])] == texts
    assert out[0].techniques == out[3].techniques
    assert build_pipeline(options).get_pipe(TECHNIQUES_COMPONENT)._pending == {}


def test_techniques_component_background_off_prefetches_nothing():
    import newsaudit.components.techniques  # noqa: F401

    nlp = spacy.blank("en")
    comp = nlp.add_pipe("newsaudit_techniques", config={"background": False})
    comp.prefetch([TEXT])
    assert comp._pending == {}
    assert nlp(TEXT)._.techniques


def test_techniques_peak_keeps_fewer_surer_spans(model):
    default = api.detect(TEXT, model)
    strict = api.detect(TEXT, model, peak=0.95)
    loose = api.detect(TEXT, model, peak=0.0)
    spans = {(t.start, t.end) for t in default}
    assert {(t.start, t.end) for t in strict} <= spans <= {(t.start, t.end) for t in loose}
    assert len(strict) < len(default)


def test_techniques_component_peak_setting():
    import newsaudit.components.techniques  # noqa: F401

    nlp = spacy.blank("en")
    nlp.add_pipe("newsaudit_techniques", config={"peak": 1.0, "background": False})
    assert nlp(TEXT)._.techniques == ()


def test_techniques_component_bad_peak():
    import newsaudit.components.techniques  # noqa: F401
    from newsaudit.errors import InputError

    with pytest.raises(InputError, match="peak must be between 0 and 1"):
        spacy.blank("en").add_pipe("newsaudit_techniques", config={"peak": 5.0})


def _fine_tuned_copy(tmp_path, layers=None):
    """The shipped model marked fine-tuned, with MiniLM's own layers (or ``layers`` of them) as its encoder file."""
    from safetensors.torch import save_file

    from newsaudit.models.techniques.encoder import build_bert
    from newsaudit.train.techniques_finetune import layer_state

    target = tmp_path / "model"
    shutil.copytree(SHIPPED_MODEL_DIR, target)
    cfg = json.loads((target / "config.json").read_text(encoding="utf-8"))
    cfg["fine_tuned"] = True
    (target / "config.json").write_text(json.dumps(cfg), encoding="utf-8")
    state = layer_state(build_bert(cfg["n_layers"] if layers is None else layers))
    save_file({k: v.half() for k, v in state.items()}, str(target / "encoder.safetensors"))
    return target


@pytest.mark.slow
def test_techniques_fine_tuned_model_loads_its_encoder(tmp_path):
    model = load_model(_fine_tuned_copy(tmp_path))
    assert model.encoder is not None
    assert model.encoder.layer_state
    assert all(TEXT[f.start : f.end] for f in model.predict(TEXT))


@pytest.mark.parametrize(("damage", "expected"), [("missing", "missing"), ("garbage", "corrupted"), ("one_layer", "layers 0-2")])
def test_techniques_fine_tuned_model_bad_encoder_file_names_it(tmp_path, damage, expected):
    target = _fine_tuned_copy(tmp_path, layers=1 if damage == "one_layer" else None)
    if damage == "missing":
        (target / "encoder.safetensors").unlink()
    elif damage == "garbage":
        (target / "encoder.safetensors").write_bytes(b"\x00garbage{")
    with pytest.raises(ModelError, match=r"encoder\.safetensors.*" + expected + "|" + expected + r".*encoder\.safetensors"):
        load_model(target)


def test_techniques_refused_save_leaves_model_untouched(tmp_path, model):
    """A model that cannot be saved whole writes nothing: the model already in the folder stays as it was."""
    from newsaudit.models.techniques.model import TechniquesModel

    target = tmp_path / "model"
    shutil.copytree(SHIPPED_MODEL_DIR, target)
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    broken = TechniquesModel(replace(model.cfg, fine_tuned=True), model.si_net, model.tc, None)
    with pytest.raises(ModelError, match="needs its encoder's layer weights"):
        broken.save(target)
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
