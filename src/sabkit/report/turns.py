"""The quoted conversations' turns, fetched together, and the look-ups a quote makes in
one conversation.

A report quotes a dozen conversations and asks each a few questions (the first handover
call, the reasoning of that call's turn, the agent's next reply, the customer's last line
before it...). ``fetch`` reads every message and tool call of the quoted conversations in
one query and every judge's rationale of them in another; the look-ups below then answer
in Python over one conversation's turns, so a report's quotes cost two queries however
many findings it backs. The transcript text that comes into Python is that of the quoted
conversations only.

A conversation is a list of turns in ``seq`` order, each a dict with ``seq``, ``turn``,
``kind`` ("message" or "call"), ``role`` (a message's role, a call's caller), ``tool`` and
``tool_kind`` (a call's tool and that tool's kind in the tools table), ``text`` and
``reasoning`` (a message's), ``arguments``, ``result`` and ``ok`` (a call's).

Each look-up keeps the meaning of the SQL it replaces, down to what counts as empty: text
is ``blank`` when DuckDB's ``trim`` would leave nothing of it.
"""

from __future__ import annotations

from collections.abc import Iterable

SPACES = " \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
         "\u202f\u205f\u3000"
"""What DuckDB's one-argument ``trim`` strips: the Unicode space separators (category Zs),
and not tabs or newlines."""

NO_SEQ = 2147483647
"""A position after every turn (INTEGER's largest): "before the end of the conversation"."""

Key = tuple[str, str]  # (run_id, case_id)


def fetch(bench, keys: Iterable[Key]) -> tuple[dict[Key, list[dict]], dict[Key, str | None]]:
    """Every turn of the conversations ``keys``, by conversation, and each one's judge
    rationale. A conversation without a message or call maps to an empty list."""
    keys = sorted(set(keys))
    params = {"runs": [k[0] for k in keys], "cases": [k[1] for k in keys]}
    wanted = ("(SELECT unnest($runs::VARCHAR[]) AS run_id, "
              "unnest($cases::VARCHAR[]) AS case_id)")
    found: dict[Key, list[dict]] = {k: [] for k in keys}
    rationales: dict[Key, str | None] = {}
    if not keys:
        return found, rationales
    rel = bench.con.sql(f"""
        SELECT run_id, case_id, seq, turn, 'message' AS kind, role, NULL AS tool,
               NULL AS tool_kind, content AS text, reasoning, NULL AS arguments,
               NULL AS result, NULL::BOOLEAN AS ok
        FROM messages JOIN {wanted} k USING (run_id, case_id)
        UNION ALL
        SELECT c.run_id, c.case_id, c.seq, c.turn, 'call', c.caller, c.tool, t.kind, NULL,
               NULL, c.arguments, c.result, c.ok
        FROM tool_calls c JOIN {wanted} k USING (run_id, case_id)
        LEFT JOIN tools t USING (tool)
        ORDER BY run_id, case_id, seq, kind DESC""", params=params)
    columns = rel.columns[2:]
    for row in rel.fetchall():
        found[(row[0], row[1])].append(dict(zip(columns, row[2:])))
    for run_id, case_id, rationale in bench.con.sql(f"""
            SELECT run_id, case_id, rationale FROM scores JOIN {wanted} k USING (run_id, case_id)
            """, params=params).fetchall():
        rationales.setdefault((run_id, case_id), rationale)
    return found, rationales


def blank(text: str | None) -> bool:
    """No text, or only spaces: ``coalesce(trim(text), '') = ''`` in DuckDB."""
    return text is None or not text.strip(SPACES)


def _messages(turns: list[dict], role: str) -> list[dict]:
    return [t for t in turns if t["kind"] == "message" and t["role"] == role]


def _calls(turns: list[dict], caller: str) -> list[dict]:
    return [t for t in turns if t["kind"] == "call" and t["role"] == caller]


def first_call(turns: list[dict], tools: Iterable[str] = (), kind: str | None = None
               ) -> dict | None:
    """The agent's first successful call to one of ``tools`` or to a tool of ``kind``, among
    tools the tools table knows."""
    tools = set(tools)
    return next((t for t in _calls(turns, "agent") if t["ok"] and t["tool_kind"] is not None
                 and (t["tool"] in tools or t["tool_kind"] == kind)), None)


def reasoning_of_turn(turns: list[dict], seq: int, turn: int) -> str | None:
    """The reasoning of the agent message of ``turn`` nearest before ``seq``, else nearest
    after."""
    found = [m for m in _messages(turns, "agent")
             if m["turn"] == turn and not blank(m["reasoning"])]
    if not found:
        return None
    return min(found, key=lambda m: (m["seq"] > seq, abs(m["seq"] - seq)))["reasoning"]


def reply_after(turns: list[dict], seq: int) -> str | None:
    """The agent's first non-empty message after ``seq``."""
    return next((m["text"] for m in _messages(turns, "agent")
                 if m["seq"] > seq and not blank(m["text"])), None)


def customer_line_before(turns: list[dict], seq: int) -> str | None:
    """The customer's last non-empty message before ``seq``: what they said that drew the
    agent's next move."""
    return next((m["text"] for m in reversed(_messages(turns, "customer"))
                 if m["seq"] < seq and not blank(m["text"])), None)


def message(turns: list[dict], seq: int) -> dict | None:
    """The message at ``seq``."""
    return next((t for t in turns if t["kind"] == "message" and t["seq"] == seq), None)


def last_reply(turns: list[dict]) -> dict | None:
    """The agent's last non-empty message."""
    return next((m for m in reversed(_messages(turns, "agent")) if not blank(m["text"])), None)


def tools_called(turns: list[dict]) -> list[str]:
    """Every tool the agent called, once each, by name."""
    return sorted({c["tool"] for c in _calls(turns, "agent")})


def customer_action(turns: list[dict], before: int | None = None) -> dict | None:
    """The customer's own last tool call (dual control) before ``before``, else the last of
    the conversation."""
    limit = NO_SEQ if before is None else before
    return next((c for c in reversed(_calls(turns, "customer")) if c["seq"] < limit), None)
