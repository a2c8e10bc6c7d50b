"""Every figure of the deep report as a function of the tables, for all models at once.

One module per report section; each function is named like the sentence it backs and runs
one DuckDB query over the benchmark's views (through the conversation table of
``conversations``), returning a polars frame with one row per model (or model x run, model
x intent ...). ``sabkit.facts`` assembles them into the per-model facts document. Figures
that group the conversations alike read one grouping, made once (``conversations.GROUPINGS``:
model x run, model x case, model x intent, model x trap x run).

    from sabkit.metrics import escalation
    escalation.over_escalation_by_intent(bench)   # model x solvable intent, pooled, Wilson CI

Definitions, one paragraph each, are in docs/metrics.md.
"""

from sabkit.metrics import (compare, confirm, context, conversations, escalation, judge,
                            phantom, reasoning, resolution, runs, safety, stability, tool_use,
                            use_cases, verbosity)

__all__ = ["compare", "confirm", "context", "conversations", "escalation", "judge", "phantom",
           "reasoning", "resolution", "runs", "safety", "stability", "tool_use", "use_cases",
           "verbosity"]
