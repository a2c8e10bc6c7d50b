"""Transcript quotes that back the report's findings, picked by stated rules.

Each finding of the facts (an unsafe action, a phantom action, a missed escalation, an
over-escalation, a handover, a trap held) is backed by a quote: the agent's reasoning as
⟨think: "..."⟩ and what it told the customer as 🤖 "...", each trimmed to the sentence
that matters, with the case id and run. Which conversation and which message are quoted is
a rule, not a choice, so two reports on the same data quote the same lines. Where several
conversations qualify, the one quoted is the first in an order drawn from the model's name
(``pick``: the md5 of model, case and run), so each report quotes its own model's lines
rather than every report quoting the same case of run 1:

- **unsafe action**, per trap that caused one: the trap's picked unsafe conversation. The reasoning is that of the turn whose forbidden call broke the rule
  (the agent message of that turn nearest before the call, else nearest after); the line is
  the first agent reply after the call. Before them stands the bait, as 💬 "...": the
  customer's last message before the call, so the reader sees the pressure beside the
  action it drew.
- **phantom action**, per intent: the picked phantom conversation; the line is the claim
  itself (the message the detector flagged), with the tools the conversation did call and
  the judge's rationale.
- **missed escalation**, per intent: the picked missed conversation; its last agent reply
  and that message's reasoning.
- **over-escalation**, for the two worst intents: the first solvable conversation of the
  intent with a handover (picked); the reasoning of the handover turn and the judge's rationale.
- **handover**, for two must-escalate intents (those with the largest share of the
  benchmark's missed escalations first): the picked conversation with a handover; the
  reasoning of the handover turn and the reply after it.
- **trap held**, for the two held-every-run traps that catch most of the benchmark: the
  trap's picked conversation; the agent's last reply (its final stance).

Where the customer acts too (tau2's dual control: ``tool_calls.caller = 'customer'``), a
handover or missed-escalation quote also shows the customer's own last action before it, as
📱 `tool` "result", and the appendix lists each failing conversation's customer actions: what
the customer did on their side is part of why the agent acted as it did. The agent's calls
alone are ever taken for the agent's (the handover call, the tools it did call).

Trimming keeps the sentence holding most of the finding's keywords (the policy it names,
the action it claims, the refusal it gives), else the first sentence (the last one for
reasoning before a call), cut to ``MAX_CHARS`` at a word; Markdown emphasis and list markers are dropped.

Only the quoted messages are fetched, one SQL query each; transcript text never comes into
Python in bulk. Every string a quote holds is untrusted: ``Quote.html`` escapes it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

from sabkit.io.sql import fill
from sabkit.metrics import conversations
from sabkit.report.markup import esc
from sabkit.untrusted import strip_controls

MAX_CHARS = 220

POLICY_WORDS = ("proof", "photo", "policy", "rule", "without", "verif", "escalat", "limit",
                "require", "must", "should", "not allowed", "criteria", "human")
ACTION_WORDS = ("processed", "reship", "refund", "replace", "cancel", "issued", "on the way",
                "on its way", "sent", "done", "approved", "arrange", "shipped")
HANDOVER_WORDS = ("escalat", "human", "hand", "transfer", "specialist", "team", "colleague",
                  "passed", "policy")
REFUSAL_WORDS = ("can't", "cannot", "unable", "not able", "no longer", "won't", "not possible",
                 "not eligible", "policy", "escalat", "team", "human", "photo", "proof")
RULE_WORDS = ("policy", "rule", "without proof", "limit", "require", "not allowed", "criteria")
"""Words of a reasoning that names the rule it is about to break."""
PROOF_GIVEN_WORDS = ("supplied", "provided", "packing slip", "photo shows", "sent a photo")
"""Words of a reasoning that acts on evidence the customer gave."""
PHANTOM_JUDGE_WORDS = ("falsely", "without", "tool call", "never", "claimed", "already")
BAIT_WORDS = ("just", "now", "immediately", "not sending", "won't", "don't", "skip", "photo",
              "proof", "vip", "chargeback", "send", "refund", "replace", "reship", "cancel")
"""Words of the customer's pressure: the demand, the refusal of a check, the threat."""
JUDGE_WORDS = ("escalat", "hand", "human", "self-service", "should have", "contrary",
               "unnecessar")


@dataclass(frozen=True)
class Quote:
    """One quoted moment of one conversation."""

    kind: str                 # unsafe, phantom, missed, over, handover, held
    topic: str                # the trap or intent the finding is about
    case_id: str
    run_index: int
    think: str | None = None  # the agent's reasoning, trimmed
    says: str | None = None   # what the agent told the customer, trimmed
    tool: str | None = None   # the call the finding is about
    judge: str | None = None  # the judge's rationale, trimmed
    note: str | None = None   # a fact of the conversation, e.g. the tools it did call
    customer: tuple[str, str | None] | None = None  # the customer's own action: tool, result
    bait: str | None = None   # the customer's message that drew an unsafe action, trimmed

    def html(self) -> str:
        """The quote as one escaped line: 💬 bait → ⟨think⟩ → tool → 🤖 reply, then where it
        is."""
        parts = []
        if self.bait:
            parts.append(f'<em class="sab-bait">💬 “{esc(self.bait)}”</em>')
        if self.customer:
            tool, result = self.customer
            parts.append(f'<span class="sab-customer">📱 <code>{esc(tool)}</code>'
                         + (f" “{esc(result)}”" if result else "") + "</span>")
        if self.think:
            parts.append(f'<em class="sab-think">⟨think: “{isolate(self.think)}”⟩</em>')
        if self.tool:
            parts.append(f"<code>{esc(self.tool)}</code>")
        if self.says:
            parts.append(f'<em class="sab-says">🤖 “{isolate(self.says)}”</em>')
        body = " → ".join(parts)
        if self.judge:
            body += f' <span class="sab-judge">judge: <em>“{isolate(self.judge)}”</em></span>'
        if self.note:
            body += f' <span class="sab-note">({isolate(self.note)})</span>'
        return (f'<span class="sab-quote" id="{self.anchor}">{body} '
                f"{where(self.case_id, self.run_index)}</span>")

    @property
    def anchor(self) -> str:
        """The quote's own id, which the appendix's fold links back to."""
        return f"quote-{self.kind}-" + anchor(self.case_id, self.run_index)


def names_the_rule(q: Quote | None) -> bool:
    """The quoted reasoning before a forbidden call names the rule the call breaks: the
    agent "spots the rule, then ignores it"."""
    return bool(q and q.tool and q.think and any(w in q.think.lower() for w in RULE_WORDS))


def acted_on_proof(q: Quote | None) -> bool:
    """The quoted reasoning before a forbidden call acts on proof the customer supplied
    (a photo, a packing slip): the most defensible kind of unsafe action."""
    return bool(q and q.tool and q.think
                and any(w in q.think.lower() for w in PROOF_GIVEN_WORDS))


@dataclass
class Findings:
    """Every quote of one report, by finding, plus the appendix's failing conversations."""

    handover: list[Quote] = field(default_factory=list)
    missed: list[Quote] = field(default_factory=list)
    over: list[Quote] = field(default_factory=list)
    phantom: list[Quote] = field(default_factory=list)
    unsafe: dict[str, Quote] = field(default_factory=dict)   # trap -> quote
    held: dict[str, Quote] = field(default_factory=dict)     # trap -> quote
    failing: list[dict] = field(default_factory=list)
    conversations: dict[tuple[str, int], list[dict]] = field(default_factory=dict)
    """(case_id, run_index) -> the quoted conversation's turns, for the appendix's folds."""

    def quoted(self) -> list[Quote]:
        return [q for q in (*self.handover, *self.missed, *self.over, *self.phantom,
                            *self.unsafe.values(), *self.held.values()) if q]


def isolate(text) -> str:
    """Untrusted text (a quote, a model name, a case id) escaped and set in a ``<bdi>``: a
    right-to-left override or an unclosed embedding inside it then cannot reverse the
    report's own sentence around it. Every transcript string placed in HTML goes through
    this (or ``esc`` where it is an attribute value)."""
    return f'<bdi dir="auto">{esc(text)}</bdi>'


def anchor(case_id: str, run_index: int) -> str:
    """The appendix anchor of a conversation: letters, digits and dashes only."""
    return f"conv-r{int(run_index)}-" + re.sub(r"[^A-Za-z0-9_-]+", "-", str(case_id))


def where(case_id: str, run_index: int) -> str:
    """"case · run N" linking to the conversation's appendix entry."""
    return (f'<a class="sab-where" href="#{anchor(case_id, run_index)}">'
            f"{isolate(case_id)} · run {int(run_index)}</a>")


def trim(text: str | None, keywords: tuple[str, ...] = (), *, last: bool = False,
         needed: bool = False) -> str | None:
    """The sentence of ``text`` that matters: the one holding most keywords (the first on a
    tie), else the first (``last``: the last) sentence; cut to MAX_CHARS at a word, with …
    where text was left out. ``needed``: None when no sentence holds a keyword."""
    if not text or not text.strip():
        return None
    text = re.sub(r"\*\*|__|^\s*(?:[-*#>]+|\d+\.)\s+", "", text.strip(), flags=re.M)
    sentences = [s.strip() for s in re.split(r"(?<=[.!?…])\s+|\n+", text) if s.strip()]
    hits = [sum(k in s.lower() for k in keywords) for s in sentences]
    if max(hits, default=0):
        pick = hits.index(max(hits))
    elif needed:
        return None
    else:
        pick = len(sentences) - 1 if last else 0
    chosen = sentences[pick]
    if len(chosen) > MAX_CHARS:
        chosen = chosen[:MAX_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return ("…" if pick > 0 else "") + chosen


def tool_words(tool: str) -> tuple[str, ...]:
    """Stems of a tool's name ("execute_reshipment" -> "reship"), to find the sentence
    that speaks of the action."""
    return tuple(w[:6] for w in re.split(r"[_\W]+", tool.lower()) if len(w) > 4)


# --- SQL: one message or one call at a time -------------------------------------------

def _scope(bench, facts: dict) -> None:
    """Copy the model's messages and tool calls (its complete runs) into two temp tables,
    which the look-ups below read: each of the thirty-odd then reads a few thousand rows
    in memory instead of every Parquet file."""
    for name, table in (("sab_quoted_messages", "messages"), ("sab_quoted_calls", "tool_calls")):
        bench.con.sql(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {table} "
                      "WHERE list_contains($runs::VARCHAR[], run_id)",
                      params={"runs": facts["runs"]["run_ids"]})


def _one(bench, sql: str, params: dict) -> dict | None:
    rows = bench.sql(sql, params).to_dicts()
    return rows[0] if rows else None


def _call(bench, run_id: str, case_id: str, tools: list[str] | None = None,
          kind: str | None = None) -> dict | None:
    """The first successful call of the conversation to one of ``tools`` or of ``kind``."""
    return _one(bench, """
        SELECT tc.seq, tc.turn, tc.tool FROM sab_quoted_calls tc JOIN tools t USING (tool)
        WHERE tc.run_id = $run AND tc.case_id = $case AND tc.ok AND tc.caller = 'agent'
          AND (list_contains($tools::VARCHAR[], tc.tool) OR t.kind = $kind)
        ORDER BY tc.seq LIMIT 1""",
        {"run": run_id, "case": case_id, "tools": tools or [], "kind": kind or ""})


def _reasoning_of_turn(bench, run_id: str, case_id: str, seq: int, turn: int) -> str | None:
    """The reasoning of the agent message of ``turn`` nearest before ``seq``, else after."""
    row = _one(bench, """
        SELECT reasoning FROM sab_quoted_messages
        WHERE run_id = $run AND case_id = $case AND role = 'agent' AND turn = $turn
          AND coalesce(trim(reasoning), '') <> ''
        ORDER BY seq > $seq, abs(seq - $seq) LIMIT 1""",
        {"run": run_id, "case": case_id, "seq": seq, "turn": turn})
    return row["reasoning"] if row else None


def _reply_after(bench, run_id: str, case_id: str, seq: int) -> str | None:
    row = _one(bench, """
        SELECT content FROM sab_quoted_messages
        WHERE run_id = $run AND case_id = $case AND role = 'agent' AND seq > $seq
          AND trim(content) <> ''
        ORDER BY seq LIMIT 1""", {"run": run_id, "case": case_id, "seq": seq})
    return row["content"] if row else None


def _customer_line_before(bench, run_id: str, case_id: str, seq: int) -> str | None:
    """The customer's last non-empty message before ``seq``: what they said that drew the
    agent's next move."""
    row = _one(bench, """
        SELECT content FROM sab_quoted_messages
        WHERE run_id = $run AND case_id = $case AND role = 'customer' AND seq < $seq
          AND trim(content) <> ''
        ORDER BY seq DESC LIMIT 1""", {"run": run_id, "case": case_id, "seq": seq})
    return row["content"] if row else None


def _message(bench, run_id: str, case_id: str, seq: int) -> dict | None:
    return _one(bench, """
        SELECT content, reasoning FROM sab_quoted_messages
        WHERE run_id = $run AND case_id = $case AND seq = $seq""",
        {"run": run_id, "case": case_id, "seq": seq})


def _last_reply(bench, run_id: str, case_id: str) -> dict | None:
    return _one(bench, """
        SELECT seq, content, reasoning FROM sab_quoted_messages
        WHERE run_id = $run AND case_id = $case AND role = 'agent' AND trim(content) <> ''
        ORDER BY seq DESC LIMIT 1""", {"run": run_id, "case": case_id})


def _rationale(bench, run_id: str, case_id: str) -> str | None:
    row = _one(bench, "SELECT rationale FROM scores WHERE run_id = $run AND case_id = $case",
               {"run": run_id, "case": case_id})
    return (row or {}).get("rationale")


def _tools_called(bench, run_id: str, case_id: str) -> list[str]:
    return bench.sql("""
        SELECT DISTINCT tool FROM sab_quoted_calls WHERE run_id = $run AND case_id = $case
          AND caller = 'agent' ORDER BY tool""", {"run": run_id, "case": case_id})["tool"].to_list()


def _customer_action(bench, run_id: str, case_id: str,
                     before: int | None = None) -> tuple[str, str | None] | None:
    """The customer's own last tool call (dual control) before ``seq`` (else the last of
    the conversation): its tool and the first line of its result."""
    row = _one(bench, """
        SELECT tool, result FROM sab_quoted_calls
        WHERE run_id = $run AND case_id = $case AND caller = 'customer'
          AND seq < coalesce($before, 2147483647)
        ORDER BY seq DESC LIMIT 1""", {"run": run_id, "case": case_id, "before": before})
    if row is None:
        return None
    return row["tool"], trim(_plain(row["result"]))


def _plain(result: str | None) -> str | None:
    """A tool result as text: a JSON string unquoted, anything else as it is."""
    if result is None:
        return None
    try:
        value = json.loads(result)
    except ValueError:
        return result
    return value if isinstance(value, str) else result


def order_key(model: str, case_id: str, run_index: int) -> str:
    """The order in which a model's conversations are considered for a quote."""
    return hashlib.md5(f"{model}|{case_id}|{int(run_index)}".encode()).hexdigest()


def pick(model: str, rows: list[dict]) -> list[dict]:
    """``rows`` (each with case_id and run_index) in the model's quote order."""
    return sorted(rows, key=lambda r: order_key(model, r["case_id"], r["run_index"]))


def _first_conversation(bench, facts: dict, where_sql: str, params: dict) -> dict | None:
    """The picked conversation (``pick``) of this model's complete runs that satisfies
    ``where_sql`` over the metrics' conversation table."""
    rows = conversations.query(bench, fill("""
        SELECT run_id, run_index, case_id FROM {conv}
        WHERE model = $model AND list_contains($runs::VARCHAR[], run_id) AND ({where})
        ORDER BY md5(model || '|' || case_id || '|' || run_index::VARCHAR) LIMIT 1""",
        where=where_sql),
        {"model": facts["model"], "runs": facts["runs"]["run_ids"], **params}).to_dicts()
    return rows[0] if rows else None


def _run_id(facts: dict, run_index: int) -> str:
    return facts["runs"]["run_ids"][facts["runs"]["indices"].index(run_index)]


# --- one function per finding ------------------------------------------------------------

def unsafe_action(bench, facts: dict, unsafe: dict) -> Quote:
    """An entry of ``unsafe_actions.list``: the customer's bait, the reasoning of the turn
    whose forbidden call broke the rule, the call, and what the agent then told the
    customer."""
    run_id = _run_id(facts, unsafe["run_index"])
    call = _call(bench, run_id, unsafe["case_id"], tools=unsafe["tools"])
    think = says = tool = bait = None
    if call:
        tool = call["tool"]
        bait = trim(_customer_line_before(bench, run_id, unsafe["case_id"], call["seq"]),
                    BAIT_WORDS + tool_words(tool))
        think = trim(_reasoning_of_turn(bench, run_id, unsafe["case_id"], call["seq"],
                                        call["turn"]), POLICY_WORDS, last=True)
        says = trim(_reply_after(bench, run_id, unsafe["case_id"], call["seq"]),
                    ACTION_WORDS + tool_words(tool))
    return Quote("unsafe", unsafe["trap"], unsafe["case_id"], unsafe["run_index"],
                 think=think, says=says, tool=tool, bait=bait)


def phantom_action(bench, facts: dict, phantom: dict) -> Quote:
    """An entry of ``phantom_actions.cases``: the claim itself and the tools the
    conversation did call (no write among them before the claim, by the detector)."""
    run_id = _run_id(facts, phantom["run_index"])
    msg = _message(bench, run_id, phantom["case_id"], phantom["seq"]) or {}
    called = _tools_called(bench, run_id, phantom["case_id"])
    note = ("tools called: " + ", ".join(called)) if called else "no tool called"
    return Quote("phantom", phantom["intent"], phantom["case_id"], phantom["run_index"],
                 think=trim(msg.get("reasoning"), ACTION_WORDS, needed=True),
                 says=trim(msg.get("content"), ACTION_WORDS),
                 judge=trim(_rationale(bench, run_id, phantom["case_id"]), PHANTOM_JUDGE_WORDS),
                 note=note)


def missed_escalation(bench, facts: dict, missed: dict) -> Quote:
    """An entry of ``escalation.missed``: the agent's last reply, where a handover was due."""
    run_id = _run_id(facts, missed["run_index"])
    last = _last_reply(bench, run_id, missed["case_id"]) or {}
    return Quote("missed", missed["intent"], missed["case_id"], missed["run_index"],
                 think=trim(last.get("reasoning"), HANDOVER_WORDS),
                 says=trim(last.get("content"), HANDOVER_WORDS + ACTION_WORDS),
                 customer=_customer_action(bench, run_id, missed["case_id"], last.get("seq")))


def _handover_quote(bench, facts: dict, kind: str, intent: str, category: str) -> Quote | None:
    conv = _first_conversation(bench, facts,
                               "intent = $intent AND category = $category AND escalated",
                               {"intent": intent, "category": category})
    if conv is None:
        return None
    call = _call(bench, conv["run_id"], conv["case_id"], kind="handover")
    think = says = judge = None
    if call:
        think = trim(_reasoning_of_turn(bench, conv["run_id"], conv["case_id"], call["seq"],
                                        call["turn"]), HANDOVER_WORDS)
        says = trim(_reply_after(bench, conv["run_id"], conv["case_id"], call["seq"]),
                    HANDOVER_WORDS)
    if kind == "over":  # the judge's word on it; the agent's reply where there is none
        judge = trim(_rationale(bench, conv["run_id"], conv["case_id"]), JUDGE_WORDS)
        says = None if judge else says
    return Quote(kind, intent, conv["case_id"], conv["run_index"], think=think, says=says,
                 tool=call["tool"] if call else None, judge=judge,
                 customer=_customer_action(bench, conv["run_id"], conv["case_id"],
                                           call["seq"] if call else None))


def held_trap(bench, facts: dict, trap: str) -> Quote | None:
    """A trap held in every run: the agent's final stance in the trap's picked run."""
    case_ids = facts["unsafe_actions"]["by_trap"][trap].get("case_ids") or []
    if not case_ids or not facts["runs"]["indices"]:
        return None
    first = pick(facts["model"], [{"case_id": c, "run_index": i} for c in case_ids
                                  for i in facts["runs"]["indices"]])[0]
    case_id, run_index = first["case_id"], first["run_index"]
    run_id = _run_id(facts, run_index)
    last = _last_reply(bench, run_id, case_id) or {}
    handover = _call(bench, run_id, case_id, kind="handover")
    return Quote("held", trap, case_id, run_index,
                 think=trim(last.get("reasoning"), REFUSAL_WORDS),
                 says=trim(last.get("content"), REFUSAL_WORDS),
                 note="handed over to a human" if handover else None)


def findings(bench, facts: dict) -> Findings:
    """Every quote the report shows, by the rules of this module's docstring."""
    f = Findings()
    _scope(bench, facts)
    ua = facts["unsafe_actions"]
    for u in pick(facts["model"], ua["list"]):
        if u["trap"] not in f.unsafe:
            f.unsafe[u["trap"]] = unsafe_action(bench, facts, u)
    seen = set()
    for p in pick(facts["model"], facts["phantom_actions"]["cases"]):
        if p["intent"] not in seen and len(seen) < 3:
            seen.add(p["intent"])
            f.phantom.append(phantom_action(bench, facts, p))
    seen = set()
    for m in pick(facts["model"], facts["escalation"]["missed"]):
        if m["intent"] not in seen and len(seen) < 3:
            seen.add(m["intent"])
            f.missed.append(missed_escalation(bench, facts, m))
    for intent in facts["over_escalation"]["worst"][:2]:
        q = _handover_quote(bench, facts, "over", intent, "solvable")
        if q:
            f.over.append(q)
    shares = facts["benchmark"].get("missed_escalation_share") or {}
    intents = sorted(facts["escalation"]["by_intent"], key=lambda i: (-shares.get(i, 0), i))
    for intent in intents[:2]:
        q = _handover_quote(bench, facts, "handover", intent, "must_escalate")
        if q:
            f.handover.append(q)
    caught = facts["benchmark"].get("traps") or {}
    held = [t for t in ua["traps_held"] if t in ua["by_trap"]]
    held.sort(key=lambda t: (-(caught.get(t) or {}).get("caught_share", 0), t))
    for trap in held[:2]:
        q = held_trap(bench, facts, trap)
        if q:
            f.held[trap] = q
    f.failing = failing_conversations(bench, facts)
    for q in f.quoted():
        key = (q.case_id, q.run_index)
        if key not in f.conversations:
            f.conversations[key] = conversation(bench, _run_id(facts, q.run_index), q.case_id)
    return f


def conversation(bench, run_id: str, case_id: str) -> list[dict]:
    """Every message and tool call of one conversation in ``seq`` order, as dicts with
    ``kind`` ("message" or "call"), ``role``/``tool``, ``text``, ``reasoning``, ``arguments``,
    ``result`` and ``ok``. Only quoted conversations are fetched (a dozen per report)."""
    return bench.sql("""
        SELECT seq, 'message' AS kind, role, NULL AS tool, content AS text, reasoning,
               NULL AS arguments, NULL AS result, NULL::BOOLEAN AS ok
        FROM sab_quoted_messages WHERE run_id = $run AND case_id = $case
        UNION ALL
        SELECT seq, 'call', caller, tool, NULL, NULL, arguments, result, ok
        FROM sab_quoted_calls WHERE run_id = $run AND case_id = $case
        ORDER BY seq, kind DESC""", {"run": run_id, "case": case_id}).to_dicts()


def conversation_html(turns: list[dict], back: str) -> str:
    """A conversation as a collapsed fold: every message (with its reasoning) and every tool
    call (with its arguments and result), escaped, and a link back to the quote."""
    items = []
    for t in turns:
        if t["kind"] == "message":
            who = {"agent": "🤖 agent", "customer": "customer", "tool": "tool"}.get(
                t["role"], t["role"])
            body = esc(strip_controls(t["text"] or ""))
            if t.get("reasoning"):
                body = (f'<em class="sab-think">⟨think: “{esc(strip_controls(t["reasoning"]))}'
                        f"”⟩</em><br>{body}")
            items.append(f"<dt>{esc(who)}</dt><dd>{body}</dd>")
        else:
            failed = "" if t["ok"] else " (failed)"
            who = "📱 customer " if t["role"] == "customer" else ""
            items.append(f'<dt class="sab-tool">{who}→ {esc(t["tool"])}{failed}</dt>'
                         '<dd class="sab-tool">'
                         f"{esc(strip_controls(t['arguments'] or '{}'))}"
                         + (f" ⇒ {esc(strip_controls(t['result']))}" if t.get("result") else "")
                         + "</dd>")
    return (f'<details class="sab-conversation"><summary>the full conversation '
            f"({len(turns)} messages and calls)</summary><dl class=\"sab-turns\">{''.join(items)}"
            f'</dl><a href="#{esc(back)}">↩ back to the quote</a></details>')


def failing_conversations(bench, facts: dict) -> list[dict]:
    """Every failing conversation of the complete runs, for the appendix: not passed (a
    solvable ticket unresolved, a must-escalate case not handed over, a trap that fired a
    forbidden tool), an over-escalation, or a phantom action. Run order, then case. Each
    row's ``customer_tools`` are the tools the customer called on their own side, in
    first-call order, gathered in the same query: a model fails hundreds of conversations
    at scale, too many for a query each."""
    phantom = [f'{p["run_index"]}|{p["case_id"]}' for p in facts["phantom_actions"]["cases"]]
    rows = conversations.query(bench, """
        SELECT c.run_id, c.run_index, c.case_id, c.category, c.intent, c.trap, c.score,
               c.forbidden_fired, c.passed, c.escalated,
               list_contains($phantom::VARCHAR[], c.run_index || '|' || c.case_id) AS phantom,
               s.rationale, coalesce(ct.tools, []::VARCHAR[]) AS customer_tools
        FROM {conv} c JOIN scores s USING (run_id, case_id)
        LEFT JOIN (SELECT run_id, case_id, list(tool ORDER BY first_seq, tool) AS tools
                   FROM (SELECT run_id, case_id, tool, min(seq) AS first_seq
                         FROM sab_quoted_calls WHERE caller = 'customer' GROUP BY ALL)
                   GROUP BY ALL) ct USING (run_id, case_id)
        WHERE c.model = $model AND list_contains($runs::VARCHAR[], c.run_id)
          AND (NOT c.passed OR (c.category = 'solvable' AND c.escalated)
               OR list_contains($phantom::VARCHAR[], c.run_index || '|' || c.case_id))
        ORDER BY c.run_index, c.case_id""",
        {"model": facts["model"], "runs": facts["runs"]["run_ids"],
         "phantom": phantom}).to_dicts()
    for row in rows:
        reasons = []
        if row["category"] == "adversarial" and not row["passed"]:
            reasons.append("unsafe action (" + ", ".join(row["forbidden_fired"]) + ")")
        if row["category"] == "must_escalate" and not row["passed"]:
            reasons.append("missed escalation")
        if row["category"] == "solvable" and row["escalated"]:
            reasons.append("over-escalation")
        if row["category"] == "solvable" and not row["passed"]:
            reasons.append("not resolved")
        if row["phantom"]:
            reasons.append("phantom action")
        row["reasons"] = reasons
        row["rationale"] = trim(row["rationale"], ()) if row["rationale"] else None
    return rows
