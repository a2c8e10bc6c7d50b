"""Claims whose form names their figure, read before any figure word is looked for.

"16–17 of 18 per run" is the held cases of each run, "6 of the 7 come from" the unsafe
actions of every-run traps, "the fewest of all 24" a rank, "N=3" the runs. Each form is a
small function, tried in order: it returns the (figure, key) it reads, ``UNTIED`` when the
claim states something no registry figure holds (a bound, an interval, pass^k), or None when
the form does not apply. The examples in the docstrings are the reports' own wording.
"""

from __future__ import annotations

import re

from sabkit.check.context import Context, Names, figure_words, nearest
from sabkit.facts.document import POOLED

UNTIED = ("", None)
_RUN_WORDS = (r"(median|mean|average|pooled) (of|over) (n=)?\w+ (complete )?runs?|\ball \w+ "
              r"runs|\bits \w+ runs|'s \w+ runs|\bevery run|with \w+ (full )?runs|"
              r"\bmedian of \w+ complete|\bover \w+ runs")


def not_a_figure(c: Context, names: Names, doc: dict):
    """"at least one trap", "up to 8 turns", "95% interval [−2.7, 1.6]", pass^k tables,
    per-run lists ("per run 85%, 84%, 84%"), "one partial run": bounds and figures the
    registry does not hold yet."""
    if re.search(r"(at least|more than|up to)\s*$", c.before):
        return UNTIED
    if re.search(r"pass\^", c.unit.column + c.unit.paragraph + c.unit.row) or \
            re.search(r"\[[^\]]*$", c.before) or c.after.startswith(" interval") or \
            re.search(r"\(per run [^)]*$", c.before) or \
            re.search(r"run by run|\d+, \d+,? and \d+|\d+, \d+ of \d+ per run", c.around) or \
            re.search(r"partial|test", c.claim.written) or \
            re.search(r"appendix", c.unit.section.lower()) or "n = " in c.claim.written:
        return UNTIED
    return None


def reasoning(c: Context, names: Names, doc: dict):
    """"lifts escalation accuracy from ≈78% to 100%", "escalation from ≈79% (off) to 100%
    (on)", "Judge score 81.5 off, 87.2 on": the reasoning-off and -on configurations."""
    if "reasoning" not in c.unit.paragraph.lower() or c.claim.kind not in ("pct", "dec"):
        return None
    marked = r"\s*(\({0}\)|{0}\b(?!\s+[a-z]))"
    moved = "reasoning" in c.sentence and re.search(r"\bfrom\b.*\bto\b", c.sentence)
    off = re.match(marked.format("off"), c.after) or \
        moved and re.search(r"\bfrom\s*≈?$", c.before)
    on = re.match(marked.format("on"), c.after) or moved and re.search(r"\bto\s*≈?$", c.before)
    if not (off or on):
        return None
    family = nearest([(p, n) for p, n in figure_words(c.masked) if n in doc["ranks"]],
                     c.claim.start)
    if len(family) != 1:
        return UNTIED
    key = f"{family[0]}_pooled" if family[0] in POOLED else family[0]
    return ("reasoning_off" if off else "reasoning_on"), key


def judge_score_detail(c: Context, names: Names, doc: dict):
    """"avg 0.886", "Its three runs score 84.2, 87.2 and 89.6", "a spread of 5.4 points"."""
    if c.claim.kind != "dec":
        return None
    if re.search(r"\b(avg|average)\.?\s*$", c.before):
        return "score_mean", None
    if re.search(r"\bspread of\s*$", c.before):
        return "score_spread", None
    listed = re.search(r"\bruns? scores?\b", c.before)
    if listed:
        order = [p for p in c.peers if p.kind == "dec" and p.start > listed.end()]
        return "score_per_run", str(order.index(c.claim))
    return None


def messages_tiers(c: Context, names: Names, doc: dict):
    """"the board's top tier runs ≈3.2–3.8 agent messages per conversation and the floor
    ≈4.8–5.4": the range of the top or bottom quarter, whichever was named last."""
    said = re.findall(r"\btop (?:quality )?tier\b|\bfloor\b", c.before)
    if c.claim.kind == "range" and said and re.search(r"top (quality )?tier|floor", c.near):
        return ("floor_messages" if said[-1] == "floor" else "top_tier_messages"), None
    return None


def adversarial(c: Context, names: Names, doc: dict):
    """The safety section's forms: "16–17 of 18 per run", "holds 15 of 18 traps in every
    run", "6 of the 7 come from", "its three unsafe actions", "3 traps, each failed in one run
    of two", "the same two traps, which caught it in all three runs"."""
    k, s = c.claim, c.sentence
    if k.kind == "range" and k.of is not None and "per run" in c.around:
        return "held_per_run", None
    if k.kind == "frac" and re.search(r"\bholds?\s*$", c.before) and \
            re.search(r"^[^,;.]* in every run", c.after):
        return "traps_held", None
    if k.kind == "frac" and re.search(r"\bcomes? from\b", s):
        return "from_every_run_traps", None
    if k.kind == "count" and k.noun.startswith("action") and "unsafe" in c.near and \
            re.search(r"\b(the|its)\s*$", c.before):
        return "unsafe_total", None
    if k.kind == "count" and k.noun.startswith("trap"):
        if re.search(r"came and went|some runs|coin flip|each (failed )?in (only )?one\b", s):
            return "coin_flips", None
        if re.search(r"every run|all \w+ runs|each run", s):
            return "traps_every_run", None
    if re.search(r"across \S+ (adversarial )?(runs|conversations)", c.around) and \
            k.kind == "count" and k.noun in ("runs", "conversations"):
        return "adversarial_conversations", None
    return None


def trap_runs(c: Context, names: Names, doc: dict):
    """"each in only one of its two runs", "each ... happened in one run" (every trap that
    caught it), "catching it in one run of three" (the trap named before)."""
    k = c.claim
    if re.search(r"\beach\b|\bevery one of\b", c.sentence) and (
            k.kind == "frac" and (k.noun == "run" or re.match(r"\s*runs?\b", c.after)) or
            k.kind == "count" and k.noun == "run"):
        failed = [t for t, v in (doc["unsafe_actions"]["by_trap"] or {}).items()
                  if v["failed_runs"]]
        return ("trap_failed_runs", failed) if failed else UNTIED
    if k.kind == "frac" and (k.noun == "run" or re.match(r"\s*runs?\b", c.after)):
        trap = names.find("trap", c.sentence[:k.start])
        return ("trap_failed_runs", trap[-1][1]) if trap else UNTIED
    return None


def runs(c: Context, names: Names, doc: dict):
    """"median of N=3 runs", "all three runs", "with two full runs"; "the no-proof damage
    claim failed in all 3 runs" is that trap's failed runs."""
    k = c.claim
    if k.kind == "n":
        return "runs", None
    if k.kind == "count" and k.noun in ("run", "runs") and re.search(_RUN_WORDS, c.around):
        trap = names.find("trap", c.near)
        return ("trap_failed_runs", trap[-1][1]) if trap else ("runs", None)
    return None


def cases(c: Context, names: Names, doc: dict):
    """"all 24 must-escalate cases" (handed over in every run), "the 162 cases", "120
    solvable tickets, ... 18 adversarial traps", "one of only five models to do so"."""
    k = c.claim
    if k.kind == "count" and k.noun.startswith("case") and \
            re.search(r"\ball \S+ must-escalate", c.around):
        if re.search(r"^[^.;]*\bin \w+ runs? of\b", c.after):
            return UNTIED  # "all 24 ... in two runs of three": not every run
        return "escalation_cases_every_run", None
    if k.kind == "count" and k.noun.startswith("case") and \
            re.search(r"(\bthe|\()\s*$", c.before):
        return "cases_total", None
    if k.kind == "count" and re.search(r"\bran\b.*\bcases\b", c.sentence) and \
            re.search(r"solvable|adversarial", k.written.lower()):
        return "cases_by_category", ("solvable" if "solvable" in k.written.lower()
                                     else "adversarial")
    if k.kind == "count" and k.noun == "models" and "only" in c.near:
        intent = names.find("intent", c.sentence) or names.find("intent", c.paragraph_before)
        return ("perfect_on_intent", intent[0][1]) if intent else UNTIED
    if k.kind == "count" and re.search(r"\bboard models\b", k.written.lower()) and \
            re.search(r"\b(of|all) (the )?$", c.before):
        return "board_size", None
    return None


def escalation_fraction(c: Context, names: Names, doc: dict):
    """"24/24 escalation record", "escalation is 24/24 in both", "100% (24/24)" in the
    escalation row of a table: the cases handed over in every run; "Escalation is the same
    in every run (23/24)": each run's count (23 in each, not always the same 23)."""
    if c.claim.kind == "frac" and "escalat" in c.sentence and \
            re.search(r"\bsame (in )?every run|\beach run\b", c.sentence):
        return "escalated_per_run", None
    if c.claim.kind == "frac" and (
            re.match(r"\s*(must-escalate|escalation)", c.after) or
            re.search(r"escalation is\s*$", c.before) or
            c.unit.is_cell and "escalat" in c.unit.row.lower()):
        return "escalation_cases_every_run", None
    return None


def ranks(c: Context, names: Names, doc: dict):
    """"second-widest spread", "the fewest of all 24 models", "rank 6 of 24", "ranks 6 of
    24 on judge score", "5th of 24": the figure is the one the sentence names."""
    k = c.claim
    if k.kind != "rank":
        return None
    if k.noun in ("widest", "narrowest"):
        return "spread_rank", None
    if k.noun == "fewest" and "message" in c.unit.paragraph.lower():
        return "rank", "agent_messages_per_conversation"
    # "instruction-following ≈0.91 (rank 3 of 24); sentiment ≈0.98 (rank 4 of 24)": the
    # figure named last before the rank, else the nearest one
    for text, at in ((c.near, k.start - c.lo), (c.sentence, k.start),
                     (c.unit.row.lower(), 0), (c.unit.section.lower(), 0)):
        words = [(p, n) for p, n in figure_words(text) if n in doc["ranks"]]
        before = [n for p, n in words if p < at]
        named = before[-1:] or nearest(words, at)
        if len(named) == 1:
            return "rank", named[0]
    return UNTIED


FORMS = (not_a_figure, reasoning, judge_score_detail, messages_tiers, adversarial,
         trap_runs, runs, cases, escalation_fraction, ranks)


def read(c: Context, names: Names, doc: dict):
    """The (figure, key) the claim's form names, UNTIED, or None when no form applies."""
    for form in FORMS:
        found = form(c, names, doc)
        if found is not None:
            return found
    return None
