"""Resolution: the share of solvable conversations the judge marks resolved."""

from __future__ import annotations

import polars as pl

from sabkit.metrics import stats
from sabkit.metrics.conversations import headline, query

PER_RUN = """
SELECT model, run_index, resolved, solvable AS conversations, resolved / solvable AS rate
FROM {per_run} WHERE solvable > 0
"""

BY_INTENT = """
SELECT model, intent, resolved, conversations, resolved / conversations AS rate
FROM {per_intent} WHERE category = 'solvable' ORDER BY model, intent
"""


def resolution_per_run(bench) -> pl.DataFrame:
    """Each complete run's resolution rate (model x run)."""
    return query(bench, PER_RUN + " ORDER BY model, run_index")


def resolves_the_customers_request(bench) -> pl.DataFrame:
    """"Resolves the customer's actual request (solvable)": median over runs, per run."""
    return query(bench, headline(PER_RUN, "rate", ("resolved", "conversations")))


def resolution_by_intent(bench) -> pl.DataFrame:
    """Resolution per solvable intent, pooled over complete runs, with its Wilson interval
    ("return used resolved 0.50" is 6 of 12) (model x intent)."""
    return stats.with_wilson(query(bench, BY_INTENT),
                             "resolved", "conversations")
