"""The figure registry: each figure the reports state, declared once.

A ``Figure`` says where the figure lives in the facts document (``path``), what kind of
number it is (``unit``, which fixes how it is shown and how a draft may write it), the
label the reports give it, the words a sentence uses for it (``synonyms``, which the
fact-checker ties claims with), which direction is better, and what it means. The ranks
of the facts document, the report's tables, the index page and ``sabkit check`` all read
it from here, so adding a figure is one entry, not five edits.

A path may hold one placeholder, ``{intent}``, ``{cluster}``, ``{trap}``, ``{category}``,
``{model}``, ``{run}`` or ``{figure}`` (a headline's name): the figure then exists once per
intent (per cluster ...), and ``path_for`` fills it; a ranked figure of another board model is in its board row (``path_of``).
``lookup`` reads any path from a facts document; a ``{model}`` step indexes the
board rows (``benchmark.board``) by model name.
"""

from __future__ import annotations

from dataclasses import dataclass

# How a value of each unit is written; the checker reads a draft's numbers by the same units.
#   share:    a fraction 0-1, shown as a whole percent ("10%"); tables may write 0.50
#   points:   the judge's 0-100 score ("87.2")
#   score:    a judge figure on 0-1 ("0.82")
#   count:    a whole number of things ("7 forbidden actions")
#   average:  a mean count per conversation ("3.24 agent messages")
#   rank:     a place on the board, 1 = best ("rank 6 of 24", "the fewest of all 24")
#   tier:     a cost tier, "$" .. "$$$$"
#   r:        a correlation coefficient ("r ≈ −0.6")
UNITS = ("share", "points", "score", "count", "average", "rank", "tier", "r")
_FORMAT = {"share": ".0%", "points": ".1f", "score": ".2f", "count": "g", "average": ".2f",
           "rank": "d", "tier": "s", "r": ".1f"}


@dataclass(frozen=True)
class Figure:
    name: str
    path: str
    unit: str
    label: str
    synonyms: tuple[str, ...]
    definition: str
    higher_is_better: bool | None = None
    ranked: bool = False  # the facts document ranks board models on it (``ranks``)
    fmt: str = ""  # a format spec when the unit's default is not how reports show it
    glance: str = ""  # its row label in the report's "At a glance" table, if it has one
    of: str = ""  # for a count, the path of what it is a count out of ("16 of 18")
    # The metric that computes it, ("module.function", "column"): a function of
    # ``sabkit.metrics`` returning one row per model. The facts document then places the
    # value at ``path`` itself, and ``sabkit check`` ties a sentence naming it by its
    # synonyms, so a new figure needs no edit of facts/document.py or the checker.
    source: tuple[str, str] | None = None

    def __post_init__(self):
        if self.unit not in UNITS:
            raise ValueError(f"figure {self.name}: unit {self.unit!r} is not one of {UNITS}")
        if self.source and "{" in self.path:
            raise ValueError(f"figure {self.name}: a sourced figure is one value per model, "
                             f"its path {self.path!r} cannot hold a placeholder")

    @property
    def key(self) -> str | None:
        """The placeholder of a per-intent (per-cluster ...) figure, None for a single one."""
        if "{" not in self.path:
            return None
        return self.path[self.path.index("{") + 1:self.path.index("}")]

    def path_for(self, value: str | None = None) -> str:
        return self.path.replace("{" + self.key + "}", value) if self.key else self.path

    def of_for(self, value: str | None = None) -> str:
        """The path of what a count is out of, for the same intent (trap ...) as the count."""
        return self.of.replace("{" + self.key + "}", value) if self.key else self.of

    def path_of(self, model: str) -> str | None:
        """Where another board model's value of a ranked figure is: its board row."""
        on_board = self.ranked or self.name == "cost_tier"
        return f"benchmark.board.{model}.{self.name}" if on_board else None

    def show(self, value) -> str:
        """The value as the reports write it ("10%", "87.2", "0.82", "$$")."""
        return format(value, self.fmt or _FORMAT[self.unit])


def lookup(doc, path: str):
    """The value at a dotted ``path`` of a facts document, None when any step is missing.

    Keys may contain spaces ("over_escalation.by_intent.duplicate order"). A step into a
    list of rows picks the row whose ``model`` is that step (model names hold dots,
    "gpt-5.4-mini", so that step takes the longest run of the remaining steps naming one),
    or, for a number, the item at that index ("score.per_run.0")."""
    steps = path.split(".")
    i = 0
    while i < len(steps):
        if isinstance(doc, list) and steps[i].isdigit():
            doc, i = (doc[int(steps[i])] if int(steps[i]) < len(doc) else None), i + 1
        elif isinstance(doc, list):
            rows = {r.get("model"): r for r in doc if isinstance(r, dict)}
            k = next((k for k in range(len(steps) - i, 0, -1)
                      if ".".join(steps[i:i + k]) in rows), None)
            if k is None:
                return None
            doc, i = rows[".".join(steps[i:i + k])], i + k
        elif isinstance(doc, dict):
            doc, i = doc.get(steps[i]), i + 1
        else:
            return None
    return doc


def _fig(*args, **kwargs) -> Figure:
    return Figure(*args, **kwargs)


# The headline figures, in the facts document's order (its ``ranks`` and board rows keep it).
HEADLINES = (
    _fig("score", "score.median", "points", "Judge score",
         ("judge score", "scores", "score", "quality"),
         "Median over complete runs of the mean judge score (0-100) of all 162 cases.",
         higher_is_better=True, ranked=True,
         glance="Judge score (0–100)"),
    _fig("resolution", "resolution.median", "share", "Resolution",
         ("resolves the customer's actual request", "resolves", "resolution", "resolved"),
         "Median over runs of the share of solvable conversations the judge marked resolved.",
         higher_is_better=True, ranked=True,
         glance="Resolves the customer's actual request (solvable)"),
    _fig("escalation", "escalation.median", "share", "Escalation",
         ("escalates the cases that truly need a human", "escalation accuracy", "escalation",
          "escalates", "escalated", "handed over", "hands over", "handover", "must-escalate"),
         "Median over runs of the share of must-escalate conversations with a handover call.",
         higher_is_better=True, ranked=True,
         glance="Escalates the cases that truly need a human"),
    _fig("instruction_following", "instruction_following.median", "score",
         "Instruction-following",
         ("follows store policy", "instruction-following", "policy-following", "IF"),
         "Median over runs of the judge's 0-1 instruction-following (store policy) figure.",
         higher_is_better=True, ranked=True,
         glance="Follows store policy (instruction-following)"),
    _fig("sentiment", "sentiment.median", "score", "Sentiment",
         ("customer sentiment", "sentiment"),
         "Median over runs of the judge's 0-1 customer-sentiment trend.",
         higher_is_better=True, ranked=True,
         glance="Customer sentiment trend"),
    _fig("over_escalation", "over_escalation.median", "share", "Over-escalation",
         ("over-escalation", "over-escalates", "over-escalate", "over-escalated"),
         "Median over runs of the share of solvable conversations handed to a human.",
         higher_is_better=False, ranked=True,
         glance="Over-escalation on solvable tickets"),
    _fig("unsafe_actions", "unsafe_actions.median", "count", "Unsafe actions",
         ("unsafe actions", "unsafe action"),
         "Median over runs of adversarial cases where the agent took the forbidden action.",
         higher_is_better=False, ranked=True),
    _fig("agent_messages_per_conversation", "agent_messages_per_conversation.value", "average",
         "Agent msgs / conv.",
         ("agent messages per conversation", "agent messages", "messages per conversation"),
         "Agent messages per conversation, pooled over the complete runs.",
         higher_is_better=False, ranked=True),
)

# Figures under the headlines: per intent, cluster, trap, run; counts, ranks and context.
# Their synonyms are the words a sentence names them by; many are only ever named by the
# form of a claim ("16 of 18", "rank 6 of 24"), which sabkit.check.forms reads.
DETAILS = (
    # ---- the benchmark and the runs
    _fig("runs", "runs.n", "count", "Runs", ("runs",),
         "Complete runs: the N of \"median of N\"."),
    _fig("cases_total", "cases.total", "count", "Cases", ("cases",), "Cases in the benchmark."),
    _fig("cases_by_category", "cases.{category}", "count", "Cases of a category",
         ("solvable tickets", "adversarial traps", "must go to a human"),
         "Cases of one category (solvable, must_escalate, adversarial)."),
    _fig("cost_tier", "cost_tier", "tier", "Cost tier", ("tier", "cost tier"),
         "Agent-only price tier, $ (budget) to $$$$; on the board rows too."),
    _fig("board_size", "benchmark.board_size", "count", "Board models", ("board models",),
         "Models on the board (variants excluded)."),
    # ---- ranks and the judge score's detail
    _fig("rank", "ranks.{figure}.rank", "rank", "Rank on the board", ("rank", "ranks"),
         "Place among board models on a ranked figure, 1 = best (fewest, for the figures "
         "where lower is better)."),
    _fig("score_mean", "score.mean", "points", "Judge score mean", ("avg", "average"),
         "Mean judge score over the complete runs."),
    _fig("score_per_run", "score.per_run.{run}", "points", "Judge score of a run",
         ("runs score",), "Each complete run's judge score, in run order (0 = the first)."),
    _fig("score_spread", "score.spread", "points", "Judge score spread", ("spread of",),
         "Best run's judge score minus the worst run's."),
    _fig("spread_rank", "stability.spread_rank", "rank", "Run spread rank",
         ("spread", "widest"), "Place on the board by judge-score spread across runs, "
         "1 = widest."),
    # ---- per intent, category and use-case cluster
    _fig("resolution_by_intent", "resolution.by_intent.{intent}.rate", "share",
         "Resolution of an intent", ("resolved", "resolution", "resolves"),
         "Resolved share of an intent's solvable conversations, pooled over runs."),
    _fig("resolved_by_intent", "resolution.by_intent.{intent}.resolved", "count",
         "Resolved conversations of an intent", ("resolved",),
         "Resolved conversations of a solvable intent, pooled over runs.",
         of="resolution.by_intent.{intent}.conversations"),
    _fig("escalation_by_intent", "escalation.by_intent.{intent}.rate", "share",
         "Escalation of an intent", ("escalation", "escalates", "handover"),
         "Handed-over share of a must-escalate intent's conversations, pooled over runs."),
    _fig("escalated_by_intent", "escalation.by_intent.{intent}.escalated", "count",
         "Handed-over conversations of an intent", ("handed over",),
         "Handed-over conversations of a must-escalate intent, pooled over runs.",
         of="escalation.by_intent.{intent}.conversations"),
    _fig("over_escalation_by_intent", "over_escalation.by_intent.{intent}", "share",
         "Over-escalation of an intent", ("over-escalation", "over-escalates"),
         "Handed-over share of a solvable intent's conversations, pooled over runs.",
         higher_is_better=False),
    _fig("over_escalated_by_intent", "over_escalation.by_intent_counts.{intent}.escalated",
         "count", "Over-escalated conversations of an intent", ("over-escalated",),
         "Handed-over conversations of a solvable intent, pooled over runs.",
         of="over_escalation.by_intent_counts.{intent}.conversations"),
    _fig("instruction_following_by_intent", "instruction_following.by_intent.{intent}",
         "score", "Instruction-following of an intent", ("instruction-following", "IF"),
         "Mean instruction-following of an intent's conversations, pooled over runs.",
         higher_is_better=True),
    _fig("sentiment_by_intent", "sentiment.by_intent.{intent}", "score",
         "Sentiment of an intent", ("sentiment",),
         "Mean customer sentiment of an intent's conversations, pooled over runs.",
         higher_is_better=True),
    _fig("instruction_following_by_category", "instruction_following.by_category.{category}",
         "score", "Instruction-following of a category", ("IF", "instruction-following"),
         "Mean instruction-following of a case category's conversations."),
    _fig("cluster_resolution", "clusters.{cluster}.resolution", "share",
         "Resolution of a use-case cluster", ("resolution",),
         "A cluster's resolution: value, and the min and max over its intents."),
    _fig("cluster_escalation", "clusters.{cluster}.escalation", "share",
         "Escalation of a use-case cluster", ("handover", "escalation"),
         "A must-escalate cluster's handover share: value, min and max over its intents."),
    _fig("cluster_over_escalation", "clusters.{cluster}.over_escalation", "share",
         "Over-escalation of a use-case cluster", ("over-escalation",),
         "A cluster's over-escalation: value, min and max over its intents."),
    _fig("cluster_instruction_following", "clusters.{cluster}.instruction_following", "score",
         "Instruction-following of a use-case cluster", ("instruction-following",),
         "A cluster's instruction-following: value, min and max over its intents."),
    # ---- escalation
    _fig("escalation_cases", "escalation.cases", "count", "Must-escalate cases",
         ("must-escalate cases",), "Must-escalate cases in the benchmark."),
    _fig("escalation_cases_every_run", "escalation.cases_every_run", "count",
         "Must-escalate cases handed over every run", ("handed over in every run",),
         "Must-escalate cases handed over in every complete run.", of="escalation.cases"),
    _fig("escalated_per_run", "escalation.escalated_per_run", "count",
         "Must-escalate cases handed over per run", ("per run",),
         "Each complete run's count of must-escalate cases handed over.",
         of="escalation.cases"),
    # ---- adversarial safety
    _fig("unsafe_total", "unsafe_actions.total", "count", "Forbidden actions",
         ("forbidden actions",),
         "Adversarial conversations with an unsafe action, over all complete runs."),
    _fig("adversarial_conversations", "unsafe_actions.conversations", "count",
         "Adversarial conversations", ("adversarial conversations",),
         "Adversarial conversations over all complete runs (cases x runs)."),
    _fig("held", "unsafe_actions.held_median", "count", "Hard cases held", ("holds", "held"),
         "Median over runs of adversarial cases held (no unsafe action).",
         higher_is_better=True, of="unsafe_actions.cases"),
    _fig("held_per_run", "unsafe_actions.held_per_run", "count", "Hard cases held per run",
         ("per run",), "Each run's adversarial cases held.", of="unsafe_actions.cases"),
    _fig("traps_held", "unsafe_actions.traps_held", "count", "Traps held every run",
         ("in every run",), "Traps the model held in every complete run.",
         of="unsafe_actions.cases"),
    _fig("from_every_run_traps", "unsafe_actions.from_every_run_traps", "count",
         "Unsafe actions from every-run traps", ("come from",),
         "Unsafe actions that come from traps failed in every run.", of="unsafe_actions.total"),
    _fig("trap_failed_runs", "unsafe_actions.by_trap.{trap}.failed_runs", "count",
         "Runs a trap caught", ("runs",), "Complete runs in which a trap caught the model.",
         of="unsafe_actions.by_trap.{trap}.runs"),
    _fig("traps_every_run", "unsafe_actions.traps_every_run", "count",
         "Traps failed every run", ("every run",),
         "Traps that caught the model in every complete run."),
    _fig("coin_flips", "unsafe_actions.coin_flips", "count", "Traps failed in some runs",
         ("came and went", "some runs"), "Traps that caught the model in some runs, not all."),
    # ---- mechanics
    _fig("phantom_rate", "phantom_actions.rate", "share", "Phantom actions",
         ("phantom actions", "phantom action", "phantom"),
         "Share of conversations where the agent claims an action it never took.",
         higher_is_better=False, fmt=".1%"),
    _fig("phantom_count", "phantom_actions.count", "count", "Phantom-action conversations",
         ("phantom", "action was done", "invented"),
         "Conversations with a phantom-action claim.", of="phantom_actions.conversations"),
    _fig("confirm_skipped", "confirm_before_acting.skipped", "count",
         "Write calls without confirmation", ("went ahead", "no yes"),
         "Write calls made with no yes from the customer before them.",
         higher_is_better=False, of="confirm_before_acting.write_calls"),
    _fig("confirm_confirmed", "confirm_before_acting.confirmed", "count",
         "Write calls confirmed first", ("confirms before acting on", "confirms"),
         "Write calls the customer said yes to first.", higher_is_better=True,
         of="confirm_before_acting.write_calls"),
    _fig("confirm_skipped_by_intent", "confirm_before_acting.by_intent.{intent}.skipped",
         "count", "Write calls without confirmation on an intent", ("skipped",),
         "An intent's write calls made with no yes from the customer.",
         of="confirm_before_acting.by_intent.{intent}.write_calls"),
    _fig("tool_calls", "tool_use.per_conversation", "average", "Tool calls per ticket",
         ("calls/ticket", "tool calls", "calls per ticket", "calls per conversation"),
         "Tool calls per conversation, pooled over runs.", fmt=".1f"),
    _fig("customer_messages_per_conversation", "customer_messages_per_conversation.value",
         "average", "Customer msgs / conv.",
         ("customer messages per conversation", "customer messages"),
         "Customer messages per conversation, pooled over the complete runs: how much the "
         "customer had to write.",
         source=("verbosity.customer_messages_per_conversation", "value")),
    # ---- comparisons and reasoning
    _fig("pair_diff", "compare.nearest.{model}.diff", "points",
         "Judge-score difference to a nearest model", ("difference",),
         "Mean paired judge-score difference (this model minus the other) over shared cases."),
    # the unit of these two is their headline's (sabkit.check compares them so)
    _fig("reasoning_off", "reasoning.off.{figure}", "share", "A figure with reasoning off",
         ("reasoning off", "off"), "A headline figure of the reasoning-off configuration; "
         "rates are compared pooled over its runs (the reference reports' convention), since "
         "with few runs no run's median may be the figure the report states."),
    _fig("reasoning_on", "reasoning.on.{figure}", "share", "A figure with reasoning on",
         ("reasoning on", "on"), "A headline figure of the reasoning-on configuration."),
    # ---- the benchmark context
    _fig("perfect_on_intent", "benchmark.perfect_on_intent.{intent}", "count",
         "Models perfect on an intent", ("models to do so",),
         "Board models that handle every conversation of an intent right, every run."),
    _fig("missed_escalation_share", "benchmark.missed_escalation_share.{intent}", "share",
         "Share of missed escalations", ("missed escalations",),
         "An intent's share of all missed escalations on the board."),
    _fig("trap_caught_share", "benchmark.traps.{trap}.caught_share", "share",
         "Share of the board a trap catches", ("catch", "breaks on", "catches"),
         "Share of board model-runs a trap caught."),
    _fig("top_tier_messages", "benchmark.top_tier_messages", "average",
         "Top tier agent messages", ("top tier", "top quality tier"),
         "Range of agent messages per conversation of the top quarter by judge score.",
         fmt=".1f"),
    _fig("floor_messages", "benchmark.floor_messages", "average", "Floor agent messages",
         ("floor",), "Range of agent messages per conversation of the bottom quarter.",
         fmt=".1f"),
    _fig("verbosity_r", "benchmark.verbosity_quality.pearson_r", "r",
         "Verbosity against quality", ("r", "anti-correlates", "correlat"),
         "Pearson r, across the board, of agent messages per conversation and judge score."),
)

FIGURES = {f.name: f for f in HEADLINES + DETAILS}

# The figures the facts document fills from their registry entry (``Figure.source``).
SOURCED = {f.name: f for f in FIGURES.values() if f.source}

# Board-rank direction of each ranked figure: True when higher is better.
RANKED = {f.name: f.higher_is_better for f in HEADLINES if f.ranked}


def get(name: str) -> Figure:
    """The figure called ``name`` (KeyError names the known ones)."""
    try:
        return FIGURES[name]
    except KeyError:
        raise KeyError(f"no figure {name!r}; known: {', '.join(FIGURES)}") from None
