"""The verdict paragraph and the call-outs under it (reasoning on/off, the biggest risk)."""

from __future__ import annotations

from sabkit.facts import figures
from sabkit.report import risks, rules, traits
from sabkit.report.grammar import (approx_dec, approx_pct, capitalize, counted, interval, join,
                                   join_clauses, pct, plural, points, signed, word)
from sabkit.report.markup import b, code, esc, model_link, p
from sabkit.report.sections.common import quote_block
from sabkit.report.tables import tier


def render(r) -> str:
    return verdict(r) + reasoning_callout(r) + risk_callout(r)


def verdict(r) -> str:
    """One paragraph: the model's position (quality, value, cost), its three main strengths
    and its two main weaknesses, the first of which is its biggest risk."""
    f = r.facts
    label = traits.quality_position(f)
    value = rules.value_position(f)
    if value == "a value pick":
        label += " and a value pick"
    elif value:
        label += ", but value-dominated"
    config = {True: " (reasoning on)", False: " (reasoning off)"}.get(
        f["display"].get("reasoning"), "")
    cost = f" at {tier(f['cost_tier'])} tier" if f["cost_tier"] else ""
    strong, weak = traits.strengths(f), traits.weaknesses(f)
    first = f"{b('Verdict:')} {esc(r.model)}{config} is {b(label)}{cost}"
    first += f", with {join_clauses(strong[:3])}." if strong else "."
    second = (f"Its real costs: {join_clauses(weak[:2])}." if weak
              else "None of the report's weakness rules applies to it.")
    return p(first, second)


_REASONING_FIGURES = ("escalation", "resolution", "instruction_following", "over_escalation")
"""The figures the reasoning call-out compares, by their names in the figure registry,
which gives each its label and unit."""
_FORMAT_OF_UNIT = {"share": approx_pct, "score": approx_dec}


def _reasoning_figures():
    for name in _REASONING_FIGURES:
        fig = figures.get(name)
        yield name, fig.label.lower(), _FORMAT_OF_UNIT[fig.unit]


def reasoning_callout(r) -> str:
    """Where the data has the model with reasoning on and off: the figure that moves most
    (largest absolute change of escalation, resolution, IF, over-escalation), both score
    medians, and the paired test, named as the mean case-by-case difference (which is not
    the gap between the two medians)."""
    rs = r.facts.get("reasoning")
    if not rs:
        return ""
    diffs = [(abs(rs["difference"].get(k) or 0), k, label, fmt)
             for k, label, fmt in _reasoning_figures() if rs["difference"].get(k) is not None]
    sc = rs.get("score_compare") or {}
    head = {"better": "⚡ Run with reasoning on.", "worse": "⚡ Reasoning off scores higher.",
            "tie": "⚡ Reasoning on or off: a tie on judge score."}.get(
        sc.get("verdict"), "⚡ Reasoning on and off.")
    body = []
    if diffs:
        _, k, label, fmt = max(diffs)
        pooled = rs["off"].get(k + "_pooled") is not None
        key = k + "_pooled" if pooled else k
        body.append(f"Reasoning moves {label} from {fmt(rs['off'][key])} (off) to "
                    f"{fmt(rs['on'][key])} (on)" + (", pooled over the runs." if pooled else "."))
    if sc:
        verdict_word = {"tie": "a statistical tie", "better": "a significant gain",
                        "worse": "a significant loss"}.get(sc["verdict"], sc["verdict"])
        body.append(f"Judge score median {points(rs['off'].get('score'))} off, "
                    f"{points(rs['on'].get('score'))} on; case by case over the same cases, "
                    f"the paired difference is {signed(sc['diff'])} points (95% interval "
                    f"{interval(sc['ci'])}): {verdict_word}.")
    this_on = r.model == rs["on_model"]
    other = rs["off_model"] if this_on else rs["on_model"]
    body.append(f"Every figure below is reasoning-{'on' if this_on else 'off'}; "
                f"{model_link(other, r.linked)} has its own report.")
    cls = "sab-callout" + (" sab-good" if sc.get("verdict") == "better" else "")
    return f'<blockquote class="{cls}"><p>{b(head)} {" ".join(body)}</p></blockquote>'


def _tools(ua: dict, traps: list[str]) -> str:
    return join([code(x) for x in sorted({t for tr in traps
                                          for t in ua["by_trap"][tr].get("tools") or []})])


def _some(traps: list[str]) -> str:
    """"a, b and c", or "a, b, c and four more" for a long list."""
    if len(traps) <= 4:
        return traits.names(traps)
    return join([esc(t) for t in traps[:3]] + [f"{counted(len(traps) - 3, 'other')}"])


def risk_callout(r) -> str:
    """The biggest risk by ``risks.Risk.size``, what it looks like in a transcript, and its
    guardrail (``Risk.fix``, the bottom line's fix too)."""
    f, found = r.facts, r.found
    risk = risks.top(f)
    if risk is None:
        text = (b("No single risk stands out.") + " No unsafe action, no missed escalation, "
                "no phantom action, and over-escalation under "
                f"{pct(rules.HIGH_OVER_ESCALATION)}.")
        return f'<blockquote class="sab-callout"><p>{text}</p></blockquote>'
    size = (f" Sized as the report ranks risks: {risk.size:.1f} expected harmful outcomes per "
            "100 conversations.")
    quote = ""
    if risk.key == "unsafe":
        ua = f["unsafe_actions"]
        every, flips = ua["traps_every_run"], ua["coin_flips"]
        n = f["runs"]["n"]
        head = (f"⚠️ Unsafe actions: {counted(ua['total'], 'forbidden action', words=False)} "
                f"in {ua['conversations']} adversarial conversations.")
        bits = []  # one count of traps per sentence, at most three names each
        if every:
            bits.append(f"{capitalize(counted(len(every), 'trap'))} "
                        f"{'makes' if len(every) == 1 else 'make'} it fire "
                        f"{_tools(ua, every)} in every run: {_some(every)}.")
        if flips:
            more = " more" if every else ""
            bits.append(f"{capitalize(word(len(flips)))}{more} {plural(len(flips), 'trap')} "
                        f"caught it in some runs and not others: {_some(flips)}.")
        body = " " + " ".join(bits)
        if every and rules.predictable(ua):
            body += (f" {ua['from_every_run_traps']} of the {ua['total']} come from traps "
                     "that fail every time: a predictable failure.")
        elif every:
            only = "Only " if ua["from_every_run_traps"] * 2 <= ua["total"] else ""
            body += (f" {only}{ua['from_every_run_traps']} of the {ua['total']} come from traps "
                     "that fail every time; the rest come and go across its "
                     f"{counted(n, 'run')}.")
        traps = every or flips
        quote = quote_block(r, [found.unsafe.get(traps[0])])
    elif risk.key == "missed":
        e = f["escalation"]
        intents = sorted({m["intent"] for m in e["missed"]})
        k = len(e["missed"])
        head = "⚠️ Missed escalations."
        body = (f" {counted(k, 'must-escalate conversation', words=False)} ended without a "
                f"handover ({join([esc(i) for i in intents])}).")
        quote = quote_block(r, found.missed[:1])
    elif risk.key == "phantom":
        ph = f["phantom_actions"]
        intents = join([esc(i) for i in (ph.get("by_intent") or {})][:2])
        head = "⚠️ Phantom actions."
        body = (f" On {intents} tickets {esc(r.model)} sometimes tells the customer an action "
                "is <em>done</em> with no tool call before that message that would do it: the "
                f"customer believes it happened; nothing was queued ({ph['count']} of "
                f"{ph['conversations']} conversations, {approx_pct(ph['rate'])}).")
        quote = quote_block(r, found.phantom[:1])
    elif risk.key == "over":
        oe = f["over_escalation"]
        worst = oe["worst"][:1]
        head = f"⚠️ Over-escalation: {approx_pct(oe['median'])} of solvable tickets go to a human."
        body = (f" The most on {esc(worst[0])} ({pct(oe['by_intent'][worst[0]])})."
                if worst else "")
        quote = quote_block(r, found.over[:1])
    else:
        c = f["confirm_before_acting"]
        head = "⚠️ Confirm before acting is skipped."
        body = (f" {c['skipped']} of {c['write_calls']} write actions went ahead without the "
                "customer's yes.")
    text = b(head) + body + size + " " + b("The guardrail:") + " " + risk.fix(f)
    return f'<blockquote class="sab-callout sab-risk"><p>{text}</p>{quote}</blockquote>'


