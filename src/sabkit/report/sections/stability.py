"""Stability across runs: the runs' scores and spread against the board, the nearest model
whose runs overlap, what moves between runs, and pass^k."""

from __future__ import annotations

from sabkit.report import rules, traits
from sabkit.report.grammar import interval, join, ordinal_word, points, signed, word
from sabkit.report.markup import h2, model_link, p
from sabkit.report.sections import STABILITY
from sabkit.report.tables import pass_k


def _widest(rank: int) -> str:
    return "widest" if rank == 1 else f"{ordinal_word(rank)}-widest"


def render(r) -> str:
    f = r.facts
    n = f["runs"]["n"]
    if n < 2:
        return (h2(STABILITY)
                + p("With one complete run, stability across runs cannot be measured."))
    s, score = f["stability"], f["score"]
    scores = join([points(x) for x in score["per_run"]])
    text = [f"Its {word(n)} runs score {scores} (a spread of {points(s['spread'])} points)"]
    if s.get("spread_rank") and s["of"] >= rules.MIN_BOARD:
        rank = s["spread_rank"]
        where = ("among the narrowest" if rules.stable(f) else f"the {_widest(rank)}")
        text[0] += f", {where} of the {s['of']} board models with several runs."
    else:
        text[0] += "."
    if rules.wide_spread(f):
        text.append("Don't over-read any single run.")
    beats = s.get("best_run_beats_worst_of") or []
    if beats:
        other = beats[0]
        cmp_ = next((c for c in f["compare"]["nearest"] if c["model"] == other), None)
        link = model_link(other, r.linked)
        text.append(f"Its gap to {link} is inside that spread: its best run beats "
                    f"the worst run of {link}.")
        if cmp_ and cmp_["verdict"] == "tie":
            text.append(f"The paired test agrees (a mean difference of {signed(cmp_['diff'])} "
                        f"points over the same cases, 95% interval {interval(cmp_['ci'])}): "
                        "treat the two as a tie on quality and decide on cost.")
        elif cmp_:
            text.append("The paired test over the same cases still separates them (a mean "
                        f"difference of {signed(cmp_['diff'])} points, 95% interval "
                        f"{interval(cmp_['ci'])}).")
    elif not rules.wide_spread(f) and rules.has_board(f) and not rules.is_variant(f):
        text.append("No model above it on the board has a run below its best.")
    moves = []  # what stays and what moves between runs: a paragraph of its own
    e = f["escalation"]
    if s.get("escalation_same_every_run") and e["cases"] and e["escalated_per_run"]:
        moves.append(f"Escalation is the same in every run ({e['escalated_per_run'][0]} of "
                    f"{e['cases']}).")
    flips = f["unsafe_actions"]["coin_flips"]
    if flips:
        moves.append(f"What moves between runs is the trap results: {traits.names(flips)} "
                    "failed in some runs and not others.")
    return (h2(STABILITY) + p(*text) + (p(*moves) if moves else "")
            + p("pass^k is the chance that k runs of the same case all succeed (tau-bench's "
                "estimator, averaged over cases):") + pass_k(f))
