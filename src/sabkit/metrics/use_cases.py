"""The per-use-case table: resolution, over-escalation and instruction-following per cluster.

Each figure is pooled over the cluster's conversations in the complete runs ("mean over 3
runs"), with the min and max across its intents (the table's "0.94–1.00"). A figure that
does not apply to the cluster's cases is null: over-escalation of must-escalate tickets is
"n/a", resolution is judged on solvable tickets only.
"""

from __future__ import annotations

import polars as pl

from sabkit.metrics.conversations import query


def _share(count: str, category: str) -> str:
    """The share of a category's conversations in a set of cells that ``count`` counts."""
    only = f"FILTER (WHERE category = '{category}')"
    return f"sum({count}) {only} / sum(conversations) {only}"


# Each figure over a set of cells of {per_cell} (per model, category, cluster and intent):
# the conversations' own mean, from the cells' counts and sums.
FIGURES = {
    "resolution": _share("resolved", "solvable"),
    "over_escalation": _share("escalated", "solvable"),
    "escalation": _share("escalated", "must_escalate"),
    "instruction_following": "sum(instruction_following_sum) / sum(instruction_following_n)",
    "score": "sum(score_sum) / sum(score_n)",
}

# A cluster's category is the one most of its conversations have (the first by name on a
# tie): a cluster's cases usually share one.
CLUSTERS = """
WITH cells AS (
    SELECT * FROM {per_cell} WHERE cluster IS NOT NULL
), per_intent AS (
    SELECT model, cluster, intent, """ + ", ".join(
        f"{expr} AS {name}" for name, expr in FIGURES.items()) + """
    FROM cells GROUP BY model, cluster, intent
), spread AS (
    SELECT model, cluster, list(intent ORDER BY intent) AS intents, """ + ", ".join(
        f"min({name}) AS {name}_min, max({name}) AS {name}_max" for name in FIGURES) + """
    FROM per_intent GROUP BY model, cluster
), major AS (
    SELECT model, cluster, first(category ORDER BY n DESC, category) AS category
    FROM (SELECT model, cluster, category, sum(conversations) AS n FROM cells GROUP BY ALL)
    GROUP BY model, cluster
), pooled AS (
    SELECT model, cluster, sum(conversations)::BIGINT AS conversations, """ + ", ".join(
        f"{expr} AS {name}" for name, expr in FIGURES.items()) + """
    FROM cells GROUP BY model, cluster
)
SELECT model, cluster, category, pooled.* EXCLUDE (model, cluster),
       spread.* EXCLUDE (model, cluster)
FROM pooled JOIN major USING (model, cluster) JOIN spread USING (model, cluster)
ORDER BY model, cluster
"""


def per_use_case_performance(bench) -> pl.DataFrame:
    """"Per-use-case performance (mean over 3 runs)": model x cluster, each figure pooled
    with its min-max across the cluster's intents."""
    return query(bench, CLUSTERS)
