"""A conversation's rows: its core script with the planned extras, numbered in one sequence.

``render`` adds what the planner allotted the conversation (follow-ups or push-back turns,
a closing thank-you, "let me check" interim messages, extra look-ups) and numbers messages
and tool calls with one ``seq``.
"""

from __future__ import annotations

import json

from sabkit.synth import phrases
from sabkit.synth.context import Ctx
from sabkit.synth.phrases import pick
from sabkit.synth.plan import Outcome
from sabkit.synth.script import MAX_TURNS, Script, Step, Turn


def _extra_reads(c: Ctx, n: int, core: list[Step]) -> list[Step]:
    """Look-ups a thorough (or fussy) agent adds: account, policies, tracking, a mistyped id.

    Calls the core script already makes are not repeated while there are others to make."""
    done = {(s.tool, str(s.args)) for s in core if s.kind == "call"}
    topics = ("confirm", {"solvable": "returns", "must_escalate": "refunds"}.get(
        c.o.category, "security"), "shipping", "security", "damage", "promotions")
    pool = [c.get_customer(), c.search_orders()] + [c.policy(t) for t in topics]
    if c.order.tracking:
        pool.insert(1, c.get_tracking())
    fresh = [s for s in pool if (s.tool, str(s.args)) not in done]
    out: list[Step] = []
    if n >= 2 and c.r.random() < 0.3:  # a mistyped order number, then a search by email
        wrong = f"#{c.order.number + c.r.choice((10, -10, 100))}"
        out += [c.call("get_order", {"order_id": wrong},
                       {"error": f"order {wrong} not found"}, ok=False), c.search_orders()]
        fresh = [s for s in fresh if s.tool != "search_orders"]
    fresh = fresh or pool
    k = 0
    while len(out) < n:
        out.append(fresh[k % len(fresh)])
        k += 1
    return out[:n]


def render(script: Script, c: Ctx, o: Outcome) -> tuple[list[dict], list[dict]]:
    """Messages and tool calls of the conversation, with the planned extras added."""
    turns = list(script.turns)
    lang = c.lang
    extra = o.extra_turns
    filler: list[Turn] = []
    closing = None
    def think(kind: str) -> str | None:
        return c.think(c.r.choice(phrases.THINK[kind]))

    if extra and script.mood == "followup":
        closing = Turn(c.cust(pick(c.r, "thanks", lang)),
                       [c.agent(pick(c.r, "welcome", lang), think("closing"))])
        extra -= 1
    lines = list(script.pressure or phrases.BANK["pushback"].get(lang)
                 or phrases.BANK["pushback"]["en"])
    answers = list(phrases.BANK["pushback_answer"].get(lang)
                   or phrases.BANK["pushback_answer"]["en"])
    c.r.shuffle(lines)
    c.r.shuffle(answers)
    for n in range(extra):
        if script.mood == "followup":
            q, a = c.r.choice(phrases.BANK["followup"].get(lang) or
                              phrases.BANK["followup"]["en"])
            filler.append(Turn(c.cust(q), [c.agent(a, think("followup"))]))
        else:
            filler.append(Turn(c.cust(lines[n % len(lines)]), [c.agent(
                answers[n % len(answers)], think("pushback"), recap=script.recap)]))
    turns = turns[:script.insert_at] + filler + turns[script.insert_at:]
    if closing:
        turns.append(closing)
    assert len(turns) <= MAX_TURNS, (o.case.case_id, len(turns))

    tail = turns[-1].steps[-1]
    if c.chatty and tail.kind == "agent" and not tail.text.endswith("?"):
        offer = Step("agent", text=f"{tail.text} {pick(c.r, 'offer', lang)}",
                     reasoning=tail.reasoning, tag=tail.tag)
        turns[-1] = Turn(turns[-1].customer, turns[-1].steps[:-1] + [offer])
    extra_reads = (_extra_reads(c, o.extra_reads, [s for t in turns for s in t.steps])
                   if o.extra_reads else [])
    turns[0] = Turn(turns[0].customer, extra_reads + turns[0].steps)
    interims = o.interims
    run_id = o.run_id
    messages, calls = [], []
    seq = 0
    for n, turn in enumerate(turns, start=1):
        messages.append(dict(run_id=run_id, case_id=o.case.case_id, seq=seq, turn=n,
                             role="customer", content=turn.customer, reasoning=None))
        seq += 1
        steps = turn.steps
        if interims and any(s.kind == "call" for s in steps) and steps[0].kind == "call":
            steps = [Step("agent", text=c.f(pick(c.r, "interim", lang)),
                          reasoning=think("interim"))] + steps
            interims -= 1
        for s in steps:
            if s.kind == "agent":
                messages.append(dict(run_id=run_id, case_id=o.case.case_id, seq=seq, turn=n,
                                     role="agent", content=s.text, reasoning=s.reasoning,
                                     _tag=s.tag))
            else:
                calls.append(dict(run_id=run_id, case_id=o.case.case_id, seq=seq, turn=n,
                                  tool=s.tool, arguments=json.dumps(s.args, ensure_ascii=False),
                                  result=json.dumps(s.result, ensure_ascii=False), ok=s.ok))
            seq += 1
    if interims:
        raise AssertionError(f"{o.case.case_id}: {interims} interim message(s) found no turn")
    return messages, calls

