"""``outputs/index.html``: the leaderboard of every model, linking to each deep report.

Built from the facts JSON each report writes beside its HTML (``MODEL.facts.json``), so the
index shows exactly the figures the reports state and costs no recomputation. One static
page: every column sorts on a click (a few lines of inline JavaScript, nothing fetched),
and a model whose report is missing is still listed, without a link.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

from sabkit.contract import COST_TIERS


def _get(doc: dict, path: str):
    for key in path.split("."):
        if not isinstance(doc, dict):
            return None
        doc = doc.get(key)
    return doc


def _pct(v) -> str:
    return f"{v:.0%}"


# (header, facts path, how to show it, True when higher is better)
COLUMNS = (
    ("Judge score", "score.median", lambda v: f"{v:.1f}", True),
    ("Resolution", "resolution.median", _pct, True),
    ("Escalation", "escalation.median", _pct, True),
    ("Over-escalation", "over_escalation.median", _pct, False),
    ("Unsafe actions", "unsafe_actions.median", lambda v: f"{v:g}", False),
    ("Instruction-following", "instruction_following.median", lambda v: f"{v:.2f}", True),
    ("Sentiment", "sentiment.median", lambda v: f"{v:.2f}", True),
    ("Agent msgs / conv.", "agent_messages_per_conversation.value", lambda v: f"{v:.2f}", False),
)

_STYLE = """
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #111827;
       max-width: 1200px; margin: 0 auto; padding: 24px 32px 64px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 6px 8px; border-bottom: 1px solid #e5e7eb; text-align: right; }
td { white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
th { cursor: pointer; user-select: none; background: #f9fafb; position: sticky; top: 0; }
th[aria-sort="ascending"]::after { content: " \\25B2"; }
th[aria-sort="descending"]::after { content: " \\25BC"; }
tr:hover td { background: #f3f4f6; }
.variant td:first-child { padding-left: 24px; }
.muted { color: #6b7280; }
.note { display: block; font-size: 85%; }
"""

# Click a header to sort by it; click again to reverse. Empty cells always sort last.
_SCRIPT = """
document.querySelectorAll("th").forEach(function (th, col) {
  th.addEventListener("click", function () {
    var table = th.closest("table"), body = table.tBodies[0];
    var dir = th.getAttribute("aria-sort") === "descending" ? 1 : -1;
    table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
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


def _cell(value, text: str | None = None) -> str:
    sort = "" if value is None else str(value)
    shown = "—" if value is None else (text if text is not None else str(value))
    return f'<td data-v="{html.escape(sort)}">{html.escape(shown)}</td>'


def _row(model: str, facts: dict | None, out: Path, stem: str) -> str:
    link = out / f"{stem}.html"
    name = html.escape(model)
    first = (f'<a href="{html.escape(link.name)}">{name}</a>' if link.exists() and facts
             else f'{name} <span class="muted">(no report)</span>')
    variant = _get(facts or {}, "display.variant_of")
    if variant:
        first += f'<span class="muted note">variant of {html.escape(variant)}</span>'
    cells = [f'<td data-v="{name}">{first}</td>']
    for _, path, show, _ in COLUMNS:
        v = _get(facts or {}, path)
        cells.append(_cell(v, show(v) if v is not None else None))
    tier = _get(facts or {}, "cost_tier")
    cells.append(_cell(COST_TIERS.index(tier) + 1 if tier in COST_TIERS else None, tier))
    n, partial = _get(facts or {}, "runs.n"), _get(facts or {}, "runs.partial") or 0
    cells.append(_cell(n, f"{n}" + (f" (+{partial} partial)" if partial else "")
                       if n is not None else None))
    cls = ' class="variant"' if variant else ""
    return f"<tr{cls}>{''.join(cells)}</tr>"


def write_index(out: Path, models: list[str], data: str | Path) -> Path:
    """Write ``out/index.html`` for ``models`` from the facts files in ``out``; return its path."""
    from sabkit.report.paths import file_stem

    docs = {}
    for model in models:
        path = out / f"{file_stem(model)}.facts.json"
        docs[model] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
    order = sorted(models, key=lambda m: (-(_get(docs[m] or {}, "score.median") or -1), m))
    rows = "\n".join(_row(m, docs[m], out, file_stem(m)) for m in order)
    heads = "".join(f'<th scope="col" title="{"higher" if up else "lower"} is better">'
                    f"{html.escape(h)}</th>" for h, _, _, up in COLUMNS)
    reported = sum(d is not None for d in docs.values())
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SupportAgentBench: every model</title>
<style>{_STYLE}</style></head>
<body>
<h1>SupportAgentBench: every model</h1>
<p class="muted">{len(models)} models from {html.escape(str(data))}; {reported} with a report.
Headline figures are medians over complete runs. Click a column to sort; click a model for
its deep report.</p>
<table>
<thead><tr><th scope="col">Model</th>{heads}<th scope="col">Cost tier</th>
<th scope="col">Runs</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
<script>{_SCRIPT}</script>
</body></html>
"""
    target, tmp = out / "index.html", out / f".index.{os.getpid()}.tmp.html"
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, target)
    return target
