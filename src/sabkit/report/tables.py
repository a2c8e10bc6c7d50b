"""The report's numbers as the reference reports write them, and its tables as clean HTML.

Formatting: rates as percentages ("44%", "≈10%" for a headline that is a median, "0.6%"
below one percent), judge 0-1 figures with two decimals ("0.82"), counts as "24/24", score
points with one decimal ("82.1"), minus signs as "−".

Tables are plain ``<table>`` markup, not great_tables: each is a handful of rows whose cells
mix a figure with a short phrase and bold ("**100% (all 3 runs)**"), which is string work,
and building the markup here keeps escaping in one place (``table``) and the dependency
list short (great_tables would bring pandas along for a dozen-row table).

Escaping: a cell is either ``Html`` (markup built by sabkit, whose data parts were escaped
where they were placed) or anything else, which ``table`` escapes. So a case id, a trap or
a model name that reaches a table as a plain string can never become markup.
"""

from __future__ import annotations

import html

from sabkit.report import quotes

NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                "ten")
TIER_NAMES = {"$": "budget", "$$": "mid-range", "$$$": "premium", "$$$$": "flagship"}


class Html(str):
    """Markup sabkit built, safe to place as is."""


def esc(text) -> str:
    return html.escape(str(text), quote=True)


def cell(value) -> str:
    return value if isinstance(value, Html) else esc("" if value is None else value)


# --- numbers -------------------------------------------------------------------------------

def pct(x: float | None) -> str:
    """0.444 -> "44%"; 0.0062 -> "0.6%"; 0.996 -> ">99%" (never rounds up to a perfect score)."""
    if x is None:
        return "n/a"
    if 0 < x < 0.01:
        return f"{100 * x:.1f}%"
    if 0.99 < x < 1:
        return ">99%"
    return f"{100 * x:.0f}%"


def approx_pct(x: float | None) -> str:
    """A headline rate: "≈10%", but exact "0%" and "100%"."""
    return pct(x) if x in (0, 1, None) else "≈" + pct(x)


def dec(x: float | None) -> str:
    """A judge 0-1 figure: "0.82", "1.00"."""
    return "n/a" if x is None else f"{x:.2f}"


def approx_dec(x: float | None) -> str:
    return dec(x) if x in (0, 1, None) else "≈" + dec(x)


def points(x: float | None) -> str:
    """A 0-100 judge score: "82.1"."""
    return "n/a" if x is None else f"{x:.1f}"


def signed(x: float | None, digits: int = 1) -> str:
    """"+0.4", "−2.6"."""
    if x is None:
        return "n/a"
    return f"{x:+.{digits}f}".replace("-", "−")


def interval(ci, fmt=points) -> str:
    """"[−2.6, 1.8]"."""
    if not ci or ci[0] is None:
        return "n/a"
    return "[" + ", ".join(fmt(v).replace("-", "−") for v in ci) + "]"


def count(x: float | None) -> str:
    """A median count: "2", "1.5"."""
    return "n/a" if x is None else f"{x:g}"


def dollars(x: float) -> str:
    """"$12.40", "$0.031"."""
    return f"${x:,.2f}" if x >= 1 else f"${x:.3g}"


def word(n: int) -> str:
    """Small counts as words ("three runs"), larger ones as digits ("24 cases")."""
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)


def plural(n: int, one: str, many: str | None = None) -> str:
    return one if n == 1 else (many or one + "s")


def ordinal(n: int) -> str:
    words = ("", "", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth")
    if 1 < n < len(words):
        return words[n]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def runs_phrase(k: int, n: int) -> str:
    """Where something happened, k of n runs: "in all three runs", "in both runs", "in one
    run of three", "in neither run", "in none of its three runs", "in its one run"."""
    if n == 1:
        return "in its one run" if k else "in none of its runs"
    if k == n:
        return "in both runs" if n == 2 else f"in all {word(n)} runs"
    if k == 0:
        return "in neither run" if n == 2 else f"in none of its {word(n)} runs"
    return f"in {word(k)} {plural(k, 'run')} of {word(n)}"


def join(items: list[str], last: str = "and") -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


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


# --- markup --------------------------------------------------------------------------------

def table(headers: list, rows: list[list], cls: str = "sab-table",
          row_ids: list[str | None] | None = None) -> Html:
    """A table; every cell that is not ``Html`` is escaped here."""
    head = "".join(f"<th>{cell(h)}</th>" for h in headers)
    body = []
    for i, row in enumerate(rows):
        rid = row_ids[i] if row_ids else None
        attr = f' id="{esc(rid)}"' if rid else ""
        body.append(f"<tr{attr}>" + "".join(f"<td>{cell(c)}</td>" for c in row) + "</tr>")
    return Html(f'<table class="{esc(cls)}"><thead><tr>{head}</tr></thead>'
                f"<tbody>{''.join(body)}</tbody></table>")


def bold(text) -> Html:
    return Html(f"<strong>{cell(text)}</strong>")


# --- the report's tables ----------------------------------------------------------------

def _get(d: dict | None, path: str):
    for key in path.split("."):
        if not isinstance(d, dict):
            return None
        d = d.get(key)
    return d


def ticket_intents(f: dict) -> set[str]:
    """The solvable and must-escalate intents: the judge's IF and sentiment on a trap family
    measure the trap (covered under safety), not how the agent handles a ticket."""
    return set(f["resolution"]["by_intent"] or {}) | set(f["escalation"]["by_intent"] or {})


def tickets_only(f: dict, by_intent: dict) -> dict:
    keep = ticket_intents(f)
    return {i: v for i, v in (by_intent or {}).items() if i in keep}


def _worst(by_intent: dict, key=None, n: int = 2, below: float = 1.0) -> list[tuple[str, float]]:
    """The n intents with the lowest figure under ``below``, lowest first."""
    items = [(i, key(v) if key else v) for i, v in (by_intent or {}).items()]
    items = [(i, v) for i, v in items if v is not None and v < below]
    return sorted(items, key=lambda iv: (iv[1], iv[0]))[:n]


def at_a_glance(f: dict) -> Html:
    """The reference reports' "At a glance" table: one row per headline, with the detail
    that qualifies it in brackets."""
    n = f["runs"]["n"]
    esc_ = f["escalation"]
    oe = f["over_escalation"]
    ua = f["unsafe_actions"]
    ph = f["phantom_actions"]

    res = approx_pct(f["resolution"]["median"])
    low = _worst(f["resolution"]["by_intent"], key=lambda v: v["rate"], n=1, below=0.7)
    if low:
        res += f" ({low[0][0]} {pct(low[0][1])})"

    if not esc_["cases"]:
        escalation = "no must-escalate case in this benchmark"
    elif esc_["all_runs_perfect"]:
        escalation = bold({1: "100%", 2: "100% (both runs)"}.get(n, f"100% (all {n} runs)"))
    else:
        per_run = ", ".join(str(x) for x in esc_["escalated_per_run"])
        escalation = f"{approx_pct(esc_['median'])} ({per_run} of {esc_['cases']} per run)"

    over = approx_pct(oe["median"])
    top = [f"{i} {pct(oe['by_intent'][i])}" for i in oe["worst"][:2]]
    if top:
        over += f" ({', '.join(top)})"

    tools = f"≈{f['tool_use']['per_conversation']:.1f} calls/ticket; "
    tools += (f"phantom actions ({approx_pct(ph['rate'])} of conversations)" if ph["count"]
              else "no phantom actions")

    if f["measured"]["instruction_following"]:
        ifo = approx_dec(f["instruction_following"]["median"])
        low = _worst(tickets_only(f, f["instruction_following"]["by_intent"]), n=1, below=0.7)
        if low:
            ifo = Html(f"{esc(ifo)} ({bold(f'{low[0][0]} {dec(low[0][1])}')})")
    else:
        ifo = "not measured by this benchmark"

    sentiment = (approx_dec(f["sentiment"]["median"]) if f["measured"]["sentiment"]
                 else "not measured by this benchmark")

    if ua["cases"]:
        held = _held_phrase(ua, n)
        detail = [f"{count(ua['median'])} unsafe {plural(ua['median'], 'action')} median"]
        for trap in ua["traps_every_run"][:1]:
            detail.append(f"{trap} failed {runs_phrase(n, n)}")
        if not ua["traps_every_run"] and ua["coin_flips"]:
            k = len(ua["coin_flips"])
            detail.append(f"{word(k)} {plural(k, 'trap')}, each failed in some runs, not all")
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
    if (f["benchmark"].get("board_size") or 0) >= 4:
        score += f" (rank {f['score']['rank']} of {f['score']['of']})"

    rows = [
        ["Resolves the customer's actual request (solvable)", res],
        ["Escalates the cases that truly need a human", escalation],
        ["Over-escalation on solvable tickets", over],
        ["Tool usage", tools],
        ["Follows store policy (instruction-following)", ifo],
        ["Customer sentiment trend", sentiment],
        ["Hard \"don't give it away\" cases held", held],
        ["Cost tier (agent-only)", cost],
        ["Judge score (0–100)", score],
    ]
    return table(["Metric", f["model"]], rows, cls="sab-table sab-glance")


def _held_phrase(ua: dict, n: int, noun: str = "") -> str:
    """"≈16 of 18 traps", or "16–17 of 18 traps per run" when two runs differ and their
    median (a half) would hide it."""
    per_run = ua["held_per_run"]
    noun = f" {noun}" if noun else ""
    if n == 2 and per_run and min(per_run) != max(per_run):
        return f"{min(per_run)}–{max(per_run)} of {ua['cases']}{noun} per run"
    median = ua["held_median"]
    exact = median in per_run and min(per_run) == max(per_run)
    return f"{'' if exact else '≈'}{count(median)} of {ua['cases']}{noun}"


def use_case_read(f: dict, name: str, c: dict) -> str:
    """The "Read" column, by rules on the cluster's figures, first match wins: a phantom
    action in its intents; handover on every conversation (must-escalate); instruction-
    following under 0.7; over-escalation of 25% or more; resolution and IF at 0.9 or more
    with over-escalation at 5% or less ("flawless"); confirm before acting skipped on most
    of its writes; else "handled"."""
    intents = set(c.get("intents") or [])
    phantom = intents & set(f["phantom_actions"].get("by_intent") or {})
    if phantom:
        return "⚠️ phantom \"already done\" claims"
    if c["category"] == "must_escalate":
        e = c.get("escalation") or {}
        return ("handover on every conversation" if e.get("value") == 1
                else f"handover {pct(e.get('value'))}")
    ifo = (c.get("instruction_following") or {}).get("value")
    if ifo is not None and ifo < 0.7:
        return "⚠️ policy drag"
    over = (c.get("over_escalation") or {}).get("value")
    if over is not None and over >= 0.25:
        return "over-escalates"
    res = (c.get("resolution") or {}).get("value")
    if res is not None and res >= 0.9 and (over or 0) <= 0.05 and ifo is not None \
            and ifo >= 0.9:
        return "flawless"
    confirm = f["confirm_before_acting"].get("by_intent") or {}
    if any((confirm.get(i) or {}).get("rate") is not None and confirm[i]["rate"] < 0.5
           for i in intents):
        return "resolves; confirm-step skipped" if (res or 0) >= 0.9 else "confirm-step skipped"
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
        tools = ", ".join(t.get("tools") or []) or "—"
        rows.append([trap, *cells, t["pattern"], tools])
    held = len(ua["by_trap"]) - len(order)
    if held:
        rows.append([f"the other {held} {plural(held, 'trap')}",
                     *[Html('<span class="sab-held">✓ held</span>') for _ in runs], "never", "—"])
    return table(["Trap", *[f"run {r}" for r in runs], "Pattern", "Forbidden tool fired"],
                 rows, cls="sab-table sab-traps")


def nearest(f: dict) -> Html:
    """The nearest board models on judge score (their median from ``benchmark.board``),
    with the paired test's verdict."""
    board = {b["model"]: b.get("score") for b in f["benchmark"].get("board") or []}
    rows = []
    for m in f["compare"]["nearest"]:
        verdict = {"tie": "statistical tie", "better": f"{f['model']} better",
                   "worse": f"{f['model']} worse"}.get(m["verdict"], m["verdict"])
        median = board.get(m["model"])
        rows.append([m["model"], points(median), m.get("cost_tier") or "—",
                     signed(m["diff"]), interval(m["ci"]), verdict])
    return table(["Model", "Score median", "Cost tier", f"Difference ({f['model']} − them)",
                  "95% interval", "Paired test"], rows, cls="sab-table sab-nearest")


def pass_k(f: dict) -> Html:
    """pass^k per category: the chance that k runs of a case all succeed."""
    labels = {"solvable": "solvable (resolved)", "must_escalate": "must-escalate (handed over)",
              "adversarial": "adversarial (no unsafe action)", "all": "all cases (resolved)"}
    pk = f.get("pass_k") or {}
    ks = sorted({int(k) for v in pk.values() for k in v})
    rows = [[labels.get(cat, cat), *[dec(pk[cat].get(str(k))) for k in ks]]
            for cat in labels if cat in pk]
    return table(["Category", *[f"pass^{k}" for k in ks]], rows, cls="sab-table sab-passk")


def failing(found: quotes.Findings) -> Html:
    """The appendix: every failing conversation, each row an anchor the quotes link to."""
    rows, ids = [], []
    # where the customer acts too (dual control), what they did on their side
    acting = any(c.get("customer_tools") for c in found.failing)
    for c in found.failing:
        rows.append([c["case_id"], c["run_index"], c["trap"] or c["intent"],
                     "; ".join(c["reasons"]), points(c["score"]), c["rationale"] or "—"]
                    + ([", ".join(c["customer_tools"]) or "—"] if acting else []))
        ids.append(quotes.anchor(c["case_id"], c["run_index"]))
    return table(["Case", "Run", "Intent / trap", "Why it fails", "Judge score",
                  "Judge's rationale (first sentence)"]
                 + (["The customer's own actions"] if acting else []), rows,
                 cls="sab-table sab-appendix", row_ids=ids)
