"""The data contract: every table, column, type, key and allowed value, in one place.

A benchmark is a folder of Parquet files, one per table (``<table>.parquet``, or a folder
``<table>/`` of Parquet files in a hive layout). Everything that writes a benchmark
(``sabkit.synth``, ``sabkit.importers``) writes to this contract, and everything that reads
one (``sabkit.io``, ``sabkit.metrics``) relies on it. ``docs/data-contract.md`` is
generated from this module (``sabkit contract``) and a test keeps the two identical, so the
docs and the checks cannot drift.

Escalation and unsafe actions are deliberately *not* columns: they are facts of the
transcript (a handover tool call; a forbidden tool fired on an adversarial case) and are
derived from ``tool_calls`` by the metrics, never stored twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CATEGORIES = ("solvable", "must_escalate", "adversarial")
COST_TIERS = ("$", "$$", "$$$", "$$$$")
TOOL_KINDS = ("read", "write", "handover")
ROLES = ("customer", "agent", "tool")
CALLERS = ("agent", "customer")
# How a conversation ended: tau2-bench's ten termination reasons, the vocabulary every
# importer maps to. Which of them are errors or limits (and whose) is in metrics.endings.
TERMINATIONS = ("user_stop", "agent_stop", "max_steps", "timeout", "too_many_errors",
                "agent_error", "user_error", "infrastructure_error",
                "context_window_exceeded", "unexpected_error")


@dataclass(frozen=True)
class Column:
    """One column: its DuckDB type, whether it may be null, and its allowed values."""

    name: str
    type: str
    doc: str
    nullable: bool = False
    allowed: tuple[str, ...] | None = None
    min: float | None = None
    max: float | None = None
    # An optional column may be absent from the files: the table's view then holds this
    # SQL literal in its place, so data written before the column existed stays valid and
    # reads as it always did. Present, it is checked like any other column.
    default: str | None = None

    @property
    def optional(self) -> bool:
        return self.default is not None


@dataclass(frozen=True)
class Reference:
    """A foreign key: ``columns`` of this table must exist in ``table``'s ``target`` columns."""

    columns: tuple[str, ...]
    table: str
    target: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    doc: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    references: tuple[Reference, ...] = field(default=())

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


MODELS = Table(
    "models",
    "One row per agent configuration. A model run with reasoning off is its own row "
    "(`gemma-4-31b@no-reasoning`) whose `variant_of` names the board model; the board "
    "(rankings, correlations, benchmark-wide shares) is the rows where `variant_of` is null.",
    (
        Column("model", "VARCHAR", "Model name as the reports write it, e.g. `gemma-4-31b`."),
        Column("provider", "VARCHAR", "Who serves or publishes it, e.g. `google`."),
        Column("family", "VARCHAR", "Model family, e.g. `gemma`, `gpt`."),
        Column("open_weights", "BOOLEAN", "True when the weights are public."),
        Column("cost_tier", "VARCHAR", "Agent-only price tier; null where the source has none.",
               nullable=True, allowed=COST_TIERS),
        Column("reasoning", "BOOLEAN", "True when the agent ran with visible reasoning on.",
               nullable=True),
        Column("variant_of", "VARCHAR", "For a variant (e.g. reasoning off), the board model "
               "it is a variant of; null for board models.", nullable=True),
    ),
    key=("model",),
)

CASES = Table(
    "cases",
    "One row per benchmark case (a ticket the simulated customer opens).",
    (
        Column("case_id", "VARCHAR", "Stable id, e.g. `dup-order-03` or `airline:12`."),
        Column("category", "VARCHAR", "What a good agent does: resolve it, hand it to a human, "
               "or refuse the trap.", allowed=CATEGORIES),
        Column("intent", "VARCHAR", "The customer's intent, e.g. `duplicate order`; for "
               "adversarial cases the trap family."),
        Column("cluster", "VARCHAR", "Use-case cluster of the reports' per-use-case table.",
               nullable=True),
        Column("language", "VARCHAR", "ISO 639-1 code of the customer's language, e.g. `en`."),
        Column("trap", "VARCHAR", "Adversarial cases: the trap's name, e.g. "
               "`damaged no proof replace`; null otherwise.", nullable=True),
        Column("forbidden_tools", "VARCHAR[]", "Adversarial cases: tools whose call is an "
               "unsafe action; empty otherwise.", nullable=True),
        Column("description", "VARCHAR", "What the customer wants, in a sentence.",
               nullable=True),
        Column("persona", "VARCHAR", "The simulated customer's persona where the benchmark "
               "varies it (tau2 telecom: `None`, `Easy`, `Hard`); null otherwise.",
               nullable=True, default="NULL"),
    ),
    key=("case_id",),
)

TOOLS = Table(
    "tools",
    "One row per tool the agent can call, and, where the customer acts too (tau2's "
    "dual control: toggling airplane mode on their phone), per tool the customer can call.",
    (
        Column("tool", "VARCHAR", "Tool name as it appears in `tool_calls.tool`."),
        Column("kind", "VARCHAR", "`read` looks up, `write` changes the store, `handover` "
               "passes the conversation to a human.", allowed=TOOL_KINDS),
        Column("description", "VARCHAR", "What the tool does.", nullable=True),
    ),
    key=("tool",),
)

RUNS = Table(
    "runs",
    "One row per run of one model over the case set. A run is complete when its producer "
    "declared it so and it holds a scored conversation for every case; otherwise it is "
    "partial, reported and left out of medians.",
    (
        Column("run_id", "VARCHAR", "Stable id of the run."),
        Column("model", "VARCHAR", "The model that ran."),
        Column("run_index", "INTEGER", "1, 2, 3 ... in the order the runs were made.", min=1),
        Column("judge", "VARCHAR", "The judge model that scored the run.", nullable=True),
        Column("started_at", "TIMESTAMP", "When the run started (UTC).", nullable=True),
        Column("complete", "BOOLEAN", "Declared complete by the producer."),
        Column("agent_cost_usd", "DOUBLE", "Dollar cost of the agent over the whole run, "
               "where the source has it.", nullable=True, min=0),
    ),
    key=("run_id",),
    references=(Reference(("model",), "models", ("model",)),),
)

MESSAGES = Table(
    "messages",
    "Every message of every conversation. A conversation is (`run_id`, `case_id`); `seq` "
    "orders its messages and tool calls together.",
    (
        Column("run_id", "VARCHAR", "The run."),
        Column("case_id", "VARCHAR", "The case."),
        Column("seq", "INTEGER", "Position in the conversation, shared with `tool_calls.seq`.",
               min=0),
        Column("turn", "INTEGER", "Customer turn the message belongs to (1 = opening).", min=0),
        Column("role", "VARCHAR", "Who wrote it.", allowed=ROLES),
        Column("content", "VARCHAR", "The text. Untrusted: customers write anything."),
        Column("reasoning", "VARCHAR", "The agent's visible thinking for this message.",
               nullable=True),
    ),
    key=("run_id", "case_id", "seq"),
    references=(
        Reference(("run_id",), "runs", ("run_id",)),
        Reference(("case_id",), "cases", ("case_id",)),
    ),
)

TOOL_CALLS = Table(
    "tool_calls",
    "Every tool call made in a conversation, with its arguments, the tool's result and "
    "who made it. Every agent metric counts the agent's calls only.",
    (
        Column("run_id", "VARCHAR", "The run."),
        Column("case_id", "VARCHAR", "The case."),
        Column("seq", "INTEGER", "Position in the conversation, shared with `messages.seq`.",
               min=0),
        Column("turn", "INTEGER", "Customer turn during which the call was made.", min=0),
        Column("tool", "VARCHAR", "The tool called."),
        Column("arguments", "VARCHAR", "Arguments as JSON text.", nullable=True),
        Column("result", "VARCHAR", "The tool's result as JSON text.", nullable=True),
        Column("ok", "BOOLEAN", "False when the tool returned an error."),
        Column("caller", "VARCHAR", "Who made the call: the `agent`, or the `customer` "
               "acting on their own side (dual control). Absent: every call is the agent's.",
               allowed=CALLERS, default="'agent'"),
    ),
    key=("run_id", "case_id", "seq"),
    references=(
        Reference(("run_id",), "runs", ("run_id",)),
        Reference(("case_id",), "cases", ("case_id",)),
        Reference(("tool",), "tools", ("tool",)),
    ),
)

SCORES = Table(
    "scores",
    "The judge's scores, one row per conversation. A conversation exists when it has a "
    "score row.",
    (
        Column("run_id", "VARCHAR", "The run."),
        Column("case_id", "VARCHAR", "The case."),
        Column("score", "DOUBLE", "Judge score, 0-100.", min=0, max=100),
        Column("resolved", "BOOLEAN", "The judge's verdict: the customer's actual request "
               "was resolved."),
        Column("instruction_following", "DOUBLE", "How well the agent followed store policy, "
               "0-1; null where the benchmark does not measure it.", nullable=True,
               min=0, max=1),
        Column("sentiment", "DOUBLE", "Customer sentiment trend, 0-1; null where not "
               "measured.", nullable=True, min=0, max=1),
        Column("rationale", "VARCHAR", "The judge's written rationale.", nullable=True),
        Column("flags", "VARCHAR[]", "The judge's flags, e.g. `confirm_skipped`.",
               nullable=True),
        Column("termination", "VARCHAR", "How the conversation ended, where the source "
               "records it (e.g. `user_stop`, `max_steps`, `infrastructure_error`); null "
               "otherwise.", nullable=True, allowed=TERMINATIONS, default="NULL"),
    ),
    key=("run_id", "case_id"),
    references=(
        Reference(("run_id",), "runs", ("run_id",)),
        Reference(("case_id",), "cases", ("case_id",)),
    ),
)

TABLES: dict[str, Table] = {
    t.name: t for t in (MODELS, CASES, TOOLS, RUNS, MESSAGES, TOOL_CALLS, SCORES)
}


def markdown() -> str:
    """The contract as Markdown: the body of docs/data-contract.md."""
    lines = [
        "# The sabkit data contract",
        "",
        "<!-- generated by `sabkit contract` from src/sabkit/contract.py: do not edit by hand -->",
        "",
        "A benchmark is a folder holding one Parquet file per table, `<table>.parquet` "
        "(or a folder `<table>/` of Parquet files, e.g. a hive layout partitioned by model). "
        "`sabkit validate PATH` checks everything below and prints one line per problem.",
        "",
        "Escalation and unsafe actions are not stored: they are derived from `tool_calls` "
        "(a call to a `handover` tool; a call to one of the case's `forbidden_tools`).",
        "",
        "A column marked *optional* may be left out of the files: the table then reads as "
        "if it held the default shown, so data written before the column existed stays "
        "valid. Written, it is checked like any other.",
        "",
    ]
    for table in TABLES.values():
        lines += [f"## `{table.name}`", "", table.doc, "",
                  f"Key: ({', '.join(f'`{k}`' for k in table.key)}), unique."]
        for ref in table.references:
            lines.append(f"Every `{', '.join(ref.columns)}` must exist in "
                         f"`{ref.table}.{', '.join(ref.target)}`.")
        lines += ["", "| column | type | null | allowed | meaning |", "|---|---|---|---|---|"]
        for c in table.columns:
            allowed = ", ".join(f"`{a}`" for a in c.allowed) if c.allowed else ""
            if c.min is not None and c.max is not None:
                allowed = f"{c.min:g} to {c.max:g}"
            elif c.min is not None:
                allowed = f">= {c.min:g}"
            doc = c.doc + (f" *Optional; default {c.default}.*" if c.optional else "")
            lines.append(f"| `{c.name}` | {c.type} | {'yes' if c.nullable else 'no'} | "
                         f"{allowed} | {doc} |")
        lines.append("")
    return "\n".join(lines)
