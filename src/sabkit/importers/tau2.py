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
is its reasoning. The simulated customer's own reasoning is not imported.

Dual control (telecom): the customer calls tools on their own phone. Those calls are kept
as ``tool_calls`` rows with ``caller = 'customer'``; every agent metric leaves them out.

What the reward is made of: ``reward_info.reward_basis`` names the checks that count (DB
and COMMUNICATE in airline; ENV_ASSERTION in telecom, where a reward of 1 with a failed
database check is normal). Resolved follows the reward; each failed check that counts
becomes a judge flag, NL-assertion justifications the rationale, and the auto-review's
``review.errors[].error_tags`` flags of their own (``review:user:<tag>:<severity>``).

A run can also be a folder: ``results.json`` beside ``simulations/*.json`` (tau2's "dir"
format); ``read_folder`` puts it back together as the single file it stands for.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

from sabkit.contract import TERMINATIONS
from sabkit.errors import SabkitError
from sabkit.importers.common import (
    BrokenRecord, Conversation, SourceFile, TaskDef, Transcript, action_signature,
    category, collect, model_identity,
)


# `[mobile_data_issue]airplane_mode_on|data_mode_off[PERSONA:Easy]`
_TELECOM_ID = re.compile(r"^\[(?P<issue>[^\]]+)\](?P<faults>.*?)(?:\[PERSONA:(?P<persona>[^\]]*)\])?$")


def looks_like(data) -> bool:
    return isinstance(data, dict) and isinstance(data.get("simulations"), list) \
        and isinstance(data.get("info"), dict)


def read_folder(path: Path, read_json) -> dict:
    """A run in tau2's folder layout, as the one run file it stands for: the metadata of
    ``results.json`` with the simulations of ``simulations/*.json`` (in name order).
    ``path`` is the folder or its results.json. A simulation the index lists but whose
    file is missing (or the reverse) is an error: the run would be silently short."""
    folder = path if path.is_dir() else path.parent
    meta = read_json(folder / "results.json")
    if not isinstance(meta, dict) or not isinstance(meta.get("info"), dict):
        raise SabkitError(f"{folder / 'results.json'}: not a tau2 results file "
                          "(a JSON object with info and tasks)")
    files = sorted((folder / "simulations").glob("*.json"))
    index = meta.get("simulation_index")
    if isinstance(index, list):
        listed = {str(e.get("id")) for e in index if isinstance(e, dict)}
        missing = sorted(listed - {f.stem for f in files})
        if missing:
            raise SabkitError(f"{folder}: results.json lists {len(missing)} simulation(s) "
                              f"with no file in simulations/ (e.g. {missing[0]}.json); "
                              "copy the whole run folder")
    return {**meta, "simulations": [read_json(f) for f in files]}


def is_folder(path: Path) -> bool:
    """True for a tau2 run folder or its results.json (with simulations/ beside it)."""
    folder = path if path.is_dir() else path.parent
    return (folder / "results.json").is_file() and (folder / "simulations").is_dir() \
        and (path.is_dir() or path.name == "results.json")


def read(path: Path, data: dict, *, progress=None) -> SourceFile:
    info = data["info"]
    llm = (info.get("agent_info") or {}).get("llm")
    env_domain = (info.get("environment_info") or {}).get("domain_name")
    if not llm or not env_domain:
        raise SabkitError(f"{path}: a tau2 run file needs info.agent_info.llm and "
                          "info.environment_info.domain_name")
    if not data["simulations"]:
        raise SabkitError(f"{path}: the run holds no simulations, so there is nothing to "
                          "import; pass a run that finished at least one")
    raw_tasks = [t for t in data.get("tasks") or [] if isinstance(t, dict) and "id" in t]
    domain = _base_domain(raw_tasks, env_domain)
    variant = env_domain[len(domain) + 1:] if env_domain.startswith(f"{domain}_") else None
    source = SourceFile(path=path, fmt="tau2", domain=domain,
                        model=model_identity(llm, variant=variant),
                        tasks={str(t["id"]): _task(domain, t) for t in raw_tasks},
                        started=str(data.get("timestamp") or path.name))
    for task in raw_tasks:
        source.tools.update(_expected(task, "assistant"))
        source.customer_tools.update(_expected(task, "user"))
    collect(source, data["simulations"],
            key=lambda sim: (str(sim.get("task_id")), sim.get("trial")),
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
    termination = sim.get("termination_reason")
    if termination is not None and termination not in TERMINATIONS:
        raise BrokenRecord(f"termination_reason {termination!r} is none of tau2's "
                           f"({', '.join(TERMINATIONS)})")
    transcript = Transcript()
    reasoning_seen = False
    for index, message in enumerate(sim.get("messages") or []):
        role = message.get("role") if isinstance(message, dict) else None
        if role == "user":
            calls = _calls(message)
            source.customer_tools.update(name for _, name, _ in calls)
            if calls:
                transcript.customer_calls(message.get("content"), calls)
            else:
                transcript.customer(message.get("content"))
        elif role == "assistant":
            raw = (message.get("raw_data") or {}).get("message") or {}
            reasoning = raw.get("reasoning_content")
            reasoning_seen |= bool(reasoning)
            calls = _calls(message)
            source.tools.update(name for _, name, _ in calls)
            transcript.agent(message.get("content"), reasoning, calls)
        elif role == "tool":
            # tau2's MultiToolMessage holds several answers in `tool_messages`
            for answer in message.get("tool_messages") or [message]:
                transcript.result(answer.get("id"), answer.get("content"),
                                  not answer.get("error"))
        else:
            raise BrokenRecord(f"message #{index} has unknown role {role!r}")
    messages, calls = transcript.finish()
    cost = sim.get("agent_cost")
    return Conversation(
        task_id=task_id, trial=trial, reward=float(reward),
        messages=messages, calls=calls,
        flags=_flags(reward_info) + _review_flags(sim.get("review")),
        rationale=_rationale(reward_info), termination=termination,
        agent_cost=float(cost) if isinstance(cost, (int, float)) and cost >= 0 else None,
        started_at=_time(sim.get("start_time")), reasoning=reasoning_seen)


def _calls(message: dict) -> list[tuple[str, str, object]]:
    return [(c["id"], c["name"], c.get("arguments")) for c in message.get("tool_calls") or []]


def _task(domain: str, task: dict) -> TaskDef:
    expected = _expected(task)
    purpose = ((task.get("description") or {}).get("purpose") or "").strip()
    telecom = _TELECOM_ID.match(str(task["id"]))
    instructions = (task.get("user_scenario") or {}).get("instructions")
    if isinstance(instructions, dict):
        description = instructions.get("reason_for_call") or instructions.get(
            "task_instructions")
    else:
        description = instructions
    if telecom:  # the id says the issue; every telecom purpose reads "Test resolution path"
        intent = telecom["issue"].replace("_", " ")
    else:
        intent = _first_sentence(purpose) or action_signature(expected)
    return TaskDef(domain=domain, task_id=str(task["id"]), category=category(expected),
                   intent=intent,
                   description=description.strip() if isinstance(description, str) else None,
                   fingerprint=json.dumps(task, sort_keys=True),
                   persona=telecom["persona"] if telecom else None)


def _first_sentence(text: str) -> str:
    """`Booking with extra passenger.` -> `Booking with extra passenger`: purposes run to
    paragraphs of test notes; their first sentence is the label reports can print."""
    first = re.split(r"(?<=[.!?])\s|\n", text.strip(), maxsplit=1)[0]
    return " ".join(first.split()).rstrip(".")


def _expected(task: dict, requestor: str | None = None) -> list[str]:
    """The names of the task's expected actions; with ``requestor`` (`assistant`, `user`)
    only those of that side (tau2 actions default to the assistant's)."""
    return [a.get("name") for a in (task.get("evaluation_criteria") or {}).get("actions") or []
            if requestor is None or a.get("requestor", "assistant") == requestor]


# reward_basis component -> (reward_info list of its checks, the check's pass field, label)
_CHECKS = {
    "ENV_ASSERTION": ("env_assertions", "met",
                      lambda c: (c.get("env_assertion") or {}).get("func_name")),
    "NL_ASSERTION": ("nl_assertions", "met", lambda c: c.get("nl_assertion")),
    "COMMUNICATE": ("communicate_checks", "met", lambda c: c.get("info")),
    "ACTION": ("action_checks", "action_match", lambda c: (c.get("action") or {}).get("name")),
}


def _flags(reward_info: dict) -> list[str]:
    """What failed among the checks that count (``reward_basis``; tau2's default is DB and
    COMMUNICATE): ``<component>_failed`` per failed component (`db_failed`,
    `env_assertion_failed`), then one flag per failed check of a counted component
    (`env_assertion_failed:assert_internet_speed`, `communicate_failed:<info>`), and
    `action_missed:<tool>` for each expected action the agent missed when the database
    counts (the expected actions are what builds the database it is compared with).
    Checks outside the basis are diagnostics and flag nothing."""
    basis = reward_info.get("reward_basis") or ["DB", "COMMUNICATE"]
    breakdown = reward_info.get("reward_breakdown") or {}
    flags = [f"{part.lower()}_failed" for part, value in breakdown.items()
             if part in basis and isinstance(value, (int, float)) and value < 1]
    db = reward_info.get("db_check") or {}
    if "DB" in basis and db.get("db_match") is False and "db_failed" not in flags:
        flags.append("db_failed")
    for part in basis:
        if part not in _CHECKS:
            continue
        field, passed, label = _CHECKS[part]
        for check in reward_info.get(field) or []:
            if isinstance(check, dict) and check.get(passed) is False:
                flags.append(f"{part.lower()}_failed:{label(check)}")
    if "DB" in basis or "ACTION" in basis:
        flags += [f"action_missed:{(c.get('action') or {}).get('name')}"
                  for c in reward_info.get("action_checks") or []
                  if isinstance(c, dict) and c.get("action_match") is False]
    return list(dict.fromkeys(flags))


def _review_flags(review) -> list[str]:
    """tau2's auto-review: one flag per error tag, `review:<source>:<tag>:<severity>`, so
    that "the simulated user erred" (`review:user:...`) is visible beside the agent's."""
    if not isinstance(review, dict):
        return []
    flags = []
    for error in review.get("errors") or []:
        if not isinstance(error, dict):
            continue
        source = error.get("source") or "unknown"
        severity = error.get("severity") or "unrated"
        flags += [f"review:{source}:{tag}:{severity}" for tag in error.get("error_tags") or []]
    return list(dict.fromkeys(flags))


def _rationale(reward_info: dict) -> str | None:
    """The NL assertions' justifications, one line each, marked met or not met."""
    lines = [f"{'met' if c.get('met') else 'not met'}: {c.get('nl_assertion')} - "
             f"{c.get('justification')}"
             for c in reward_info.get("nl_assertions") or [] if isinstance(c, dict)]
    return "\n".join(lines) or None


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
