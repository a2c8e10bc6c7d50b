"""The report's tables, as plain escaped HTML built by ``markup.table``.

Each is a handful of rows whose cells mix a figure with a short phrase and bold
("**100% (all 3 runs)**"), which is string work; great_tables would render the same
markup after a detour through a frame, so the tables stay plain and every cell goes
through the one escaping path (``markup.cell``). Figures are formatted by ``grammar``;
the "Read" judgements come from ``rules``.
"""

from __future__ import annotations

from sabkit.facts import figures
from sabkit.report import quotes, rules
from sabkit.report.grammar import (approx_dec, approx_pct, count, dec, dollars, interval, pct,
                                   plural, points, rank_of, runs_phrase, signed, word)
from sabkit.report.markup import Html, bold, esc, model_link, table
from sabkit.report.rules import tickets_only, worst
from sabkit.report.traits import held_phrase

TIER_NAMES = {"$": "budget", "$$": "mid-range", "$$$": "premium", "$$$$": "flagship"}


def tier(t: str | None) -> str:
    """"$ (budget)"."""
    return "n/a" if t is None else f"{t} ({TIER_NAMES.get(t, t)})"


def spread(fig: dict | None, fmt) -> str:
    """A per-use-case figure {value, min, max}: "0.50", or "0.78–1.00" when its intents
    differ."""
    if not fig or fig.get("value") is None:
        return "—"
    lo, hi = fig.get("min"), fig.get("max")
    if lo is not None and hi is not None and fmt(lo) != fmt(hi):
        return f"{fmt(lo)}–{fmt(hi)}"
    return fmt(fig["value"])


# --- the report's tables ----------------------------------------------------------------

def escalation_cell(f: dict) -> str | Html:
    """Escalation as the glance table states it: "100% (all 3 runs)" only when every run
    handed over every case; else the median with each run's count, so no cell can say
    "100%" over a run that missed one."""
    e, n = f["escalation"], f["runs"]["n"]
    if not e["cases"]:
        return "no must-escalate case in this benchmark"
    if rules.flawless_escalation(e):
        return bold({1: "100%", 2: "100% (both runs)"}.get(n, f"100% (all {n} runs)"))
    per_run = ", ".join(str(x) for x in e["escalated_per_run"])
    median = pct(e["median"]) if e["median"] not in (1, None) else "median 100%"
    return f"{median} ({per_run} of {e['cases']}, run by run)"


def at_a_glance(f: dict) -> Html:
    """The reference reports' "At a glance" table: one row per headline, with the detail
    that qualifies it in brackets."""
    n = f["runs"]["n"]
    oe = f["over_escalation"]
    ua = f["unsafe_actions"]
    ph = f["phantom_actions"]

    res = approx_pct(f["resolution"]["median"])
    low = worst(f["resolution"]["by_intent"], key=lambda v: v["rate"], n=1,
                below=rules.WEAK_RESOLUTION)
    if low:
        res += f" (lowest: {low[0][0]} {pct(low[0][1])})"

    over = approx_pct(oe["median"])
    top = [f"{i} {pct(oe['by_intent'][i])}" for i in oe["worst"][:2]]
    if top:
        over += f" (highest: {', '.join(top)})"

    tools = f"≈{f['tool_use']['per_conversation']:.1f} calls per conversation; "
    tools += (f"phantom actions in {approx_pct(ph['rate'])} of conversations" if ph["count"]
              else "no phantom actions")

    if f["measured"]["instruction_following"]:
        ifo = approx_dec(f["instruction_following"]["median"])
        low = worst(tickets_only(f, f["instruction_following"]["by_intent"]), n=1,
                    below=rules.LOW_INSTRUCTION_FOLLOWING)
        if low:
            ifo = Html(f"{esc(ifo)} (lowest: {bold(f'{low[0][0]} {dec(low[0][1])}')})")
    else:
        ifo = "not measured by this benchmark"

    sentiment = (approx_dec(f["sentiment"]["median"]) if f["measured"]["sentiment"]
                 else "not measured by this benchmark")

    if ua["cases"]:
        held = held_phrase(ua, n)
        detail = [f"{count(ua['median'])} unsafe {plural(ua['median'], 'action')} median"]
        every = ua["traps_every_run"]  # the coin flips are the safety section's
        if every:
            k = len(every)
            detail.append(f"{every[0]} failed {runs_phrase(n, n)}" if k == 1 else
                          f"{word(k)} traps failed {runs_phrase(n, n)}")
        elif ua["coin_flips"]:
            k = len(ua["coin_flips"])
            detail.append(f"{word(k)} {plural(k, 'trap')} failed in some runs, not all")
        held += f" ({'; '.join(detail)})"
    else:
        held = "no adversarial case in this benchmark"

    usd = f.get("cost_usd") or {}
    if f["measured"]["cost_tier"] and f["cost_tier"]:
        cost = Html(f"{bold(f['cost_tier'])} ({esc(TIER_NAMES.get(f['cost_tier'], ''))})")
    elif usd.get("median") is not None:
        cost = f"{dollars(usd['median'])} per run (no tier; dollar cost)"
    else:
        cost = "not measured by this benchmark"
    score = points(f["score"]["median"])
    if rules.has_board(f) and f["score"].get("rank"):
        would = " were it on the board" if rules.is_variant(f) else ""
        score += f" ({rank_of(f['score']['rank'], f['score']['of'])}{would})"

    label = {name: figures.get(name).glance for name in
             ("resolution", "escalation", "over_escalation", "instruction_following",
              "sentiment", "score")}
    rows = [
        [label["resolution"], res],
        [label["escalation"], escalation_cell(f)],
        [label["over_escalation"], over],
        ["Tool usage", tools],
        [label["instruction_following"], ifo],
        [label["sentiment"], sentiment],
        ["Hard \"don't give it away\" cases held", held],
        ["Cost tier (agent-only)", cost],
        [label["score"], score],
    ]
    return table(["Metric", f["model"]], rows, cls="sab-table sab-glance")


def use_case_read(f: dict, name: str, c: dict) -> str:
    """The "Read" column, by rules on the cluster's figures, first match wins: a phantom
    action in its intents; handover on every conversation (must-escalate); instruction-
    following under ``rules.LOW_INSTRUCTION_FOLLOWING``; over-escalation of 25% or more;
    ``rules.flawless_cluster``; not ``rules.handled_cluster`` (its weakest intent named by
    its rate); confirm before acting skipped on most of its writes; else "handled"."""
    intents = set(c.get("intents") or [])
    phantom = intents & set(f["phantom_actions"].get("by_intent") or {})
    if phantom:
        return "⚠️ phantom \"already done\" claims"
    if c["category"] == "must_escalate":
        e = c.get("escalation") or {}
        return ("handover on every conversation" if e.get("value") == 1
                else f"handover on {pct(e.get('value'))}")
    ifo = (c.get("instruction_following") or {}).get("value")
    if ifo is not None and ifo < rules.LOW_INSTRUCTION_FOLLOWING:
        return "⚠️ policy drag"
    over = rules.cluster_high_over_escalation(c)
    if over is not None and over >= 0.25:
        return "over-escalates"
    if rules.flawless_cluster(c):
        return "flawless"
    if not rules.handled_cluster(c):
        rates = {i: (f["resolution"]["by_intent"].get(i) or {}).get("rate") for i in intents}
        weakest = min((i for i in rates if rates[i] is not None), key=lambda i: (rates[i], i),
                      default=None)
        return f"⚠️ weak on {weakest}" if weakest else "⚠️ weak resolution"
    res = rules.cluster_low_resolution(c)
    confirm = f["confirm_before_acting"].get("by_intent") or {}
    if any((confirm.get(i) or {}).get("rate") is not None and confirm[i]["rate"] < 0.5
           for i in intents):
        return ("resolves; confirm-step skipped" if (res or 0) >= rules.FLAWLESS_RESOLUTION
                else "confirm-step skipped")
    return "handled"
def per_use_case(f: dict) -> Html:
    """The per-use-case table: one row per cluster of tickets (traps are the safety
    section's), solvable clusters first, figures pooled over the complete runs with their
    min–max across the cluster's intents."""
    clusters = {k: c for k, c in (f.get("clusters") or {}).items()
                if c["category"] != "adversarial"}
    order = sorted(clusters, key=lambda k: (clusters[k]["category"] != "solvable", k))
    rows = []
    for name in order:
        c = clusters[name]
        intents = c["intents"]
        label = (name if intents == [name] else f"{name} ({', '.join(intents)})"
                 if len(intents) <= 6 else f"{name} ({len(intents)} intents)")
        if c["category"] == "must_escalate":
            over = Html(f"n/a: {bold('handover ' + spread(c.get('escalation'), pct))}")
            res = spread(c.get("escalation"), pct)
        else:
            over = spread(c.get("over_escalation"), pct)
            res = spread(c.get("resolution"), pct)
        ifo = spread(c.get("instruction_following"), dec)
        rows.append([label, res, over, ifo, use_case_read(f, name, c)])
    return table(["Use-case cluster", "Resolution", "Over-escalation", "Instruction-following",
                  "Read"], rows, cls="sab-table sab-use-cases")


def trap_runs(f: dict) -> Html:
    """Trap x run for the traps that caused an unsafe action: ✗ where the trap fired a
    forbidden tool in that run, ✓ where it held, then the pattern (every run or some runs).
    Traps held in every run are summed up in the last row (the chart shows them all)."""
    ua = f["unsafe_actions"]
    runs = f["runs"]["indices"]
    failed = {(u["trap"], u["run_index"]) for u in ua["list"]}
    order = sorted((tr for tr in ua["by_trap"] if ua["by_trap"][tr]["failed_runs"]),
                   key=lambda t: (-ua["by_trap"][t]["failed_runs"], t))
    rows = []
    for trap in order:
        t = ua["by_trap"][trap]
        cells = [Html('<span class="sab-unsafe">✗ unsafe</span>') if (trap, r) in failed
                 else Html('<span class="sab-held">✓ held</span>') for r in runs]
        tools = Html(", ".join(f"<code>{esc(x)}</code>" for x in t.get("tools") or []) or "—")
        rows.append([trap, *cells, t["pattern"], tools])
    held = len(ua["by_trap"]) - len(order)
    if held:
        rows.append([f"the other {held} {plural(held, 'trap')}",
                     *[Html('<span class="sab-held">✓ held</span>') for _ in runs], "never", "—"])
    return table(["Trap", *[f"run {r}" for r in runs], "Pattern", "Forbidden tool fired"],
                 rows, cls="sab-table sab-traps")


def nearest(f: dict, linked: set[str] | None = None) -> Html:
    """The nearest board models on judge score (their median from ``benchmark.board``),
    with the paired test. The difference is the paired one (the mean, case by case, of
    this model's score minus theirs), which is what the test tests; it is labelled so, and
    the gap between the two medians printed beside it is its own column, so no reader
    computes one and finds the other."""
    board = {b["model"]: b.get("score") for b in f["benchmark"].get("board") or []}
    mine = f["score"]["median"]
    rows = []
    for m in f["compare"]["nearest"]:
        verdict = {"tie": "statistical tie", "better": f"{f['model']} higher",
                   "worse": f"{f['model']} lower"}.get(m["verdict"], m["verdict"])
        median = board.get(m["model"])
        gap = None if median is None or mine is None else round(mine, 1) - round(median, 1)
        rows.append([Html(model_link(m["model"], linked)), points(median),
                     m.get("cost_tier") or "—", signed(gap), signed(m["diff"]),
                     interval(m["ci"]), verdict])
    return table(["Model", "Score median", "Cost tier", "Gap in medians",
                  "Paired difference (mean over the same cases)", "95% interval",
                  "Paired test"], rows, cls="sab-table sab-nearest")


def pass_k(f: dict) -> Html:
    """pass^k per category: the chance that k runs of a case all succeed."""
    labels = {"solvable": "solvable (resolved)", "must_escalate": "must-escalate (handed over)",
              "adversarial": "adversarial (no unsafe action)", "all": "all cases (resolved)"}
    pk = f.get("pass_k") or {}
    ks = sorted({int(k) for v in pk.values() for k in v})
    rows = [[labels.get(cat, cat), *[dec(pk[cat].get(str(k))) for k in ks]]
            for cat in labels if cat in pk]
    return table(["Category", *[f"pass^{k}" for k in ks]], rows, cls="sab-table sab-passk")


def failing(found: quotes.Findings, anchors: dict) -> Html:
    """The appendix: every failing conversation, plus every quoted conversation that passes,
    each row the anchor its quotes link to; a quoted conversation's row holds the whole
    conversation in a fold that links back to its quote (``anchors``: the shown quotes).
    Where the customer acts too (dual control), a column says what they did on their side."""
    rows = {(c["case_id"], c["run_index"]): c for c in found.failing}
    for case_id, run_index in found.conversations.keys() & anchors.keys():
        rows.setdefault((case_id, run_index), {
            "case_id": case_id, "run_index": run_index, "trap": None, "intent": "",
            "reasons": ["passes; quoted above"], "score": None, "rationale": None})
    acting = any(c.get("customer_tools") for c in found.failing)
    out, ids = [], []
    for key in sorted(rows, key=lambda k: (k[1], k[0])):
        c = rows[key]
        last = Html(esc(c["rationale"] or "—"))
        if key in found.conversations and key in anchors:
            last = Html(last + quotes.conversation_html(found.conversations[key], anchors[key]))
        out.append([c["case_id"], c["run_index"], c["trap"] or c["intent"] or "—",
                    "; ".join(c["reasons"]), points(c["score"]) if c["score"] is not None
                    else "—", last]
                   + ([", ".join(c.get("customer_tools") or []) or "—"] if acting else []))
        ids.append(quotes.anchor(c["case_id"], c["run_index"]))
    return table(["Case", "Run", "Intent / trap", "Why it is here", "Judge score",
                  "Judge's rationale (first sentence)"]
                 + (["The customer's own actions"] if acting else []), out,
                 cls="sab-table sab-appendix", row_ids=ids)
