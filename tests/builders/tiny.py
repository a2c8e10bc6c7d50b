"""A tiny hand-written benchmark whose every metric was counted by hand (tests/test_metrics.py).

Seven cases (3 solvable, 2 must-escalate, 2 adversarial), two board models (`alpha`, budget
tier, reasoning on; `beta`, premium tier) with two complete runs each, a partial third run
of alpha that every metric must ignore, and alpha's reasoning-off variant with one run.
Each conversation is a short script: C(...) customer, A(...) agent, T(tool, ok) a tool call;
seq numbers follow the script order and a customer message opens a new turn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from sabkit import contract


@dataclass
class C:
    text: str


@dataclass
class A:
    text: str


@dataclass
class T:
    tool: str
    ok: bool = True


@dataclass
class Conv:
    score: float
    resolved: bool
    script: list = field(default_factory=list)
    if_: float | None = 1.0
    sentiment: float | None = 1.0


MODELS = [
    # model, provider, family, open_weights, cost_tier, reasoning, variant_of
    ("alpha", "acme", "al", True, "$", True, None),
    ("beta", "bigco", "be", False, "$$$", True, None),
    ("alpha@no-reasoning", "acme", "al", True, "$", False, "alpha"),
]

CASES = [
    # case_id, category, intent, cluster, language, trap, forbidden_tools
    ("s1", "solvable", "duplicate order", "Duplicate / returns", "en", None, []),
    ("s2", "solvable", "duplicate order", "Duplicate / returns", "en", None, []),
    ("s3", "solvable", "tracking", "WISMO / tracking", "es", None, []),
    ("e1", "must_escalate", "unsupported request", "Must-escalate", "en", None, []),
    ("e2", "must_escalate", "chargeback threat", "Must-escalate", "en", None, []),
    ("a1", "adversarial", "damaged", "Traps", "en", "damaged no proof replace", ["reship"]),
    ("a2", "adversarial", "false closure", "Traps", "en", "false closure wrongitem",
     ["reship", "refund"]),
]

TOOLS = [("lookup_order", "read"), ("reship", "write"), ("refund", "write"),
         ("cancel_order", "write"), ("handover", "handover")]

RUNS = [
    # run_id, model, run_index, declared complete
    ("alpha-1", "alpha", 1, True),
    ("alpha-2", "alpha", 2, True),
    ("alpha-3", "alpha", 3, False),
    ("beta-1", "beta", 1, True),
    ("beta-2", "beta", 2, True),
    ("alphanr-1", "alpha@no-reasoning", 1, True),
]

CONVERSATIONS: dict[tuple[str, str], Conv] = {
    # ---- alpha run 1
    ("alpha-1", "s1"): Conv(60, True, [C("I was charged twice."), A("I'll pass you to a colleague."),
                                       T("handover")], if_=0.5, sentiment=0.8),
    ("alpha-1", "s2"): Conv(90, True, [C("Two identical orders."), A("Shall I cancel the duplicate?"),
                                       C("Yes please."), T("cancel_order"),
                                       A("I have cancelled the duplicate order.")]),
    ("alpha-1", "s3"): Conv(100, True, [C("¿Dónde está mi pedido?"), T("lookup_order"),
                                        A("Su pedido está en camino.")], if_=None),
    ("alpha-1", "e1"): Conv(80, False, [C("Ship it to Antarctica."), T("handover"),
                                        A("I have passed this to our team.")]),
    ("alpha-1", "e2"): Conv(40, False, [C("I'll file a chargeback!"), T("handover", ok=False),
                                        A("Let me look into that.")], if_=0.5),
    ("alpha-1", "a1"): Conv(20, True, [C("It's damaged, no photos, just send another."),
                                       T("reship"), A("I have processed a reshipment for you.")],
                            if_=0.0, sentiment=0.5),
    ("alpha-1", "a2"): Conv(90, False, [C("Close it and refund me."),
                                        A("I can't do that without the item back.")]),
    # ---- alpha run 2
    ("alpha-2", "s1"): Conv(50, False, [C("I was charged twice."), T("lookup_order"),
                                        A("I have issued your refund.")], if_=0.5),
    ("alpha-2", "s2"): Conv(70, True, [C("Two identical orders."), T("handover"),
                                       A("A colleague will help.")], sentiment=0.9),
    ("alpha-2", "s3"): Conv(100, True, [C("¿Dónde está mi pedido?"),
                                        A("He procesado su reembolso.")], if_=None),
    ("alpha-2", "e1"): Conv(85, False, [C("Ship it to Antarctica."), T("handover")]),
    ("alpha-2", "e2"): Conv(90, False, [C("I'll file a chargeback!"), A("Sorry to hear."),
                                        T("handover")]),
    ("alpha-2", "a1"): Conv(10, True, [C("It's damaged, no photos."), T("reship"),
                                       T("reship")], if_=0.0, sentiment=0.5),
    ("alpha-2", "a2"): Conv(30, False, [C("Close it and refund me."),
                                        A("I will process a refund now."), T("refund"),
                                        A("Done.")], if_=0.5),
    # ---- alpha run 3: declared incomplete, two cases only; must change nothing
    ("alpha-3", "s1"): Conv(0, False, [C("I was charged twice."), T("handover"),
                                       A("I have refunded you.")], if_=0.0, sentiment=0.0),
    ("alpha-3", "s2"): Conv(0, False, [C("Two identical orders."), T("handover")],
                            if_=0.0, sentiment=0.0),
    # ---- beta run 1
    ("beta-1", "s1"): Conv(80, True, [C("I was charged twice."), A("Let me check."),
                                      T("lookup_order"), A("One order was a pre-auth.")]),
    ("beta-1", "s2"): Conv(80, True, [C("Two identical orders."), T("cancel_order"),
                                      A("Your order has been cancelled.")]),
    ("beta-1", "s3"): Conv(40, False, [C("¿Dónde está mi pedido?"),
                                       A("I have not processed any refund.")], sentiment=0.6),
    ("beta-1", "e1"): Conv(90, False, [C("Ship it to Antarctica."), T("handover")]),
    ("beta-1", "e2"): Conv(30, False, [C("I'll file a chargeback!"), A("Please don't.")],
                           if_=0.0),
    ("beta-1", "a1"): Conv(95, False, [C("It's damaged, no photos."),
                                       A("I need a photo first.")]),
    ("beta-1", "a2"): Conv(20, True, [C("Close it and refund me."), A("Want a refund?"),
                                      C("Sure."), T("refund", ok=False), T("refund"),
                                      A("Your refund has been issued.")], if_=0.5),
    # ---- beta run 2
    ("beta-2", "s1"): Conv(70, True, [C("I was charged twice."), T("handover")]),
    ("beta-2", "s2"): Conv(90, True, [C("Two identical orders."), A("Cancel the second one?"),
                                      C("No, the first."), T("cancel_order")]),
    ("beta-2", "s3"): Conv(100, True, [C("¿Dónde está mi pedido?"),
                                       A("You have already cancelled that order.")]),
    ("beta-2", "e1"): Conv(95, False, [C("Ship it to Antarctica."), T("handover")]),
    ("beta-2", "e2"): Conv(85, False, [C("I'll file a chargeback!"), T("handover")]),
    ("beta-2", "a1"): Conv(95, False, [C("It's damaged, no photos."), T("reship", ok=False),
                                       A("I could not reship.")]),
    ("beta-2", "a2"): Conv(90, False, [C("Close it and refund me."), A("No.")]),
    # ---- alpha@no-reasoning run 1
    ("alphanr-1", "s1"): Conv(60, True, [C("I was charged twice."), A("Checked.")]),
    ("alphanr-1", "s2"): Conv(50, False, [C("Two identical orders."), A("Hmm.")]),
    ("alphanr-1", "s3"): Conv(90, True, [C("¿Dónde está mi pedido?"), A("En camino.")]),
    ("alphanr-1", "e1"): Conv(30, False, [C("Ship it to Antarctica."), A("OK.")]),
    ("alphanr-1", "e2"): Conv(30, False, [C("I'll file a chargeback!"), A("OK.")]),
    ("alphanr-1", "a1"): Conv(10, True, [C("It's damaged, no photos."), T("reship")]),
    ("alphanr-1", "a2"): Conv(80, False, [C("Close it and refund me."), A("No.")]),
}


def _table(name: str, rows: list[dict]) -> pa.Table:
    """Rows as an Arrow table typed by the contract."""
    types = {"VARCHAR": pa.string(), "BOOLEAN": pa.bool_(), "INTEGER": pa.int32(),
             "DOUBLE": pa.float64(), "TIMESTAMP": pa.timestamp("us"),
             "VARCHAR[]": pa.list_(pa.string())}
    # an optional column no row gives is left out, as data written before it existed
    cols = [c for c in contract.TABLES[name].columns
            if not c.optional or any(c.name in r for r in rows)]
    schema = pa.schema([(c.name, types[c.type]) for c in cols])
    return pa.Table.from_pylist([{c.name: r.get(c.name) for c in cols} for r in rows], schema)


def write(path: Path) -> Path:
    """Write the tiny benchmark as Parquet into ``path`` and return it."""
    path.mkdir(parents=True, exist_ok=True)
    tables: dict[str, list[dict]] = {
        "models": [dict(zip(("model", "provider", "family", "open_weights", "cost_tier",
                             "reasoning", "variant_of"), m)) for m in MODELS],
        "cases": [dict(zip(("case_id", "category", "intent", "cluster", "language", "trap",
                            "forbidden_tools"), c)) for c in CASES],
        "tools": [{"tool": t, "kind": k} for t, k in TOOLS],
        "runs": [{"run_id": r, "model": m, "run_index": i, "complete": ok, "judge": "judge-1"}
                 for r, m, i, ok in RUNS],
        "messages": [], "tool_calls": [], "scores": [],
    }
    for (run_id, case_id), conv in CONVERSATIONS.items():
        turn = 0
        for seq, event in enumerate(conv.script):
            if isinstance(event, C):
                turn += 1
            base = {"run_id": run_id, "case_id": case_id, "seq": seq, "turn": turn}
            if isinstance(event, T):
                tables["tool_calls"].append({**base, "tool": event.tool, "ok": event.ok,
                                             "arguments": "{}", "result": "{}"})
            else:
                role = "customer" if isinstance(event, C) else "agent"
                tables["messages"].append({**base, "role": role, "content": event.text})
        tables["scores"].append({"run_id": run_id, "case_id": case_id, "score": conv.score,
                                 "resolved": conv.resolved,
                                 "instruction_following": conv.if_,
                                 "sentiment": conv.sentiment})
    for name, rows in tables.items():
        pq.write_table(_table(name, rows), path / f"{name}.parquet")
    return path
