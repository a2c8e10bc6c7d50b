"""The statistics against known values: Wilson, pass^k, the paired interval, McNemar."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as sps

from sabkit.metrics import stats


def test_wilson_zero_of_24_textbook():
    # 0 successes of n: the Wilson upper bound is z^2 / (n + z^2) = 3.8415 / 27.8415.
    lo, hi = stats.wilson(0, 24)
    assert lo == 0
    assert hi == pytest.approx(0.1380, abs=5e-4)


def test_wilson_8_of_18_matches_scipy():
    # The reports' "duplicate order (44%)" is 8 of 18.
    lo, hi = stats.wilson(8, 18)
    ci = sps.binomtest(8, 18).proportion_ci(0.95, method="wilson")
    assert (lo, hi) == pytest.approx((ci.low, ci.high), abs=1e-9)
    assert (round(float(lo), 3), round(float(hi), 3)) == (0.246, 0.663)


def test_wilson_is_vectorised():
    lo, hi = stats.wilson([0, 18], [18, 18])
    assert lo[0] == 0 and hi[1] == 1


def test_pass_hat_k_by_hand():
    # Three cases run 3 times: all pass, 2 of 3 pass, none pass.
    c, n = np.array([3, 2, 0]), np.array([3, 3, 3])
    # pass^1 = mean(c/n) = (1 + 2/3 + 0) / 3; pass^2 = (C(3,2)/C(3,2) + C(2,2)/C(3,2) + 0) / 3
    assert stats.pass_hat_k(c, n, 1).mean() == pytest.approx(5 / 9)
    assert stats.pass_hat_k(c, n, 2).mean() == pytest.approx((1 + 1 / 3) / 3)
    assert stats.pass_hat_k(c, n, 3).mean() == pytest.approx(1 / 3)


def test_paired_interval_agrees_with_scipy_bootstrap():
    rng = np.random.default_rng(7)
    d = rng.normal(1.5, 6.0, size=162)  # per-case score differences, 162 cases
    mine = stats.paired_difference(d.mean(), d.std(ddof=1), len(d))
    boot = sps.bootstrap((d,), np.mean, confidence_level=0.95, n_resamples=4000,
                         method="percentile", rng=np.random.default_rng(1))
    width = mine["ci_hi"] - mine["ci_lo"]
    print(f"t interval [{mine['ci_lo']:.3f}, {mine['ci_hi']:.3f}] vs bootstrap "
          f"[{boot.confidence_interval.low:.3f}, {boot.confidence_interval.high:.3f}]")
    assert mine["ci_lo"] == pytest.approx(boot.confidence_interval.low, abs=0.05 * width)
    assert mine["ci_hi"] == pytest.approx(boot.confidence_interval.high, abs=0.05 * width)


def test_paired_verdicts():
    out = stats.paired_difference([0.5, 5.0, -5.0, 0.0], [4.0, 4.0, 4.0, 0.0], [162] * 4)
    assert list(out["verdict"]) == ["tie", "better", "worse", "tie"]
    assert out["p"][3] == 1.0


def test_mcnemar_exact_matches_binomial_test():
    for b, c in [(0, 1), (3, 9), (10, 2), (5, 5)]:
        expected = sps.binomtest(min(b, c), b + c, 0.5).pvalue
        assert stats.mcnemar_exact(b, c) == pytest.approx(expected)
    assert stats.mcnemar_exact(0, 0) == 1.0


def test_correlation_matches_scipy():
    x = np.array([3.2, 3.4, 3.6, 4.0, 4.8, 5.1, 5.4, 3.6])  # a tie, for the ranks
    y = np.array([84, 88, 82, 78, 70, 66, 61.0, 80])
    r = stats.correlation(x, y)
    pearson, spearman = sps.pearsonr(x, y), sps.spearmanr(x, y)
    ci = pearson.confidence_interval(0.95)
    assert r["pearson_r"] == pytest.approx(pearson.statistic)
    assert r["pearson_p"] == pytest.approx(pearson.pvalue)
    assert r["pearson_ci"] == pytest.approx([ci.low, ci.high])
    assert r["spearman_rho"] == pytest.approx(spearman.statistic)
    assert r["spearman_p"] == pytest.approx(spearman.pvalue)
    assert stats.correlation(x[:3], y[:3])["pearson_r"] is None


def test_paired_interval_matches_scipy_t():
    d = np.array([-20, -5, 30, -10, 7.5, -80, 5])
    out = stats.paired_difference(d.mean(), d.std(ddof=1), len(d))
    ci = sps.ttest_1samp(d, 0).confidence_interval(0.95)
    assert (out["ci_lo"], out["ci_hi"]) == pytest.approx((ci.low, ci.high))
    assert out["p"] == pytest.approx(sps.ttest_1samp(d, 0).pvalue)


def test_importing_facts_leaves_scipy_unloaded():
    # scipy.special costs 0.2 s to import: sabkit.stats imports it only when called.
    import subprocess
    import sys

    code = "import sys, sabkit.facts; print(sorted(m for m in sys.modules if 'scipy' in m))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
