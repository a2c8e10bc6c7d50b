"""Instruction-following: the judge's figure by intent, phantom actions, confirm before
acting."""

from __future__ import annotations

from sabkit.report import rules, traits
from sabkit.report.grammar import approx_dec, approx_pct, dec, join, pct, rank_of
from sabkit.report.markup import b, esc, h2, not_measured, p, ul
from sabkit.report.sections import INSTRUCTIONS
from sabkit.report.sections.common import quote_block
from sabkit.report.rules import tickets_only, worst


def render(r) -> str:
    f = r.facts
    parts = [h2(INSTRUCTIONS)]
    if f["measured"]["instruction_following"]:
        bl = f["instruction_following"]
        text = ranked_headline(f, "instruction_following", "Instruction-following")
        tickets = tickets_only(f, bl["by_intent"])
        strong = sorted(((i, v) for i, v in tickets.items()
                         if v is not None and v >= rules.STRONG_INSTRUCTION_FOLLOWING),
                        key=lambda iv: (-iv[1], iv[0]))[:3]
        if strong:
            text += f" Strong on {join([f'{esc(i)} ({dec(v)})' for i, v in strong])}."
        low = worst(tickets, n=3, below=rules.LOW_INSTRUCTION_FOLLOWING)
        if low:
            text += f" Weakest on {join([b(f'{esc(i)} ({dec(v)})') for i, v in low])}."
        parts.append(p(text))
    else:
        parts.append(not_measured("instruction-following"))
    parts.append(ul([phantom_item(r), confirm_item(f)]))
    return "".join(parts)


def ranked_headline(f: dict, key: str, label: str) -> str:
    """"Sentiment ≈0.94 (12th of 24, best non-GPT)." for a judge figure with a board rank."""
    bl = f[key]
    if not rules.has_board(f) or not bl.get("rank"):
        return f"{label} {approx_dec(bl['median'])}."
    lead = traits.family_lead(f, key)
    would = " were it on the board" if rules.is_variant(f) else ""
    return (f"{label} {approx_dec(bl['median'])} ({rank_of(bl['rank'], bl['of'])}{would}"
            f"{', ' + lead if lead else ''}).")


def phantom_item(r) -> str:
    f = r.facts
    ph = f["phantom_actions"]
    if not ph["count"]:
        return ("No phantom actions: no reply claims an action without the tool call that "
                "performs it before it.")
    intents = ph.get("by_intent") or {}
    where = join([f"{n} on {esc(i)}" for i, n in intents.items()])
    return (b("Phantom actions.") + f" In {ph['count']} of {ph['conversations']} conversations "
            f"({approx_pct(ph['rate'])}: {where}) it told the customer an action was done "
            "with no write tool call before that message." + quote_block(r, r.found.phantom))


def confirm_item(f: dict) -> str:
    c = f["confirm_before_acting"]
    if not c.get("write_calls"):
        return "It made no write call, so confirm before acting does not arise."
    worst_two = sorted(((i, v) for i, v in tickets_only(f, c.get("by_intent")).items()
                        if v.get("rate") is not None and v["write_calls"] >= 2
                        and v["rate"] < 0.5),
                       key=lambda iv: (iv[1]["rate"], -iv[1]["write_calls"], iv[0]))[:2]
    detail = ""
    if worst_two:
        detail = " Worst on " + join([f"{esc(i)} ({v['skipped']} of {v['write_calls']} "
                                      "skipped)" for i, v in worst_two]) + "."
    if c["skip_rate"] > rules.CONFIRM_SKIPPED:
        head = b("Confirm before acting skipped on most actions:")
        return (f"{head} {c['skipped']} of {c['write_calls']} write calls went ahead with no "
                f"yes from the customer. It does confirm on the other {c['confirmed']}, so it "
                f"is inconsistent rather than incapable.{detail}" if c["confirmed"] else
                f"{head} none of its {c['write_calls']} write calls waited for a yes.{detail}")
    return (f"It confirms before acting on {c['confirmed']} of {c['write_calls']} write calls "
            f"({pct(c['rate'])}).{detail}")
