"""Confirm before acting: did the agent ask "shall I?" and hear a yes before changing the store?

A successful write call is *confirmed* when the last customer message before it says yes
and the last agent message before that customer message asked a question (holds a '?').
Otherwise the agent acted without confirming: the "confirm before acting skipped" of the
reports. Found with two ASOF joins in DuckDB, so message text never leaves the database; read from
the transcripts once per set of files and kept (``metrics.transcripts``).
"""

from __future__ import annotations

import polars as pl

from sabkit.io.sql import fill
from sabkit.metrics import transcripts
from sabkit.metrics.conversations import query

# An affirmative opening of the customer's reply, in the languages the sample holds.
YES = (r"^\W*(yes|yeah|yep|yup|sure|ok|okay|please|go ahead|do it|that'?s right|correct|"
       r"absolutely|definitely|s[ií]|claro|vale|de acuerdo|ja|gerne|genau|bitte|"
       r"oui|d'accord|bien s[uû]r|volontiers|certo|va bene|sim|pode|graag|prima|doe maar)\b")

# In the pass over the messages (metrics.transcripts), for conversations with a successful
# write only (the others have no write to confirm): whether a customer message says yes,
# whether an agent message asks.
FEATURES = {
    "yes": "CASE WHEN w.seq IS NOT NULL AND m.role = 'customer' "
           "THEN regexp_matches(m.content, $yes, 'i') END",
    "asked": "CASE WHEN w.seq IS NOT NULL AND m.role = 'agent' THEN contains(m.content, '?') END",
}

# Per transcript: every successful write call and whether it was confirmed. The ASOF joins
# sort both sides by conversation: on one integer per conversation (its run's and its case's
# numbers among the writes') rather than on the two strings, which took most of their time.
# Every write and every message of a conversation with a write has its numbers, so the
# LEFT JOINs to them drop nothing; an inner join would too, but DuckDB then estimates a
# handful of writes and plans the ASOF joins as nested loops, fifty times slower.
WRITES = """
WITH writes AS (
    SELECT tc.run_id, tc.case_id, tc.seq, tc.tool
    FROM {tool_calls} tc JOIN tools t USING (tool)
    WHERE t.kind = 'write' AND tc.ok
), run_numbers AS (
    SELECT run_id, row_number() OVER () AS run_number FROM (SELECT DISTINCT run_id FROM writes)
), case_numbers AS (
    SELECT case_id, row_number() OVER () AS case_number
    FROM (SELECT DISTINCT case_id FROM writes)
), keyed_writes AS (
    SELECT (run_number << 32) + case_number AS conversation, w.*
    FROM writes w LEFT JOIN run_numbers USING (run_id) LEFT JOIN case_numbers USING (case_id)
), said AS (  -- only conversations with a write: the ASOF joins sort what they get
    SELECT (run_number << 32) + case_number AS conversation, f.seq, f.role, f.yes, f.asked
    FROM {features} f LEFT JOIN run_numbers USING (run_id) LEFT JOIN case_numbers USING (case_id)
    WHERE f.first_write IS NOT NULL
), replies AS (
    SELECT conversation, seq, yes FROM said WHERE role = 'customer'
), questions AS (
    SELECT conversation, seq, asked FROM said WHERE role = 'agent'
), answered AS (
    SELECT w.*, r.seq AS reply_seq, r.yes
    FROM keyed_writes w ASOF LEFT JOIN replies r
      ON w.conversation = r.conversation AND w.seq > r.seq
), asked AS (
    SELECT a.*, q.asked
    FROM answered a ASOF LEFT JOIN questions q
      ON a.conversation = q.conversation AND a.reply_seq > q.seq
)
SELECT run_id, case_id, seq, tool, coalesce(asked AND yes, false) AS confirmed FROM asked
"""

TABLE = transcripts.declare("sab_write_calls", WRITES, {"yes": YES}, features=FEATURES)

# Write calls of complete runs; such a run has a score for every case
# (io.benchmark.RUN_STATUS), so the run and the case say all the conversation table would,
# at a thousandth of a join.
CONFIRMATION = """
SELECT r.model, r.run_index, w.case_id, c.intent, w.seq, w.tool, w.confirmed
FROM {writes} w JOIN run_status r USING (run_id) JOIN cases c USING (case_id)
WHERE r.complete
"""


def _confirmation(bench) -> str:
    """CONFIRMATION over this benchmark's write calls (read from the transcripts once)."""
    return fill(CONFIRMATION, writes=transcripts.table(bench, TABLE))


def write_calls_confirmed(bench) -> pl.DataFrame:
    """Every successful write call with whether the customer said yes to a question just
    before it (model x run x call)."""
    return query(bench, _confirmation(bench) + " ORDER BY model, run_index, case_id, seq")


def confirms_before_acting(bench) -> pl.DataFrame:
    """"Confirm before acting skipped on most actions": write calls, confirmed and skipped
    per model and intent; sum over intents for the model's figure."""
    return query(bench, f"""
        SELECT model, intent, count(*) AS write_calls,
               count(*) FILTER (WHERE confirmed) AS confirmed,
               count(*) FILTER (WHERE NOT confirmed) AS skipped
        FROM ({_confirmation(bench)}) GROUP BY model, intent ORDER BY model, intent
    """)
