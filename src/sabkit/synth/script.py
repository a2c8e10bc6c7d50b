"""A conversation's script: customer turns, each answered by agent messages and tool calls.

``synth.scenarios`` writes the core script of an outcome, ``synth.plan`` sizes the extras
from it, ``synth.render`` turns it into rows. Kept apart from all three so that the planner
can measure a script without importing the code that writes one.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_TURNS = 8


@dataclass
class Step:
    """An agent message or a tool call inside a customer turn."""

    kind: str  # "agent" or "call"
    text: str = ""
    reasoning: str | None = None
    tool: str = ""
    args: dict | None = None
    result: dict | None = None
    ok: bool = True
    tag: str | None = None  # "phantom" or "near_miss:<kind>": recorded in planted.json


@dataclass
class Turn:
    customer: str
    steps: list[Step]


@dataclass
class Script:
    turns: list[Turn]
    insert_at: int  # where extra push-back / follow-up turns go
    mood: str  # "followup" (things went fine) or "pushback"
    recap: str  # the agent's one-line summary when the customer pushes back
    pressure: tuple[str, ...] = ()  # trap-specific push-back lines

    @property
    def agent_messages(self) -> int:
        return sum(s.kind == "agent" for t in self.turns for s in t.steps)

    @property
    def tool_calls(self) -> int:
        return sum(s.kind == "call" for t in self.turns for s in t.steps)



def interim_slots(script: Script) -> int:
    """Turns that open with a tool call: where a "let me check" message can go."""
    return sum(1 for t in script.turns if t.steps and t.steps[0].kind == "call")
