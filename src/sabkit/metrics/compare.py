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

import numpy as np
import polars as pl

from sabkit.metrics import stats
from sabkit.contract import COST_TIERS
from sabkit.metrics.conversations import query

# One row per model and case (``{per_case}``): the case's judge score averaged over the
# model's complete runs, whether it passed in at least half of them, and the model's median
# run score. The pairs are made from these rows in numpy (``_pairs``): joining them in SQL
# made models^2 x cases rows (6.3 million at 125 models) to group again.
CASES = """
WITH medians AS (
    SELECT model, median(score) AS score_median FROM {per_run} GROUP BY model
)
SELECT c.model, c.case_id, c.score, c.passed * 2 >= c.n AS passed, m.score_median,
       s.cost_tier, s.variant_of IS NULL AS board
FROM {per_case} c JOIN medians m USING (model) JOIN models s USING (model)
"""

_PAIR = {"mean_diff": pl.Float64, "sd": pl.Float64, "cases": pl.Int64,
         "only_model_passes": pl.Int64, "only_other_passes": pl.Int64}


def paired_comparisons(bench) -> pl.DataFrame:
    """Every model against every board model (model x other): the paired score difference
    (model minus other) with its case-clustered SE, 95% interval, p-value and verdict, and
    McNemar's exact p on per-case pass/fail."""
    pairs = _pairs(query(bench, CASES))
    test = stats.paired_difference(pairs["mean_diff"].to_numpy(), pairs["sd"].to_numpy(),
                                   pairs["cases"].to_numpy())
    mcnemar = stats.mcnemar_exact(pairs["only_model_passes"].to_numpy(),
                                  pairs["only_other_passes"].to_numpy())
    return pairs.with_columns(
        se=pl.Series(test["se"]), ci_lo=pl.Series(test["ci_lo"]),
        ci_hi=pl.Series(test["ci_hi"]), p=pl.Series(test["p"]),
        verdict=pl.Series(test["verdict"]), mcnemar_p=pl.Series(mcnemar),
        tier_gap=_tier(pl.col("other_cost_tier")) - _tier(pl.col("cost_tier")))


def _pairs(cases: pl.DataFrame) -> pl.DataFrame:
    """Each model against each board model on the cases both ran, from the model x case
    rows of ``CASES``: the mean and sample standard deviation of the per-case score
    differences (model minus other), the cases, and the discordant pass/fail counts. Each
    pair is computed once, model before other, and mirrored: the other way round holds the
    same differences with the sign flipped."""
    models = cases.group_by("model").agg(pl.first("score_median", "cost_tier", "board")).sort(
        "model")
    case_ids = cases["case_id"].unique().sort()
    # each row's model and case as a number (its place in ``models`` and ``case_ids``)
    m = cases["model"].cast(pl.Enum(models["model"])).to_physical().to_numpy()
    c = cases["case_id"].cast(pl.Enum(case_ids)).to_physical().to_numpy()
    ran = np.zeros((models.height, len(case_ids)), dtype=bool)
    score, passed = np.zeros(ran.shape), np.zeros(ran.shape, dtype=bool)
    ran[m, c] = True
    score[m, c] = cases["score"].to_numpy()
    passed[m, c] = cases["passed"].to_numpy()
    # the discordant pass/fail counts of every pair at once: whole numbers, exact
    ok, failed = (ran & passed).astype(float), (ran & ~passed).astype(float)
    only = (ok @ failed.T).astype(np.int64)  # [a, b]: cases a passed and b did not
    parts = []
    for a in range(models.height - 1):  # a against every later model at once
        both = ran[a] & ran[a + 1:]
        n = both.sum(axis=1)
        d = (score[a] - score[a + 1:]) * both
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = d.sum(axis=1) / n
            dev = (d - mean[:, None]) * both  # two passes, as exact as the data allows
            sd = np.where(n > 1, np.sqrt((dev * dev).sum(axis=1) / (n - 1)), 0.0)
        parts.append((np.full(len(n), a), np.arange(a + 1, models.height), mean, sd, n))
    if not parts:  # fewer than two models: no pairs
        return pl.DataFrame(schema={"model": pl.String, "other": pl.String, **_PAIR,
                                    "median_gap": pl.Float64, "other_cost_tier": pl.String,
                                    "cost_tier": pl.String})
    first, second, mean, sd, n = (np.concatenate(x) for x in zip(*parts))
    half = pl.DataFrame({"m": first, "o": second, "mean_diff": mean, "sd": sd, "cases": n,
                         "only_model_passes": only[first, second],
                         "only_other_passes": only[second, first]},
                        schema={"m": pl.Int64, "o": pl.Int64, **_PAIR}
                        ).filter(pl.col("cases") > 0)
    mirrored = half.select(m="o", o="m", mean_diff=-pl.col("mean_diff"), sd="sd", cases="cases",
                           only_model_passes="only_other_passes",
                           only_other_passes="only_model_passes")
    side = models.with_row_index("m").with_columns(pl.col("m").cast(pl.Int64))
    other = side.select(o="m", other="model", other_median="score_median",
                        other_cost_tier="cost_tier", other_board="board")
    return (pl.concat([half, mirrored]).join(side, on="m").join(other, on="o")
            .filter("other_board")
            .select("model", "other", *_PAIR,
                    median_gap=pl.col("score_median") - pl.col("other_median"),
                    other_cost_tier="other_cost_tier", cost_tier="cost_tier")
            .sort("model", "other"))


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
