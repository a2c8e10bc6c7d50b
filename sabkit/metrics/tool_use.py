"""Tool use: how many tool calls a conversation takes, in all and by kind of tool.

Every call the agent made counts here, failed ones included ("≈4.2 calls/ticket" is how
busy the agent is, not how much it changed); ``failed_share`` says how many errored.
"""

from __future__ import annotations

import polars as pl

from sabkit.metrics.conversations import query

PER_CONVERSATION = """
SELECT model, count(*) AS conversations,
       avg(tool_calls) AS per_conversation, avg(read_calls) AS read,
       avg(write_calls) AS write, avg(handover_calls) AS handover,
       sum(failed_calls) / nullif(sum(tool_calls), 0) AS failed_share
FROM {conv} WHERE complete GROUP BY model ORDER BY model
"""

# Calls counted per run and tool first (a semi join keeps the calls of complete, scored
# conversations), then summed per model: joining every call to the conversation table for
# its model cost 4x more at K = 100 (bench/RESULTS.md).
BY_TOOL = """
WITH n AS (SELECT model, count(*) AS conversations FROM {conv} WHERE complete GROUP BY model),
per_run AS (
    SELECT tc.run_id, tc.tool, count(*) AS calls
    FROM tool_calls tc SEMI JOIN (SELECT run_id, case_id FROM {conv} WHERE complete) c
      USING (run_id, case_id)
    GROUP BY tc.run_id, tc.tool
)
SELECT r.model, p.tool, sum(p.calls) / any_value(n.conversations) AS per_conversation
FROM per_run p JOIN run_status r USING (run_id) JOIN n ON n.model = r.model
GROUP BY r.model, p.tool ORDER BY r.model, p.tool
"""


def tool_calls_per_ticket(bench) -> pl.DataFrame:
    """"≈4.2 calls/ticket": tool calls per conversation, in all and by kind (per model)."""
    return query(bench, PER_CONVERSATION)


def tool_calls_by_tool(bench) -> pl.DataFrame:
    """Calls per conversation of each tool (model x tool)."""
    return query(bench, BY_TOOL)
