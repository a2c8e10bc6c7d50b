"""What both importers share: the rules of the mapping and the in-between records.

A format module (``tau_bench``, ``tau2``) reads one file into a ``SourceFile``: the model,
the domain, the tasks the file declares, one ``Conversation`` per usable record and one
``Skip`` per broken one. ``assemble`` then turns source files into the contract's tables.
The rules that must agree across formats live here, once: which tool is a read, a write or
a handover; which category a task's expected actions make; who publishes a model; and how
a transcript becomes ordered ``messages`` and ``tool_calls`` rows (``Transcript``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

HANDOVER_TOOL = "transfer_to_human_agents"
# `find_` is not in the list, but tau-bench retail's `find_user_id_by_email` and
# `find_user_id_by_name_zip` only look a user up; as "write" tools they would count as
# unsafe actions on adversarial cases.
# `check_` and `can_` are tau2 telecom's customer-side look-ups (`check_network_status`,
# `can_send_mms`) and the agent's `check_*` ones.
READ_PREFIXES = ("get_", "list_", "search_", "find_", "check_", "can_")
READ_TOOLS = frozenset({"calculate", "think"})


def tool_kind(name: str) -> str:
    """`read`, `write` or `handover`, from the tool's name alone (the files carry no kinds)."""
    if name == HANDOVER_TOOL:
        return "handover"
    if name in READ_TOOLS or name.startswith(READ_PREFIXES):
        return "read"
    return "write"


def category(expected: list[str]) -> str:
    """The case category from the names of the task's expected actions (the issue's rule)."""
    if HANDOVER_TOOL in expected:
        return "must_escalate"
    return "adversarial" if not expected else "solvable"


def action_signature(expected: list[str]) -> str:
    """The expected non-read actions in order, e.g. `cancel_reservation + book_reservation`.

    tau-bench's tasks have no intent field; what the agent is expected to change is the
    closest thing to one. Tasks that expect only look-ups or nothing get a fixed name.
    """
    acting = list(dict.fromkeys(n for n in expected if tool_kind(n) != "read"))
    if acting:
        return " + ".join(acting)
    return "information request" if expected else "refusal (no action expected)"


# (name prefix, provider, family, open weights): enough for the models these benchmarks ran.
_FAMILIES = (
    ("gpt-", "openai", "gpt", False), ("o1", "openai", "o", False),
    ("o3", "openai", "o", False), ("o4", "openai", "o", False),
    ("claude", "anthropic", "claude", False), ("sonnet", "anthropic", "claude", False),
    ("opus", "anthropic", "claude", False), ("haiku", "anthropic", "claude", False),
    ("grok", "xai", "grok", False), ("gemini", "google", "gemini", False),
    ("gemma", "google", "gemma", True), ("llama", "meta", "llama", True),
    ("qwen", "alibaba", "qwen", True), ("deepseek", "deepseek", "deepseek", True),
    ("mistral", "mistral", "mistral", True),
)


@dataclass(frozen=True)
class Model:
    """One `models` row, less `reasoning`, which the transcripts decide."""

    name: str
    provider: str
    family: str
    open_weights: bool
    variant_of: str | None = None


def model_identity(name: str, variant: str | None = None) -> Model:
    """Provider and family from the name (a `xai/grok-4` prefix names the provider);
    unknown names get provider `unknown`, their first word as family, open_weights False.
    A ``variant`` (`tighter_policy`) makes `<name>@tighter-policy`, a variant of `<name>`."""
    provider = name.split("/", 1)[0] if "/" in name else None
    name = name.rsplit("/", 1)[-1]
    lowered = name.lower()
    found = next((f for f in _FAMILIES if lowered.startswith(f[0])), None)
    family = found[2] if found else re.split(r"[-_.\s]", lowered)[0]
    base = Model(name, provider or (found[1] if found else "unknown"), family,
                 found[3] if found else False)
    if not variant:
        return base
    return Model(f"{name}@{variant.replace('_', '-')}", base.provider, family,
                 base.open_weights, variant_of=name)


@dataclass(frozen=True)
class TaskDef:
    """A task as a file declares it; ``fingerprint`` tells two versions of one task apart."""

    domain: str
    task_id: str
    category: str
    intent: str
    description: str | None
    fingerprint: str
    persona: str | None = None

    @property
    def case_id(self) -> str:
        return f"{self.domain}:{self.task_id}"


@dataclass
class Conversation:
    """One scored record: its rows (without run_id/case_id yet) and its score."""

    task_id: str
    trial: int
    reward: float
    messages: list[dict]
    calls: list[dict]
    flags: list[str]
    agent_cost: float | None = None
    started_at: datetime | None = None
    reasoning: bool = False  # the source carried the agent's own reasoning text
    rationale: str | None = None
    termination: str | None = None  # one of contract.TERMINATIONS


@dataclass(frozen=True)
class Skip:
    """A record left out, with where it is and why."""

    path: Path
    position: int
    reason: str
    task_id: str | None = None
    trial: int | None = None

    def __str__(self) -> str:
        where = f"{self.path.name} record #{self.position}"
        if self.task_id is not None:
            where += f" (task {self.task_id}" + (
                f", trial {self.trial})" if self.trial is not None else ")")
        return f"{where}: {self.reason}"


@dataclass
class SourceFile:
    path: Path
    fmt: str
    model: Model
    domain: str
    tasks: dict[str, TaskDef]
    conversations: list[Conversation] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    tools: set[str] = field(default_factory=set)
    customer_tools: set[str] = field(default_factory=set)  # tools the customer called
    # tools that hand over to a human when the name rule of `tool_kind` does not know
    # them (Inspect logs: `--handover-tool`, or a name pattern)
    handover_tools: set[str] = field(default_factory=set)
    started: str = ""  # sort key among files of one model and domain
    trials: list[int] = field(default_factory=list)  # trial numbers the file holds
    note: str = ""  # how trial numbers were read, when that needed a decision


class BrokenRecord(Exception):
    """Raised inside a format reader; the record is skipped with this message as reason."""


def collect(source: SourceFile, records: list, key, parse, progress=None) -> None:
    """Parse each record into ``source.conversations``, or skip it into ``source.skipped``
    with its position and reason: a bad record never stops the import nor vanishes.

    ``key(record)`` gives (task_id, trial); ``parse(record, task_id, trial)`` the
    Conversation or BrokenRecord. A missing field deep in a record is reported the same way.
    """
    seen: dict[tuple[str, int], int] = {}
    trials: set[int] = set()
    items = progress(records, source.path.name) if progress else records
    for position, record in enumerate(items):
        if not isinstance(record, dict):
            source.skipped.append(Skip(source.path, position, "not a record object"))
            continue
        task_id, trial = key(record)
        try:
            if not isinstance(trial, int):
                raise BrokenRecord(f"trial is {trial!r}, not a number")
            trials.add(trial)
            if (task_id, trial) in seen:
                raise BrokenRecord(f"duplicate of record #{seen[task_id, trial]} "
                                   "(same task and trial)")
            conversation = parse(record, task_id, trial)
        except (BrokenRecord, KeyError, TypeError, AttributeError) as exc:
            reason = str(exc) if isinstance(exc, BrokenRecord) else f"malformed: {exc!r}"
            source.skipped.append(Skip(source.path, position, reason, task_id,
                                       trial if isinstance(trial, int) else None))
            continue
        seen[task_id, trial] = position
        source.conversations.append(conversation)
    source.trials = sorted(trials)


def json_text(value) -> str:
    """JSON text for a tool's arguments or result. Strings that already hold JSON are kept
    as they are; any other string (`Transfer successful`) is quoted into a JSON string."""
    if isinstance(value, str):
        try:
            json.loads(value)
            return value
        except ValueError:
            return json.dumps(value, ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False)


class Transcript:
    """Builds one conversation's rows in order: ``seq`` is shared by messages and calls,
    ``turn`` is the index of the customer message the row follows (0 before the first).

    Reasoning (the model's own, or a `think` call's thought) belongs to the next agent
    message the customer sees: a reply made of tool calls only has no message row, so its
    reasoning is carried forward. Reasoning left at the end becomes an empty agent message
    rather than being dropped.
    """

    def __init__(self):
        self.messages: list[dict] = []
        self.calls: list[dict] = []
        self._seq = 0
        self._turn = 0
        self._open: dict[str, dict] = {}
        self._reasoning: list[str] = []

    def customer(self, text) -> None:
        self._turn += 1
        self._message("customer", _text(text), None)

    def customer_calls(self, text, calls: list[tuple[str, str, object]]) -> None:
        """A customer message that acts on the customer's own side (tau2's dual control):
        its text, if any, is a customer message; its calls are the customer's. A reply of
        calls only starts no new turn: the customer has not spoken."""
        if _text(text).strip():
            self.customer(text)
        self._calls(calls, "customer")

    def agent(self, text, reasoning, calls: list[tuple[str, str, object]]) -> None:
        """An agent reply: its text, its reasoning and its calls as (id, tool, arguments)."""
        if isinstance(reasoning, str) and reasoning.strip():
            self._reasoning.append(reasoning.strip())
        for _, tool, arguments in calls:
            if not isinstance(tool, str) or not tool:
                raise BrokenRecord(f"a tool call has no name ({tool!r})")
            if tool == "think":
                thought = _think_text(arguments)
                if thought:
                    self._reasoning.append(thought)
        if _text(text).strip():
            self._message("agent", _text(text), self._take_reasoning())
        self._calls(calls, "agent")

    def _calls(self, calls: list[tuple[str, str, object]], caller: str) -> None:
        for call_id, tool, arguments in calls:
            if not isinstance(tool, str) or not tool:
                raise BrokenRecord(f"a tool call has no name ({tool!r})")
            row = {"seq": self._next(), "turn": self._turn, "tool": tool,
                   "arguments": None if arguments is None else json_text(arguments),
                   "result": None, "ok": False, "caller": caller}
            self.calls.append(row)
            self._open[call_id] = row

    def result(self, call_id: str, content, ok: bool) -> None:
        """A tool's answer to an earlier call; one that answers no call is kept as a `tool`
        message so that nothing is dropped."""
        row = self._open.pop(call_id, None)
        if row is None:
            self._message("tool", _text(content), None)
            return
        row["result"] = None if content is None else json_text(content)
        row["ok"] = ok

    def finish(self) -> tuple[list[dict], list[dict]]:
        """The rows. A call that never got an answer keeps result null and ok False: it is
        not counted as a successful action."""
        if self._reasoning:
            self._message("agent", "", self._take_reasoning())
        return self.messages, self.calls

    def _message(self, role: str, content: str, reasoning: str | None) -> None:
        self.messages.append({"seq": self._next(), "turn": self._turn, "role": role,
                              "content": content, "reasoning": reasoning})

    def _take_reasoning(self) -> str | None:
        text = "\n\n".join(self._reasoning) or None
        self._reasoning = []
        return text

    def _next(self) -> int:
        self._seq += 1
        return self._seq - 1


def _text(value) -> str:
    """Message text as a string: null is empty, anything else not a string is its JSON."""
    if value is None:
        return ""
    return value if isinstance(value, str) else json_text(value)


def _think_text(arguments) -> str | None:
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments)
        except ValueError:
            return arguments.strip() or None
    if isinstance(arguments, dict):
        thought = arguments.get("thought")
        return thought.strip() if isinstance(thought, str) and thought.strip() else None
    return None
