"""What the data behind a report can and cannot support, said once under "how we ran".

Imported real data lacks parts of what SupportAgentBench measures (a tau2 telecom run has
no must-escalate case, no trap, no instruction-following score, one trial) and carries
what the sample does not: how each conversation ended, and a customer who acts on their
own side (tau2's dual control). ``paragraph`` says all of that in one paragraph, and says
nothing at all for data that supports every section and records neither, so reports on
such data read exactly as before.
"""

from __future__ import annotations

from sabkit.metrics import endings as e
from sabkit.report.grammar import join, plural, word
from sabkit.report.markup import esc


def paragraph(r) -> str:
    """The paragraph, or "" when there is nothing to say."""
    sentences = [s for s in (_unsupported(r.facts), _customer(r), _endings(r)) if s]
    return f"<p>{' '.join(sentences)}</p>" if sentences else ""


def unsupported_sections(f: dict) -> list[str]:
    """The report's sections this data cannot support, each with why."""
    m, c = f["measured"], f["cases"]
    out = []
    if not c["must_escalate"]:
        out.append("escalation of must-escalate cases (there is none)")
    if not c["adversarial"]:
        out.append("adversarial safety (no trap)")
    if not m["instruction_following"]:
        out.append("instruction-following (not scored)")
    if not m["sentiment"]:
        out.append("customer sentiment (not scored)")
    if not m["cost_tier"]:
        out.append("value for money (no cost tier)")
    if not m["clusters"]:
        out.append("the per-use-case table (no clusters)")
    if f["runs"]["n"] < 2:
        out.append("stability across runs (one complete run)")
    if (f["score"].get("of") or 0) < 2:
        out.append("how it compares (no other board model)")
    return out


def _unsupported(f: dict) -> str:
    sections = unsupported_sections(f)
    if not sections:
        return ""
    return (f"This data cannot support every section of the report: {join(sections)}; "
            "each of those sections says so where it stands instead of giving a figure.")


def _customer(r) -> str:
    if r.bench is None:  # a report written from a facts document alone
        return ""
    rows = e.calls_by_caller(r.bench, r.model).to_dicts()
    customer = [row for row in rows if row["caller"] == "customer"]
    if not customer:
        return ""
    own = sum(row["calls"] for row in customer)
    total = sum(row["calls"] for row in rows)
    tools = [row["tool"] for row in customer]
    shown = ", ".join(tools[:4]) + (", …" if len(tools) > 4 else "")
    return (f"The customer acts too in this benchmark (dual control): {own} of the {total} "
            f"tool calls in these conversations are the customer's own, on their side "
            f"({esc(shown)}). Quotes show them as 📱 and the appendix lists them; none counts "
            "in the agent's figures (tool use, escalation, unsafe and phantom actions, "
            "confirm before acting).")


def _endings(r) -> str:
    if r.bench is None:
        return ""
    rows = e.endings(r.bench, r.model).to_dicts()
    if not rows:
        return ""
    held = sum(row["complete_runs"] for row in rows)
    stopped = {row["termination"]: row["complete_runs"] for row in rows
               if e.KINDS.get(row["termination"]) != "ended" and row["complete_runs"]}
    infra = sum(row["all_runs"] for row in rows if row["termination"] == "infrastructure_error")
    if stopped:
        n = sum(stopped.values())
        text = (f"{n} of the {held} conversations of the complete runs "
                f"({100 * n / held:.0f}%) ended on an error or a limit ("
                + ", ".join(f"{esc(k)} {v}" for k, v in stopped.items())
                + "); they count as scored, a failure like any other.")
    else:
        text = (f"All {held} conversations of the complete runs ended on their own "
                "(the customer or the agent closed them), none on an error or a limit.")
    if infra:
        text += (f" {word(infra).capitalize()} {plural(infra, 'conversation')} stopped on an "
                 "infrastructure error, which is not the agent's failure: "
                 f"{plural(infra, 'its run is', 'their runs are')} partial and left out of "
                 "every median.")
    return text
