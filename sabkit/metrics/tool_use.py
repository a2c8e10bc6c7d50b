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

BY_TOOL = """
WITH n AS (SELECT model, count(*) AS conversations FROM {conv} WHERE complete GROUP BY model)
SELECT c.model, tc.tool, count(*) / any_value(n.conversations) AS per_conversation
FROM tool_calls tc
JOIN {conv} c USING (run_id, case_id)
JOIN n ON n.model = c.model
WHERE c.complete
GROUP BY c.model, tc.tool ORDER BY c.model, tc.tool
"""


def tool_calls_per_ticket(bench) -> pl.DataFrame:
    """"≈4.2 calls/ticket": tool calls per conversation, in all and by kind (per model)."""
    return query(bench, PER_CONVERSATION)


def tool_calls_by_tool(bench) -> pl.DataFrame:
    """Calls per conversation of each tool (model x tool)."""
    return query(bench, BY_TOOL)
