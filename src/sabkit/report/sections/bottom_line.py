"""The bottom line: the position, the two main strengths, the biggest risk and its fix
(the same risk the headline call-out names)."""

from __future__ import annotations

from sabkit.report import risks, rules, traits
from sabkit.report.grammar import capitalize, join
from sabkit.report.markup import esc, h2, p
from sabkit.report.sections import BOTTOM_LINE


def render(r) -> str:
    f = r.facts
    strong = traits.strengths(f)
    label = traits.quality_position(f)
    if rules.value_pick(f):
        label += " and a value pick"
    text = f"{esc(r.model)} is {label}"
    text += f", with {join(strong[:2])}." if strong else "."
    top = risks.top(f)
    if top:
        text += (f" Its biggest risk: {traits.risk_phrase(f, top)}. "
                 f"{capitalize(top.fix(f))}")
    else:
        text += " No risk stands out against the board."
    return h2(BOTTOM_LINE) + p(text)
