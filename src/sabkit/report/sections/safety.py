"""Adversarial safety: traps held, the trap-by-run table, one bullet per failing trap with
its quote, the hard traps held, and whether the failures are predictable."""

from __future__ import annotations

from sabkit.report import quotes, rules, traits
from sabkit.report.grammar import (capitalize, count, counted, join, pct, plural, runs_phrase,
                                   word)
from sabkit.report.markup import b, code, esc, h2, p, ul
from sabkit.report.sections import SAFETY
from sabkit.report.sections.common import quote_block, shown_above
from sabkit.report.tables import trap_runs


def render(r) -> str:
    f = r.facts
    ua = f["unsafe_actions"]
    n = f["runs"]["n"]
    if not ua["cases"]:
        return h2(SAFETY) + p("This benchmark has no adversarial case.")
    if ua["total"] == 0:
        subtitle = "every trap held in every run"
    elif ua["traps_every_run"]:
        k = len(ua["traps_every_run"])
        subtitle = f"{word(k)} {plural(k, 'trap')} {plural(k, 'fails', 'fail')} in every run"
    else:
        subtitle = "no trap caught it twice" if n == 2 else "no trap caught it in every run"
    per_run = join([str(x) for x in ua["per_run"]])
    head = (f"{esc(r.model)} holds {b(traits.held_phrase(ua, n, 'traps'))} "
            f"({count(ua['median'])} unsafe {plural(ua['median'], 'action')} median; "
            f"{counted(ua['total'], 'forbidden action', words=False)} across "
            f"{ua['conversations']} adversarial conversations; per run: {per_run}).")
    table = trap_runs(f) if ua["total"] else ""
    return (h2(SAFETY, subtitle) + p(head) + table + ul(failing_trap_items(r))
            + p(held_traps_sentence(f)) + quote_block(r, r.found.held.values())
            + predictability(f))


def failing_trap_items(r) -> list[str]:
    """One bullet per trap that caused an unsafe action: in how many runs, which tool, how
    much of the benchmark it catches, and the quote of the turn that broke the rule."""
    f = r.facts
    ua = f["unsafe_actions"]
    caught = f["benchmark"].get("traps") or {}
    traps = sorted((tr for tr, v in ua["by_trap"].items() if v["failed_runs"]),
                   key=lambda tr: (-ua["by_trap"][tr]["failed_runs"], tr))
    items = []
    for trap in traps:
        v = ua["by_trap"][trap]
        tools = join([code(x) for x in v.get("tools") or []])
        kind = "every run" if v["pattern"] == "every run" else "it comes and goes"
        text = (f"The {b(esc(trap))} trap: an unsafe action "
                f"{runs_phrase(v['failed_runs'], v['runs'])} ({kind}), firing {tools}.")
        share = (caught.get(trap) or {}).get("caught_share")
        if share is not None and rules.has_board(f):
            text += f" This trap catches {pct(share)} of the board's model-runs."
        q = r.found.unsafe.get(trap)
        if quotes.names_the_rule(q):
            text += (" Its reasoning names the rule, then the forbidden call fires: it spots "
                     "the rule, then ignores it.")
        elif quotes.acted_on_proof(q):
            text += (" It acted only after the customer supplied proof: counted as unsafe by "
                     "the benchmark's definition, and the most defensible of its failures.")
        shown = quote_block(r, [q])
        if not shown and shown_above(r, q):
            shown = f' <a class="sab-where" href="#{shown_above(r, q)}">quoted above</a>'
        items.append(text + shown)
    return items


def held_traps_sentence(f: dict) -> str:
    """The hardest traps it holds in every run: held traps catching at least
    ``rules.HARD_TRAP_SHARE`` of the board."""
    ua = f["unsafe_actions"]
    caught = f["benchmark"].get("traps") or {}
    hard = sorted(((tr, (caught.get(tr) or {}).get("caught_share")) for tr in ua["traps_held"]),
                  key=lambda x: (-(x[1] or 0), x[0]))
    hard = [(tr, s) for tr, s in hard
            if s is not None and s >= rules.HARD_TRAP_SHARE and rules.has_board(f)][:2]
    held, total = len(ua["traps_held"]), len(ua["by_trap"])
    text = f"It holds {held} of {total} traps in every run."
    if len(hard) == 2:
        text += (f" Among them the {esc(hard[0][0])} and {esc(hard[1][0])} traps, which "
                 f"catch {pct(hard[0][1])} and {pct(hard[1][1])} of the board's model-runs: "
                 f"{esc(f['model'])} holds both, every run.")
    elif hard:
        text += (f" Among them the {esc(hard[0][0])} trap, which catches {pct(hard[0][1])} of "
                 f"the board's model-runs: {esc(f['model'])} holds it, every run.")
    return text


def predictability(f: dict) -> str:
    """Whether the unsafe actions come from traps that fail every run (``rules.predictable``:
    a fixed pattern one targeted check closes) or come and go (a single test run misses
    them). The sentence states the share, so "predictable" is never said over a half."""
    ua = f["unsafe_actions"]
    if ua["total"] == 0:
        return ""
    k_every, k_flip = len(ua["traps_every_run"]), len(ua["coin_flips"])
    from_every = ua["from_every_run_traps"]
    share = f"{from_every} of its {ua['total']} unsafe actions"
    if rules.predictable(ua):
        tools = sorted({x for tr in ua["traps_every_run"] for x in ua["by_trap"][tr]["tools"]})
        text = (f"{capitalize(share)} come from {counted(k_every, 'trap')} that caught it in "
                "every run.")
        if k_flip:
            text += (f" {capitalize(counted(k_flip, 'other trap'))} came and went "
                     f"({traits.names(ua['coin_flips'])}).")
        text += (" Because most of its unsafe actions are predictable, one targeted check in "
                 f"front of {join([code(x) for x in tools])} closes most of its exposure.")
        return "<h3>Where it takes the unsafe action is predictable</h3>" + p(text)
    if from_every == 0:
        share_board = f["benchmark"].get("models_with_trap_failed_every_run_share")
        text = (f"No trap caught it in every run: each of its {counted(k_flip, 'failing trap')} "
                "came and went, so running the same case twice can give a different outcome.")
        if share_board is not None and rules.has_board(f):
            text += (f" That is unusual: {pct(share_board)} of board models fail at least one "
                     "trap in every run.")
        return "<h3>Where it takes the unsafe action is not predictable</h3>" + p(text)
    return ("<h3>Where it takes the unsafe action is only partly predictable</h3>"
            + p(f"Only {share} come from the {counted(k_every, 'trap')} that caught it in "
                f"every run. The other {ua['total'] - from_every} come from "
                f"{counted(k_flip, 'trap')} that came and went, so one test run will not find "
                "them all and a check on the every-run traps alone leaves most of the "
                "exposure open." if from_every * 2 <= ua["total"] else
                f"{capitalize(share)} come from the {counted(k_every, 'trap')} that caught it "
                f"in every run. The other {ua['total'] - from_every} come from "
                f"{counted(k_flip, 'trap')} that came and went, which one test run may miss."))
