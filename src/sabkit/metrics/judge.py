"""The judge's own figures: score (0-100), instruction-following and sentiment (0-1).

Means per run for the headline (median of runs), pooled means per intent, cluster and
category for the tables. Instruction-following and sentiment are null where the benchmark
does not measure them (imported tau-bench data), and stay null: never 0 or NaN.
"""

from __future__ import annotations

import polars as pl

from sabkit.io.sql import fill, ident
from sabkit.metrics.per_run import query

FIGURES = ("score", "instruction_following", "sentiment")

PER_RUN = """
SELECT model, run_index, conversations, score, instruction_following, sentiment
FROM {per_run}
"""

HEADLINE = """
SELECT model, """ + ", ".join(
    f"median({f}) AS {f}_median, list({f} ORDER BY run_index) AS {f}_per_run, "
    f"max({f}) - min({f}) AS {f}_spread" for f in FIGURES) + """,
       list(run_index ORDER BY run_index) AS run_indices,
       sum(score * conversations) / sum(conversations) AS score_mean
FROM (""" + PER_RUN + """) GROUP BY model ORDER BY model
"""

POOLED = """
SELECT model, {level} AS name, count(*) AS conversations, avg(score) AS score,
       avg(instruction_following) AS instruction_following, avg(sentiment) AS sentiment
FROM {conv} WHERE complete AND {level} IS NOT NULL
GROUP BY model, {level} ORDER BY model, name
"""


def judge_per_run(bench) -> pl.DataFrame:
    """Each complete run's mean score, instruction-following and sentiment (model x run)."""
    return query(bench, PER_RUN + " ORDER BY model, run_index")


def judge_headlines(bench) -> pl.DataFrame:
    """"Follows store policy ≈0.82", "sentiment ≈0.94", the judge score: the median over
    runs of each run's mean, every run's mean, the spread (max - min), and the mean over
    all conversations ("avg 0.886" over two runs) per model."""
    return query(bench, HEADLINE)


def judge_by(bench, level: str) -> pl.DataFrame:
    """Pooled means per ``level`` ('intent', 'cluster' or 'category'): "damaged item 0.62"
    (model x level)."""
    if level not in ("intent", "cluster", "category"):
        raise ValueError(f"level must be intent, cluster or category, not {level!r}")
    return query(bench, fill(POOLED, level=ident(level)))
