"""The judge's own figures: score (0-100), instruction-following and sentiment (0-1).

Means per run for the headline (median of runs), pooled means per intent, cluster and
category for the tables. Instruction-following and sentiment are null where the benchmark
does not measure them (imported tau-bench data), and stay null: never 0 or NaN.
"""

from __future__ import annotations

import polars as pl

from sabkit.metrics.conversations import query

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

LEVELS = ("intent", "cluster", "category")

# One grouping per level over the cells of {per_cell} (GROUPING SETS): in each set the other
# two levels are null, so the one that is not names the row; a cell without a cluster is
# left out of the cluster level. A mean is its cells' sum over their count, the mean of
# the conversations themselves.
POOLED = """
SELECT * FROM (
    SELECT model, CASE WHEN NOT grouping(intent) THEN 'intent'
                       WHEN NOT grouping(cluster) THEN 'cluster' ELSE 'category' END AS level,
           coalesce(intent, cluster, category) AS name,
           sum(conversations)::BIGINT AS conversations, """ + ", ".join(
    f"sum({f}_sum) / sum({f}_n) AS {f}" for f in FIGURES) + """
    FROM {per_cell}
    GROUP BY GROUPING SETS ((model, intent), (model, cluster), (model, category))
) WHERE name IS NOT NULL ORDER BY level, model, name
"""


def judge_per_run(bench) -> pl.DataFrame:
    """Each complete run's mean score, instruction-following and sentiment (model x run)."""
    return query(bench, PER_RUN + " ORDER BY model, run_index")


def judge_headlines(bench) -> pl.DataFrame:
    """"Follows store policy ≈0.82", "sentiment ≈0.94", the judge score: the median over
    runs of each run's mean, every run's mean, the spread (max - min), and the mean over
    all conversations ("avg 0.886" over two runs) per model."""
    return query(bench, HEADLINE)


def judge_by(bench) -> dict[str, pl.DataFrame]:
    """Pooled means per intent, cluster and category: "damaged item 0.62" (level ->
    model x name)."""
    pooled = query(bench, POOLED)
    return {level: pooled.filter(pl.col("level") == level).drop("level") for level in LEVELS}
