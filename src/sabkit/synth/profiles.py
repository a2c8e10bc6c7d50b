"""Model profiles: one TOML file per model saying exactly what behaviour is planted where.

A profile is the single source of truth for a model's planted figures. The generator turns
it into conversations, and the tests count the figures back out of the Parquet and compare
them with the same file, so a profile can be read as "what the data will show". Counts are
exact; only what a profile does not state (which case, the wording, per-conversation
scores around a calibrated mean) is left to the seeded random choices.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources

from sabkit.contract import COST_TIERS
from sabkit.errors import SabkitError
from sabkit.synth.cases import CASES_PER_INTENT, MUST_ESCALATE, SOLVABLE, TRAPS

NEAR_MISS_KINDS = ("future_tense", "negated", "customer_subject", "claim_after_call")


class ProfileError(SabkitError):
    """A profile file that does not describe a plantable model."""


@dataclass(frozen=True)
class Plant:
    """One planted conversation: (case, run), and for near-misses the kind of near-miss."""

    case: str
    run: int
    kind: str = "phantom"


@dataclass
class Profile:
    model: str
    provider: str
    family: str
    open_weights: bool
    cost_tier: str
    reasoning: bool
    runs: int
    partial_runs: list[int]
    variant_of: str | None
    messages_per_conversation: float
    tool_calls_per_conversation: float
    interim_share: float
    score_per_run: list[float]
    sentiment: float
    escalation: dict[str, list[int]]
    over_escalation: dict[str, int]
    resolved: dict[str, int]
    instruction_following: dict[str, float]
    confirm: dict[str, float]
    unsafe: dict[str, list[int]]
    held_by_handover: list[str]
    phantom: list[Plant] = field(default_factory=list)
    near_miss: list[Plant] = field(default_factory=list)
    notes: str = ""

    @property
    def run_count(self) -> int:
        return self.runs + len(self.partial_runs)

    def if_target(self, key: str) -> float | None:
        """Mean instruction-following planted for an intent or trap (None: not measured)."""
        value = self.instruction_following.get(key, self.instruction_following["default"])
        return None if value < 0 else value

    def confirm_share(self, intent: str) -> float:
        return self.confirm.get(intent, self.confirm["default"])


def _need(data: dict, key: str, where: str):
    if key not in data:
        raise ProfileError(f"{where}: missing '{key}'")
    return data[key]


def parse(text: str, where: str) -> Profile:
    data = tomllib.loads(text)
    conv = _need(data, "conversation", where)
    judge = _need(data, "judge", where)
    runs = _need(data, "runs", where)
    p = Profile(
        model=_need(data, "model", where), provider=_need(data, "provider", where),
        family=_need(data, "family", where), open_weights=_need(data, "open_weights", where),
        cost_tier=_need(data, "cost_tier", where), reasoning=_need(data, "reasoning", where),
        runs=runs, partial_runs=data.get("partial_runs", []),
        variant_of=data.get("variant_of"),
        messages_per_conversation=_need(conv, "agent_messages_per_conversation", where),
        tool_calls_per_conversation=_need(conv, "tool_calls_per_conversation", where),
        interim_share=conv.get("interim_share", 0.0),
        score_per_run=_need(judge, "score_per_run", where),
        sentiment=_need(judge, "sentiment", where),
        escalation=_need(data, "escalation", where),
        over_escalation=data.get("over_escalation", {}),
        resolved=data.get("resolved", {}),
        instruction_following=_need(data, "instruction_following", where),
        confirm=_need(data, "confirm", where),
        unsafe=data.get("unsafe", {}),
        held_by_handover=data.get("held", {}).get("handover", []),
        phantom=[Plant(**p) for p in data.get("phantom", [])],
        near_miss=[Plant(**p) for p in data.get("near_miss", [])],
        notes=data.get("notes", ""),
    )
    _check(p, where)
    return p


def _check(p: Profile, where: str) -> None:
    """Refuse a profile whose counts cannot be planted, naming the offending entry."""
    def bad(msg: str) -> ProfileError:
        return ProfileError(f"{where}: {msg}")

    if p.cost_tier not in COST_TIERS:
        raise bad(f"cost_tier '{p.cost_tier}' is not one of {COST_TIERS}")
    if len(p.score_per_run) != p.run_count:
        raise bad(f"score_per_run has {len(p.score_per_run)} values for {p.run_count} runs")
    if "default" not in p.instruction_following or "default" not in p.confirm:
        raise bad("instruction_following and confirm need a 'default'")
    pooled = CASES_PER_INTENT * p.runs
    for intent in MUST_ESCALATE:
        counts = p.escalation.get(intent)
        if counts is None or len(counts) != p.runs or not all(
                0 <= c <= CASES_PER_INTENT for c in counts):
            raise bad(f"escalation.'{intent}' needs {p.runs} counts of 0-{CASES_PER_INTENT}")
    for table, name in ((p.over_escalation, "over_escalation"), (p.resolved, "resolved")):
        for intent, n in table.items():
            if intent not in SOLVABLE:
                raise bad(f"{name}: unknown intent '{intent}'")
            if not 0 <= n <= pooled:
                raise bad(f"{name}.'{intent}' = {n} is outside 0-{pooled}")
    for trap, flags in p.unsafe.items():
        if trap not in TRAPS:
            raise bad(f"unsafe: unknown trap '{trap}'")
        if len(flags) != p.runs or set(flags) - {0, 1}:
            raise bad(f"unsafe.'{trap}' needs {p.runs} values of 0 or 1")
    for trap in p.held_by_handover:
        if trap not in TRAPS:
            raise bad(f"held.handover: unknown trap '{trap}'")
    known = set(SOLVABLE) | set(MUST_ESCALATE) | set(TRAPS) | {"default", "adversarial"}
    for key in list(p.instruction_following) + list(p.confirm):
        if key not in known:
            raise bad(f"unknown intent or trap '{key}'")
    for plant in p.phantom + p.near_miss:
        if not 1 <= plant.run <= p.runs:
            raise bad(f"planted conversation {plant.case} run {plant.run}: no such run")
        if plant.kind != "phantom" and plant.kind not in NEAR_MISS_KINDS:
            raise bad(f"near_miss kind '{plant.kind}' is not one of {NEAR_MISS_KINDS}")


def load_all() -> list[Profile]:
    """Every packaged profile, board models first, in file-name order (stable)."""
    folder = resources.files("sabkit.synth") / "profiles"
    profiles = [parse(f.read_text(encoding="utf-8"), f"profiles/{f.name}")
                for f in sorted(folder.iterdir(), key=lambda f: f.name)
                if f.name.endswith(".toml")]
    names = [p.model for p in profiles]
    if len(set(names)) != len(names):
        raise ProfileError("two profiles name the same model")
    for p in profiles:
        if p.variant_of and p.variant_of not in names:
            raise ProfileError(f"{p.model}: variant_of '{p.variant_of}' has no profile")
    return sorted(profiles, key=lambda p: (p.variant_of is not None, p.model))
