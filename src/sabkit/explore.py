"""The explorer's library: what notebooks/explore.ipynb calls, usable from any notebook.

Each function takes the benchmark first, like the metrics, and answers with a polars frame
(``search`` with the frame and its total hit count, ``show_case`` with HTML to read):

    from sabkit import explore
    explore.leaderboard(bench)                                  # one row per model
    explore.conversations(bench, outcome="unsafe", trap=[...])  # filter by any column
    explore.search(bench, "refund", limit=20)                   # .total says how many in all
    explore.show_case(bench, "trap-review-bribe-discount")      # every run, side by side
    explore.compare(bench, "gemma-4-31b", "gpt-5.4-mini")       # cases they differ on first

Medians count complete runs only, as in the deep reports; ``conversations`` and the
transcripts show partial runs too, flagged by ``complete``. Transcript text is untrusted:
the HTML here escapes every piece of it and sits in a ``mathjax_ignore`` element, since
JupyterLab would otherwise typeset "under $250 ... (over $250)" as maths.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass

import duckdb
import polars as pl

from sabkit.errors import SabkitError
from sabkit.io.sql import fill
from sabkit.metrics import escalation, judge, resolution, runs, safety, stability, verbosity
from sabkit.metrics.conversations import query
from sabkit.untrusted import strip_controls

OUTCOMES = ("resolved", "unresolved", "over-escalated", "escalated", "missed escalation",
            "held", "unsafe")

# A conversation's outcome in one word. A solvable ticket handed to a human is
# over-escalated even when the judge marks it resolved: the handover is what went wrong.
OUTCOME = """
CASE category
    WHEN 'adversarial' THEN CASE WHEN unsafe THEN 'unsafe' ELSE 'held' END
    WHEN 'must_escalate' THEN CASE WHEN escalated THEN 'escalated' ELSE 'missed escalation' END
    ELSE CASE WHEN escalated THEN 'over-escalated' WHEN resolved THEN 'resolved'
              ELSE 'unresolved' END
END"""

# Each filter is a bound list, or NULL for "any".
CONVERSATIONS = fill("""
SELECT * FROM (
    SELECT model, run_index, complete, case_id, category, intent, trap, {outcome} AS outcome,
           score, resolved, instruction_following, sentiment, escalated, unsafe,
           forbidden_fired, agent_messages, customer_messages, tool_calls, failed_calls
    FROM {conv})
WHERE ($model::VARCHAR[] IS NULL OR list_contains($model, model))
  AND ($intent::VARCHAR[] IS NULL OR list_contains($intent, intent))
  AND ($trap::VARCHAR[] IS NULL OR list_contains($trap, trap))
  AND ($outcome::VARCHAR[] IS NULL OR list_contains($outcome, outcome))
  AND ($category::VARCHAR[] IS NULL OR list_contains($category, category))
  AND ($run_index::INTEGER[] IS NULL OR list_contains($run_index, run_index))
ORDER BY model, run_index, case_id
""", outcome=OUTCOME)


def conversations(bench, *, model=None, intent=None, trap=None, outcome=None, category=None,
                  run_index=None) -> pl.DataFrame:
    """Every conversation with its ``outcome`` (one of ``OUTCOMES``), judge figures and
    counts, keeping those that match every filter given (each one value or a list)."""
    filters = {name: _listed(value) for name, value in dict(
        model=model, intent=intent, trap=trap, outcome=outcome, category=category,
        run_index=run_index).items()}
    for wanted in filters["model"] or []:
        bench.resolve_model(wanted)  # an unknown name says so, with suggestions
    unknown = sorted(set(filters["outcome"] or []) - set(OUTCOMES))
    if unknown:
        raise SabkitError(f"unknown outcome {unknown[0]!r}; outcomes are "
                          + ", ".join(OUTCOMES))
    return query(bench, CONVERSATIONS, filters)


def _listed(value) -> list | None:
    if value is None:
        return None
    return list(value) if isinstance(value, (list, tuple, set)) else [value]


# --- the leaderboard ----------------------------------------------------------------------

# Figure -> True when higher is better: the direction of its rank among board models.
RANKED = {"score": True, "resolution": True, "escalation": True, "over_escalation": False,
          "unsafe_actions": False, "instruction_following": True, "sentiment": True,
          "agent_messages_per_conversation": False}


def leaderboard(bench) -> pl.DataFrame:
    """One row per model, board models by median judge score (best first), then the
    variants (reasoning off) in the same order: the deep reports' headline
    figures (medians over complete runs), each figure's rank among board models (1 = best,
    ties share a rank; a variant is ranked as if it joined the board), and the score's
    spread across runs (best and worst run, ``spread`` = best - worst)."""
    def headline(frame: pl.DataFrame, name: str, column: str = "median") -> pl.DataFrame:
        return frame.select("model", pl.col(column).alias(name))

    j = judge.judge_headlines(bench)
    spread = stability.spread_across_runs(bench).select(
        "model", pl.col("best").alias("score_best"), pl.col("worst").alias("score_worst"),
        "spread")
    frame = (bench.sql("SELECT model, provider, cost_tier, variant_of IS NULL AS board, "
                       "variant_of FROM models")
             .join(runs.runs_per_model(bench).select("model", pl.col("complete").alias("runs")),
                   on="model", how="left")
             .join(j.select("model", pl.col("score_median").alias("score"),
                            pl.col("score_per_run"),
                            pl.col("instruction_following_median").alias(
                                "instruction_following"),
                            pl.col("sentiment_median").alias("sentiment")),
                   on="model", how="left")
             .join(spread, on="model", how="left"))
    for name, part in (
            ("resolution", resolution.resolves_the_customers_request(bench)),
            ("escalation", escalation.escalates_the_cases_that_need_a_human(bench)),
            ("over_escalation", escalation.over_escalates_resolvable_tickets(bench)),
            ("unsafe_actions", safety.hard_cases_held(bench))):
        frame = frame.join(headline(part, name), on="model", how="left")
    frame = frame.join(headline(verbosity.agent_messages_per_conversation(bench),
                                "agent_messages_per_conversation", "value"),
                       on="model", how="left")
    board = frame.filter("board")
    ranks = {f"{figure}_rank": [_rank(value, board[figure].to_list(), higher)
                                for value in frame[figure].to_list()]
             for figure, higher in RANKED.items()}
    frame = frame.with_columns(pl.Series(name, values, dtype=pl.Int64)
                               for name, values in ranks.items())
    return frame.rename({"score_rank": "rank"}).sort(
        "board", "score", "model", descending=[True, True, False], nulls_last=True)


def _rank(value, board: list, higher_is_better: bool) -> int | None:
    """1 + the board models strictly better (rounded, so float noise never splits a tie)."""
    if value is None:
        return None
    value = round(value, 9)
    better = [b for b in board if b is not None
              and (round(b, 9) > value if higher_is_better else round(b, 9) < value)]
    return len(better) + 1


# --- search -------------------------------------------------------------------------------

# Every message and reasoning trace with where it came from (tool results are the store's
# JSON, transcript() shows them in place); the match runs in DuckDB, so
# text that does not match never reaches Python.
SEARCH = """
WITH texts AS (
    SELECT run_id, case_id, seq, role AS who, 'message' AS found_in, content AS text
    FROM messages
    UNION ALL
    SELECT run_id, case_id, seq, role, 'reasoning', reasoning FROM messages
    WHERE reasoning IS NOT NULL
)
SELECT r.model, r.run_index, t.case_id, t.seq, t.who, t.found_in, t.text,
       count(*) OVER () AS total
FROM texts t JOIN runs r USING (run_id)
WHERE ($models::VARCHAR[] IS NULL OR list_contains($models, r.model))
  AND CASE WHEN $regex THEN regexp_matches(t.text, $text)
           ELSE contains(lower(t.text), lower($text)) END
ORDER BY r.model, r.run_index, t.case_id, t.seq, t.found_in
LIMIT $limit
"""


@dataclass(frozen=True)
class Hits:
    """What ``search`` found: the first ``limit`` hits as a frame and how many in all."""

    text: str
    total: int
    frame: pl.DataFrame

    def __len__(self) -> int:
        return self.frame.height

    @property
    def heading(self) -> str:
        """"6,395 hits for 'refund'; showing the first 20 (limit=None for all)"."""
        shown = (f"showing all {self.total:,}" if self.frame.height == self.total
                 else f"showing the first {self.frame.height:,} (limit=None for all)")
        return f"{self.total:,} hits for {self.text!r}; {shown}"

    def __repr__(self) -> str:
        return f"{self.heading}\n{self.frame!r}"

    def _repr_html_(self) -> str:
        return (f'<div class="mathjax_ignore"><p>{html.escape(self.heading)}</p>'
                f"{self.frame._repr_html_()}</div>")


def search(bench, text: str, *, regex: bool = False, models=None,
           limit: int | None = None) -> Hits:
    """Messages and reasoning traces (each its own hit) that hold ``text`` (case-insensitive;
    with ``regex=True``, an RE2 regular expression, ``(?i)`` for any case), in model, run,
    case and conversation order, with the words around the match in ``around``.
    ``Hits.total`` is the number of hits in all, however many ``limit`` keeps."""
    if not text:
        raise SabkitError("search: give some text to look for")
    if limit is not None and limit < 1:
        raise SabkitError(f"search: limit must be 1 or more (None for every hit), not {limit}")
    models = _listed(models)
    for wanted in models or []:
        bench.resolve_model(wanted)
    try:
        found = bench.sql(SEARCH, {"text": text, "regex": regex, "models": models,
                                   "limit": limit})
    except duckdb.InvalidInputException as exc:
        raise SabkitError(f"search: {text!r} is not a regular expression RE2 accepts "
                          f"({str(exc).splitlines()[0]})") from None
    total = int(found["total"][0]) if found.height else 0
    pattern = re.compile(text if regex else re.escape(text), 0 if regex else re.IGNORECASE)
    around = [_around(t, pattern) for t in found["text"]]
    return Hits(text, total, found.drop("total").with_columns(
        around=pl.Series(around, dtype=pl.String)))


def _around(text: str, pattern: re.Pattern, width: int = 60) -> str:
    """The match with ``width`` characters either side, '…' where text was cut."""
    try:
        match = pattern.search(text)
    except re.error:
        match = None
    if match is None:  # an RE2 pattern Python's re reads differently: the text's opening
        return text[:2 * width] + ("…" if len(text) > 2 * width else "")
    start, end = max(0, match.start() - width), match.end() + width
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


# --- one case -----------------------------------------------------------------------------

# Messages and tool calls share ``seq``, so one ORDER BY interleaves them as they happened.
TRANSCRIPT = """
SELECT r.model, r.run_index, r.complete, x.* EXCLUDE (run_id)
FROM (SELECT run_id, seq, turn, role AS kind, content AS text, reasoning,
             NULL AS tool, NULL AS arguments, NULL AS result, NULL::BOOLEAN AS ok
      FROM messages WHERE case_id = $case
      UNION ALL
      SELECT run_id, seq, turn,
             CASE caller WHEN 'customer' THEN 'customer call' ELSE 'tool call' END,
             NULL, NULL, tool, arguments, result, ok
      FROM tool_calls WHERE case_id = $case) x
JOIN run_status r USING (run_id)
WHERE $models::VARCHAR[] IS NULL OR list_contains($models, r.model)
ORDER BY r.model, r.run_index, x.seq
"""


def transcript(bench, case_id: str, models=None) -> pl.DataFrame:
    """Every message and tool call of a case, for every model and run (or ``models``), in
    conversation order: ``kind`` is customer, agent, tool, tool call (the agent's) or
    customer call (the customer's own, in tau2's dual control); an agent message carries
    its ``reasoning``, a call its arguments, whole result and ``ok``."""
    _case(bench, case_id)
    models = _listed(models)
    for wanted in models or []:
        bench.resolve_model(wanted)
    return bench.sql(TRANSCRIPT, {"case": case_id, "models": models})


def _case(bench, case_id: str) -> dict:
    """The case's row; an unknown id says so with the nearest ids."""
    found = bench.sql("SELECT * FROM cases WHERE case_id = $case", {"case": case_id})
    if found.height:
        return found.row(0, named=True)
    known = bench.sql("SELECT case_id FROM cases ORDER BY case_id")["case_id"].to_list()
    close = difflib.get_close_matches(case_id, known, n=3, cutoff=0.5)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise SabkitError(f"unknown case {case_id!r}{hint} (explore.conversations(bench) "
                      "lists every case_id)")


CASE_CSS = """<style>
.sab-case summary { cursor: pointer; padding: 2px 0; }
.sab-case .turn { margin: 4px 0 4px 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
.sab-case .think { color: #6b7280; font-style: italic; }
.sab-case .tool { font-family: monospace; font-size: 90%; color: #374151; }
.sab-case .bad { color: #b91c1c; font-weight: bold; }
</style>"""

def _text(value, limit: int | None = None) -> str:
    """Transcript text as HTML text: control characters dropped, cut at ``limit``, escaped
    (quotes too, so no text can leave an attribute or become markup)."""
    text = strip_controls("" if value is None else str(value))
    if limit is not None and len(text) > limit:
        text = text[:limit] + " …"
    return html.escape(text, quote=True)


def case_html(bench, case_id: str, models=None, result_chars: int = 400) -> str:
    """``show_case``'s HTML as a string, for pages other than a notebook."""
    info = _case(bench, case_id)
    rows = transcript(bench, case_id, models)
    outcomes = {(r["model"], r["run_index"]): r for r in conversations(
        bench, model=_listed(models)).filter(pl.col("case_id") == case_id).iter_rows(
        named=True)}
    trap = (f" Trap: <b>{_text(info['trap'])}</b>; forbidden: "
            f"{_text(', '.join(info['forbidden_tools'] or []))}." if info["trap"] else "")
    parts = [CASE_CSS, '<div class="sab-case mathjax_ignore">',
             f"<h3>{_text(case_id)}: {_text(info['intent'])} ({_text(info['category'])})</h3>",
             f"<p>{_text(info.get('description'))}{trap}</p>"]
    for i, ((model, run), turns) in enumerate(rows.group_by("model", "run_index",
                                                           maintain_order=True)):
        o = outcomes.get((model, run), {})
        score = "not scored" if o.get("score") is None else f"judge score {o['score']:.0f}"
        partial = "" if o.get("complete", True) else " (partial run)"
        parts.append(f"<details{' open' if i == 0 else ''}><summary><b>{_text(model)}</b> "
                     f"run {run}{partial}: "
                     f"{_text(o.get('outcome', 'no outcome'))}, {score}</summary>"
                     + "".join(_turn(t, result_chars) for t in turns.iter_rows(named=True))
                     + "</details>")
    return "".join(parts) + "</div>"


def _turn(row: dict, result_chars: int) -> str:
    if row["kind"] in ("tool call", "customer call"):
        failed = "" if row["ok"] else ' <span class="bad">✗ failed</span>'
        who = "🧑🔧" if row["kind"] == "customer call" else "🔧"
        return (f'<div class="turn tool">{who} {_text(row["tool"])}({_text(row["arguments"])})'
                f" → {_text(row['result'], result_chars)}{failed}</div>")
    who = {"customer": "🧑", "agent": "🤖"}.get(row["kind"], "↳ " + _text(row["kind"]))
    think = (f'<div class="think">⟨think: "{_text(row["reasoning"])}"⟩</div>'
             if row["reasoning"] else "")
    return f'<div class="turn">{think}{who} {_text(row["text"])}</div>'


def show_case(bench, case_id: str, models=None, result_chars: int = 400):
    """A case read across every model and run (or ``models``): one fold per run with its
    outcome and score (the first one open), inside it 🧑 the customer, 🤖 the agent with
    its reasoning as ⟨think: …⟩, 🔧 each tool call of the agent and 🧑🔧 the customer's
    own (tau2's dual control), results cut at ``result_chars``, ✗ when a call failed.
    An IPython HTML object: every piece of text escaped, and the whole in a
    ``mathjax_ignore`` element so dollar amounts stay dollar amounts."""
    from IPython.display import HTML

    return HTML(case_html(bench, case_id, models, result_chars))


def split_case(bench) -> str | None:
    """The adversarial case on which board models split most evenly between holding the
    trap and failing it (complete runs): the most telling case to read first."""
    found = query(bench, """
        SELECT case_id FROM {conv} WHERE complete AND board AND category = 'adversarial'
        GROUP BY case_id ORDER BY abs(avg(unsafe::INT) - 0.5), case_id LIMIT 1""")
    return found["case_id"][0] if found.height else None


# --- two models ---------------------------------------------------------------------------

# Per case and model over complete runs: the mean score, and the outcome, or when the runs
# ended differently the outcomes with their run counts ("held ×2, unsafe ×1", most frequent
# first); two models differ on a case when these differ.
COMPARE = fill("""
WITH conv AS (
    SELECT model, case_id, category, intent, score, {outcome} AS outcome
    FROM {conv} WHERE complete AND model IN ($a, $b)
), tallies AS (
    SELECT model, case_id, outcome, count(*) AS n,
           count(*) OVER (PARTITION BY model, case_id) AS kinds
    FROM conv GROUP BY model, case_id, outcome
), labels AS (
    SELECT model, case_id,
           string_agg(outcome || CASE WHEN kinds > 1 THEN ' ×' || n ELSE '' END, ', '
                      ORDER BY n DESC, outcome) AS outcome
    FROM tallies GROUP BY ALL
), per_case AS (
    SELECT model, case_id, any_value(category) AS category, any_value(intent) AS intent,
           avg(score) AS score
    FROM conv GROUP BY ALL
), side AS (SELECT * FROM per_case JOIN labels USING (model, case_id))
SELECT coalesce(a.case_id, b.case_id) AS case_id,
       coalesce(a.category, b.category) AS category, coalesce(a.intent, b.intent) AS intent,
       a.outcome IS DISTINCT FROM b.outcome AS differ,
       a.outcome AS a_outcome, a.score AS a_score, b.outcome AS b_outcome, b.score AS b_score,
       a.score - b.score AS score_gap
FROM (SELECT * FROM side WHERE model = $a) a
FULL JOIN (SELECT * FROM side WHERE model = $b) b USING (case_id)
ORDER BY differ DESC, abs(score_gap) DESC NULLS LAST, case_id
""", outcome=OUTCOME)


def compare(bench, model_a: str, model_b: str) -> pl.DataFrame:
    """Two models case by case, side by side over their complete runs: each one's outcomes
    (with run counts when runs differ) and mean judge score, ``differ`` when their runs
    ended differently, and ``score_gap`` (a - b). Cases they differ on come first, the
    widest score gap first. Columns are named after the models."""
    a, b = bench.resolve_model(model_a), bench.resolve_model(model_b)
    if a == b:
        raise SabkitError(f"compare: give two different models, not {a!r} twice")
    return query(bench, COMPARE, {"a": a, "b": b}).rename({
        "a_outcome": f"{a} outcome", "a_score": f"{a} score",
        "b_outcome": f"{b} outcome", "b_score": f"{b} score"})
