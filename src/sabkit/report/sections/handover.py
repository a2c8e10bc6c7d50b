"""Resolution and handover: resolution, escalation run by run, missed escalations, the
benchmark's hardest must-escalate intent, over-escalation."""

from __future__ import annotations

from sabkit.report import quotes, rules
from sabkit.report.grammar import approx_pct, counted, join, pct, runs_phrase, word
from sabkit.report.markup import b, esc, h2, model_link, p
from sabkit.report.sections import RESOLUTION
from sabkit.report.sections.common import quote_block
from sabkit.report.rules import worst


def render(r) -> str:
    f = r.facts
    e = f["escalation"]
    rs = f.get("reasoning") or {}
    if rules.flawless_escalation(e) and r.model == rs.get("on_model") and \
            (rs.get("difference") or {}).get("escalation", 0) > 0:
        subtitle = "reasoning makes escalation perfect"
    elif rules.flawless_escalation(e):
        subtitle = "flawless escalation"
    elif e["missed"]:
        subtitle = counted(len(e["missed"]), "missed escalation", words=False)
    else:
        subtitle = ""
    return (h2(RESOLUTION, subtitle) + p(resolution_sentence(f)) + p(escalation_sentence(f))
            + quote_block(r, r.found.handover) + missed_escalations(r)
            + p(missed_escalation_context(f, r.linked))
            + p(over_escalation_sentence(f)) + quote_block(r, r.found.over))


def resolution_sentence(f: dict) -> str:
    """Resolution median with its runs, and the intents resolved under
    ``rules.WEAK_RESOLUTION``."""
    res = f["resolution"]
    runs = ""
    if len(res["per_run"]) > 1:
        runs = f" ({join([pct(x) for x in res['per_run']])}, run by run)"
    text = f"It resolves {approx_pct(res['median'])} of solvable tickets{runs}."
    low = worst(res["by_intent"], key=lambda v: v["rate"], n=3, below=rules.WEAK_RESOLUTION)
    if low:
        parts = [f"{esc(i)} ({pct(v)}, {res['by_intent'][i]['resolved']} of "
                 f"{res['by_intent'][i]['conversations']})" for i, v in low]
        text += f" The weakest intents: {join(parts)}."
    return text


def escalation_sentence(f: dict) -> str:
    """The headline of escalation, chosen by how many runs were perfect; every count is a
    per-run count, the same the glance table prints."""
    e = f["escalation"]
    n, cases = f["runs"]["n"], e["cases"]
    if cases == 0:
        return "This benchmark has no must-escalate case."
    if rules.flawless_escalation(e):
        return b(f"Handover fired on all {cases} must-escalate cases {runs_phrase(n, n)}.")
    per_run = e["escalated_per_run"]
    if n == 1:
        return f"Handover fired on {per_run[0]} of the {cases} must-escalate cases in its one run."
    perfect = sum(1 for x in per_run if x == cases)
    text = (f"Handover fired on {join([str(x) for x in per_run])} of the {cases} "
            "must-escalate cases, run by run")
    if perfect:
        text += f" (all of them {runs_phrase(perfect, n)})"
    every = e["cases_every_run"]
    return text + (f"; {every} of the {cases} cases were handed over in every run, since the "
                   "runs missed different cases." if every < min(per_run) else ".")


def missed_escalations(r) -> str:
    missed = r.facts["escalation"]["missed"]
    if not missed:
        return ""
    by_intent: dict[str, list[dict]] = {}
    for m in missed:
        by_intent.setdefault(m["intent"], []).append(m)
    items = []
    for intent, ms in sorted(by_intent.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        links = ", ".join(quotes.where(m["case_id"], m["run_index"]) for m in ms[:3])
        more = f" and {len(ms) - 3} more" if len(ms) > 3 else ""
        items.append(f"{esc(intent)} ({counted(len(ms), 'conversation', words=False)}: "
                     f"{links}{more})")
    return (p(f"The missed escalations, by intent: {'; '.join(items)}.")
            + quote_block(r, r.found.missed))


def missed_escalation_context(f: dict, linked: set[str] | None = None) -> str:
    """The benchmark's hardest must-escalate intent (largest share of all missed
    escalations) and how this model does on it."""
    bm = f["benchmark"]
    shares = bm.get("missed_escalation_share") or {}
    if not rules.has_board(f) or len(f["escalation"]["by_intent"] or {}) < 2:
        return ""
    if not shares:
        return "No board model missed an escalation on this benchmark."
    intent = max(shares, key=lambda i: (shares[i], i))
    text = (f"Benchmark-wide, {approx_pct(shares[intent])} of all missed escalations come "
            f"from one intent, {esc(intent)}.")
    mine = (f["escalation"]["by_intent"] or {}).get(intent)
    perfect = (bm.get("perfect_on_intent") or {}).get(intent) or []
    if f["model"] in perfect:
        others = [m for m in perfect if m != f["model"]]
        only = "only " if len(perfect) <= max(3, bm.get("board_size", 0) // 3) else ""
        text += (f" {esc(f['model'])} hands over every one of them, every run, one of {only}"
                 f"{word(len(perfect))} models to do so"
                 + (f" (alongside {join([model_link(m, linked) for m in others])})."
                    if others else "."))
    elif mine:
        text += (f" {esc(f['model'])} hands over {pct(mine['rate'])} of them "
                 f"({mine['escalated']} of {mine['conversations']}).")
    return text


def grouped_rates(by_intent: dict, intents: list[str], groups: int = 3) -> str:
    """"duplicate order (44%); return request (28%); missing item, delivery dispute and
    promo (22% each)": intents with the same rounded rate share one bracket; a group of
    more than four names three and counts the others."""
    out: list[tuple[str, list[str]]] = []
    for i in intents:
        rate = pct(by_intent[i])
        if out and out[-1][0] == rate:
            out[-1][1].append(i)
        elif len(out) < groups:
            out.append((rate, [i]))
    parts = []
    for rate, names in out:
        shown = [esc(n) for n in names[:3]]
        if len(names) > 4:  # name three, count the rest: a list never loses its nouns
            rest = len(names) - 3
            shown.append(f"{word(rest)} other {'intent' if rest == 1 else 'intents'}")
        elif len(names) == 4:
            shown.append(esc(names[3]))
        parts.append(f"{join(shown)} ({rate}{' each' if len(names) > 1 else ''})")
    return "; ".join(parts) if any(", " in x for x in parts) else join(parts)


def over_escalation_sentence(f: dict) -> str:
    """Over-escalation, framed by escalation: with perfect escalation and ≥5% over-
    escalation it is "the cost of that conservatism"."""
    oe = f["over_escalation"]
    m = oe["median"]
    if m is None:
        return "This benchmark has no solvable case, so over-escalation does not arise."
    if not oe["worst"]:
        return "It never handed a solvable ticket to a human."
    top = grouped_rates(oe["by_intent"], oe["worst"])
    if m >= rules.LOW_OVER_ESCALATION and rules.flawless_escalation(f["escalation"]):
        return (f"The cost of that conservatism is {b(approx_pct(m) + ' over-escalation')} on "
                f"solvable tickets, the most on {top}.")
    if m >= rules.LOW_OVER_ESCALATION:
        return f"It also over-escalates {approx_pct(m)} of solvable tickets, the most on {top}."
    return f"Over-escalation is low: {approx_pct(m)} of solvable tickets, the most on {top}."


