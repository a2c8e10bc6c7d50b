"""pass^k and the paired comparisons, whose SQL takes shortcuts for speed, against the
plain computation they replace: pass^k case by case with ``stats.pass_hat_k``, and every
pair of models joined on their common cases in polars. A shortcut that moves a figure
fails here, on hand-counted runs and on the sample benchmark (to 1e-12).
"""

from __future__ import annotations

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from sabkit.io.sql import fill
from sabkit.metrics import stats
from sabkit.metrics import compare, stability
from sabkit.metrics.conversations import GROUPINGS, conversations



def test_pass_hat_k_sql_by_hand():
    # One model, four solvable cases with uneven runs, as (case, passed, resolved):
    #   x: 2 of 3 pass -> pass^1..3 = 2/3, C(2,2)/C(3,2) = 1/3, 0
    #   y, w: 2 of 2   -> 1, 1 (the same tally twice: it must weigh twice)
    #   z: 3 of 4      -> 3/4, C(3,2)/C(4,2) = 1/2, C(3,3)/C(4,3) = 1/4, 0
    # pass^k averages the cases with at least k runs: k = 3 is x and z only, k = 4 z only.
    # An incomplete run's conversation (the last row) counts for nothing.
    rows = [("x", True, True), ("x", True, False), ("x", False, False),
            ("y", True, True), ("y", True, True), ("w", True, True), ("w", True, True),
            ("z", True, True), ("z", True, True), ("z", True, True), ("z", False, True)]
    values = ", ".join(f"('m', 'solvable', '{c}', true, {p}, {r}, 50.0, false)"
                       for c, p, r in rows)
    values += ", ('m', 'solvable', 'y', false, false, false, 50.0, false)"
    conv = (f"(VALUES {values}) AS t(model, category, case_id, complete, passed, resolved, "
            "score, escalated)")
    per_case = f"({fill(GROUPINGS['per_case'][1], conv=conv)})"
    got = duckdb.sql(fill(stability.PASS_HAT_K, per_case=per_case)).pl()
    solvable = got.filter(category="solvable")
    assert solvable["k"].to_list() == [1, 2, 3, 4]
    assert solvable["value"].to_list() == pytest.approx(
        [(2 / 3 + 1 + 1 + 3 / 4) / 4, (1 / 3 + 1 + 1 + 1 / 2) / 4, (0 + 1 / 4) / 2, 0],
        abs=1e-15)
    # 'all' on the resolved flag: x 1 of 3, y 2 of 2, w 2 of 2, z 4 of 4
    assert got.filter(category="all")["value"].to_list() == pytest.approx(
        [(1 / 3 + 1 + 1 + 1) / 4, (0 + 1 + 1 + 1) / 4, (0 + 1) / 2, 1], abs=1e-15)


def _pass_hat_k_case_by_case(bench) -> pl.DataFrame:
    """pass^k as first written: every case's C(c, k) / C(n, k) for each k, then the mean."""
    conv = conversations(bench).filter("complete")
    per_case = pl.concat([
        conv.group_by("model", "category", "case_id").agg(
            c=pl.col("passed").sum(), n=pl.len()),
        conv.group_by("model", "case_id").agg(
            category=pl.lit("all"), c=pl.col("resolved").sum(), n=pl.len()),
    ], how="diagonal")
    runs = per_case.with_columns(k=pl.int_ranges(1, pl.col("n") + 1)).explode("k")
    runs = runs.with_columns(value=pl.Series(stats.pass_hat_k(
        runs["c"].to_numpy(), runs["n"].to_numpy(), runs["k"].to_numpy())))
    return (runs.group_by("model", "category", "k").agg(pl.col("value").mean())
            .sort("model", "category", "k"))


def test_pass_hat_k_matches_case_by_case(sample):
    assert_frame_equal(stability.pass_hat_k(sample), _pass_hat_k_case_by_case(sample),
                       check_dtypes=False, check_exact=False, rel_tol=0, abs_tol=1e-12)


def _pairs_plainly(bench) -> pl.DataFrame:
    """Every model against every board model, joined on their common cases by name."""
    conv = conversations(bench).filter("complete")
    cases = conv.group_by("model", "case_id").agg(
        score=pl.col("score").mean(), passed=pl.col("passed").cast(pl.Int32).mean() >= 0.5)
    board = bench.sql("SELECT model FROM models WHERE variant_of IS NULL")["model"]
    pairs = (cases.join(cases, on="case_id", suffix="_o")
             .filter(pl.col("model") != pl.col("model_o"), pl.col("model_o").is_in(board.to_list()))
             .with_columns(d=pl.col("score") - pl.col("score_o"))
             .group_by("model", pl.col("model_o").alias("other"))
             .agg(mean_diff=pl.col("d").mean(), sd=pl.col("d").std().fill_null(0),
                  cases=pl.len(),
                  only_model_passes=(pl.col("passed") & ~pl.col("passed_o")).sum(),
                  only_other_passes=(pl.col("passed_o") & ~pl.col("passed")).sum()))
    medians = (conv.group_by("model", "run_index").agg(pl.col("score").mean())
               .group_by("model").agg(score_median=pl.col("score").median()))
    return (pairs.join(medians, on="model")
            .join(medians.rename({"model": "other", "score_median": "other_median"}),
                  on="other")
            .with_columns(median_gap=pl.col("score_median") - pl.col("other_median"))
            .sort("model", "other"))


def test_paired_comparisons_match_a_plain_join(sample):
    columns = ["model", "other", "mean_diff", "sd", "cases", "only_model_passes",
               "only_other_passes", "median_gap"]
    got = compare.paired_comparisons(sample)
    assert_frame_equal(got.select(columns), _pairs_plainly(sample).select(columns),
                       check_dtypes=False, check_exact=False, rel_tol=0, abs_tol=1e-12)
    # each pair is computed once and mirrored: the other way round negates and swaps
    ab = got.join(got, left_on=["model", "other"], right_on=["other", "model"], suffix="_ba")
    assert ab.height > 0
    assert (ab["mean_diff"] + ab["mean_diff_ba"]).abs().max() == 0
    assert (ab["sd"] == ab["sd_ba"]).all() and (ab["p"] == ab["p_ba"]).all()
    assert (ab["only_model_passes"] == ab["only_other_passes_ba"]).all()
