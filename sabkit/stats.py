"""The statistics behind the report's careful words: intervals, ties, pass^k, McNemar.

Every function is vectorised (numpy arrays in, arrays out), so a metric computes one
figure for every model or every pair of models at once. scipy supplies the distributions.
"""

from __future__ import annotations

import numpy as np
from scipy import special, stats

Z95 = stats.norm.ppf(0.975)


def wilson(successes, n, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a proportion: sane at 0 of 24 and 18 of 18, where the
    normal approximation gives an interval of width zero. n = 0 gives (nan, nan)."""
    k = np.asarray(successes, dtype=float)
    n = np.asarray(n, dtype=float)
    z = stats.norm.ppf(0.5 + confidence / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    lo = np.where(n == 0, np.nan, np.where(k == 0, 0.0, np.clip(centre - half, 0, 1)))
    hi = np.where(n == 0, np.nan, np.where(k == n, 1.0, np.clip(centre + half, 0, 1)))
    return lo, hi


def pass_hat_k(successes, n, k) -> np.ndarray:
    """tau-bench's pass^k for one case: the chance that k runs drawn without replacement
    from the case's n runs all succeed, C(c, k) / C(n, k). Average it over cases."""
    c = np.asarray(successes, dtype=float)
    n = np.asarray(n, dtype=float)
    return special.comb(c, k) / special.comb(n, k)


def paired_difference(mean_diff, sd_diff, n_cases, confidence: float = 0.95) -> dict:
    """Interval and verdict for the mean of per-case differences between two models.

    Each case is a cluster: its runs are averaged first, so the standard error of the mean
    difference (sd / sqrt(n)) is the case-clustered one and repeated runs of a case do not
    count as independent evidence. A t interval with n - 1 degrees of freedom; the verdict
    is "tie" when the interval holds zero, else "better" / "worse" for the first model.
    """
    d = np.asarray(mean_diff, dtype=float)
    n = np.asarray(n_cases, dtype=float)
    se = np.asarray(sd_diff, dtype=float) / np.sqrt(n)
    df = np.maximum(n - 1, 1)
    t = stats.t.ppf(0.5 + confidence / 2, df)
    lo, hi = d - t * se, d + t * se
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(se > 0, 2 * stats.t.sf(np.abs(d / se), df), np.where(d == 0, 1.0, 0.0))
    verdict = np.where((lo <= 0) & (hi >= 0), "tie", np.where(d > 0, "better", "worse"))
    return {"diff": d, "se": se, "ci_lo": lo, "ci_hi": hi, "p": p, "verdict": verdict}


def mcnemar_exact(b, c) -> np.ndarray:
    """Exact two-sided McNemar p-value from the discordant pair counts b and c: the
    binomial test of min(b, c) out of b + c at one half."""
    b = np.asarray(b, dtype=float)
    c = np.asarray(c, dtype=float)
    n = b + c
    p = 2 * stats.binom.cdf(np.minimum(b, c), n, 0.5)
    return np.where(n > 0, np.minimum(p, 1.0), 1.0)


def correlation(x, y) -> dict:
    """Pearson (with its 95% Fisher interval) and Spearman correlation of two series."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if len(x) < 3:
        return {"pearson_r": None, "pearson_p": None, "pearson_ci": None,
                "spearman_rho": None, "spearman_p": None, "n": int(len(x))}
    pr = stats.pearsonr(x, y)
    ci = pr.confidence_interval(0.95)
    sr = stats.spearmanr(x, y)
    return {"pearson_r": float(pr.statistic), "pearson_p": float(pr.pvalue),
            "pearson_ci": [float(ci.low), float(ci.high)],
            "spearman_rho": float(sr.statistic), "spearman_p": float(sr.pvalue),
            "n": int(len(x))}
