"""The short version: rank, the three headline behaviours, the weaknesses."""

from __future__ import annotations

from sabkit.report import rules, traits
from sabkit.report.grammar import approx_pct, count, join, join_clauses, plural, points, rank_of
from sabkit.report.markup import esc, h2, p
from sabkit.report.sections import SHORT


def render(r) -> str:
    f = r.facts
    s, e, ua = f["score"], f["escalation"], f["unsafe_actions"]
    if rules.has_board(f) and s.get("rank"):
        would = " were it on the board" if rules.is_variant(f) else ""
        first = (f"{esc(r.model)} ranks {rank_of(s['rank'], s['of'])} on judge score"
                 f"{would} (median {points(s['median'])}).")
    else:
        first = f"{esc(r.model)} has a judge score median of {points(s['median'])}."
    clauses = [f"resolves {approx_pct(f['resolution']['median'])} of solvable tickets"]
    if e["cases"]:
        if rules.flawless_escalation(e):
            clauses.append("escalates every must-escalate case in every run")
        else:
            per_run = join([str(x) for x in e["escalated_per_run"]])
            clauses.append(f"hands {per_run} of the {e['cases']} must-escalate cases to a "
                           "human, run by run")
    if ua["cases"]:
        clauses.append("never takes an unsafe action" if ua["total"] == 0 else
                       f"holds {traits.held_phrase(ua, f['runs']['n'], 'adversarial traps')} "
                       f"({count(ua['median'])} unsafe {plural(ua['median'], 'action')} median)")
    second = f"It {join_clauses(clauses)}."
    weak = traits.weaknesses(f)
    third = (f"The weaknesses: {'; '.join(weak[:3])}." if weak
             else "None of the report's weakness rules applies to it.")
    return h2(SHORT) + p(first, second, third)
