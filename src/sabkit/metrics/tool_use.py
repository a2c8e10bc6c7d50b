"""Tool use: how many tool calls a conversation takes, in all and by kind of tool.

Every call the agent made counts here, failed ones included ("≈4.2 calls/ticket" is how
busy the agent is, not how much it changed); ``failed_share`` says how many errored.
"""

from __future__ import annotations

import polars as pl

from sabkit.io.sql import fill
from sabkit.metrics import transcripts
from sabkit.metrics.conversations import query

# From the per-run sums (``per_run``): a mean over all of a model's conversations
PER_CONVERSATION = """
SELECT model, sum(conversations)::BIGINT AS conversations,
       sum(tool_calls) / sum(conversations) AS per_conversation,
       sum(read_calls) / sum(conversations) AS read,
       sum(write_calls) / sum(conversations) AS write,
       sum(handover_calls) / sum(conversations) AS handover,
       sum(failed_calls) / nullif(sum(tool_calls), 0) AS failed_share
FROM {per_run} GROUP BY model ORDER BY model
"""

# Per run and tool, one unit of files at a time (metrics.transcripts). Only complete runs
# are counted, and a complete run has a score for every case (io.benchmark.RUN_STATUS), so
# every call of it belongs to a scored conversation: no join with the conversation table.
CALLS_BY_TOOL = """
SELECT run_id, tool, count(*) AS calls FROM {tool_calls} GROUP BY ALL
"""
CALLS = transcripts.declare("sab_calls_by_tool", CALLS_BY_TOOL)

BY_TOOL = """
WITH n AS (SELECT model, sum(conversations) AS conversations FROM {per_run} GROUP BY model)
SELECT r.model, p.tool, sum(p.calls) / any_value(n.conversations) AS per_conversation
FROM {calls} p JOIN run_status r USING (run_id) JOIN n ON n.model = r.model
WHERE r.complete
GROUP BY r.model, p.tool ORDER BY r.model, p.tool
"""


def tool_calls_per_ticket(bench) -> pl.DataFrame:
    """"≈4.2 calls/ticket": tool calls per conversation, in all and by kind (per model)."""
    return query(bench, PER_CONVERSATION)


def tool_calls_by_tool(bench) -> pl.DataFrame:
    """Calls per conversation of each tool (model x tool)."""
    return query(bench, fill(BY_TOOL, calls=transcripts.table(bench, CALLS)))
