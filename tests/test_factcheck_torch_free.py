"""The fact-check memory, analyze --db, trail and the service never import torch: they encode with the
torch-free MiniLM (newsaudit.models.minilm).  Each step runs in one fresh process that checks sys.modules
after it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data" / "factcheck"

SCRIPT = r"""
import json, sys
from pathlib import Path
from newsaudit.lazy import spacy_without_torch
spacy_without_torch()
tmp, data = Path(sys.argv[1]), Path(sys.argv[2])
steps = []

def check(step):
    steps.append([step, "torch" in sys.modules])

from newsaudit.factcheck.commands import ImportOptions, SearchOptions, import_reviews, search_reviews
from newsaudit.factcheck.importers import ColumnMapping
db = str(tmp / "fc.db")
import_reviews(ImportOptions(file=str(data / "verified_claims.tsv"), db=db,
                             mapping=ColumnMapping(id=0, claim="vclaim", title="title")))
check("factcheck import")
hits = search_reviews(SearchOptions(text="the White Helmets staged the Douma attack", db=db))
assert hits and hits[0].review.review_id == "0", hits
check("factcheck search")

from newsaudit.options import AnalyzeOptions
from newsaudit.pipeline import analyze
from newsaudit.types import Article
report = analyze(Article(body="The White Helmets staged the chemical attack in Douma, the ministry said on Monday.",
                         headline="Ministry: White Helmets staged Douma attack"), AnalyzeOptions(factcheck_db=db))
assert any(c.matches for c in report.claims), report.claims
check("analyze --db")

from newsaudit.corpus.trail import TrailOptions, run_trail
from newsaudit.corpus.batch import run_batch
from newsaudit.corpus.options import BatchOptions
articles = tmp / "articles.jsonl"
rows = [{"id": f"a{i}", "outlet": f"Outlet {i}", "date": f"2026-03-0{i + 1}", "title": "Ministry accuses rebels",
         "text": "The Defence Ministry said that rebel groups were preparing a chemical attack in Idlib province."}
        for i in range(2)]
articles.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
run_batch(BatchOptions(input=str(articles), out=str(tmp / "out.parquet"), workers=1))
run_trail(TrailOptions(inputs=(str(tmp / "out.parquet"),), out=str(tmp / "trail.parquet"), workers=2, cache=False))
check("trail")

from fastapi.testclient import TestClient
from newsaudit.service.app import ServiceSettings, create_app
settings = ServiceSettings(isolation="thread", workers=1, analyze=AnalyzeOptions(factcheck_db=db))
with TestClient(create_app(settings)) as client:
    r = client.post("/v1/factcheck/search", json={"query": "White Helmets Douma", "top": 2})
    assert r.status_code == 200 and r.json()["matches"], r.text
    r = client.post("/v1/analyze", json={"headline": "Rebels accused", "body": rows[0]["text"]})
    assert r.status_code == 200, r.text
check("service requests")
print(json.dumps(steps))
"""


@pytest.mark.slow
def test_factcheck_torch_free_search_analyze_trail_and_service(tmp_path):
    try:
        from newsaudit.models.minilm import bert

        bert.model_dir()
    except Exception as exc:
        pytest.skip(f"the MiniLM weights are not installed: {exc}")
    pytest.importorskip("fastapi")
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path), str(DATA)], capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    steps = json.loads(result.stdout.strip().splitlines()[-1])
    assert [s for s, _ in steps] == ["factcheck import", "factcheck search", "analyze --db", "trail", "service requests"]
    assert [s for s, imported in steps if imported] == []  # torch in sys.modules after none of them
