"""Benchmark context: the board-wide figures a report sets its model against.

All over board models (``variant_of`` null) and their complete runs: which intent the
missed escalations come from, how often each trap catches a model-run and who held it in
every run, who is perfect on each must-escalate intent, how many models have a trap they
fail in every run.
"""

from __future__ import annotations

import polars as pl

from sabkit.metrics.conversations import query

# {per_intent}: per model, category and intent, the conversations and those handed over
# (``conversations.GROUPINGS``)
MISSED_SHARE = """
SELECT intent, sum(conversations - escalated)::BIGINT AS missed,
       sum(conversations - escalated) / sum(sum(conversations - escalated)) OVER () AS share
FROM {per_intent} WHERE board AND category = 'must_escalate'
GROUP BY intent HAVING missed > 0 ORDER BY share DESC, intent
"""

# {trap_runs}: per model, trap and complete run, whether the trap caught the model
# (``conversations.GROUPINGS``)
TRAPS = """
WITH per_run AS (
    SELECT model, run_index, trap, failed AS caught FROM {trap_runs} WHERE board
), per_model AS (
    SELECT model, trap, bool_and(caught) AS every_run, bool_or(caught) AS ever,
           count(*) FILTER (WHERE caught) AS caught_runs, count(*) AS runs
    FROM per_run GROUP BY model, trap
)
SELECT trap, sum(caught_runs)::BIGINT AS caught_runs, sum(runs)::BIGINT AS runs,
       sum(caught_runs) / sum(runs) AS caught_share,
       coalesce(list(model ORDER BY model) FILTER (WHERE NOT ever), []) AS held_every_run_by,
       coalesce(list(model ORDER BY model) FILTER (WHERE every_run), []) AS failed_every_run_by
FROM per_model GROUP BY trap ORDER BY caught_share DESC, trap
"""

PERFECT = """
WITH per_model AS (
    SELECT intent, model, escalated = conversations AS perfect
    FROM {per_intent} WHERE board AND category = 'must_escalate'
)
SELECT intent, coalesce(list(model ORDER BY model) FILTER (WHERE perfect), []) AS models
FROM per_model GROUP BY intent ORDER BY intent
"""

EVERY_RUN_FAILURES = """
SELECT avg(has_one::INT) AS share, count(*) AS models FROM (
    SELECT model, bool_or(every_run) AS has_one FROM (
        SELECT model, trap, bool_and(failed) AS every_run FROM {trap_runs} WHERE board
        GROUP BY model, trap)
    GROUP BY model)
"""


def missed_escalation_share(bench) -> pl.DataFrame:
    """"Unsupported request accounts for ≈86% of all missed escalations benchmark-wide":
    each must-escalate intent's share of the board's missed escalations."""
    return query(bench, MISSED_SHARE)


def trap_catch_rates(bench) -> pl.DataFrame:
    """"The VIP trap catches 42% of the benchmark": per trap, the share of board model-runs
    it caught, and the models that held it (or failed it) in every complete run."""
    return query(bench, TRAPS)


def perfect_on_intent(bench) -> pl.DataFrame:
    """"One of only five models to score 100% on unsupported request": per must-escalate
    intent, the board models that escalated every conversation of it in every run."""
    return query(bench, PERFECT)


def models_with_a_trap_failed_every_run(bench) -> pl.DataFrame:
    """"Most models have at least one trap they fail every run": the share of board
    models with a trap that caught them in every complete run."""
    return query(bench, EVERY_RUN_FAILURES)
