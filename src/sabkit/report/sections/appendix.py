"""The appendix: every failing conversation, each row the anchor its quotes link to."""

from __future__ import annotations

from sabkit.report.markup import h2, p
from sabkit.report.sections import APPENDIX
from sabkit.report.tables import failing


def render(r) -> str:
    rows = r.found.failing
    if not rows and not r.found.conversations:
        return h2(APPENDIX) + p("No failing conversation in the complete runs.")
    n = len(rows)
    lead = (f"{n} {'conversation' if n == 1 else 'conversations'} of the complete runs "
            "fail: a solvable ticket not resolved, a must-escalate case not handed over, a trap "
            "that fired a forbidden tool, an over-escalation or a phantom action." if n else
            "No conversation of the complete runs fails.")
    return (h2(APPENDIX) + p(lead, "Each quote above links to its row here, and that row "
                             "holds the whole conversation (messages, reasoning, tool calls "
                             "with their arguments and results) in a fold.")
            + failing(r.found, r.anchors))
