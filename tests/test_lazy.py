"""Start-up: a plain analysis imports no heavy library it does not use."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

#: Libraries only some features need: none of them may load for a plain analysis.
HEAVY = ("torch", "fastapi", "dask", "distributed", "plotly", "duckdb", "hnswlib", "sklearn", "sentence_transformers")

LIBRARY_RUN = """
import json, sys
import newsaudit
report = newsaudit.analyze(newsaudit.Article(headline="Council passes budget", body="The mayor said the budget passed."))
print(json.dumps({"attributions": len(report.attributions), "loaded": [m for m in %r if m in sys.modules]}))
"""


@pytest.mark.slow
def test_lazy_library_analyze_imports_no_heavy_library() -> None:
    proc = subprocess.run([sys.executable, "-c", LIBRARY_RUN % (HEAVY,)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["attributions"] >= 1
    assert out["loaded"] == []


def test_lazy_spacy_without_torch_leaves_torch_importable() -> None:
    code = (
        "import sys\n"
        "from newsaudit.lazy import spacy_without_torch\n"
        "spacy_without_torch()\n"
        "import spacy, thinc.compat\n"
        "assert 'torch' not in sys.modules and not thinc.compat.has_torch\n"
        "import torch\n"
        "print(torch.__name__)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "torch"
