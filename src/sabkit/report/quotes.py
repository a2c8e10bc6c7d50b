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

The quoted conversations are chosen first (from the facts, and one query for the
handovers), then their turns are fetched together (``turns.fetch``) and each quote is read
from its conversation's turns in Python: transcript text never comes into Python in bulk,
only that of the dozen conversations quoted. Every string a quote holds is untrusted:
``Quote.html`` escapes it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field

from sabkit.metrics import conversations
from sabkit.report import turns
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

    _LISTS = ("handover", "missed", "over", "phantom")
    _BY_TRAP = ("unsafe", "held")

    def to_json(self) -> dict:
        """The findings as JSON values (``from_json`` makes them again, equal)."""
        out: dict = {name: [asdict(q) for q in getattr(self, name)] for name in self._LISTS}
        out |= {name: {k: asdict(q) for k, q in getattr(self, name).items()}
                for name in self._BY_TRAP}
        out["failing"] = self.failing
        out["conversations"] = [[case_id, run_index, turns]
                                for (case_id, run_index), turns in self.conversations.items()]
        return out

    @classmethod
    def from_json(cls, data: dict) -> Findings:
        def quote(d: dict) -> Quote:
            return Quote(**{**d, "customer": d["customer"] and tuple(d["customer"])})

        return cls(**{name: [quote(d) for d in data[name]] for name in cls._LISTS},
                   **{name: {k: quote(d) for k, d in data[name].items()}
                      for name in cls._BY_TRAP},
                   failing=data["failing"],
                   conversations={(case_id, run_index): turns
                                  for case_id, run_index, turns in data["conversations"]})


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


_MARKDOWN = re.compile(r"\*\*|__|^\s*(?:[-*#>]+|\d+\.)\s+", flags=re.M)
"""Emphasis and list markers, which ``trim`` drops."""
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


def trim(text: str | None, keywords: tuple[str, ...] = (), *, last: bool = False,
         needed: bool = False) -> str | None:
    """The sentence of ``text`` that matters: the one holding most keywords (the first on a
    tie), else the first (``last``: the last) sentence; cut to MAX_CHARS at a word, with …
    where text was left out. ``needed``: None when no sentence holds a keyword."""
    if not text or not text.strip():
        return None
    text = _MARKDOWN.sub("", text.strip())
    if not keywords and not last:
        # the first sentence, whatever follows it (the appendix trims every failing
        # conversation's rationale so): the text after it is never split
        chosen = None if needed else next(_sentences(text), None)
        return _cut(chosen) if chosen is not None else None
    sentences = list(_sentences(text))
    hits = [sum(k in s.lower() for k in keywords) for s in sentences]
    if max(hits, default=0):
        pick = hits.index(max(hits))
    elif needed:
        return None
    else:
        pick = len(sentences) - 1 if last else 0
    return ("…" if pick > 0 else "") + _cut(sentences[pick])


def _sentences(text: str):
    """The sentences of ``text``, stripped, empty ones left out, as they are reached: the
    pieces ``_SENTENCE_END.split`` gives, without splitting past the one wanted."""
    start = 0
    for end in _SENTENCE_END.finditer(text):
        if sentence := text[start:end.start()].strip():
            yield sentence
        start = end.end()
    if sentence := text[start:].strip():
        yield sentence


def _cut(sentence: str) -> str:
    """``sentence`` cut to MAX_CHARS at a word, with … where text was left out."""
    if len(sentence) <= MAX_CHARS:
        return sentence
    return sentence[:MAX_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def tool_words(tool: str) -> tuple[str, ...]:
    """Stems of a tool's name ("execute_reshipment" -> "reship"), to find the sentence
    that speaks of the action."""
    return tuple(w[:6] for w in re.split(r"[_\W]+", tool.lower()) if len(w) > 4)


# --- which conversations are quoted -------------------------------------------------------

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


def _first_per_intent(rows: list[dict], most: int = 3) -> list[dict]:
    """The first row of each intent, for the first ``most`` intents, in ``rows``' order."""
    firsts: dict[str, dict] = {}
    for row in rows:
        if row["intent"] not in firsts and len(firsts) < most:
            firsts[row["intent"]] = row
    return list(firsts.values())


def _handed_over(bench, facts: dict, solvable: list[str], must_escalate: list[str]
                 ) -> dict[tuple[str, str], dict]:
    """(category, intent) -> the picked conversation (``pick``) of this model's complete
    runs with a handover, for the solvable intents ``solvable`` and the must-escalate
    intents ``must_escalate``: one query for all of them."""
    rows = conversations.query(bench, """
        SELECT category, intent, run_id, run_index, case_id FROM {conv}
        WHERE model = $model AND list_contains($runs::VARCHAR[], run_id) AND escalated
          AND ((category = 'solvable' AND list_contains($solvable::VARCHAR[], intent))
               OR (category = 'must_escalate'
                   AND list_contains($must_escalate::VARCHAR[], intent)))
        QUALIFY row_number() OVER (PARTITION BY category, intent ORDER BY
                                   md5(model || '|' || case_id || '|' || run_index::VARCHAR)) = 1
        """, {"model": facts["model"], "runs": facts["runs"]["run_ids"],
              "solvable": solvable, "must_escalate": must_escalate}).to_dicts()
    return {(r["category"], r["intent"]): r for r in rows}


def _run_id(facts: dict, run_index: int) -> str:
    return facts["runs"]["run_ids"][facts["runs"]["indices"].index(run_index)]


# --- one function per finding, over the quoted conversation's turns -----------------------

def _customer(conv: list[dict], before: int | None) -> tuple[str, str | None] | None:
    """The customer's own last action before ``before``: its tool and its result, trimmed."""
    call = turns.customer_action(conv, before)
    return (call["tool"], trim(_plain(call["result"]))) if call else None


def unsafe_action(unsafe: dict, conv: list[dict]) -> Quote:
    """An entry of ``unsafe_actions.list``: the customer's bait, the reasoning of the turn
    whose forbidden call broke the rule, the call, and what the agent then told the
    customer."""
    call = turns.first_call(conv, tools=unsafe["tools"])
    think = says = tool = bait = None
    if call:
        tool = call["tool"]
        bait = trim(turns.customer_line_before(conv, call["seq"]),
                    BAIT_WORDS + tool_words(tool))
        think = trim(turns.reasoning_of_turn(conv, call["seq"], call["turn"]), POLICY_WORDS,
                     last=True)
        says = trim(turns.reply_after(conv, call["seq"]), ACTION_WORDS + tool_words(tool))
    return Quote("unsafe", unsafe["trap"], unsafe["case_id"], unsafe["run_index"],
                 think=think, says=says, tool=tool, bait=bait)


def phantom_action(phantom: dict, conv: list[dict], rationale: str | None) -> Quote:
    """An entry of ``phantom_actions.cases``: the claim itself and the tools the
    conversation did call (no write among them before the claim, by the detector)."""
    msg = turns.message(conv, phantom["seq"]) or {}
    called = turns.tools_called(conv)
    note = ("tools called: " + ", ".join(called)) if called else "no tool called"
    return Quote("phantom", phantom["intent"], phantom["case_id"], phantom["run_index"],
                 think=trim(msg.get("reasoning"), ACTION_WORDS, needed=True),
                 says=trim(msg.get("text"), ACTION_WORDS),
                 judge=trim(rationale, PHANTOM_JUDGE_WORDS), note=note)


def missed_escalation(missed: dict, conv: list[dict]) -> Quote:
    """An entry of ``escalation.missed``: the agent's last reply, where a handover was due."""
    last = turns.last_reply(conv) or {}
    return Quote("missed", missed["intent"], missed["case_id"], missed["run_index"],
                 think=trim(last.get("reasoning"), HANDOVER_WORDS),
                 says=trim(last.get("text"), HANDOVER_WORDS + ACTION_WORDS),
                 customer=_customer(conv, last.get("seq")))


def handover_quote(kind: str, intent: str, picked: dict, conv: list[dict],
                   rationale: str | None) -> Quote:
    """A conversation with a handover (``picked``): the reasoning of the handover turn and
    the reply after it; for an over-escalation (``kind`` "over"), the judge's word on it
    instead of the reply where there is one."""
    call = turns.first_call(conv, kind="handover")
    think = says = judge = None
    if call:
        think = trim(turns.reasoning_of_turn(conv, call["seq"], call["turn"]), HANDOVER_WORDS)
        says = trim(turns.reply_after(conv, call["seq"]), HANDOVER_WORDS)
    if kind == "over":
        judge = trim(rationale, JUDGE_WORDS)
        says = None if judge else says
    return Quote(kind, intent, picked["case_id"], picked["run_index"], think=think, says=says,
                 tool=call["tool"] if call else None, judge=judge,
                 customer=_customer(conv, call["seq"] if call else None))


def _held_pick(facts: dict, trap: str) -> dict | None:
    """A held trap's picked conversation (case_id, run_index) among its cases and runs."""
    case_ids = facts["unsafe_actions"]["by_trap"][trap].get("case_ids") or []
    if not case_ids or not facts["runs"]["indices"]:
        return None
    return pick(facts["model"], [{"case_id": c, "run_index": i} for c in case_ids
                                 for i in facts["runs"]["indices"]])[0]


def held_trap(trap: str, picked: dict, conv: list[dict]) -> Quote:
    """A trap held in every run: the agent's final stance in the trap's picked run."""
    last = turns.last_reply(conv) or {}
    handover = turns.first_call(conv, kind="handover")
    return Quote("held", trap, picked["case_id"], picked["run_index"],
                 think=trim(last.get("reasoning"), REFUSAL_WORDS),
                 says=trim(last.get("text"), REFUSAL_WORDS),
                 note="handed over to a human" if handover else None)


def findings(bench, facts: dict) -> Findings:
    """Every quote the report shows, by the rules of this module's docstring: first which
    conversations are quoted, then their turns in one fetch, then each quote from them."""
    model, ua = facts["model"], facts["unsafe_actions"]
    unsafe: dict[str, dict] = {}
    for u in pick(model, ua["list"]):
        unsafe.setdefault(u["trap"], u)
    phantom = _first_per_intent(pick(model, facts["phantom_actions"]["cases"]))
    missed = _first_per_intent(pick(model, facts["escalation"]["missed"]))
    over = facts["over_escalation"]["worst"][:2]
    shares = facts["benchmark"].get("missed_escalation_share") or {}
    must = sorted(facts["escalation"]["by_intent"], key=lambda i: (-shares.get(i, 0), i))[:2]
    handed = _handed_over(bench, facts, over, must)
    caught = facts["benchmark"].get("traps") or {}
    held = [t for t in ua["traps_held"] if t in ua["by_trap"]]
    held.sort(key=lambda t: (-(caught.get(t) or {}).get("caught_share", 0), t))
    held_picks = {t: p for t in held[:2] if (p := _held_pick(facts, t))}

    def key(row: dict) -> turns.Key:
        return _run_id(facts, row["run_index"]), row["case_id"]

    picked = [*unsafe.values(), *phantom, *missed, *handed.values(), *held_picks.values()]
    convs, rationales = turns.fetch(bench, map(key, picked))

    f = Findings()
    f.unsafe = {trap: unsafe_action(u, convs[key(u)]) for trap, u in unsafe.items()}
    f.phantom = [phantom_action(p, convs[key(p)], rationales.get(key(p))) for p in phantom]
    f.missed = [missed_escalation(m, convs[key(m)]) for m in missed]
    for kind, category, intents in (("over", "solvable", over),
                                    ("handover", "must_escalate", must)):
        for intent in intents:
            if (c := handed.get((category, intent))) is not None:
                getattr(f, kind).append(handover_quote(kind, intent, c, convs[key(c)],
                                                       rationales.get(key(c))))
    f.held = {t: held_trap(t, p, convs[key(p)]) for t, p in held_picks.items()}
    f.failing = failing_conversations(bench, facts)
    for q in f.quoted():
        f.conversations.setdefault((q.case_id, q.run_index),
                                   convs[(_run_id(facts, q.run_index), q.case_id)])
    return f


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
        FROM {conv} c
        JOIN (SELECT run_id, case_id, rationale FROM scores
              WHERE list_contains($runs::VARCHAR[], run_id)) s USING (run_id, case_id)
        LEFT JOIN (SELECT run_id, case_id, list(tool ORDER BY first_seq, tool) AS tools
                   FROM (SELECT run_id, case_id, tool, min(seq) AS first_seq
                         FROM tool_calls WHERE caller = 'customer'
                           AND list_contains($runs::VARCHAR[], run_id) GROUP BY ALL)
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
