"""The quote look-ups over one conversation's turns (sabkit.report.turns) answer what the
SQL they replaced answered, on a conversation built to trip them: blank and space-only
text (DuckDB's trim strips Unicode spaces, not tabs), reasoning on both sides of a call in
its turn, a failed call, the customer's own calls, a tool the tools table does not know.

The reference is each look-up's former query, run by DuckDB on the same rows."""

from __future__ import annotations

import duckdb
import pytest

from sabkit.report import turns

RUN, CASE = "r1", "c1"
# seq, turn, role, content, reasoning
MESSAGES = [
    (0, 1, "customer", "My mug broke.", None),
    (1, 1, "agent", "Let me check.", "   "),
    (2, 1, "agent", "\u00a0\u3000 ", "Look the order up first."),
    (4, 1, "agent", "\t", "After the lookup: reship?"),
    (5, 2, "customer", " ", None),
    (6, 2, "customer", "Just send a new one now!", None),
    (7, 2, "agent", "", "Policy needs a photo.\nBut fine."),
    (9, 2, "agent", "I have reshipped it.", None),
    (11, 2, "agent", "Anything else?", "Close."),
    (12, 3, "customer", "No.", None),
    (14, 3, "agent", " \u2003", "Nothing."),
]
# seq, turn, tool, result, ok, caller
CALLS = [
    (3, 1, "lookup_order", '"found"', True, "agent"),
    (8, 2, "reship", '{"ok": true}', False, "agent"),
    (10, 2, "reship", '"done"', True, "agent"),
    (13, 3, "toggle_airplane", '"airplane mode on"', True, "customer"),
    (15, 3, "mystery", None, True, "agent"),
    (16, 3, "handover", None, True, "agent"),
    (17, 3, "check_signal", '"no signal"', True, "customer"),
]
TOOLS = [("lookup_order", "read"), ("reship", "write"), ("handover", "handover"),
         ("toggle_airplane", "write"), ("check_signal", "read")]


class Bench:
    def __init__(self):
        self.con = duckdb.connect()
        self.con.execute("CREATE TABLE messages (run_id VARCHAR, case_id VARCHAR, seq INTEGER,"
                         " turn INTEGER, role VARCHAR, content VARCHAR, reasoning VARCHAR)")
        self.con.execute("CREATE TABLE tool_calls (run_id VARCHAR, case_id VARCHAR, "
                         "seq INTEGER, turn INTEGER, tool VARCHAR, arguments VARCHAR, "
                         "result VARCHAR, ok BOOLEAN, caller VARCHAR)")
        self.con.execute("CREATE TABLE tools (tool VARCHAR, kind VARCHAR)")
        self.con.execute("CREATE TABLE scores (run_id VARCHAR, case_id VARCHAR, "
                         "rationale VARCHAR)")
        for run, case in ((RUN, CASE), ("r2", CASE)):  # another run: never fetched
            self.con.executemany("INSERT INTO messages VALUES (?, ?, ?, ?, ?, ?, ?)",
                                 [(run, case, *m) for m in MESSAGES])
            self.con.executemany("INSERT INTO tool_calls VALUES (?, ?, ?, ?, ?, '{}', ?, ?, ?)",
                                 [(run, case, *c) for c in CALLS])
            self.con.execute("INSERT INTO scores VALUES (?, ?, ?)", [run, case, f"{run} ok"])
        self.con.executemany("INSERT INTO tools VALUES (?, ?)", TOOLS)

    def one(self, sql, **params):
        rel = self.con.sql(sql, params={"run": RUN, "case": CASE, **params})
        rows = rel.fetchall()
        return dict(zip(rel.columns, rows[0])) if rows else None


@pytest.fixture(scope="module")
def bench():
    return Bench()


@pytest.fixture(scope="module")
def conv(bench):
    found, rationales = turns.fetch(bench, [(RUN, CASE), (RUN, "none")])
    assert found[(RUN, "none")] == [] and (RUN, "none") not in rationales
    assert rationales == {(RUN, CASE): "r1 ok"}
    return found[(RUN, CASE)]


SEQS = range(-1, 19)


def test_fetch_holds_every_turn_in_order(conv):
    assert [t["seq"] for t in conv] == sorted(m[0] for m in MESSAGES + CALLS)
    assert {t["kind"] for t in conv} == {"message", "call"}
    mystery = next(t for t in conv if t["tool"] == "mystery")
    assert mystery["tool_kind"] is None and mystery["role"] == "agent"
    assert turns.fetch(Bench(), []) == ({}, {})


def test_blank_is_duckdbs_trim(bench):
    chars = [chr(c) for c in range(0x3100)] + ["\U0001f600", "\ufeff"]
    stripped = bench.con.sql("SELECT c, trim(c) = '' FROM (SELECT unnest($c) AS c)",
                             params={"c": chars}).fetchall()
    assert {c for c, empty in stripped if empty} == {c for c in chars if turns.blank(c)}
    assert turns.blank(None) and turns.blank("") and not turns.blank("\t")


@pytest.mark.parametrize("tools,kind", [(["reship"], None), ([], "handover"), ([], "write"),
                                        (["mystery"], None), (["check_signal"], None),
                                        ([], None), (["lookup_order"], "handover")])
def test_first_call(bench, conv, tools, kind):
    want = bench.one("""
        SELECT tc.seq FROM tool_calls tc JOIN tools t USING (tool)
        WHERE tc.run_id = $run AND tc.case_id = $case AND tc.ok AND tc.caller = 'agent'
          AND (list_contains($tools::VARCHAR[], tc.tool) OR t.kind = $kind)
        ORDER BY tc.seq LIMIT 1""", tools=tools, kind=kind or "")
    got = turns.first_call(conv, tools=tools, kind=kind)
    assert (got and {"seq": got["seq"]}) == want


@pytest.mark.parametrize("seq", SEQS)
@pytest.mark.parametrize("turn", [1, 2, 3])
def test_reasoning_of_turn(bench, conv, seq, turn):
    want = bench.one("""
        SELECT reasoning FROM messages
        WHERE run_id = $run AND case_id = $case AND role = 'agent' AND turn = $turn
          AND coalesce(trim(reasoning), '') <> ''
        ORDER BY seq > $seq, abs(seq - $seq) LIMIT 1""", seq=seq, turn=turn)
    assert turns.reasoning_of_turn(conv, seq, turn) == (want or {}).get("reasoning")


@pytest.mark.parametrize("seq", SEQS)
def test_replies_and_lines_around_a_position(bench, conv, seq):
    after = bench.one("""
        SELECT content FROM messages
        WHERE run_id = $run AND case_id = $case AND role = 'agent' AND seq > $seq
          AND trim(content) <> '' ORDER BY seq LIMIT 1""", seq=seq)
    before = bench.one("""
        SELECT content FROM messages
        WHERE run_id = $run AND case_id = $case AND role = 'customer' AND seq < $seq
          AND trim(content) <> '' ORDER BY seq DESC LIMIT 1""", seq=seq)
    at = bench.one("""SELECT content AS text, reasoning FROM messages
                      WHERE run_id = $run AND case_id = $case AND seq = $seq""", seq=seq)
    assert turns.reply_after(conv, seq) == (after or {}).get("content")
    assert turns.customer_line_before(conv, seq) == (before or {}).get("content")
    got = turns.message(conv, seq)
    assert (got and {"text": got["text"], "reasoning": got["reasoning"]}) == at


@pytest.mark.parametrize("before", [None, *SEQS])
def test_customer_action(bench, conv, before):
    want = bench.one("""
        SELECT tool, result FROM tool_calls
        WHERE run_id = $run AND case_id = $case AND caller = 'customer'
          AND seq < coalesce($before, 2147483647)
        ORDER BY seq DESC LIMIT 1""", before=before)
    got = turns.customer_action(conv, before)
    assert (got and {"tool": got["tool"], "result": got["result"]}) == want


def test_last_reply_and_tools_called(bench, conv):
    last = bench.one("""
        SELECT seq, content AS text, reasoning FROM messages
        WHERE run_id = $run AND case_id = $case AND role = 'agent' AND trim(content) <> ''
        ORDER BY seq DESC LIMIT 1""")
    got = turns.last_reply(conv)
    assert {k: got[k] for k in ("seq", "text", "reasoning")} == last
    called = bench.con.sql("""
        SELECT DISTINCT tool FROM tool_calls WHERE run_id = $run AND case_id = $case
          AND caller = 'agent' ORDER BY tool""", params={"run": RUN, "case": CASE}).fetchall()
    assert turns.tools_called(conv) == [t for (t,) in called]
    assert turns.last_reply([]) is None and turns.tools_called([]) == []
