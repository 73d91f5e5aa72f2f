"""How often trails lose their attribution, and which outlets drop it (for ``newsaudit stats --trails``).

A trail *loses its attribution* when some article carries the statement
without attribution (in its body, or in a headline that states it as fact)
after an earlier article attributed or relayed it: the rows of TRAIL.parquet
whose ``drops_attribution`` is true.  An outlet *drops* a trail's attribution
when one of its articles is such a row.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import NotRequired, TypedDict

from ...errors import DatasetError

UNKNOWN_OUTLET = "(unknown)"


class TrailRow(TypedDict):
    """The columns of a TRAIL.parquet row that the summary reads."""

    trail_id: int
    id: str
    outlet: str | None
    carried_as: str
    drops_attribution: bool
    representative: str
    trail_articles: int
    trail_sequence: NotRequired[str | None]  # absent in trail files written before it


class OutletDrops(TypedDict):
    """One outlet: the trails it appears in, the trails whose attribution it drops, the share."""

    outlet: str
    trails: int
    drops: int
    drop_share: float | None


class LosingTrail(TypedDict):
    """A trail that loses its attribution, and the articles (outlets) that drop it."""

    trail_id: int
    articles: int
    representative: str
    dropped_by: str
    sequence: str | None


class LossSummary(TypedDict):
    """What :func:`loss_summary` returns."""

    trails: int
    losing_trails: int
    losing_share: float | None
    outlets: list[OutletDrops]
    examples: list[LosingTrail]


def _read(path: str | Path) -> list[TrailRow]:
    import pyarrow.parquet as pq

    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"{path}: no such trail file (run `newsaudit trail` first)")
    cols = ["trail_id", "id", "outlet", "carried_as", "drops_attribution", "representative", "trail_articles"]
    try:
        names = set(pq.ParquetFile(path).schema_arrow.names)
        return pq.read_table(path, columns=cols + [c for c in ("trail_sequence",) if c in names]).to_pylist()
    except Exception as exc:
        raise DatasetError(f"{path}: not a newsaudit trail output ({str(exc).splitlines()[0]})") from exc


def loss_summary(path: str | Path, top: int = 10) -> LossSummary:
    """``trails``, ``losing_trails``, ``losing_share``, ``outlets`` (per outlet: trails it
    appears in, trails whose attribution it drops, the share; most drops first) and
    ``examples`` (the ``top`` largest losing trails)."""
    rows = _read(path)
    trails: dict[int, list[TrailRow]] = defaultdict(list)
    for r in rows:
        trails[r["trail_id"]].append(r)
    appears: dict[str, set[int]] = defaultdict(set)
    drops: dict[str, set[int]] = defaultdict(set)
    losing: list[LosingTrail] = []
    for tid, trs in trails.items():
        dropped_by: list[str] = []
        for r in trs:
            outlet = r["outlet"] or UNKNOWN_OUTLET
            appears[outlet].add(tid)
            if r["drops_attribution"]:
                drops[outlet].add(tid)
                dropped_by.append(f"{r['id']} ({outlet})")
        if dropped_by:
            losing.append({"trail_id": tid, "articles": trs[0]["trail_articles"], "representative": trs[0]["representative"],
                           "dropped_by": ", ".join(dict.fromkeys(dropped_by)), "sequence": trs[0].get("trail_sequence")})
    outlets: list[OutletDrops] = [
        {"outlet": o, "trails": len(appears[o]), "drops": len(drops[o]),
         "drop_share": round(len(drops[o]) / len(appears[o]), 4) if appears[o] else None}
        for o in appears
    ]
    outlets.sort(key=lambda r: (-r["drops"], -(r["drop_share"] or 0), r["outlet"]))
    losing.sort(key=lambda r: (-r["articles"], r["trail_id"]))
    n = len(trails)
    return {"trails": n, "losing_trails": len(losing), "losing_share": round(len(losing) / n, 4) if n else None,
            "outlets": outlets, "examples": losing[:top]}


def loss_summary_text(summary: LossSummary, top: int = 10) -> str:
    """The summary as a few lines of text."""
    n, lost = summary["trails"], summary["losing_trails"]
    share = summary.get("losing_share")
    lines = [f"Claim trails: {n} trails; {lost} lose their attribution (attributed early, unattributed later)"
             + (f", {share:.1%}" if share is not None else "")]
    dropping = [o for o in summary["outlets"] if o["drops"]][:top]
    if dropping:
        width = max(len("outlet"), *(len(o["outlet"]) for o in dropping))
        lines.append("  outlets that most often drop it:")
        lines.append(f"    {'outlet'.ljust(width)}  drops  trails  share")
        for o in dropping:
            lines.append(f"    {o['outlet'].ljust(width)}  {o['drops']:5d}  {o['trails']:6d}  {o['drop_share']:.1%}")
    for ex in summary["examples"][:top]:
        text = ex["representative"] if len(ex["representative"]) <= 90 else ex["representative"][:87] + "..."
        how = f"; {ex['sequence']}" if ex.get("sequence") else ""
        lines.append(f"  trail {ex['trail_id']} ({ex['articles']} articles{how}): {text!r} dropped by {ex['dropped_by']}")
    return "\n".join(lines) + "\n"


def loss_summary_html(summary: LossSummary, top: int = 10) -> str:
    """The summary as an HTML fragment (for the ``stats`` page)."""
    import html

    n, lost = summary["trails"], summary["losing_trails"]
    share = summary.get("losing_share")
    parts = [f"<h2>Claim trails</h2><p>{n} trails; {lost} lose their attribution (attributed early, unattributed later)"
             + (f", {share:.1%}" if share is not None else "") + ".</p>"]
    dropping = [o for o in summary["outlets"] if o["drops"]][:top]
    if dropping:
        body = "".join(
            f"<tr><td>{html.escape(o['outlet'])}</td><td>{o['drops']}</td><td>{o['trails']}</td><td>{o['drop_share']:.1%}</td></tr>"
            for o in dropping
        )
        parts.append("<table><thead><tr><th>outlet</th><th>trails it drops the attribution of</th><th>trails</th>"
                     f"<th>share</th></tr></thead><tbody>{body}</tbody></table>")
    return "".join(parts)
