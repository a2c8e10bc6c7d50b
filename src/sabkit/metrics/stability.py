"""Stability across runs: how far a model's runs spread, and pass^k per category.

The spread is max - min of the per-run mean judge score, ranked among board models with
two or more complete runs (1 = widest). Run overlap answers "gemma's best run beats mini's
worst": every model's best and worst run side by side. pass^k is tau-bench's estimator.
"""

from __future__ import annotations

import polars as pl

from sabkit.metrics.conversations import query

RUN_SCORES = """
WITH per_run AS (
    SELECT model, board, run_index, score FROM {per_run}
), per_model AS (
    SELECT model, board, count(*) AS runs, median(score) AS median, max(score) AS best,
           min(score) AS worst, max(score) - min(score) AS spread
    FROM per_run GROUP BY model, board
)
SELECT m.*,
       CASE WHEN m.runs >= 2 THEN (SELECT count(*) FROM per_model b
                                   WHERE b.board AND b.runs >= 2 AND b.spread > m.spread) + 1
       END AS spread_rank,
       (SELECT count(*) FROM per_model b WHERE b.board AND b.runs >= 2) AS "of"
FROM per_model m ORDER BY m.model
"""

PASS_HAT_K = """
WITH tallies AS (  -- every case with c successes in n runs has the same pass^k: count them once
    SELECT model, category, passed AS c, n, count(*) AS cases FROM {per_case} GROUP BY ALL
    UNION ALL
    SELECT model, 'all', resolved, n, count(*) FROM {per_case} GROUP BY ALL
), per_k AS (  -- C(c, k) / C(n, k) = c/n (c-1)/(n-1) ... (k factors), a running product
                -- over k that stays 0 once the successes run out
    SELECT model, category, cases, i + 1 AS k,
           product(greatest(c - i, 0) / (n - i)) OVER (
               PARTITION BY model, category, c, n ORDER BY i) AS value
    FROM tallies, range(n) AS r(i)
)
SELECT model, category, k, sum(cases * value) / sum(cases) AS value
FROM per_k GROUP BY model, category, k ORDER BY model, category, k
"""


def spread_across_runs(bench) -> pl.DataFrame:
    """"The second-widest spread on the board": each model's best, worst and median run
    score, the spread, and its rank among board models (1 = widest)."""
    return query(bench, RUN_SCORES)


def pass_hat_k(bench) -> pl.DataFrame:
    """pass^k per model and category, k = 1 .. the model's complete runs: the chance that k
    runs of a case all succeed (solvable: resolved; must-escalate: handed over; adversarial:
    no unsafe action; 'all': the judge's resolved flag), averaged over the cases with at
    least k runs. ``stats.pass_hat_k`` for every case, computed in one query: a model's
    cases fall into a few (successes, runs) tallies, so the estimator runs once per tally
    and not once per case and k (2.4 million rows at 125 models x 12 runs)."""
    return query(bench, PASS_HAT_K)
