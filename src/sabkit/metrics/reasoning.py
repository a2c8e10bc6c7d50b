"""Reasoning on and off: where one model ran both ways, each headline figure for both.

A reasoning-off configuration is its own models row whose ``variant_of`` names the board
model; the pair is (reasoning on, reasoning off) whichever of the two is the board row.
"""

from __future__ import annotations

import polars as pl

from sabkit.metrics.conversations import query

PAIRS = """
SELECT CASE WHEN v.reasoning THEN v.model ELSE b.model END AS on_model,
       CASE WHEN v.reasoning THEN b.model ELSE v.model END AS off_model
FROM models v JOIN models b ON v.variant_of = b.model
WHERE v.reasoning IS DISTINCT FROM b.reasoning
  AND v.reasoning IS NOT NULL AND b.reasoning IS NOT NULL
"""


def reasoning_pairs(bench) -> pl.DataFrame:
    """The (on_model, off_model) configurations of every model run both ways."""
    return query(bench, PAIRS)


def reasoning_on_off(pairs: pl.DataFrame, headlines: pl.DataFrame) -> pl.DataFrame:
    """"It lifts escalation accuracy from ≈78% to 100%": every headline figure of the on
    and off configuration and the difference (on - off), one row per pair."""
    figures = [c for c in headlines.columns if c != "model"]
    on = headlines.rename({c: f"on_{c}" for c in figures})
    off = headlines.rename({c: f"off_{c}" for c in figures})
    return (pairs.join(on, left_on="on_model", right_on="model", how="left")
            .join(off, left_on="off_model", right_on="model", how="left")
            .with_columns([(pl.col(f"on_{c}") - pl.col(f"off_{c}")).alias(f"diff_{c}")
                           for c in figures]))
