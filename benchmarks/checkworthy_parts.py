"""What each part of the check-worthiness model costs per article, against the parse.

The articles are parsed once by the analysis pipeline's base components (as the claims component
sees them); then, each the best of ``--repeat`` runs over all of them, warm: the whole scoring of
every sentence with reasons (:meth:`CheckworthyModel.score_sentences`), the word-piece part's
logits alone and its reasons alone.  Figures are milliseconds per article.

    python -m benchmarks.checkworthy_parts [--limit 40] [--repeat 5] [--polnear DIR]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _best_ms(run: Callable[[], object], repeat: int, n: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - t)
    return round(1000 * best / n, 2)


def part_costs(folder: Path, limit: int, repeat: int) -> dict[str, object]:
    from newsaudit.extensions import register_extensions
    from newsaudit.models.checkworthy import load_checkworthy_model
    from newsaudit.pipeline import base_pipe_names, build_pipeline

    files = sorted(folder.glob("*.txt"))[:limit]
    nlp = build_pipeline()
    register_extensions()
    model = load_checkworthy_model()
    texts = [f.read_text(encoding="utf-8") for f in files]
    with nlp.select_pipes(enable=base_pipe_names(nlp)):
        t = time.perf_counter()
        docs = list(nlp.pipe(texts, batch_size=16))
        parse = time.perf_counter() - t
    sents = [list(d.sents) for d in docs]
    out: dict[str, object] = {"articles": len(docs), "sentences": sum(len(s) for s in sents),
                              "parse (base components, once)": round(1000 * parse / len(docs), 1)}
    out["score_sentences, all parts, reasons for every sentence"] = _best_ms(
        lambda: [model.score_sentences(s) for s in sents], repeat, len(docs))
    pieces = model.pieces
    if pieces is not None:
        strings = [[x.text for x in s] for s in sents]
        out["word-piece part: logits"] = _best_ms(lambda: [pieces.logits(s) for s in strings], repeat, len(docs))
        out["word-piece part: reasons of every sentence"] = _best_ms(
            lambda: [[pieces.contributions(x) for x in s] for s in strings], repeat, len(docs))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.checkworthy_parts", description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=40, help="PolNeAR dev articles, in name order (default 40)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each measurement; the best counts (default 5)")
    parser.add_argument("--polnear", default=str(ROOT.parent / "shared" / "data" / "polnear"), help="the PolNeAR folder")
    args = parser.parse_args(argv)
    folder = Path(args.polnear) / "dev" / "text"
    if not folder.is_dir():
        print(f"check-worthiness parts: skipped ({folder} is absent)")
        return 0
    print(json.dumps(part_costs(folder, args.limit, args.repeat), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
