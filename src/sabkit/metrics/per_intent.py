"""One row per model, category and intent over the complete runs: a scan five figures share.

Resolution and over-escalation per solvable intent, escalation per must-escalate intent,
and the benchmark context's missed escalations and models perfect on an intent all count
the conversations of a model's intent and how many were resolved or handed over. The
grouping is made once per open benchmark, as a temp table, and each reads it as
``{per_intent}``, its own definition beside it.
"""

from __future__ import annotations

from sabkit.io.sql import fill
from sabkit.metrics.conversations import ensure, materialize

NAME = "sab_model_intents"

SQL = """
SELECT model, any_value(board) AS board, category, intent, count(*) AS conversations,
       count(*) FILTER (WHERE resolved) AS resolved,
       count(*) FILTER (WHERE escalated) AS escalated
FROM {conv} WHERE complete GROUP BY model, category, intent
"""


def table(bench) -> str:
    """The per-intent table on this benchmark's connection, made on first use: its name."""
    return materialize(bench, NAME, fill(SQL, conv=ensure(bench)))
