"""tau-bench result files: a JSON list of ``{task_id, trial, reward, info, traj}`` records.

``traj`` is the OpenAI chat history: ``traj[0]`` is the system prompt (the domain policy,
not part of the conversation), assistant tool calls are ``tool_calls[].function.{name,
arguments}`` and a tool's answer is a ``tool`` message with ``tool_call_id``. The tau-bench
environment answers a failing call with a string starting ``Error:``; that is the only
error signal the file has, so it decides ``ok``.

The file names neither the model nor, always, the domain: the model comes from the file
name (``gpt-4o-airline.json``, or tau-bench's own run names ``tool-calling-<model>-<temp>
_range_...``) unless ``--model`` says it; the domain from the policy's title
(``# Airline Agent Policy``). Files have no agent cost (``user_cost`` is the simulated
customer's), so runs from them carry none.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from sabkit.errors import SabkitError
from sabkit.importers.common import (
    BrokenRecord, Conversation, SourceFile, TaskDef, Transcript, action_signature,
    category, collect, model_identity,
)

_RUN_NAME = re.compile(r"^(?:tool-calling|act|react|few-shot)-(?P<model>.+?)-[\d.]+_range_")
_POLICY_TITLE = re.compile(r"^\s*#\s*(\w+)")


def looks_like(data) -> bool:
    """A list holding records with `task_id` and `traj` (other items are skipped later)."""
    return isinstance(data, list) and any(
        isinstance(r, dict) and "task_id" in r and "traj" in r for r in data)


def read(path: Path, data: list, *, model: str | None = None, progress=None) -> SourceFile:
    domain = _domain(path, data)
    source = SourceFile(path=path, fmt="tau-bench", domain=domain, tasks={},
                        model=model_identity(model or _model_from_name(path.stem, domain)),
                        started=path.name)
    trial_is_task = _trial_is_task_id(data)
    if trial_is_task:
        source.note = ("trial equals task_id in every record (the Madhav-Kanda fork's "
                       "numbering), so it is not a trial number: read as one trial")
    collect(source, data,
            key=lambda r: (r.get("task_id"), 0 if trial_is_task else r.get("trial")),
            parse=lambda r, task_id, trial: _conversation(source, r, task_id, trial),
            progress=progress)
    return source


def _conversation(source: SourceFile, record: dict, task_id: str,
                  trial: int) -> Conversation:
    info = record.get("info")
    if not isinstance(info, dict):
        raise BrokenRecord("no info object")
    if "error" in info:
        first = str(info["error"]).strip().splitlines() or [""]
        raise BrokenRecord(f"info.error instead of a task: {first[0][:120]}")
    task = info.get("task")
    if not isinstance(task, dict):
        raise BrokenRecord("no info.task")
    reward = record.get("reward")
    if not isinstance(reward, (int, float)) or not 0 <= reward <= 1:
        raise BrokenRecord(f"reward is {reward!r}, not a number in 0-1")
    traj = record.get("traj")
    if not isinstance(traj, list) or not traj:
        raise BrokenRecord("empty traj")
    expected = [a.get("name") for a in task.get("actions") or []]
    source.tools.update(expected)
    source.tasks.setdefault(task_id, TaskDef(
        domain=source.domain, task_id=task_id, category=category(expected),
        intent=action_signature(expected), description=_string(task.get("instruction")),
        fingerprint=json.dumps(task, sort_keys=True)))

    transcript = Transcript()
    for index, message in enumerate(traj):
        role = message.get("role") if isinstance(message, dict) else None
        if role == "system" and index == 0:
            continue
        if role == "user":
            transcript.customer(message.get("content"))
        elif role == "assistant":
            calls = [(c.get("id"), c["function"]["name"], c["function"].get("arguments"))
                     for c in message.get("tool_calls") or []]
            source.tools.update(name for _, name, _ in calls)
            transcript.agent(message.get("content"), None, calls)
        elif role == "tool":
            content = message.get("content")
            ok = not (isinstance(content, str) and content.startswith("Error"))
            transcript.result(message.get("tool_call_id"), content, ok)
        else:
            raise BrokenRecord(f"message #{index} has unknown role {role!r}")
    messages, calls = transcript.finish()
    return Conversation(task_id=task_id, trial=trial, reward=float(reward),
                        messages=messages, calls=calls, flags=_flags(info, reward))


def _flags(info: dict, reward: float) -> list[str]:
    """Which of tau-bench's two checks failed: the database hash, or the required outputs."""
    if reward >= 1:
        return []
    checks = (info.get("reward_info") or {}).get("info") or {}
    flags = []
    if checks.get("r_actions") == 0:
        flags.append("db_mismatch")
    if checks.get("r_outputs") == 0:
        flags.append("outputs_missing")
    return flags


def _string(value) -> str | None:
    return value if isinstance(value, str) else None


def _trial_is_task_id(data: list) -> bool:
    """True for a fork that writes task_id into trial: every record, several tasks."""
    records = [r for r in data if isinstance(r, dict)]
    return (len({str(r.get("task_id")) for r in records}) > 1
            and all(r.get("trial") == r.get("task_id") for r in records))


def _domain(path: Path, data: list) -> str:
    for record in data:
        traj = record.get("traj") if isinstance(record, dict) else None
        if isinstance(traj, list) and traj and isinstance(traj[0], dict) \
                and traj[0].get("role") == "system":
            match = _POLICY_TITLE.match(str(traj[0].get("content") or ""))
            if match:
                return match.group(1).lower()
    match = re.search(r"-(airline|retail|telecom)$", path.stem)
    if match:
        return match.group(1)
    raise SabkitError(f"{path}: cannot tell the domain: no record's system prompt starts "
                      "with a policy title like '# Airline Agent Policy', and the file name "
                      "does not end in -airline or -retail")


def _model_from_name(stem: str, domain: str) -> str:
    match = _RUN_NAME.match(stem)
    if match:
        return match.group("model")
    return stem[: -len(domain) - 1] if stem.endswith(f"-{domain}") else stem
