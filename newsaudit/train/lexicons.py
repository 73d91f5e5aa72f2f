"""The lexicons learned from PolNeAR train (``newsaudit train cues`` and ``newsaudit train rules``):
the verb lemmas annotators marked as cues, and the precision of each (cue lemma, rule) of the
attribution component, each written as a data file with its source and licence in a header."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..eval.polnear import PolnearArticle, _overlap, load_split, match_one_to_one, predictions_from_doc

if TYPE_CHECKING:
    from spacy.tokens import Doc

LEARNED_HEADER = """# newsaudit learned cue lexicon: verb lemmas and how often PolNeAR's annotators marked them as a cue.
# Source: counts derived from the PolNeAR v1.0.0 train split (Newell, Margolin and Ruths, LREC 2018),
# first annotator per article, parsed with {model}; research use only (PolNeAR's terms).
# Rebuild: newsaudit train cues ../shared/data/polnear/train --out newsaudit/data/lexicons/cue_learned_polnear.tsv
# Columns: lemma, times inside a gold cue span, times seen as a verb, ratio (cue/total). Kept: cue count >= {min_count}.
"""


def count_cues(articles: Sequence[PolnearArticle], docs: Iterable[Doc]) -> tuple[dict[str, int], dict[str, int]]:
    """Per verb lemma: (times inside a gold cue span, times seen as a verb)."""
    cue_count: dict[str, int] = {}
    total: dict[str, int] = {}
    for article, doc in zip(articles, docs, strict=True):
        cue_chars = bytearray(len(article.text) + 1)
        for g in article.gold:
            for s, e in g.cue or ():
                cue_chars[s:e] = b"\x01" * (e - s)
        for tok in doc:
            if tok.pos_ != "VERB":
                continue
            lemma = tok.lemma_.lower()
            total[lemma] = total.get(lemma, 0) + 1
            if cue_chars[tok.idx]:
                cue_count[lemma] = cue_count.get(lemma, 0) + 1
    return cue_count, total


def write_cue_lexicon(out: str | Path, cue_count: dict[str, int], total: dict[str, int], model: str, min_count: int = 3) -> int:
    """Write the learned cue table (see :data:`LEARNED_HEADER`); returns the number of lemmas."""
    rows = sorted(
        ((lemma, c, total[lemma], c / total[lemma]) for lemma, c in cue_count.items() if c >= min_count),
        key=lambda r: (-r[1], r[0]),
    )
    with Path(out).open("w", encoding="utf-8") as fh:
        fh.write(LEARNED_HEADER.format(model=model, min_count=min_count))
        fh.write("lemma\tcue_count\ttotal\tratio\n")
        for lemma, c, t, r in rows:
            fh.write(f"{lemma}\t{c}\t{t}\t{r:.3f}\n")
    return len(rows)


def build_cue_lexicon(
    train_dir: str | Path,
    out: str | Path,
    model: str | None = None,
    limit: int | None = None,
    min_count: int = 3,
    batch_size: int = 16,
) -> int:
    """Count, per verb lemma, how often it lies inside a gold cue span in PolNeAR
    ``train_dir``; write the table to ``out``.  Returns the number of lemmas written."""
    from ..nlp import load_fresh, resolve_model_name

    articles = load_split(train_dir, limit)
    name = resolve_model_name(model)
    nlp = load_fresh(name)
    with nlp.select_pipes(disable=[p for p in ("ner",) if p in nlp.pipe_names]):
        docs = nlp.pipe((a.text for a in articles), batch_size=batch_size)
        cue_count, total = count_cues(articles, docs)
    return write_cue_lexicon(out, cue_count, total, name, min_count)


RULES_HEADER = """# newsaudit attribution rule filter: precision of each (cue lemma, rule) of newsaudit_attribution on PolNeAR.
# Source: counts derived from the PolNeAR v1.0.0 train split (Newell, Margolin and Ruths, LREC 2018),
# first annotator per article, parsed with {model}; research use only (PolNeAR's terms).
# matched = predictions whose content overlaps a gold content (one-to-one), predicted = all predictions.
# Built with the learned cue lexicon at ratio >= {min_ratio} and no rule filter.
# Rebuild: newsaudit train rules ../shared/data/polnear/train --out newsaudit/data/lexicons/attribution_rules_polnear.tsv
"""


def count_rules(articles: Sequence[PolnearArticle], docs: Iterable[Doc]) -> dict[tuple[str, str], list[int]]:
    """(lemma, rule) -> [matched, predicted] over docs that went through the attribution component."""
    counts: dict[tuple[str, str], list[int]] = {}
    for article, doc in zip(articles, docs, strict=True):
        atts = doc._.attributions or ()
        predicted = predictions_from_doc(doc)
        pairs = match_one_to_one(predicted, article.gold, lambda p, g: float(_overlap(p.content, g.content)))
        matched = {i for i, _ in pairs}
        for i, att in enumerate(atts):
            rule, _, lemma = att.rule.partition(":")
            row = counts.setdefault((lemma, rule), [0, 0])
            row[0] += i in matched
            row[1] += 1
    return counts


def write_rule_filter(out: str | Path, counts: dict[tuple[str, str], list[int]], model: str, min_ratio: float, min_count: int = 5) -> int:
    rows = sorted(((k, v) for k, v in counts.items() if v[1] >= min_count), key=lambda kv: (-kv[1][1], kv[0]))
    with Path(out).open("w", encoding="utf-8") as fh:
        fh.write(RULES_HEADER.format(model=model, min_ratio=min_ratio))
        fh.write("lemma\trule\tmatched\tpredicted\tprecision\n")
        for (lemma, rule), (m, n) in rows:
            fh.write(f"{lemma}\t{rule}\t{m}\t{n}\t{m / n:.3f}\n")
    return len(rows)


def build_rule_filter(
    train_dir: str | Path,
    out: str | Path,
    model: str | None = None,
    limit: int | None = None,
    min_ratio: float = 0.2,
    batch_size: int = 16,
) -> int:
    """Measure the precision of each (cue lemma, rule) on PolNeAR ``train_dir`` with a
    broad cue lexicon and no filter; write the table to ``out``."""
    import newsaudit.components.attribution  # noqa: F401

    from ..nlp import load_fresh, resolve_model_name

    articles = load_split(train_dir, limit)
    name = resolve_model_name(model)
    nlp = load_fresh(name)
    nlp.add_pipe("newsaudit_attribution", config={"rule_filter": "", "learned_min_ratio": min_ratio})
    docs = nlp.pipe((a.text for a in articles), batch_size=batch_size)
    return write_rule_filter(out, count_rules(articles, docs), name, min_ratio)
