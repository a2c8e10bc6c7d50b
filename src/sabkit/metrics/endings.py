"""How conversations ended, and what the customer did on their own side.

Both are facts of imported real data that the sample does not have: tau2-bench records a
``termination_reason`` per conversation (``scores.termination``), and in its telecom
domain the customer calls tools on their phone (``tool_calls.caller = 'customer'``).

An ending is one of three kinds. ``ended`` is a conversation that stopped on its own
(the customer or the agent said it was over); ``limit`` one cut off by a budget (steps,
time, context window); ``error`` one stopped by a failure, and whose: the agent's, the
simulated customer's, or the infrastructure's. An infrastructure error is not the agent's
failure: the importer marks the run that holds one partial, so it never enters a median;
every other ending is counted as scored (a conversation cut off by a limit usually fails
its checks, and that failure is the agent's).
"""

from __future__ import annotations

import polars as pl

KINDS = {
    "user_stop": "ended", "agent_stop": "ended",
    "max_steps": "limit", "timeout": "limit", "context_window_exceeded": "limit",
    "too_many_errors": "error", "agent_error": "error", "user_error": "error",
    "infrastructure_error": "error", "unexpected_error": "error",
}

# Endings of one model's conversations in its complete runs, and in all its runs (an
# infrastructure error makes its run partial, so only the second shows it).
ENDINGS = """
SELECT s.termination, count(*) FILTER (WHERE r.complete) AS complete_runs,
       count(*) AS all_runs
FROM scores s JOIN run_status r USING (run_id)
WHERE r.model = $model AND s.termination IS NOT NULL
GROUP BY s.termination ORDER BY all_runs DESC, s.termination
"""

# The customer's own tool calls in the model's complete runs, by tool.
CUSTOMER_CALLS = """
SELECT tc.caller, tc.tool, count(*) AS calls
FROM tool_calls tc JOIN run_status r USING (run_id)
WHERE r.model = $model AND r.complete
GROUP BY ALL ORDER BY calls DESC, tc.tool
"""


def endings(bench, model: str) -> pl.DataFrame:
    """termination, complete_runs, all_runs: one row per recorded ending (none when the
    data does not record how conversations ended)."""
    return bench.sql(ENDINGS, {"model": model})


def calls_by_caller(bench, model: str) -> pl.DataFrame:
    """caller, tool, calls over the model's complete runs."""
    return bench.sql(CUSTOMER_CALLS, {"model": model})
