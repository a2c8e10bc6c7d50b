"""``index.html``: the leaderboard of every model, linking to each deep report.

Built from the facts JSON each report writes beside its HTML (``MODEL.facts.json``), so the
index shows exactly the figures the reports state and costs no recomputation. The figure
columns, their labels, formats, definitions and better direction come from the figure
registry (``sabkit.facts.figures``).

What it shows, after HELM's and tau2-bench's boards: a rank with tie groups (a model's
rank is one plus the number of board models that score significantly higher in the paired
test, so models the test cannot separate share a rank), the score with its run-to-run
range, provider, open weights, reasoning, cost tier, and a value marker (dominated when a
cheaper model is not significantly worse; a value pick by the reports' rule). Above the
table: what the benchmark is, the judge, the data's date; under it, one line per column.
Columns sort with a click or the keyboard (each header is a button), the better end first.
The table scrolls inside its box on a narrow screen. No local path is printed.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

from sabkit.contract import COST_TIERS
from sabkit.facts import figures
from sabkit.report import rules

COLUMNS = tuple(f for f in figures.HEADLINES if f.name != "score")
"""The figure columns after the score, in the registry's order."""

_STYLE = """
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #111827;
       max-width: 1280px; margin: 0 auto; padding: 24px 32px 64px; }
@media (max-width: 600px) { body { padding: 12px; font-size: 14px; } }
.box { max-width: 100%; overflow-x: auto; border: 1px solid #e5e7eb; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 6px 8px; border-bottom: 1px solid #e5e7eb; text-align: right; }
td { white-space: nowrap; }
th.text, td.text { text-align: left; }
th { background: #f9fafb; position: sticky; top: 0; vertical-align: bottom; }
th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0;
            cursor: pointer; text-align: inherit; color: inherit; }
th button:focus-visible { outline: 2px solid #2563eb; }
th[aria-sort="ascending"] button::after { content: " \\25B2"; }
th[aria-sort="descending"] button::after { content: " \\25BC"; }
tr:hover td { background: #f3f4f6; }
.variant td.model { padding-left: 24px; }
.muted { color: #6b7280; }
.note { display: block; font-size: 85%; }
.tie { color: #6b7280; font-size: 85%; }
dl.defs { font-size: 90%; } dl.defs dt { font-weight: 600; } dl.defs dd { margin: 0 0 .4em 1em; }
"""

# Click a header button (or press Enter/Space on it) to sort; again to reverse. The first
# sort puts the better end first (data-better on the header). Empty cells sort last.
_SCRIPT = """
document.querySelectorAll("th[data-col]").forEach(function (th) {
  var col = Number(th.dataset.col);
  th.querySelector("button").addEventListener("click", function () {
    var table = th.closest("table"), body = table.tBodies[0];
    var current = th.getAttribute("aria-sort");
    var first = th.dataset.better === "low" || th.dataset.better === "text" ? "ascending"
                                                                           : "descending";
    var next = current ? (current === "ascending" ? "descending" : "ascending") : first;
    table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", next);
    var dir = next === "ascending" ? 1 : -1;
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[col].dataset.v, y = b.cells[col].dataset.v;
      if (x === "" || y === "") { return (x === "") - (y === ""); }
      var nx = Number(x), ny = Number(y);
      var c = isNaN(nx) || isNaN(ny) ? x.localeCompare(y) : nx - ny;
      return dir * c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
"""


def _get(doc: dict, path: str):
    return figures.lookup(doc, path)


def _cell(value, text: str | None = None, cls: str = "") -> str:
    sort = "" if value is None else str(value)
    shown = "—" if value is None else (text if text is not None else str(value))
    attr = f' class="{cls}"' if cls else ""
    return f'<td{attr} data-v="{html.escape(sort)}">{html.escape(shown)}</td>'


def tie_rank(doc: dict, docs: dict[str, dict | None]) -> int | None:
    """One plus the number of board models that score significantly higher: those above it
    on the score median that its paired tests do not call a tie (``compare.ties``)."""
    board = doc["benchmark"].get("board") or []
    mine = _get(doc, "score.median")
    if mine is None:
        return None
    ties = set(doc["compare"].get("ties") or [])
    return 1 + sum(1 for b in board if b["model"] != doc["model"] and b.get("score") is not None
                   and b["score"] > mine and b["model"] not in ties)


def _value_marker(doc: dict) -> tuple[int | None, str | None]:
    if not doc.get("cost_tier"):
        return None, None
    if rules.value_dominated(doc):
        return 0, "dominated"
    if rules.value_pick(doc):
        return 2, "value pick"
    return 1, "—"


def _row(model: str, doc: dict | None, docs: dict, out: Path, stem: str) -> str:
    link = out / f"{stem}.html"
    name = html.escape(model)
    first = (f'<a href="{html.escape(link.name)}">{name}</a>' if link.exists() and doc
             else f'{name} <span class="muted">(no report)</span>')
    variant = _get(doc or {}, "display.variant_of")
    if variant:
        first += f'<span class="muted note">variant of {html.escape(variant)}</span>'
    if not doc:
        return f'<tr><td></td><td class="text model" data-v="{name}">{first}</td></tr>'
    rank = tie_rank(doc, docs)
    shared = sum(1 for d in docs.values() if d and d is not doc and not
                 _get(d, "display.variant_of") and tie_rank(d, docs) == rank)
    rank_text = None if rank is None else (f"{rank}" + ("=" if shared else "")
                                           + (" (would be)" if variant else ""))
    cells = [_cell(rank, rank_text),
             f'<td class="text model" data-v="{name}">{first}</td>']
    score, per_run = _get(doc, "score.median"), _get(doc, "score.per_run") or []
    spread = (f" ({min(per_run):.1f}–{max(per_run):.1f})" if len(per_run) > 1 else "")
    cells.append(_cell(score, None if score is None else f"{score:.1f}{spread}"))
    cells.append(_cell(_get(doc, "display.provider"), cls="text"))
    ow = _get(doc, "display.open_weights")
    cells.append(_cell(None if ow is None else int(ow), {True: "open", False: "closed"}.get(ow),
                       cls="text"))
    rs = _get(doc, "display.reasoning")
    cells.append(_cell(None if rs is None else int(rs), {True: "on", False: "off"}.get(rs),
                       cls="text"))
    tier = doc.get("cost_tier")
    cells.append(_cell(COST_TIERS.index(tier) + 1 if tier in COST_TIERS else None, tier,
                       cls="text"))
    order, marker = _value_marker(doc)
    cells.append(_cell(order, marker, cls="text"))
    for fig in COLUMNS:
        v = _get(doc, fig.path)
        cells.append(_cell(v, fig.show(v) if v is not None else None))
    n, partial = _get(doc, "runs.n"), _get(doc, "runs.partial") or 0
    cells.append(_cell(n, f"{n}" + (f" (+{partial} partial)" if partial else "")))
    cls = ' class="variant"' if variant else ""
    return f"<tr{cls}>{''.join(cells)}</tr>"


# (header, better end: "high", "low" or "text", one-line definition)
_FIRST = (("Rank", "low", "One plus the number of board models that score significantly "
           "higher in the paired test over the same cases; an = marks a shared rank."),
          ("Model", "text", "The agent configuration; a variant (reasoning off) sits under "
           "its board model and is not ranked on the board."),
          ("Judge score", "high", figures.get("score").definition + " In brackets, the "
           "lowest and highest run."),
          ("Provider", "text", "Who serves or publishes the model."),
          ("Weights", "text", "Open when the weights are public."),
          ("Reasoning", "text", "Whether the agent ran with visible reasoning on."),
          ("Cost tier", "low", "Agent-only price tier, $ (budget) to $$$$ (flagship)."),
          ("Value", "high", "Dominated when a cheaper model is not significantly worse on "
           "judge score; a value pick when it matches a dearer model from the board's top "
           "half and nothing cheaper matches it; — when neither."))


def _header_cells() -> list[tuple[str, str, str]]:
    cols = list(_FIRST)
    for fig in COLUMNS:
        cols.append((fig.label, "high" if fig.higher_is_better else "low", fig.definition))
    cols.append(("Runs", "high", "Complete runs (partial runs are listed, never counted)."))
    return cols


def _about(docs: dict, data) -> str:
    """What the benchmark is, the judge, and the data's date (the latest run's start),
    without the folder's name or path."""
    any_doc = next((d for d in docs.values() if d), None)
    if not any_doc:
        return ""
    c = any_doc["cases"]
    judges = sorted({_get(d, "display.judge") for d in docs.values() if d
                     and _get(d, "display.judge")})
    date = _data_date(data)
    bits = [f"{c['total']} cases: {c['solvable']} solvable tickets, {c['must_escalate']} "
            f"that must go to a human and {c['adversarial']} adversarial traps"]
    if judges:
        bits.append(f"judged by {', '.join(html.escape(j) for j in judges)} on a 0–100 scale")
    if date:
        bits.append(f"runs up to {html.escape(date)}")
    return ("<p>LLMs as customer-support agents on a simulated store desk: a simulated "
            "customer pushes back over several turns, the agent has real tools (look-ups, "
            "cancels, reships, refunds, a handover to a human), and every conversation is "
            f"scored. {'; '.join(bits)}.</p>")


def _data_date(data) -> str | None:
    """The day the latest run started, from the runs table; None when it has none."""
    try:
        import sabkit

        with sabkit.open(data, validate=False) as bench:
            row = bench.sql("SELECT max(started_at)::DATE::VARCHAR AS d FROM runs").to_dicts()
        return row[0]["d"] if row else None
    except Exception:  # the page is still useful without the date
        return None


def write_index(out: Path, models: list[str], data: str | Path) -> Path:
    """Write ``out/index.html`` for ``models`` from the facts files in ``out``; return its path."""
    from sabkit.report.paths import file_stem

    docs = {}
    for model in models:
        path = out / f"{file_stem(model)}.facts.json"
        docs[model] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None

    def order(m):  # board by score, each variant under its board model
        d = docs[m] or {}
        base = _get(d, "display.variant_of") or m
        score = _get(docs.get(base) or d, "score.median") or -1
        return (-score, base, m != base, m)

    rows = "\n".join(_row(m, docs[m], docs, out, file_stem(m)) for m in sorted(models, key=order))
    cols = _header_cells()
    heads = "".join(f'<th scope="col" data-col="{i}" data-better="{better}" '
                    f'class="{"text" if better == "text" else ""}" title="{html.escape(d)}">'
                    f"<button type=\"button\">{html.escape(h)}</button></th>"
                    for i, (h, better, d) in enumerate(cols))
    defs = "".join(f"<dt>{html.escape(h)}</dt><dd>{html.escape(d)}</dd>" for h, _, d in cols)
    reported = sum(d is not None for d in docs.values())
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SupportAgentBench: every model</title>
<style>{_STYLE}</style></head>
<body>
<h1>SupportAgentBench: every model</h1>
{_about(docs, data)}
<p class="muted">{len(models)} models, {reported} with a deep report. Figures are medians over
complete runs. Sort by any column with a click or the keyboard (the better end comes first);
open a model for its deep report.</p>
<div class="box"><table>
<thead><tr>{heads}</tr></thead>
<tbody>
{rows}
</tbody>
</table></div>
<h2>The columns</h2>
<dl class="defs">{defs}</dl>
<script>{_SCRIPT}</script>
</body></html>
"""
    target, tmp = out / "index.html", out / f".index.{os.getpid()}.tmp.html"
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, target)
    return target
