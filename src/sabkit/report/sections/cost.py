"""Cost and verbosity: the tier (or dollars), agent messages per conversation against the
board, the verbosity-quality correlation, tool use."""

from __future__ import annotations

from sabkit.report import rules
from sabkit.report.grammar import counted, dec, dollars, interval, rank_of, signed
from sabkit.report.markup import b, esc, h2, p
from sabkit.report.sections import COST
from sabkit.report.tables import tier


def _range(lo_hi: list[float]) -> str:
    """"3.2–3.8", or "3.2" when both ends are one value."""
    lo, hi = (f"{x:.1f}" for x in lo_hi)
    return lo if lo == hi else f"{lo}–{hi}"


def render(r) -> str:
    f = r.facts
    parts = [h2(COST)]
    usd = f.get("cost_usd") or {}
    if f["measured"]["cost_tier"] and f["cost_tier"]:
        cost = f"{b(esc(tier(f['cost_tier'])) + ' tier')}, agent-only."
    elif usd.get("median") is not None:
        cost = (f"{b(dollars(usd['median']) + ' per run')} (agent-only, median of "
                f"{counted(len(usd.get('per_run') or []), 'run')} of {f['cases']['total']} "
                "cases); this benchmark has dollar costs instead of a cost tier.")
    else:
        cost = "This benchmark does not measure a cost tier."
    parts.append(p(cost, "This benchmark does not measure latency, so the report makes no "
                   "latency claims."))
    v = f["agent_messages_per_conversation"]
    bm = f["benchmark"]
    if not rules.has_board(f):
        where = "the board is too small to rank it"
    elif v.get("rank") == 1 and not rules.is_variant(f):
        where = f"the fewest of all {v['of']} board models"
    else:
        would = " were it on the board" if rules.is_variant(f) else ""
        where = f"{rank_of(v['rank'], v['of'])}{would} (1st = fewest)"
    text = [b(f"{v['value']:.2f} agent messages per conversation") + f": {where}."]
    top, floor = bm.get("top_tier_messages"), bm.get("floor_messages")
    if top and floor and rules.has_board(f):
        text.append(f"For context, the board's top quality tier writes {_range(top)} agent "
                    f"messages per conversation and its floor {_range(floor)}.")
    vq = bm.get("verbosity_quality") or {}
    rr = vq.get("pearson_r")
    if rr is not None:
        trend = ("anti-correlates with" if rr <= -0.3 else "correlates with" if rr >= 0.3
                 else "barely tracks")
        text.append(f"Verbosity {trend} quality across the board (Pearson r "
                    f"{signed(rr, 2)}, 95% interval {interval(vq.get('pearson_ci'), dec)}, "
                    f"n = {vq.get('n')}).")
        if top and v.get("quality_tier") == "top" and v["value"] <= top[1] and rr <= -0.3:
            text.append(f"{esc(r.model)} sits at the terse, high-quality end, where that "
                        "correlation predicts.")
        elif floor and v.get("quality_tier") == "floor" and v["value"] >= floor[0] and rr <= -0.3:
            text.append(f"{esc(r.model)} sits at the wordy, low-quality end, where that "
                        "correlation predicts.")
    tu = f["tool_use"]
    kinds = tu.get("by_kind") or {}
    text.append(f"Tool use: {tu['per_conversation']:.1f} calls per conversation ("
                + ", ".join(f"{kinds.get(k, 0):.1f} {label}" for k, label in
                            (("read", "look-ups"), ("write", "writes"),
                             ("handover", "handovers"))) + ").")
    parts.append(p(*text))
    return "".join(parts)
