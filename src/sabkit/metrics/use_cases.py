"""The per-use-case table: resolution, over-escalation and instruction-following per cluster.

Each figure is pooled over the cluster's conversations in the complete runs ("mean over 3
runs"), with the min and max across its intents (the table's "0.94–1.00"). A figure that
does not apply to the cluster's cases is null: over-escalation of must-escalate tickets is
"n/a", resolution is judged on solvable tickets only.
"""

from __future__ import annotations

import polars as pl

from sabkit.metrics.conversations import query

FIGURES = {
    "resolution": "avg(resolved::INT) FILTER (WHERE category = 'solvable')",
    "over_escalation": "avg(escalated::INT) FILTER (WHERE category = 'solvable')",
    "escalation": "avg(escalated::INT) FILTER (WHERE category = 'must_escalate')",
    "instruction_following": "avg(instruction_following)",
    "score": "avg(score)",
}

CLUSTERS = """
WITH per_intent AS (
    SELECT model, cluster, intent, """ + ", ".join(
        f"{expr} AS {name}" for name, expr in FIGURES.items()) + """
    FROM {conv} WHERE complete AND cluster IS NOT NULL GROUP BY model, cluster, intent
), spread AS (
    SELECT model, cluster, list(intent ORDER BY intent) AS intents, """ + ", ".join(
        f"min({name}) AS {name}_min, max({name}) AS {name}_max" for name in FIGURES) + """
    FROM per_intent GROUP BY model, cluster
), pooled AS (
    SELECT model, cluster, mode(category) AS category, count(*) AS conversations, """ + ", ".join(
        f"{expr} AS {name}" for name, expr in FIGURES.items()) + """
    FROM {conv} WHERE complete AND cluster IS NOT NULL GROUP BY model, cluster
)
SELECT * FROM pooled JOIN spread USING (model, cluster) ORDER BY model, cluster
"""


def per_use_case_performance(bench) -> pl.DataFrame:
    """"Per-use-case performance (mean over 3 runs)": model x cluster, each figure pooled
    with its min-max across the cluster's intents."""
    return query(bench, CLUSTERS)
