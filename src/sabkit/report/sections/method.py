"""How the model was run: the cases by category, the judge, the runs, how quotes read; then
what the data cannot support, and its endings and customer actions (``coverage``)."""

from __future__ import annotations

from sabkit.report import coverage
from sabkit.report.grammar import counted, plural, word
from sabkit.report.markup import esc, p


def render(r) -> str:
    f = r.facts
    c = f["cases"]
    judge = f["display"].get("judge")
    n = f["runs"]["n"]
    runs = (f"Numbers are the median of {word(n)} complete runs"
            + (" (with two, their mean)" if n == 2 else "") if n > 1
            else "Numbers come from one complete run")
    partial = f["runs"]["partial"]
    if partial:
        which = ", ".join(str(i) for i in f["runs"]["partial_indices"])
        runs += (f"; {counted(partial, 'partial run')} ({plural(partial, 'run')} {which}) "
                 f"{plural(partial, 'is', 'are')} left out")
    quoting = ("Quotes show the agent's visible reasoning as ⟨think: “…”⟩ and its replies "
               "as 🤖 “…”, with the case and run; each links to its row in the appendix."
               if f["measured"].get("reasoning_trace") else
               "The transcripts carry no reasoning trace, so quotes show the agent's replies "
               "(🤖 “…”) only, with the case and run.")
    if judge and judge == r.model:
        judging = (f"{esc(judge)} itself judges (so this model's scores are self-assessed; "
                   "read them beside the transcripts)")
    elif judge:
        judging = f"a judge model, {esc(judge)}, scores"
    else:
        judging = "a judge scores"
    return p(f"We ran {esc(r.model)} through the benchmark's {c['total']} cases: "
             f"{c['solvable']} solvable tickets, {c['must_escalate']} that must go to a human "
             f"and {c['adversarial']} adversarial traps. A simulated customer pushes back; "
             f"{judging} each conversation on a 0–100 scale.", runs + ".", quoting) \
        + coverage.paragraph(r)
