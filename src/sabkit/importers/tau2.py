"""tau2-bench run files: ``{timestamp, info, tasks, simulations}``, one run of one agent.

The agent is ``info.agent_info.llm`` (``xai/grok-4``: provider before the slash). The
cases are the file's embedded ``tasks``, not the official ``domains/*/tasks.json``: the
embedded ones are the versions the run was scored against, and they differ from the
official ones (e.g. airline task 29 expects other actions there).

A policy edit of a domain (``environment_info.domain_name`` = ``airline_tighter_policy``
while the tasks say ``airline``) is a configuration of the agent, not new cases: it becomes
the model variant ``grok-4@tighter-policy`` (``variant_of`` = ``grok-4``) on the same
``airline:<id>`` cases, so the two policies compare case by case.

Messages start with the orchestrator's fixed greeting (turn 0). A tool message's
``error`` decides ``ok``; the agent's ``raw_data.message.reasoning_content`` (grok-3-mini)
is its reasoning. The simulated customer's own reasoning is not imported. Customer-side
tool calls (tau2's telecom user tools) are not agent actions the contract can hold: such
a simulation is skipped and reported.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

from sabkit.errors import SabkitError
from sabkit.importers.common import (
    BrokenRecord, Conversation, SourceFile, TaskDef, Transcript, action_signature,
    category, collect, model_identity,
)


def looks_like(data) -> bool:
    return isinstance(data, dict) and isinstance(data.get("simulations"), list) \
        and isinstance(data.get("info"), dict)


def read(path: Path, data: dict, *, progress=None) -> SourceFile:
    info = data["info"]
    llm = (info.get("agent_info") or {}).get("llm")
    env_domain = (info.get("environment_info") or {}).get("domain_name")
    if not llm or not env_domain:
        raise SabkitError(f"{path}: a tau2 run file needs info.agent_info.llm and "
                          "info.environment_info.domain_name")
    raw_tasks = [t for t in data.get("tasks") or [] if isinstance(t, dict) and "id" in t]
    domain = _base_domain(raw_tasks, env_domain)
    variant = env_domain[len(domain) + 1:] if env_domain.startswith(f"{domain}_") else None
    source = SourceFile(path=path, fmt="tau2", domain=domain,
                        model=model_identity(llm, variant=variant),
                        tasks={str(t["id"]): _task(domain, t) for t in raw_tasks},
                        started=str(data.get("timestamp") or path.name))
    for task in raw_tasks:
        source.tools.update(_expected(task))
    collect(source, data["simulations"],
            key=lambda sim: (sim.get("task_id"), sim.get("trial")),
            parse=lambda sim, task_id, trial: _conversation(source, sim, task_id, trial),
            progress=progress)
    return source


def _conversation(source: SourceFile, sim: dict, task_id: str,
                  trial: int) -> Conversation:
    if task_id not in source.tasks:
        raise BrokenRecord(f"task {task_id} is not among the file's tasks")
    reward_info = sim.get("reward_info")
    reward = reward_info.get("reward") if isinstance(reward_info, dict) else None
    if not isinstance(reward, (int, float)) or not 0 <= reward <= 1:
        raise BrokenRecord(f"reward is {reward!r}, not a number in 0-1")
    transcript = Transcript()
    reasoning_seen = False
    for index, message in enumerate(sim.get("messages") or []):
        role = message.get("role") if isinstance(message, dict) else None
        if role == "user":
            if message.get("tool_calls"):
                raise BrokenRecord(f"message #{index}: the customer calls tools "
                                   "(tau2 user tools are not supported)")
            transcript.customer(message.get("content"))
        elif role == "assistant":
            raw = (message.get("raw_data") or {}).get("message") or {}
            reasoning = raw.get("reasoning_content")
            reasoning_seen |= bool(reasoning)
            calls = [(c["id"], c["name"], c.get("arguments"))
                     for c in message.get("tool_calls") or []]
            source.tools.update(name for _, name, _ in calls)
            transcript.agent(message.get("content"), reasoning, calls)
        elif role == "tool":
            transcript.result(message.get("id"), message.get("content"),
                              not message.get("error"))
        else:
            raise BrokenRecord(f"message #{index} has unknown role {role!r}")
    messages, calls = transcript.finish()
    cost = sim.get("agent_cost")
    return Conversation(
        task_id=task_id, trial=trial, reward=float(reward),
        messages=messages, calls=calls, flags=_flags(reward_info),
        agent_cost=float(cost) if isinstance(cost, (int, float)) and cost >= 0 else None,
        started_at=_time(sim.get("start_time")), reasoning=reasoning_seen)


def _task(domain: str, task: dict) -> TaskDef:
    expected = _expected(task)
    purpose = ((task.get("description") or {}).get("purpose") or "").strip()
    instructions = (task.get("user_scenario") or {}).get("instructions")
    if isinstance(instructions, dict):
        description = instructions.get("reason_for_call") or instructions.get(
            "task_instructions")
    else:
        description = instructions
    return TaskDef(domain=domain, task_id=str(task["id"]), category=category(expected),
                   intent=_first_sentence(purpose) or action_signature(expected),
                   description=description.strip() if isinstance(description, str) else None,
                   fingerprint=json.dumps(task, sort_keys=True))


def _first_sentence(text: str) -> str:
    """`Booking with extra passenger.` -> `Booking with extra passenger`: purposes run to
    paragraphs of test notes; their first sentence is the label reports can print."""
    first = re.split(r"(?<=[.!?])\s|\n", text.strip(), maxsplit=1)[0]
    return " ".join(first.split()).rstrip(".")


def _expected(task: dict) -> list[str]:
    return [a.get("name") for a in (task.get("evaluation_criteria") or {}).get("actions") or []]


def _flags(reward_info: dict) -> list[str]:
    """Each part of tau2's reward that failed, e.g. `db_failed`, `communicate_failed`."""
    breakdown = reward_info.get("reward_breakdown") or {}
    return [f"{basis.lower()}_failed" for basis, value in breakdown.items()
            if isinstance(value, (int, float)) and value < 1]


def _base_domain(tasks: list[dict], env_domain: str) -> str:
    """The tasks' own domain (`airline`) when they all name one; else the environment's."""
    named = {((t.get("user_scenario") or {}).get("instructions") or {}).get("domain")
             for t in tasks if isinstance((t.get("user_scenario") or {}).get("instructions"),
                                          dict)}
    named.discard(None)
    return named.pop() if len(named) == 1 else env_domain


def _time(value) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
