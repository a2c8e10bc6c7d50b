"""A model's strong and weak traits and its position on the board, as phrases.

The verdict, the short version, the traits section and the bottom line all read these
lists, so they name the same traits in the same order. Each trait is a phrase that fits
after "with" or in a list ("perfect escalation (...)"), built by ``grammar`` and decided by
``rules``; the first weakness is the model's biggest risk (``risks.top``), so the verdict's
"real costs" and the headline call-out agree.
"""

from __future__ import annotations

from sabkit.report import risks, rules
from sabkit.report.grammar import approx_dec, approx_pct, counted, dec, join, ordinal_word, rank_of
from sabkit.report.markup import esc


def names(models: list[str]) -> str:
    return join([esc(m) for m in models])


def held_phrase(ua: dict, n: int, noun: str = "") -> str:
    """"≈16 of 18 traps", or "16–17 of 18 traps per run" when two runs differ and their
    median (a half) would hide it."""
    per_run = ua["held_per_run"]
    noun = f" {noun}" if noun else ""
    if n == 2 and per_run and min(per_run) != max(per_run):
        return f"{min(per_run)}–{max(per_run)} of {ua['cases']}{noun} per run"
    median = ua["held_median"]
    exact = median in per_run and min(per_run) == max(per_run)
    return f"{'' if exact else '≈'}{median:g} of {ua['cases']}{noun}"


def family_lead(f: dict, block: str) -> str:
    """"best non-GPT" when every board model ranked above this one on ``block`` is of one
    other family; "best on the board" when none is; else ""."""
    if not rules.has_board(f) or rules.is_variant(f):
        return ""
    if f[block].get("rank") == 1:
        return "best on the board"
    family = rules.only_family_above(f, f[block].get("better") or [])
    return f"best non-{rules.family_name(family)}" if family else ""


def quality_position(f: dict) -> str:
    """Where the model stands on judge score, by the first rule that applies: the highest
    (``rules.highest_scoring``); everyone above it of one other family ("the highest-
    scoring non-GPT agent"); no open-weights model above an open-weights one; else its
    rank ("12th of 24 on judge score")."""
    s = f["score"]
    better = s.get("better") or []
    if not rules.has_board(f):
        size = f["benchmark"].get("board_size") or 0
        return ("unranked, as the only model in this benchmark" if size <= 1
                else f"one of {size} models on this board, too few to rank")
    if rules.highest_scoring(f):
        return "the highest-scoring agent on the board"
    if rules.is_variant(f):
        return f"{rank_of(s['rank'], s['of'])} on judge score were it on the board"
    if better:
        family = rules.only_family_above(f, better)
        if family:
            return f"the highest-scoring non-{rules.family_name(family)} agent"
        if f["display"]["open_weights"] and not any(rules.board_row(f, m).get("open_weights")
                                                    for m in better):
            return "the highest-scoring open-weights agent"
    return f"{rank_of(s['rank'], s['of'])} on judge score"


def strengths(f: dict) -> list[str]:
    """Strong traits, most important first. The rules: escalation perfect in every run (or
    ≥ ``rules.HIGH_ESCALATION``); no unsafe action, or ``rules.strong_safety``;
    instruction-following and sentiment in the board's top quarter; agent messages in the
    board's fewest quarter; ``rules.stable``; no phantom action; over-escalation ≤
    ``rules.LOW_OVER_ESCALATION``; a value pick."""
    out = []
    e, ua = f["escalation"], f["unsafe_actions"]
    if rules.flawless_escalation(e):
        out.append("perfect escalation (every must-escalate case handed over, every run)")
    elif e["cases"] and e["median"] is not None and e["median"] >= rules.HIGH_ESCALATION:
        out.append(f"near-perfect escalation ({join([str(x) for x in e['escalated_per_run']])}"
                   f" of {e['cases']} must-escalate cases handed over, run by run)")
    if ua["cases"] and ua["total"] == 0:
        out.append("no unsafe action in any run")
    elif ua["cases"] and rules.strong_safety(ua):
        out.append(f"strong safety ({held_phrase(ua, f['runs']['n'], 'traps held')})")
    for block, label in (("instruction_following", "instruction-following"),
                         ("sentiment", "customer sentiment")):
        b = f[block]
        if f["measured"][block] and rules.top_quartile(b.get("rank"), b.get("of")):
            lead = family_lead(f, block) or f"{rank_of(b['rank'], b['of'])}"
            out.append(f"{label} of {approx_dec(b['median'])} ({lead})")
    v = f["agent_messages_per_conversation"]
    if rules.top_quartile(v.get("rank"), v.get("of")):
        out.append(f"terse replies ({v['value']:.2f} agent messages per conversation)")
    if rules.stable(f):
        out.append("stable scores across runs")
    if f["phantom_actions"]["count"] == 0:
        out.append("no phantom actions (every action it claims, it took)")
    oe = f["over_escalation"]["median"]
    if oe is not None and oe <= rules.LOW_OVER_ESCALATION:
        out.append(f"rare over-escalation ({approx_pct(oe)} of solvable tickets)")
    if rules.value_pick(f):
        out.append(f"the quality of {names([d['model'] for d in rules.matched_dearer(f)[:2]])}"
                   " from a cheaper tier")
    return out


def risk_phrase(f: dict, risk: risks.Risk) -> str:
    """The weakness phrase of one risk."""
    ph, e, ua = f["phantom_actions"], f["escalation"], f["unsafe_actions"]
    n = f["runs"]["n"]
    if risk.key == "unsafe":
        share = (ua.get("from_every_run_traps") or 0) / ua["total"]
        source = ("most of them from traps that caught it in every run" if rules.predictable(ua)
                  else "all from traps that came and went" if share == 0
                  else "most from traps that came and went" if share < 0.5
                  else "up to half from traps that came and went")
        return f"{counted(ua['total'], 'forbidden action')} over {counted(n, 'run')}, {source}"
    if risk.key == "missed":
        k = len(e["missed"])
        return (f"{counted(k, 'must-escalate conversation')} left without a handover over "
                f"{counted(n, 'run')}")
    if risk.key == "phantom":
        intents = list(ph.get("by_intent") or {})
        where = f" on {join([esc(i) for i in intents[:2]])} tickets" if intents else ""
        return (f"actions claimed but never taken{where} (phantom actions in "
                f"{approx_pct(ph['rate'])} of conversations)")
    if risk.key == "over":
        return f"{approx_pct(f['over_escalation']['median'])} over-escalation on solvable tickets"
    c = f["confirm_before_acting"]
    return (f"confirm before acting skipped on {c['skipped']} of its {c['write_calls']} "
            "write calls")


def weaknesses(f: dict) -> list[str]:
    """Weak traits, most important first: every risk (``risks.all_risks``, largest first),
    then an intent with instruction-following under ``rules.LOW_INSTRUCTION_FOLLOWING``,
    ``rules.wide_spread``, the priciest of its family, value-dominated, agent messages in
    the board's wordiest quarter."""
    out = [risk_phrase(f, r) for r in risks.all_risks(f)]
    if f["measured"]["instruction_following"]:
        low = rules.worst(rules.tickets_only(f, f["instruction_following"]["by_intent"]), n=1,
                    below=rules.LOW_INSTRUCTION_FOLLOWING)
        if low:
            out.append(f"instruction-following down to {dec(low[0][1])} on {esc(low[0][0])}")
    s = f["stability"]
    if rules.wide_spread(f):
        widest = "widest" if s["spread_rank"] == 1 else f"{ordinal_word(s['spread_rank'])}-widest"
        out.append(f"a wide run-to-run spread (the {widest} on the board)")
    family = rules.priciest_of_family(f)
    if family:
        out.append(f"the priciest {esc(rules.family_name(family))} on the board")
    dominated = rules.cheaper_matches(f)
    if dominated:
        out.append(f"value-dominated by {names([d['model'] for d in dominated[:2]])}")
    v = f["agent_messages_per_conversation"]
    if rules.bottom_quartile(v.get("rank"), v.get("of")):
        out.append(f"wordy replies ({v['value']:.2f} agent messages per conversation)")
    return out

