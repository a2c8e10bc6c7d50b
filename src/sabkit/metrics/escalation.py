"""Escalation (must-escalate cases handed over) and over-escalation (solvable ones handed over).

Escalation is a successful call to a tool of kind `handover`: the same trait that makes a
model escalate every must-escalate case makes it hand over easy tickets, so both live here.
"""

from __future__ import annotations

import polars as pl

from sabkit.metrics import stats
from sabkit.metrics.conversations import headline
from sabkit.metrics.conversations import query

ESCALATION_PER_RUN = """
SELECT model, run_index, escalated, must_escalate AS conversations,
       escalated / must_escalate AS rate
FROM {per_run} WHERE must_escalate > 0
"""

CASES_EVERY_RUN = """
SELECT model, count(*) AS cases, count(*) FILTER (WHERE escalated = n) AS cases_every_run
FROM {per_case} WHERE category = 'must_escalate'
GROUP BY model ORDER BY model
"""

BY_INTENT = """
SELECT model, intent, escalated, conversations, escalated / conversations AS rate
FROM {per_intent} WHERE category = $category ORDER BY model, intent
"""

MISSED = """
SELECT model, run_index, case_id, intent
FROM {conv} WHERE complete AND category = 'must_escalate' AND NOT escalated
ORDER BY model, run_index, case_id
"""

OVER_PER_RUN = """
SELECT model, run_index, over_escalated AS escalated, solvable AS conversations,
       over_escalated / solvable AS rate
FROM {per_run} WHERE solvable > 0
"""


def escalation_per_run(bench) -> pl.DataFrame:
    """Each complete run's share of must-escalate cases handed over (model x run)."""
    return query(bench, ESCALATION_PER_RUN + " ORDER BY model, run_index")


def escalates_the_cases_that_need_a_human(bench) -> pl.DataFrame:
    """"Escalates the cases that truly need a human": median over runs, per run."""
    return query(bench, headline(ESCALATION_PER_RUN, "rate", ("escalated", "conversations")))


def cases_escalated_in_every_run(bench) -> pl.DataFrame:
    """"Handover fired on all 24 must-escalate cases in all three runs": per model."""
    return query(bench, CASES_EVERY_RUN)


def escalation_by_intent(bench) -> pl.DataFrame:
    """Escalation per must-escalate intent, pooled over complete runs, with its Wilson
    interval (model x intent)."""
    return _by_intent(bench, "must_escalate")


def missed_escalations(bench) -> pl.DataFrame:
    """Every must-escalate conversation without a handover (model x run x case)."""
    return query(bench, MISSED)


def over_escalation_per_run(bench) -> pl.DataFrame:
    """Each complete run's share of solvable conversations handed over (model x run)."""
    return query(bench, OVER_PER_RUN + " ORDER BY model, run_index")


def over_escalates_resolvable_tickets(bench) -> pl.DataFrame:
    """"≈10% over-escalation on resolvable tickets": median over runs, per run."""
    return query(bench, headline(OVER_PER_RUN, "rate", ("escalated", "conversations")))


def over_escalation_by_intent(bench) -> pl.DataFrame:
    """Over-escalation per solvable intent pooled over complete runs, with its Wilson
    interval ("duplicate order (44%)" is 8 of 18: 6 cases x 3 runs)."""
    return _by_intent(bench, "solvable")


def _by_intent(bench, category: str) -> pl.DataFrame:
    return stats.with_wilson(query(bench, BY_INTENT, {"category": category}), "escalated",
                             "conversations")
