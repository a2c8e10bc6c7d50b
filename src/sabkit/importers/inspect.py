"""Inspect AI eval logs (``.eval`` or ``.json``): one log is one model on one task.

The log is read through Inspect's own reader, ``inspect_ai.log.read_eval_log``: newer
``.eval`` files are zstd-compressed zips and Inspect's maintainers do not freeze the file
format, so sabkit never opens the zip itself. Inspect is an optional extra
(``pip install 'sabkit[inspect]'``); without it the import says how to install it.

The mapping (docs/importing.md has the full table):

- the task is the case set: sample id -> case ``<task>:<id>``; the sample's metadata gives
  ``category`` and ``intent`` where the task has them, else `solvable` and the task name;
- each epoch is a run (epoch 1 -> run 1);
- assistant messages are the agent's (their reasoning content kept), user messages the
  customer's, tool messages answer the agent's calls (an ``error`` makes ``ok`` false);
  system messages are the task's instructions, not conversation;
- the score is the first scorer of the log's results: ``C``/``I``/``P``/``N`` become
  100/0/50/0, a number in 0-1 (or a boolean) is scaled to 0-100; resolved means full
  marks; ``explanation`` is the rationale;
- the agent's cost is its model's ``model_usage.total_cost`` where Inspect priced it;
- the handover tool is ``--handover-tool NAME``, by default any tool whose name matches
  ``HANDOVER_PATTERN``.

inspect_evals' tau2 tasks run the agent inside the solver and keep the agent's own
conversation in the sample's ``store``, while ``messages`` hold the user simulator's side.
So when the store holds a list of chat messages with the agent's tool calls, that list is
the conversation read.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

from sabkit.contract import CATEGORIES
from sabkit.errors import SabkitError
from sabkit.importers.common import (
    BrokenRecord, Conversation, SourceFile, TaskDef, Transcript, collect, model_identity,
)

HANDOVER_PATTERN = re.compile(r"transfer_to_human|escalat|hand_?off|handover", re.I)
_LETTERS = {"C": 1.0, "I": 0.0, "P": 0.5, "N": 0.0}  # Inspect's CORRECT/INCORRECT/...
# Inspect's sample limit types -> the contract's termination reasons. A sample an
# operator stopped by hand was not the agent's doing: like tau2's infrastructure error, it
# makes its run partial.
_LIMITS = {"message": "max_steps", "token": "max_steps", "cost": "max_steps",
           "custom": "max_steps", "time": "timeout", "working": "timeout",
           "context": "context_window_exceeded", "operator": "infrastructure_error"}
_ROLES = {"system", "user", "assistant", "tool"}
INSTALL = "reading Inspect logs needs inspect-ai: pip install 'sabkit[inspect]'"


def looks_like(path: Path, data=None) -> bool:
    """An ``.eval`` file, or JSON with Inspect's top-level ``version`` and ``eval``."""
    if path.suffix == ".eval":
        return True
    return isinstance(data, dict) and "eval" in data and "version" in data


def read(path: Path, *, handover: str | None = None, progress=None) -> SourceFile:
    try:
        from inspect_ai.log import read_eval_log
    except ImportError:
        raise SabkitError(INSTALL) from None
    try:
        log = read_eval_log(str(path))
    except FileNotFoundError:
        raise SabkitError(f"{path}: no such file") from None
    except Exception as exc:  # Inspect raises zip, zstd, JSON and pydantic errors alike
        first = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
        raise SabkitError(f"{path}: not a readable Inspect log ({type(exc).__name__}"
                          f"{': ' + first if first else ''}); pass a .eval or .json log "
                          "written by Inspect") from None
    samples = log.samples or []
    if not samples:
        raise SabkitError(f"{path}: the log holds no samples (status {log.status}); "
                          "import a log of a finished eval")
    scorer = _scorer(log)
    if scorer is None:
        raise SabkitError(f"{path}: the log has no scores (no scorer ran); score it "
                          "first, e.g. `inspect score` on the log")
    domain = str(log.eval.task).rsplit("/", 1)[-1]
    source = SourceFile(path=path, fmt="inspect", domain=domain,
                        model=model_identity(str(log.eval.model)),
                        tasks={str(s.id): _task(domain, s) for s in samples},
                        started=str(log.eval.created or path.name))
    is_handover = ((lambda name: name == handover) if handover
                   else (lambda name: bool(HANDOVER_PATTERN.search(name))))
    records = [{"id": str(s.id), "epoch": s.epoch, "sample": s} for s in samples]
    collect(source, records, key=lambda r: (r["id"], r["epoch"]),
            parse=lambda r, task_id, trial: _conversation(
                source, r["sample"], task_id, trial, scorer, str(log.eval.model)),
            progress=progress)
    if not any(c.calls for c in source.conversations):
        raise SabkitError(f"{path}: no sample makes a tool call, so there is no agent "
                          "behaviour to report (escalation, actions, tool use); sabkit "
                          "imports logs of tool-using agents")
    source.handover_tools = {t for t in source.tools if is_handover(t)}
    if handover and handover not in source.tools:
        source.note = f"no call to the handover tool {handover!r}: nothing escalated"
    return source


def _scorer(log) -> str | None:
    """The scorer whose value is the score: the log's first, else the samples' first."""
    if log.results and log.results.scores:
        return log.results.scores[0].name
    return next((name for s in log.samples or [] for name in (s.scores or {})), None)


def _task(domain: str, sample) -> TaskDef:
    meta = sample.metadata or {}
    category = meta.get("category") if meta.get("category") in CATEGORIES else "solvable"
    intent = meta.get("intent") if isinstance(meta.get("intent"), str) else domain
    text = sample.input if isinstance(sample.input, str) else next(
        (_text(m.content) for m in sample.input if m.role == "user"), None)
    return TaskDef(domain=domain, task_id=str(sample.id), category=category, intent=intent,
                   description=" ".join(text.split())[:300] if text else None,
                   fingerprint=json.dumps([str(sample.input), sample.target, meta],
                                          sort_keys=True, default=str))


def _conversation(source: SourceFile, sample, task_id: str, trial: int, scorer: str,
                  model: str) -> Conversation:
    score = (sample.scores or {}).get(scorer)
    if score is None:
        why = f" (the sample errored: {sample.error.message})" if sample.error else ""
        raise BrokenRecord(f"no {scorer!r} score{why}")
    value = _value(score.value)
    transcript = Transcript()
    reasoning_seen = False
    for index, message in enumerate(_agent_messages(sample)):
        role = message.get("role")
        if role == "user":
            transcript.customer(_text(message.get("content")))
        elif role == "assistant":
            reasoning = _reasoning(message.get("content"))
            reasoning_seen |= bool(reasoning)
            calls = [(c.get("id"), c.get("function"), c.get("arguments"))
                     for c in message.get("tool_calls") or []]
            source.tools.update(name for _, name, _ in calls if name)
            transcript.agent(_text(message.get("content")), reasoning, calls)
        elif role == "tool":
            transcript.result(message.get("tool_call_id"), _text(message.get("content")),
                              message.get("error") is None)
        elif role != "system":
            raise BrokenRecord(f"message #{index} has unknown role {role!r}")
    messages, calls = transcript.finish()
    usage = (sample.model_usage or {}).get(model)
    cost = getattr(usage, "total_cost", None)
    return Conversation(
        task_id=task_id, trial=trial, reward=value, messages=messages, calls=calls,
        flags=[], rationale=score.explanation or None, termination=_termination(sample),
        agent_cost=float(cost) if isinstance(cost, (int, float)) and cost >= 0 else None,
        started_at=_time(sample.started_at), reasoning=reasoning_seen)


def _agent_messages(sample) -> list[dict]:
    """The agent's conversation as message dicts: a chat-message list in the store that
    holds the agent's tool calls (inspect_evals' tau2), else the sample's messages."""
    for value in (sample.store or {}).values():
        if (isinstance(value, list) and value
                and all(isinstance(m, dict) and m.get("role") in _ROLES for m in value)
                and any(m.get("role") == "assistant" and m.get("tool_calls") for m in value)):
            return value
    return [m.model_dump() for m in sample.messages]


def _value(value) -> float:
    """The score as 0-1: C/I/P/N, a boolean, or a number in 0-1."""
    if isinstance(value, str) and value.upper() in _LETTERS:
        return _LETTERS[value.upper()]
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)) and 0 <= value <= 1:
        return float(value)
    raise BrokenRecord(f"score value {value!r} is not C/I/P/N, a boolean or a number in 0-1")


def _termination(sample) -> str | None:
    """A limit or an error that ended the sample; null for a sample that ended on its own."""
    if sample.limit is not None:
        return _LIMITS.get(str(sample.limit.type), "max_steps")
    return "unexpected_error" if sample.error is not None else None


def _text(content) -> str:
    """The text parts of a message's content (a string, or a list of content parts)."""
    if content is None or isinstance(content, str):
        return content or ""
    parts = [p if isinstance(p, dict) else p.model_dump() for p in content]
    return "\n".join(p.get("text") or "" for p in parts if p.get("type") == "text")


def _reasoning(content) -> str | None:
    if not isinstance(content, list):
        return None
    parts = [p if isinstance(p, dict) else p.model_dump() for p in content]
    text = "\n\n".join(p.get("reasoning") or p.get("summary") or "" for p in parts
                       if p.get("type") == "reasoning" and not p.get("redacted"))
    return text.strip() or None


def _time(value) -> datetime | None:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return parsed.replace(tzinfo=None) if parsed else None
