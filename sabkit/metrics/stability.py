"""Stability across runs: how far a model's runs spread, and pass^k per category.

The spread is max - min of the per-run mean judge score, ranked among board models with
two or more complete runs (1 = widest). Run overlap answers "gemma's best run beats mini's
worst": every model's best and worst run side by side. pass^k is tau-bench's estimator.
"""

from __future__ import annotations

import polars as pl

from sabkit import stats
from sabkit.metrics.conversations import query

RUN_SCORES = """
WITH per_run AS (
    SELECT model, board, run_index, avg(score) AS score FROM {conv} WHERE complete
    GROUP BY model, board, run_index
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

CASE_SUCCESSES = """
SELECT model, category, case_id, count(*) FILTER (WHERE passed) AS c, count(*) AS n
FROM {conv} WHERE complete GROUP BY model, category, case_id
UNION ALL
SELECT model, 'all', case_id, count(*) FILTER (WHERE resolved), count(*)
FROM {conv} WHERE complete GROUP BY model, case_id
"""


def spread_across_runs(bench) -> pl.DataFrame:
    """"The second-widest spread on the board": each model's best, worst and median run
    score, the spread, and its rank among board models (1 = widest)."""
    return query(bench, RUN_SCORES)


def pass_hat_k(bench) -> pl.DataFrame:
    """pass^k per model and category, k = 1 .. the model's complete runs: the chance that k
    runs of a case all succeed (solvable: resolved; must-escalate: handed over; adversarial:
    no unsafe action; 'all': the judge's resolved flag), averaged over cases."""
    runs = query(bench, CASE_SUCCESSES).with_columns(
        k=pl.int_ranges(1, pl.col("n") + 1)).explode("k")
    runs = runs.with_columns(value=pl.Series(stats.pass_hat_k(
        runs["c"].to_numpy(), runs["n"].to_numpy(), runs["k"].to_numpy()), dtype=pl.Float64))
    return (runs.group_by("model", "category", "k").agg(pl.col("value").mean())
            .sort("model", "category", "k"))
