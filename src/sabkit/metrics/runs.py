"""Which runs count: complete runs enter every median, partial runs are disclosed."""

from __future__ import annotations

import polars as pl

from sabkit.metrics.conversations import query

RUNS = """
SELECT m.model,
       count(r.run_id) FILTER (WHERE r.complete) AS complete,
       count(r.run_id) FILTER (WHERE NOT r.complete) AS partial,
       coalesce(list(r.run_index ORDER BY r.run_index) FILTER (WHERE r.complete), []) AS indices,
       coalesce(list(r.run_id ORDER BY r.run_index) FILTER (WHERE r.complete), []) AS run_ids,
       coalesce(list(r.run_id ORDER BY r.run_index) FILTER (WHERE NOT r.complete), [])
           AS partial_ids,
       coalesce(list(r.run_index ORDER BY r.run_index) FILTER (WHERE NOT r.complete), [])
           AS partial_indices,
       coalesce(list(r.conversations ORDER BY r.run_index) FILTER (WHERE NOT r.complete), [])
           AS partial_conversations,
       coalesce(sum(r.conversations) FILTER (WHERE r.complete), 0)::BIGINT AS conversations,
       mode(x.judge) AS judge,
       coalesce(list(x.agent_cost_usd ORDER BY r.run_index) FILTER (WHERE r.complete), [])
           AS cost_usd_per_run
FROM models m
LEFT JOIN run_status r USING (model)
LEFT JOIN runs x USING (run_id)
GROUP BY m.model ORDER BY m.model
"""


def runs_per_model(bench) -> pl.DataFrame:
    """Complete and partial runs of every model, in run order: the N of "median of N" and
    the partial runs the report discloses."""
    return query(bench, RUNS)
