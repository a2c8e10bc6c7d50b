"""How a model compares: paired differences on the same cases, ties, and value dominance.

Two models are compared on the cases both ran. Each case's judge score is averaged over
the model's complete runs, the per-case differences are averaged, and the standard error
is that of a mean of per-case differences: each case is one cluster, so a case's repeated
runs do not count as independent evidence. The 95% t interval gives the verdict: "tie"
when it holds zero. McNemar's exact test does the same for pass/fail, a case passing when
it succeeded in at least half its complete runs. "Statistical tie" and "value-dominated"
in the report come from here, never from eyeballing two medians.
"""

from __future__ import annotations

import polars as pl

from sabkit.metrics import stats
from sabkit.contract import COST_TIERS
from sabkit.metrics.conversations import query

PAIRS = """
WITH case_means AS (
    SELECT model, case_id, avg(score) AS score, avg(passed::INT) >= 0.5 AS passed
    FROM {conv} WHERE complete GROUP BY model, case_id
), numbered AS (  -- integer keys: the pair join makes models^2 x cases rows (12M at 125
                  -- models), and joining and grouping them on names took twice as long
    SELECT model, dense_rank() OVER (ORDER BY model) AS m,
           dense_rank() OVER (ORDER BY case_id) AS c, score, passed
    FROM case_means
), medians AS (
    SELECT model, median(score) AS score_median
    FROM (SELECT model, run_index, avg(score) AS score FROM {conv} WHERE complete
          GROUP BY model, run_index) GROUP BY model
), half AS (  -- each pair once, m < o: the other way round is its mirror image
    SELECT a.m, b.m AS o,
           avg(a.score - b.score) AS mean_diff, coalesce(stddev_samp(a.score - b.score), 0) AS sd,
           count(*) AS cases,
           count(*) FILTER (WHERE a.passed AND NOT b.passed) AS only_model_passes,
           count(*) FILTER (WHERE b.passed AND NOT a.passed) AS only_other_passes
    FROM numbered a JOIN numbered b ON a.c = b.c AND a.m < b.m
    GROUP BY a.m, b.m
), pairs AS (
    SELECT * FROM half
    UNION ALL
    SELECT o, m, -mean_diff, sd, cases, only_other_passes, only_model_passes FROM half
), names AS (SELECT DISTINCT m, model FROM numbered)
SELECT a.model, b.model AS other, mean_diff, sd, cases, only_model_passes, only_other_passes,
       ma.score_median - mb.score_median AS median_gap,
       o.cost_tier AS other_cost_tier, s.cost_tier
FROM pairs p
JOIN names a ON a.m = p.m
JOIN names b ON b.m = p.o
JOIN models s ON s.model = a.model
JOIN models o ON o.model = b.model
JOIN medians ma ON ma.model = a.model
JOIN medians mb ON mb.model = b.model
WHERE o.variant_of IS NULL
ORDER BY a.model, b.model
"""


def paired_comparisons(bench) -> pl.DataFrame:
    """Every model against every board model (model x other): the paired score difference
    (model minus other) with its case-clustered SE, 95% interval, p-value and verdict, and
    McNemar's exact p on per-case pass/fail."""
    pairs = query(bench, PAIRS)
    test = stats.paired_difference(pairs["mean_diff"].to_numpy(), pairs["sd"].to_numpy(),
                                   pairs["cases"].to_numpy())
    mcnemar = stats.mcnemar_exact(pairs["only_model_passes"].to_numpy(),
                                  pairs["only_other_passes"].to_numpy())
    return pairs.with_columns(
        se=pl.Series(test["se"]), ci_lo=pl.Series(test["ci_lo"]),
        ci_hi=pl.Series(test["ci_hi"]), p=pl.Series(test["p"]),
        verdict=pl.Series(test["verdict"]), mcnemar_p=pl.Series(mcnemar),
        tier_gap=_tier(pl.col("other_cost_tier")) - _tier(pl.col("cost_tier")))


def nearest_on_quality(pairs: pl.DataFrame, k: int = 4) -> pl.DataFrame:
    """The ``k`` board models nearest to each model on median score ("it matches
    gpt-5.4-mini on quality"), nearest first, with their paired test."""
    return (pairs.with_columns(distance=pl.col("median_gap").abs())
            .sort("model", "distance", "other")
            .with_columns(nearest_rank=pl.col("distance").rank("ordinal").over("model"))
            .filter(pl.col("nearest_rank") <= k))


def value_dominance(pairs: pl.DataFrame) -> pl.DataFrame:
    """"Strictly dominated on price": for each model, the board models of a cheaper tier
    that are not significantly worse (``dominated_by``) and of a dearer tier that it is not
    significantly worse than (``dominates``). Models without a tier take no part."""
    priced = pairs.filter(pl.col("tier_gap").is_not_null())
    return priced.with_columns(
        dominated_by=(pl.col("tier_gap") < 0) & (pl.col("verdict") != "better"),
        dominates=(pl.col("tier_gap") > 0) & (pl.col("verdict") != "worse"),
    ).filter(pl.col("dominated_by") | pl.col("dominates"))


def _tier(col: pl.Expr) -> pl.Expr:
    """A cost tier as 1 ($) .. 4 ($$$$); null stays null."""
    return col.replace_strict({t: i for i, t in enumerate(COST_TIERS, 1)}, default=None,
                              return_dtype=pl.Int32)
