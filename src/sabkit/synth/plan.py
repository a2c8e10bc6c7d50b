"""From a profile to one planned outcome per conversation: the calibration.

A profile states counts ("duplicate order over-escalated 8 times over three runs"); this
module decides which conversations carry them, exactly, and nothing else. Pooled counts are
spread over runs as evenly as possible, with the remainders rotated across intents so the
per-run totals stay balanced too (gemma: 36 over-escalations = 12 in every run, so the
median run shows the same 10% as the pool). Which case within an intent gets an outcome is
a seeded choice; the counts never are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sabkit.synth.cases import CASES_PER_INTENT, MUST_ESCALATE, SOLVABLE, Case
from sabkit.synth.profiles import Profile, ProfileError
from sabkit.synth.script import MAX_TURNS, interim_slots
from sabkit.synth.seeding import rng


@dataclass
class Outcome:
    """What happens in one conversation; the transcript and the judge follow from it."""

    model: str
    run: int
    case: Case
    run_id: str = ""
    resolved: bool = True
    handover: bool = False  # a handover call: escalation, over-escalation or a held trap
    unsafe: bool = False  # adversarial: the forbidden tool fires
    phantom: bool = False  # claims a finished action with no write call before it
    near_miss: str | None = None
    confirm: bool = False  # asks "Shall I ...?" and waits for a yes before the write
    # filled in after the core script is built
    extra_turns: int = 0
    interims: int = 0
    extra_reads: int = 0
    flags: list[str] = field(default_factory=list)
    # filled in by the judge
    score: float = 0.0
    instruction_following: float | None = None
    sentiment: float = 0.0

    @property
    def category(self) -> str:
        return self.case.category

    @property
    def acts(self) -> bool:
        """Whether the conversation fires the intent's resolving write tool."""
        return (self.category == "solvable" and self.resolved and not self.handover
                and not self.phantom and self.case.write_tool is not None)


def spread(total: int, runs: int, cursor: list[int]) -> list[int]:
    """Split a pooled count over runs; remainders go to the runs the cursor points at."""
    base, rem = divmod(total, runs)
    out = [base] * runs
    for _ in range(rem):
        out[cursor[0] % runs] += 1
        cursor[0] += 1
    return out


def plan_model(profile: Profile, cases: list[Case], seed: int) -> list[Outcome]:
    """Every conversation of every run of one model, in (run, catalogue) order."""
    by_intent: dict[str, list[Case]] = {}
    for c in cases:
        by_intent.setdefault(c.trap or c.intent, []).append(c)
    R = profile.runs
    plants = {(p.case, p.run): p for p in profile.phantom + profile.near_miss}
    known = {c.case_id for c in cases}
    for case_id, _ in plants:
        if case_id not in known:
            raise ProfileError(f"{profile.model}: planted case '{case_id}' is not in the catalogue")

    outcomes: dict[tuple[int, str], Outcome] = {}
    over_cursor, res_cursor = [0], [0]
    for intent in SOLVABLE:
        group = by_intent[intent]
        over = spread(profile.over_escalation.get(intent, 0), R, over_cursor)
        res = spread(profile.resolved.get(intent, CASES_PER_INTENT * R), R, res_cursor)
        for run in range(1, R + 1):
            r = rng(seed, profile.model, run, intent, "plan")
            ids = [c.case_id for c in group]
            kind = {i: plants[(i, run)].kind for i in ids if (i, run) in plants}
            phantom = {i for i, k in kind.items() if k == "phantom"}
            no_act = phantom | {i for i, k in kind.items()
                                if k == "negated" and group[0].write_tool}
            must_act = {i for i, k in kind.items() if k in ("future_tense", "claim_after_call")}
            free = [i for i in ids if i not in no_act and i not in must_act]
            if res[run - 1] < len(must_act) or res[run - 1] > len(ids) - len(no_act):
                raise ProfileError(f"{profile.model}: {intent} run {run}: {res[run - 1]} resolved "
                                   "does not fit its planted phantom/near-miss conversations")
            resolved = set(must_act) | set(r.sample(free, res[run - 1] - len(must_act)))
            handover_pool = [i for i in ids if i not in kind]  # planted ones talk, not hand over
            if over[run - 1] > len(handover_pool):
                raise ProfileError(f"{profile.model}: {intent} run {run}: "
                                   "too many over-escalations")
            handed = set(r.sample(handover_pool, over[run - 1]))
            for c in group:
                o = Outcome(profile.model, run, c, resolved=c.case_id in resolved,
                            handover=c.case_id in handed, phantom=c.case_id in phantom)
                outcomes[(run, c.case_id)] = o

    for intent in MUST_ESCALATE:
        group = by_intent[intent]
        for run in range(1, R + 1):
            n = profile.escalation[intent][run - 1]
            handed = set(rng(seed, profile.model, run, intent, "plan").sample(
                [c.case_id for c in group], n))
            for c in group:
                hit = c.case_id in handed
                outcomes[(run, c.case_id)] = Outcome(profile.model, run, c, resolved=hit,
                                                     handover=hit)

    for c in cases:
        if c.category != "adversarial":
            continue
        flags = profile.unsafe.get(c.trap, [0] * R)
        for run in range(1, R + 1):
            unsafe = bool(flags[run - 1])
            held_by_handover = not unsafe and c.trap in profile.held_by_handover
            outcomes[(run, c.case_id)] = Outcome(profile.model, run, c, resolved=not unsafe,
                                                 unsafe=unsafe, handover=held_by_handover)

    for (case_id, run), p in plants.items():
        o = outcomes[(run, case_id)]
        if p.kind == "phantom":
            if o.category != "solvable":
                raise ProfileError(f"{profile.model}: phantom {case_id} must be a solvable case")
        else:
            o.near_miss = p.kind
            if p.kind in ("future_tense", "claim_after_call") and not o.acts:
                raise ProfileError(f"{profile.model}: near-miss {p.kind} on {case_id} run {run} "
                                   "needs a conversation that fires its write tool")
            if p.kind == "negated" and (o.acts or o.unsafe):
                raise ProfileError(f"{profile.model}: negated near-miss on {case_id} run {run} "
                                   "needs a conversation without a write call")

    _plan_confirm(profile, outcomes, seed)
    ordered = [outcomes[(run, c.case_id)] for run in range(1, R + 1) for c in cases]
    return ordered + _partial_runs(profile, cases, outcomes, seed)


def _plan_confirm(profile: Profile, outcomes: dict, seed: int) -> None:
    """Per intent, the profile's share of write actions is preceded by a confirmation."""
    acting: dict[str, list[Outcome]] = {}
    for o in outcomes.values():
        if o.acts:
            acting.setdefault(o.case.intent, []).append(o)
    for intent, group in acting.items():
        group.sort(key=lambda o: (o.run, o.case.case_id))
        n = round(profile.confirm_share(intent) * len(group))
        for o in rng(seed, profile.model, intent, "confirm").sample(group, n):
            o.confirm = True


def _partial_runs(profile: Profile, cases: list[Case], outcomes: dict, seed: int) -> list[Outcome]:
    """Incomplete runs: a seeded subset of cases, replaying a complete run's outcomes.

    A partial run stopped early, so it carries no figure of its own: it repeats the
    behaviour of a complete run (traps held) and is left out of every median."""
    out = []
    for j, n in enumerate(profile.partial_runs):
        run = profile.runs + j + 1
        chosen = set(rng(seed, profile.model, run, "partial").sample(
            [c.case_id for c in cases], n))
        source = (j % profile.runs) + 1
        for c in cases:
            if c.case_id not in chosen:
                continue
            src = outcomes[(source, c.case_id)]
            held_by_handover = c.category == "adversarial" and c.trap in profile.held_by_handover
            out.append(Outcome(profile.model, run, c, resolved=src.resolved or src.unsafe,
                               handover=src.handover or held_by_handover, unsafe=False,
                               confirm=src.confirm))
    return out


def allocate(profile: Profile, outcomes: list[Outcome], scripts: list, seed: int) -> None:
    """Spread each run's calibrated agent-message and tool-call totals over its conversations.

    ``scripts[i]`` is the core script of ``outcomes[i]``. A run's agent messages total exactly
    round(target x conversations); the part above the scripts' minimum becomes extra customer
    turns (follow-ups, push-back; twice as likely where the customer is unhappy) or, for
    models that narrate, "let me check" interim messages. Tool calls likewise become extra
    look-ups."""
    runs: dict[int, list[int]] = {}
    for i, o in enumerate(outcomes):
        runs.setdefault(o.run, []).append(i)
    for run, idx in runs.items():
        r = rng(seed, profile.model, run, "allocate")
        n = len(idx)
        want_m = round(profile.messages_per_conversation * n)
        want_c = round(profile.tool_calls_per_conversation * n)
        extra_m = want_m - sum(scripts[i].agent_messages for i in idx)
        extra_c = want_c - sum(scripts[i].tool_calls for i in idx)
        if extra_m < 0 or extra_c < 0:
            raise ProfileError(
                f"{profile.model} run {run}: the conversations need at least "
                f"{sum(scripts[i].agent_messages for i in idx) / n:.2f} agent messages and "
                f"{sum(scripts[i].tool_calls for i in idx) / n:.2f} tool calls each")
        turn_room = {i: MAX_TURNS - len(scripts[i].turns) for i in idx}
        interim_room = {i: interim_slots(scripts[i]) for i in idx}
        weights = [2.0 if scripts[i].mood == "pushback" else 1.0 for i in idx]
        for _ in range(extra_m):
            want_interim = r.random() < profile.interim_share
            while True:
                k = r.choices(range(n), weights)[0]
                i = idx[k]
                if want_interim and interim_room[i]:
                    interim_room[i] -= 1
                    outcomes[i].interims += 1
                    break
                if turn_room[i]:
                    turn_room[i] -= 1
                    outcomes[i].extra_turns += 1
                    break
                if interim_room[i]:
                    interim_room[i] -= 1
                    outcomes[i].interims += 1
                    break
                weights[k] = 0.0
                if not any(weights):
                    raise ProfileError(f"{profile.model} run {run}: too many agent messages")
        for _ in range(extra_c):
            outcomes[idx[r.randrange(n)]].extra_reads += 1
