"""Verbosity: agent messages per conversation, its rank on the board, and its link to quality.

"3.24 agent messages per conversation: the fewest of all 24 models" is pooled over the
complete runs and ranked among board models (1 = fewest). The benchmark-wide sentence
"verbosity anti-correlates with quality (r ≈ −0.6)" correlates, across board models, this
figure with the median judge score; quality tiers are the top and bottom quarter of the
board by that score. ``customer_messages_per_conversation`` is the other side of the
conversation: how many messages the customer needed to write.
"""

from __future__ import annotations

import polars as pl

from sabkit.metrics import stats
from sabkit.metrics.conversations import query

MESSAGES = """
WITH per_run AS (
    SELECT model, board, run_index, agent_messages / conversations AS value, score
    FROM {per_run}
), pooled AS (
    SELECT model, board, sum(agent_messages) / sum(conversations) AS value,
           sum(conversations)::BIGINT AS conversations
    FROM {per_run} GROUP BY model, board
), per_model AS (
    SELECT p.model, p.board, p.value, p.conversations,
           list(r.value ORDER BY r.run_index) AS per_run, median(r.score) AS score_median
    FROM pooled p JOIN per_run r USING (model) GROUP BY ALL
)
SELECT m.*,
       (SELECT count(*) FROM per_model b WHERE b.board AND b.value < m.value) + 1 AS rank,
       (SELECT count(*) FROM per_model b WHERE b.board) AS "of"
FROM per_model m ORDER BY m.model
"""


def agent_messages_per_conversation(bench) -> pl.DataFrame:
    """"3.24 agent messages per conversation: the fewest of all 24 models": the pooled value,
    each run's value, and the rank among board models (1 = fewest), per model."""
    return query(bench, MESSAGES)


CUSTOMER_MESSAGES = """
SELECT model, sum(customer_messages) / sum(conversations) AS value,
       sum(conversations)::BIGINT AS conversations
FROM {per_run} GROUP BY model ORDER BY model
"""


def customer_messages_per_conversation(bench) -> pl.DataFrame:
    """"2.50 customer messages per conversation": how much the customer had to write,
    pooled over the complete runs (per model). Read with the agent's count, it tells a
    terse agent that resolves from one that makes the customer repeat themselves."""
    return query(bench, CUSTOMER_MESSAGES)


def quality_tiers(messages: pl.DataFrame) -> pl.DataFrame:
    """Board models' quality tier from ``agent_messages_per_conversation``: the top and
    bottom quarter of the board by median judge score are "top" and "floor"."""
    board = messages.filter(pl.col("board"))
    size = max(1, round(board.height / 4))
    ranked = board.with_columns(
        quality_rank=pl.col("score_median").rank("ordinal", descending=True))
    return ranked.with_columns(
        quality_tier=pl.when(pl.col("quality_rank") <= size).then(pl.lit("top"))
        .when(pl.col("quality_rank") > board.height - size).then(pl.lit("floor"))
        .otherwise(pl.lit("middle"))).sort("quality_rank")


def verbosity_against_quality(messages: pl.DataFrame) -> dict:
    """"Verbosity anti-correlates with quality benchmark-wide (r ≈ −0.6)": Pearson with its
    95% interval and Spearman, across board models, of messages per conversation against
    the median judge score."""
    board = messages.filter(pl.col("board"))
    return stats.correlation(board["value"].to_numpy(), board["score_median"].to_numpy())
