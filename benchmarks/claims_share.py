"""How many news sentences become claims: the check-worthiness model's scores on PolNeAR articles.

The claims component keeps a sentence (not a question, at least 6 words) whose model score
reaches ``min_score``; the model's scores are on the scale of its training debates, so the
bar was set from this measurement (docs/evaluation.md, "Check-worthiness").  Sentences are cut as the
component cuts them (:func:`newsaudit.components.claims.sentence_units`) from the analysis
pipeline's parse; headlines are left out.

    python -m benchmarks.claims_share [--split train] [--limit 120] [--polnear DIR]
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
THRESHOLDS = (0.02, 0.03, 0.035, 0.04, 0.045, 0.05, 0.07, 0.1)


def claims_share(folder: Path, limit: int, seed: int = 0) -> dict[str, object]:
    """Score percentiles and the share of eligible sentences at each threshold, over ``limit`` random articles."""
    import numpy as np

    from newsaudit.components.claims import MIN_SCORE, sentence_units
    from newsaudit.extensions import register_extensions
    from newsaudit.models.checkworthy import load_checkworthy_model
    from newsaudit.pipeline import base_pipe_names, build_pipeline

    files = sorted(folder.glob("*.txt"))
    random.Random(seed).shuffle(files)
    files = files[:limit]
    nlp = build_pipeline()
    register_extensions()
    model = load_checkworthy_model()
    scores = []
    with nlp.select_pipes(enable=base_pipe_names(nlp)):
        for doc in nlp.pipe((f.read_text(encoding="utf-8") for f in files), batch_size=16):
            units = [span for span, is_headline in sentence_units(doc) if not is_headline]
            for scored in model.score_sentences(units):
                counts = scored.counts
                if counts is not None and not counts.question and counts.n_tokens >= 6:
                    scores.append(scored.score)
    s = np.array(scores)
    return {
        "articles": len(files),
        "sentences (6+ words, not a question)": len(s),
        "percentiles": {q: round(float(np.percentile(s, q)), 4) for q in (25, 50, 67, 75, 90)},
        "share at or above": {t: round(float((s >= t).mean()), 3) for t in THRESHOLDS},
        "min_score": MIN_SCORE,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.claims_share", description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="train", help="PolNeAR split (default train)")
    parser.add_argument("--limit", type=int, default=120, help="articles, chosen at random with seed 0 (default 120)")
    parser.add_argument("--polnear", default=str(ROOT.parent / "shared" / "data" / "polnear"), help="the PolNeAR folder")
    args = parser.parse_args(argv)
    folder = Path(args.polnear) / args.split / "text"
    if not folder.is_dir():
        print(f"claims share: skipped ({folder} is absent)")
        return 0
    print(json.dumps(claims_share(folder, args.limit), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
