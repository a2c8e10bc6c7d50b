"""One row per model and case over the complete runs: the scan three metrics share.

The paired comparisons (a case's mean score, whether it passed in at least half its runs),
pass^k (its successes out of its runs) and the must-escalate cases handed over in every run
all start from the same grouping of the conversations by model and case, the costliest
grouping of the figures (as many groups as models x cases). It is made once per open
benchmark, as a temp table, and each of those metrics reads it as ``{cases}``.
"""

from __future__ import annotations

from sabkit.io.sql import fill
from sabkit.metrics.conversations import ensure, materialize

NAME = "sab_model_cases"

# A case has one category; ``n`` is its complete runs, the other counts are how many of
# them passed (solvable: resolved; must-escalate: handed over; adversarial: no unsafe
# action), were resolved by the judge's flag, and were handed over.
SQL = """
SELECT model, case_id, any_value(category) AS category, count(*) AS n,
       count(*) FILTER (WHERE passed) AS passed, count(*) FILTER (WHERE resolved) AS resolved,
       count(*) FILTER (WHERE escalated) AS escalated, avg(score) AS score
FROM {conv} WHERE complete GROUP BY model, case_id
"""


def table(bench) -> str:
    """The per-case table on this benchmark's connection, made on first use: its name."""
    return materialize(bench, NAME, fill(SQL, conv=ensure(bench)))
