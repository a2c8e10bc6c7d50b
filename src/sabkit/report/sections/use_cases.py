"""Per-use-case performance: one row per cluster of tickets, with its Read."""

from __future__ import annotations

from sabkit.report.grammar import counted
from sabkit.report.markup import h2, not_measured
from sabkit.report.sections import USE_CASES
from sabkit.report.tables import per_use_case


def render(r) -> str:
    f = r.facts
    head = h2(USE_CASES, f"pooled over {counted(f['runs']['n'], 'run')}")
    if not f["measured"].get("clusters") or not f.get("clusters"):
        return head + not_measured("use-case clusters")
    return head + per_use_case(f)
