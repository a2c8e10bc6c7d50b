"""At a glance: the headline table."""

from __future__ import annotations

from sabkit.report.markup import h2
from sabkit.report.sections import GLANCE
from sabkit.report.tables import at_a_glance


def render(r) -> str:
    f = r.facts
    reasoning = {True: ", reasoning on", False: ", reasoning off"}.get(
        f["display"].get("reasoning"), "")
    return h2(GLANCE, f"median of N={f['runs']['n']}{reasoning}") + at_a_glance(f)
