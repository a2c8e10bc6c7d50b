"""The statistics behind the report's careful words: intervals, ties, pass^k, McNemar.

Every function is vectorised (numpy arrays in, arrays out), so a metric computes one
figure for every model or every pair of models at once. The distributions come from
``scipy.special`` (normal, Student t and binomial CDFs and their inverses): importing
``scipy.stats`` takes longer than computing every metric of the sample, so
tests/test_stats.py checks each function against its ``scipy.stats`` counterpart.

Even ``scipy.special`` is a large share of ``import sabkit.facts``, so the
functions import it when called, not this module: importing sabkit (a command starting,
a notebook) does not pay for it before a figure needs it. Code about to compute a board's
figures calls ``import_in_background`` first, so the import overlaps its queries.
"""

from __future__ import annotations

import importlib
import threading

import numpy as np
import polars as pl


def import_in_background() -> None:
    """Start importing ``scipy.special`` in a thread. DuckDB runs a query without holding
    Python's lock, so the import proceeds meanwhile; a function here that needs the module
    first waits for it (Python's import lock), and only if it is not done yet. Not a
    daemon: a process that ends early (an error) waits for the import rather than tearing
    the interpreter down under a half-imported module."""
    threading.Thread(target=importlib.import_module, args=("scipy.special",)).start()


def _z(confidence: float) -> float:
    """The standard normal quantile of a two-sided interval (1.96 for 95%)."""
    from scipy import special

    return float(special.ndtri(0.5 + confidence / 2))


def wilson(successes, n, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a proportion: sane at 0 of 24 and 18 of 18, where the
    normal approximation gives an interval of width zero. n = 0 gives (nan, nan)."""
    k = np.asarray(successes, dtype=float)
    n = np.asarray(n, dtype=float)
    z = _z(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    lo = np.where(n == 0, np.nan, np.where(k == 0, 0.0, np.clip(centre - half, 0, 1)))
    hi = np.where(n == 0, np.nan, np.where(k == n, 1.0, np.clip(centre + half, 0, 1)))
    return lo, hi


def with_wilson(frame: pl.DataFrame, successes: str, n: str) -> pl.DataFrame:
    """``frame`` with the Wilson interval of ``successes`` out of ``n`` as ci_lo, ci_hi."""
    lo, hi = wilson(frame[successes].to_numpy(), frame[n].to_numpy())
    return frame.with_columns(ci_lo=pl.Series(lo, dtype=pl.Float64),
                              ci_hi=pl.Series(hi, dtype=pl.Float64))


def pass_hat_k(successes, n, k) -> np.ndarray:
    """tau-bench's pass^k for one case: the chance that k runs drawn without replacement
    from the case's n runs all succeed, C(c, k) / C(n, k). Average it over cases.
    ``stability.pass_hat_k`` computes the same in SQL for every model at once; the tests
    hold the two equal."""
    from scipy import special

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
    from scipy import special

    d = np.asarray(mean_diff, dtype=float)
    n = np.asarray(n_cases, dtype=float)
    se = np.asarray(sd_diff, dtype=float) / np.sqrt(n)
    df = np.maximum(n - 1, 1)
    t = special.stdtrit(df, 0.5 + confidence / 2)
    lo, hi = d - t * se, d + t * se
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(se > 0, 2 * special.stdtr(df, -np.abs(d / se)),
                     np.where(d == 0, 1.0, 0.0))
    verdict = np.where((lo <= 0) & (hi >= 0), "tie", np.where(d > 0, "better", "worse"))
    return {"diff": d, "se": se, "ci_lo": lo, "ci_hi": hi, "p": p, "verdict": verdict}


def mcnemar_exact(b, c) -> np.ndarray:
    """Exact two-sided McNemar p-value from the discordant pair counts b and c: the
    binomial test of min(b, c) out of b + c at one half."""
    from scipy import special

    b = np.asarray(b, dtype=np.int64)
    c = np.asarray(c, dtype=np.int64)
    n = b + c
    p = 2 * special.bdtr(np.minimum(b, c), n, 0.5)
    return np.where(n > 0, np.minimum(p, 1.0), 1.0)


def _pearson(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Pearson r and its two-sided p-value (t test with n - 2 degrees of freedom)."""
    from scipy import special

    n = len(x)
    r = float(np.clip(np.corrcoef(x, y)[0, 1], -1, 1))
    if abs(r) == 1:
        return r, 0.0
    t = r * np.sqrt((n - 2) / (1 - r * r))
    return r, float(2 * special.stdtr(n - 2, -abs(t)))


def correlation(x, y, confidence: float = 0.95) -> dict:
    """Pearson (with its Fisher-z interval) and Spearman (Pearson on average ranks) of two
    series, with two-sided p-values: what scipy.stats.pearsonr and spearmanr return."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = len(x)
    if n < 4 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return {"pearson_r": None, "pearson_p": None, "pearson_ci": None,
                "spearman_rho": None, "spearman_p": None, "n": int(n)}
    r, p = _pearson(x, y)
    half = _z(confidence) / np.sqrt(n - 3)
    ci = np.tanh(np.arctanh(np.clip(r, -0.999999, 0.999999)) + np.array([-half, half]))
    rho, rho_p = _pearson(pl.Series(x).rank("average").to_numpy(),
                          pl.Series(y).rank("average").to_numpy())
    return {"pearson_r": r, "pearson_p": p, "pearson_ci": [float(ci[0]), float(ci[1])],
            "spearman_rho": rho, "spearman_p": rho_p, "n": int(n)}
