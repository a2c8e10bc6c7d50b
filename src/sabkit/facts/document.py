"""The facts document: every figure the deep report states about a model, as one JSON object.

``Facts(bench)`` computes each metric frame once, for all models (one DuckDB query each,
see ``sabkit.metrics``), and ``document(model)`` slices them into the layout described in
docs/facts.md. The entry points, ``facts(bench, model)`` and ``all_facts(bench)``, are in
``sabkit.facts.stored``, which keeps every model's documents in the cache.
Rates are fractions; what the data does not measure is None (JSON null), never 0 or NaN.
"""

from __future__ import annotations

import importlib
import math
from functools import cached_property

import numpy as np
import polars as pl

from sabkit.contract import COST_TIERS
from sabkit.facts.figures import RANKED, SOURCED
from sabkit.metrics import (compare, confirm, context, escalation, judge, phantom, reasoning,
                            resolution, runs, safety, stability, tool_use, use_cases,
                            verbosity)
from sabkit.metrics.conversations import query
from sabkit.metrics import stats

SCHEMA = 1
NEAREST = 4

# Rates that also have a pooled value (all complete runs together), for reasoning on/off.
POOLED = ("resolution", "escalation", "over_escalation")


def _rows(frame: pl.DataFrame) -> dict[str, list[dict]]:
    """A frame's rows grouped by model, computed once so slicing a model is a lookup."""
    out: dict[str, list[dict]] = {}
    for row in frame.iter_rows(named=True):
        out.setdefault(row["model"], []).append(row)
    return out


def _one(frame_rows: dict[str, list[dict]], model: str) -> dict:
    rows = frame_rows.get(model)
    return rows[0] if rows else {}


def _num(x):
    """A JSON-able number: None for missing or NaN, Python int/float otherwise."""
    if type(x) is not float:  # a float is the common case: a hundred thousand at 125 models
        if x is None:
            return None
        if isinstance(x, (bool, np.bool_)):
            return bool(x)
        if isinstance(x, (int, np.integer)):
            return int(x)
        x = float(x)
    # + 0.0 turns -0.0 into 0.0: a difference of two equal sums, added up in a different
    # order by DuckDB's threads, can round to either, and the document must not flicker
    return None if math.isnan(x) else round(x, 6) + 0.0


def _nums(xs) -> list:
    return [_num(x) for x in (xs or [])]


def _span(row: dict, name: str) -> dict | None:
    value = _num(row.get(name))
    if value is None:
        return None
    return {"value": value, "min": _num(row.get(f"{name}_min")),
            "max": _num(row.get(f"{name}_max"))}


def _sourced(bench) -> dict[str, dict[str, list[dict]]]:
    """The rows of each metric a registry entry names (``Figure.source``), by model: each
    function called once, however many figures read its columns."""
    out: dict[str, dict[str, list[dict]]] = {}
    for f in SOURCED.values():
        name = f.source[0]
        if name not in out:
            module, function = name.rsplit(".", 1)
            metric = getattr(importlib.import_module(f"sabkit.metrics.{module}"), function)
            out[name] = _rows(metric(bench))
    return out


def _place(doc: dict, path: str, value) -> None:
    """Put ``value`` at a dotted ``path`` of the document, making the dicts on the way."""
    *steps, last = path.split(".")
    for step in steps:
        doc = doc.setdefault(step, {})
    doc[last] = value


class Facts:
    """Every metric frame of a benchmark, computed once, sliced per model on demand."""

    def __init__(self, bench):
        stats.import_in_background()  # the statistics need scipy after the queries
        self.bench = bench
        self.models = query(bench, "SELECT * FROM models ORDER BY model")
        self.board_names = set(self.models.filter(pl.col("variant_of").is_null())["model"])
        self.cases = query(bench, "SELECT category, count(*) AS n FROM cases GROUP BY ALL")
        self.languages = query(bench, "SELECT DISTINCT language FROM cases ORDER BY 1")
        self.has_clusters = bool(query(
            bench, "SELECT count(*) > 0 AS x FROM cases WHERE cluster IS NOT NULL")["x"][0])
        self.reasoning_trace = dict(query(bench, """
            SELECT model, sum(reasoning_messages) > 0 FROM {conv} GROUP BY model""").rows())
        self.runs = _rows(runs.runs_per_model(bench))
        self.resolution = _rows(resolution.resolves_the_customers_request(bench))
        self.resolution_by_intent = _rows(resolution.resolution_by_intent(bench))
        self.escalation = _rows(escalation.escalates_the_cases_that_need_a_human(bench))
        self.escalation_counts = _rows(escalation.escalation_per_run(bench))
        self.escalation_every_run = _rows(escalation.cases_escalated_in_every_run(bench))
        self.escalation_by_intent = _rows(escalation.escalation_by_intent(bench))
        self.missed = _rows(escalation.missed_escalations(bench))
        self.over = _rows(escalation.over_escalates_resolvable_tickets(bench))
        self.over_by_intent = _rows(escalation.over_escalation_by_intent(bench))
        self.unsafe = _rows(safety.hard_cases_held(bench))
        self.traps = _rows(safety.trap_outcomes(bench))
        self.unsafe_list = _rows(safety.unsafe_action_list(bench))
        self.judge = _rows(judge.judge_headlines(bench))
        self.judge_by = {level: _rows(frame) for level, frame in judge.judge_by(bench).items()}
        self.clusters = _rows(use_cases.per_use_case_performance(bench))
        self.tools = _rows(tool_use.tool_calls_per_ticket(bench))
        self.tools_by_tool = _rows(tool_use.tool_calls_by_tool(bench))
        self.phantom = _rows(phantom.claims_actions_it_never_took(bench))
        self.phantom_claims = _rows(phantom.phantom_claims(bench))
        self.confirm = _rows(confirm.confirms_before_acting(bench))
        self.messages_frame = verbosity.agent_messages_per_conversation(bench)
        self.messages = _rows(self.messages_frame)
        self.tiers = _rows(verbosity.quality_tiers(self.messages_frame))
        self.spread_frame = stability.spread_across_runs(bench)
        self.spread = _rows(self.spread_frame)
        self.pass_k = _rows(stability.pass_hat_k(bench))
        self.pairs_frame = compare.paired_comparisons(bench)
        self.nearest = _rows(compare.nearest_on_quality(self.pairs_frame, NEAREST))
        self.dominance = _rows(compare.value_dominance(self.pairs_frame))
        self.reasoning = reasoning.reasoning_on_off(reasoning.reasoning_pairs(bench),
                                                    self.headlines)
        # the paired comparisons of the reasoning on/off configurations, as rows: the only
        # pairs looked up one by one (making rows of every pair took longer than them all)
        configs = self.reasoning["on_model"].to_list() + self.reasoning["off_model"].to_list()
        self.pair_index = {(r["model"], r["other"]): r for r in self.pairs_frame.filter(
            pl.col("model").is_in(configs) & pl.col("other").is_in(configs)).iter_rows(
            named=True)}
        self.sourced = _sourced(bench)

    # ---- board-wide tables -------------------------------------------------------------

    @cached_property
    def headlines(self) -> pl.DataFrame:
        """One row per model with every headline median: ranks, reasoning on/off, board."""
        rows = []
        for name in self.models["model"]:
            j = _one(self.judge, name)
            rows.append({
                "model": name,
                "score": j.get("score_median"),
                "resolution": _one(self.resolution, name).get("median"),
                "escalation": _one(self.escalation, name).get("median"),
                "over_escalation": _one(self.over, name).get("median"),
                "unsafe_actions": _one(self.unsafe, name).get("median"),
                "instruction_following": j.get("instruction_following_median"),
                "sentiment": j.get("sentiment_median"),
                "agent_messages_per_conversation": _one(self.messages, name).get("value"),
                "resolution_pooled": _one(self.resolution, name).get("pooled"),
                "escalation_pooled": _one(self.escalation, name).get("pooled"),
                "over_escalation_pooled": _one(self.over, name).get("pooled"),
            })
        return pl.DataFrame(rows, schema={"model": pl.String, **{k: pl.Float64 for k in RANKED},
                                          **{f"{k}_pooled": pl.Float64 for k in POOLED}})

    @cached_property
    def model_rows(self) -> dict[str, dict]:
        return {r["model"]: r for r in self.models.iter_rows(named=True)}

    @cached_property
    def headline_rows(self) -> dict[str, dict]:
        return {r["model"]: r for r in self.headlines.iter_rows(named=True)}

    @cached_property
    def board_rows(self) -> list[dict]:
        """The board, best score first, as rows: sliced per model in plain Python."""
        return list(self.board.iter_rows(named=True))

    @cached_property
    def board(self) -> pl.DataFrame:
        return (self.headlines.filter(pl.col("model").is_in(list(self.board_names)))
                .join(self.models, on="model").sort("score", descending=True,
                                                    nulls_last=True))

    @cached_property
    def benchmark(self) -> dict:
        """The benchmark-context block: identical in every document."""
        b = self.bench
        missed = context.missed_escalation_share(b)
        traps = context.trap_catch_rates(b)
        tiers = verbosity.quality_tiers(self.messages_frame)
        every = context.models_with_a_trap_failed_every_run(b)

        def span(tier: str):
            values = tiers.filter(pl.col("quality_tier") == tier)["value"]
            return [_num(values.min()), _num(values.max())] if len(values) else None

        board_rows = []
        for r in self.board.iter_rows(named=True):
            board_rows.append({
                "model": r["model"], "family": r["family"], "provider": r["provider"],
                "open_weights": r["open_weights"], "cost_tier": r["cost_tier"],
                "runs": _one(self.runs, r["model"]).get("complete", 0),
                "score_per_run": _nums(_one(self.judge, r["model"]).get("score_per_run")),
                **{k: _num(r[k]) for k in RANKED}})
        return {
            "board_size": len(self.board_names),
            "verbosity_quality": verbosity.verbosity_against_quality(self.messages_frame),
            "missed_escalations": int(missed["missed"].sum()),
            "missed_escalation_share": {r["intent"]: _num(r["share"])
                                        for r in missed.iter_rows(named=True)},
            "traps": {r["trap"]: {"caught_share": _num(r["caught_share"]),
                                  "caught_runs": r["caught_runs"], "runs": r["runs"],
                                  "held_every_run_by": r["held_every_run_by"],
                                  "failed_every_run_by": r["failed_every_run_by"]}
                      for r in traps.iter_rows(named=True)},
            "perfect_on_intent": {r["intent"]: r["models"]
                                  for r in context.perfect_on_intent(b).iter_rows(named=True)},
            "models_with_trap_failed_every_run_share": _num(every["share"][0]),
            "quality_tiers": {t: tiers.filter(pl.col("quality_tier") == t)["model"].to_list()
                              for t in ("top", "floor")},
            "top_tier_messages": span("top"),
            "floor_messages": span("floor"),
            "board": board_rows,
        }

    @cached_property
    def ranks(self) -> dict[tuple[str, str], dict]:
        """(model, figure) -> rank among board models (1 = best) and the better models."""
        board = self.board.filter(pl.col("model").is_not_null())
        names = np.array(board["model"].to_list())
        out = {}
        with np.errstate(invalid="ignore"):  # once: entering it per model and figure was
            for figure, higher_is_better in RANKED.items():  # a fifth of the ranks' cost
                # Rounded first: DuckDB's parallel sums differ in the last digits from run to
                # run, and two tied models must not swap ranks between two runs of a report.
                values = np.round(board[figure].to_numpy(), 9)
                for model, value in zip(self.headlines["model"], self.headlines[figure]):
                    if value is None or math.isnan(value):
                        out[model, figure] = {"rank": None, "of": len(names), "better": []}
                        continue
                    value = round(value, 9)
                    better = (values > value) if higher_is_better else (values < value)
                    better &= names != model
                    out[model, figure] = {"rank": int(better.sum()) + 1, "of": len(names),
                                          "better": names[better].tolist()}
        return out

    def rank(self, model: str, figure: str) -> dict:
        return self.ranks[model, figure]

    # ---- one model's document ----------------------------------------------------------

    def document(self, model: str) -> dict:
        m = self.model_rows[model]
        run = _one(self.runs, model)
        j = _one(self.judge, model)
        cases = {r["category"]: r["n"] for r in self.cases.iter_rows(named=True)}
        cost_runs = [c for c in run.get("cost_usd_per_run", []) if c is not None]
        doc = {
            "schema": SCHEMA,
            "model": model,
            "data": str(self.bench.path),
            "cost_tier": m["cost_tier"],
            "display": {"provider": m["provider"], "family": m["family"],
                        "open_weights": m["open_weights"], "reasoning": m["reasoning"],
                        "variant_of": m["variant_of"], "board": model in self.board_names,
                        "judge": run.get("judge")},
            "cases": {"total": sum(cases.values()), **{c: cases.get(c, 0) for c in
                      ("solvable", "must_escalate", "adversarial")}},
            "runs": {"n": run.get("complete", 0), "complete": run.get("complete", 0),
                     "partial": run.get("partial", 0), "indices": run.get("indices", []),
                     "run_ids": run.get("run_ids", []),
                     "partial_ids": run.get("partial_ids", []),
                     "partial_indices": run.get("partial_indices", []),
                     "partial_conversations": run.get("partial_conversations", []),
                     "conversations": run.get("conversations", 0)},
            "measured": {
                "instruction_following": j.get("instruction_following_median") is not None,
                "sentiment": j.get("sentiment_median") is not None,
                "cost_tier": m["cost_tier"] is not None,
                "cost_usd": bool(cost_runs),
                "reasoning_trace": self.reasoning_trace.get(model, False),
                "clusters": self.has_clusters,
                "languages": self.languages["language"].to_list(),
            },
            "cost_usd": ({"per_run": _nums(run["cost_usd_per_run"]),
                          "median": _num(np.median(cost_runs))} if cost_runs else None),
            "resolution": self._resolution(model),
            "escalation": self._escalation(model),
            "over_escalation": self._over_escalation(model),
            "unsafe_actions": self._unsafe_actions(model),
            "instruction_following": self._judge_figure(model, "instruction_following"),
            "sentiment": self._judge_figure(model, "sentiment"),
            "score": {**self._judge_figure(model, "score"),
                      "mean": _num(j.get("score_mean")),
                      "spread": _num(j.get("score_spread"))},
            "clusters": self._clusters(model),
            "tool_use": self._tool_use(model),
            "phantom_actions": self._phantom(model),
            "confirm_before_acting": self._confirm(model),
            "agent_messages_per_conversation": self._messages(model),
            "stability": self._stability(model),
            "pass_k": self._pass_k(model),
            "compare": self._compare(model),
            "value": self._value(model),
            "reasoning": self._reasoning(model),
            "ranks": {f: self.rank(model, f) for f in RANKED},
            "benchmark": self.benchmark,
        }
        # figures declared with their metric in the registry: no edit here for a new one;
        # the benchmark block stays last, since `sabkit facts --all` encodes it once
        block = doc.pop("benchmark")
        for f in SOURCED.values():
            function, column = f.source
            _place(doc, f.path, _num(_one(self.sourced[function], model).get(column)))
        doc["benchmark"] = block
        return doc

    def _headline(self, row: dict) -> dict:
        out = {"median": _num(row.get("median")), "per_run": _nums(row.get("per_run")),
               "min": _num(row.get("min")), "max": _num(row.get("max"))}
        if "pooled" in row:
            out["pooled"] = _num(row["pooled"])
        return out

    def _resolution(self, model: str) -> dict:
        return {**self._headline(_one(self.resolution, model)),
                "by_intent": {r["intent"]: {"rate": _num(r["rate"]), "resolved": r["resolved"],
                                            "conversations": r["conversations"],
                                            "ci": [_num(r["ci_lo"]), _num(r["ci_hi"])]}
                              for r in self.resolution_by_intent.get(model, [])}}

    def _escalation(self, model: str) -> dict:
        every = _one(self.escalation_every_run, model)
        per_run = self.escalation_counts.get(model, [])
        head = self._headline(_one(self.escalation, model))
        return {**head,
                "escalated_per_run": [r["escalated"] for r in per_run],
                "cases": every.get("cases", 0),
                "cases_every_run": every.get("cases_every_run", 0),
                "all_runs_perfect": bool(per_run) and all(r["rate"] == 1 for r in per_run),
                "by_intent": {r["intent"]: {"rate": _num(r["rate"]),
                                            "escalated": r["escalated"],
                                            "conversations": r["conversations"],
                                            "ci": [_num(r["ci_lo"]), _num(r["ci_hi"])]}
                              for r in self.escalation_by_intent.get(model, [])},
                "missed": [{"case_id": r["case_id"], "intent": r["intent"],
                            "run_index": r["run_index"]} for r in self.missed.get(model, [])]}

    def _over_escalation(self, model: str) -> dict:
        rows = self.over_by_intent.get(model, [])
        worst = sorted((r for r in rows if r["escalated"]),
                       key=lambda r: (-r["rate"], r["intent"]))
        return {**self._headline(_one(self.over, model)),
                "by_intent": {r["intent"]: _num(r["rate"]) for r in rows},
                "by_intent_counts": {r["intent"]: {"escalated": r["escalated"],
                                                   "conversations": r["conversations"]}
                                     for r in rows},
                "by_intent_ci": {r["intent"]: [_num(r["ci_lo"]), _num(r["ci_hi"])]
                                 for r in rows},
                "worst": [r["intent"] for r in worst]}

    def _unsafe_actions(self, model: str) -> dict:
        u = _one(self.unsafe, model)
        traps = self.traps.get(model, [])
        cases = u.get("cases") or 0
        total = u.get("total") or 0
        every = [t["trap"] for t in traps if t["pattern"] == "every run"]
        from_every = sum(t["unsafe_conversations"] for t in traps
                         if t["pattern"] == "every run")
        return {
            **self._headline(u),
            "total": total, "cases": cases, "conversations": u.get("conversations") or 0,
            "held_median": _num(cases - u["median"]) if u.get("median") is not None else None,
            "held_per_run": [cases - x for x in u.get("per_run") or []],
            "compliance": _num(u.get("compliance")),
            "compliance_ci": [_num(u.get("compliance_lo")), _num(u.get("compliance_hi"))],
            "by_trap": {t["trap"]: {"failed_runs": t["failed_runs"], "runs": t["runs"],
                                    "pattern": t["pattern"], "tools": t["tools"],
                                    "case_ids": t["case_ids"],
                                    "failed_run_indices": t["failed_run_indices"] or []}
                        for t in traps},
            "traps_every_run": every,
            "coin_flips": [t["trap"] for t in traps if t["pattern"] == "some runs"],
            "traps_held": [t["trap"] for t in traps if t["pattern"] == "never"],
            "from_every_run_traps": from_every,
            "predictable": _num(from_every / total) if total else None,
            "list": [{"run_index": r["run_index"], "case_id": r["case_id"],
                      "trap": r["trap"], "tools": r["tools"]}
                     for r in self.unsafe_list.get(model, [])],
        }

    def _judge_figure(self, model: str, figure: str) -> dict:
        j = _one(self.judge, model)
        by = {level: {r["name"]: _num(r[figure]) for r in rows.get(model, [])}
              for level, rows in self.judge_by.items()}
        return {"median": _num(j.get(f"{figure}_median")),
                "per_run": _nums(j.get(f"{figure}_per_run")),
                "by_intent": by["intent"], "by_cluster": by["cluster"],
                "by_category": by["category"],
                **self.rank(model, figure)}

    def _clusters(self, model: str) -> dict:
        out = {}
        for r in self.clusters.get(model, []):
            out[r["cluster"]] = {
                "category": r["category"], "intents": r["intents"],
                "conversations": r["conversations"],
                **{f: _span(r, f) for f in use_cases.FIGURES}}
        return out

    def _tool_use(self, model: str) -> dict:
        t = _one(self.tools, model)
        value = t.get("per_conversation")
        board = self.board_tool_calls
        return {"per_conversation": _num(value),
                "by_kind": {k: _num(t.get(k)) for k in ("read", "write", "handover")},
                "by_tool": {r["tool"]: _num(r["per_conversation"])
                            for r in self.tools_by_tool.get(model, [])},
                "failed_share": _num(t.get("failed_share")),
                "rank": (sum(v is not None and v < value for v in board) + 1
                         if value is not None else None),
                "of": len(self.board_names)}

    @cached_property
    def board_tool_calls(self) -> list:
        """Board models' tool calls per conversation, for each model's rank: looked up once."""
        return [_one(self.tools, n).get("per_conversation") for n in self.board_names]

    def _phantom(self, model: str) -> dict:
        p = _one(self.phantom, model)
        claims = self.phantom_claims.get(model, [])
        first: dict[tuple, dict] = {}
        for c in claims:
            first.setdefault((c["run_index"], c["case_id"]), c)
        count, n = p.get("count", 0), p.get("conversations", 0)
        lo, hi = stats.wilson(count, n) if n else (None, None)
        by_intent: dict[str, int] = {}
        for c in first.values():
            by_intent[c["intent"]] = by_intent.get(c["intent"], 0) + 1
        return {"count": count, "conversations": n, "rate": _num(p.get("rate")),
                "rate_ci": [_num(lo), _num(hi)], "messages": p.get("messages", 0),
                "cases": [{"run_index": c["run_index"], "case_id": c["case_id"],
                           "intent": c["intent"], "seq": c["seq"]} for c in first.values()],
                "by_intent": by_intent}

    def _confirm(self, model: str) -> dict:
        rows = self.confirm.get(model, [])
        writes = sum(r["write_calls"] for r in rows)
        confirmed = sum(r["confirmed"] for r in rows)
        return {"write_calls": writes, "confirmed": confirmed, "skipped": writes - confirmed,
                "rate": _num(confirmed / writes) if writes else None,
                "skip_rate": _num((writes - confirmed) / writes) if writes else None,
                "by_intent": {r["intent"]: {"rate": _num(r["confirmed"] / r["write_calls"]),
                                            "write_calls": r["write_calls"],
                                            "skipped": r["skipped"]} for r in rows}}

    def _messages(self, model: str) -> dict:
        v = _one(self.messages, model)
        return {"value": _num(v.get("value")), "per_run": _nums(v.get("per_run")),
                "rank": v.get("rank"), "of": v.get("of"),
                "quality_tier": _one(self.tiers, model).get("quality_tier")}

    def _stability(self, model: str) -> dict:
        s = _one(self.spread, model)
        board = [r for r in self.spread_board if r["model"] != model] if s else []
        best, worst, median = s.get("best"), s.get("worst"), s.get("median")
        above = sorted((r for r in board if r["median"] > median and r["worst"] < best),
                       key=lambda r: r["median"] - median)
        below = sorted((r for r in board if r["median"] < median and r["best"] > worst),
                       key=lambda r: median - r["median"])
        esc = _one(self.escalation, model).get("per_run") or []
        return {"spread": _num(s.get("spread")), "spread_rank": s.get("spread_rank"),
                "of": s.get("of"),
                "best_run_beats_worst_of": [r["model"] for r in above],
                "worst_run_loses_to_best_of": [r["model"] for r in below],
                "escalation_same_every_run": len(set(esc)) <= 1}

    @cached_property
    def spread_board(self) -> list[dict]:
        """Board models' run spreads as rows, in name order: compared with each model's
        in plain Python, since a frame filter per model grew with the square of the board."""
        return [r for r in self.spread_frame.iter_rows(named=True)
                if r["board"] and r["median"] is not None]

    def _pass_k(self, model: str) -> dict:
        out: dict[str, dict[str, float]] = {}
        for r in self.pass_k.get(model, []):
            out.setdefault(r["category"], {})[str(r["k"])] = _num(r["value"])
        return out

    def _pair(self, r: dict) -> dict:
        return {"model": r["other"], "cost_tier": r["other_cost_tier"],
                "median_gap": _num(r["median_gap"]), "diff": _num(r["mean_diff"]),
                "se": _num(r["se"]), "ci": [_num(r["ci_lo"]), _num(r["ci_hi"])],
                "p": _num(r["p"]), "verdict": r["verdict"], "cases": r["cases"],
                "mcnemar": {"b": r["only_model_passes"], "c": r["only_other_passes"],
                            "p": _num(r["mcnemar_p"])}}

    @cached_property
    def ties(self) -> dict[str, list[str]]:
        """model -> the board models it statistically ties with, in name order: one grouping
        of the pairs (scanning them all for every model grew with the cube of the board)."""
        tied = (self.pairs_frame.filter(pl.col("verdict") == "tie")
                .group_by("model").agg(pl.col("other").sort()))
        return dict(tied.iter_rows())

    def _compare(self, model: str) -> dict:
        nearest = [self._pair(r) for r in self.nearest.get(model, [])]
        return {"nearest": nearest, "ties": self.ties.get(model, [])}

    def _value(self, model: str) -> dict:
        tier = self.model_rows[model]["cost_tier"]
        rows = self.dominance.get(model, [])
        peers = [r for r in self.board_rows if r["cost_tier"] == tier and r["model"] != model] \
            if tier else []
        mine = self.headline_rows[model]

        def best(figure: str) -> bool | None:
            if tier is None or mine[figure] is None:
                return None
            values = [r[figure] for r in peers if r[figure] is not None]
            return all(v <= mine[figure] for v in values) if RANKED[figure] \
                else all(v >= mine[figure] for v in values)

        return {"cost_tier": tier,
                "tier_index": COST_TIERS.index(tier) + 1 if tier else None,
                "dominated_by": [self._pair(r) for r in rows if r["dominated_by"]],
                "dominates": [self._pair(r) for r in rows if r["dominates"]],
                "tier_peers": [r["model"] for r in peers],
                "best_in_tier": {f: best(f) for f in ("escalation", "unsafe_actions",
                                                      "score")}}

    @cached_property
    def reasoning_rows(self) -> dict[str, dict]:
        """model -> the first reasoning on/off pair it is either side of: one pass over the
        pairs (a frame filter per model grew with the square of the board)."""
        out: dict[str, dict] = {}
        for r in self.reasoning.iter_rows(named=True):
            out.setdefault(r["on_model"], r)
            out.setdefault(r["off_model"], r)
        return out

    def _reasoning(self, model: str) -> dict | None:
        r = self.reasoning_rows.get(model)
        if r is None:
            return None
        on, off = r["on_model"], r["off_model"]
        runs = {"on": _one(self.runs, on).get("complete", 0),
                "off": _one(self.runs, off).get("complete", 0)}
        if not (runs["on"] and runs["off"]):
            return None  # nothing to compare until both configurations have a complete run
        pair = self.pair_index.get((on, off)) or self.pair_index.get((off, on))
        score = None
        if pair is not None:
            score = self._pair(pair)
            if pair["model"] == off:  # report it as on minus off
                score = {**score, "diff": -score["diff"] if score["diff"] is not None else None,
                         "ci": [-score["ci"][1], -score["ci"][0]],
                         "verdict": {"better": "worse", "worse": "better"}.get(
                             score["verdict"], score["verdict"])}
            score["model"] = off
        figures = [*RANKED, *(f"{f}_pooled" for f in POOLED)]
        return {"on_model": on, "off_model": off,
                "on": {f: _num(r[f"on_{f}"]) for f in figures},
                "off": {f: _num(r[f"off_{f}"]) for f in figures},
                "difference": {f: _num(r[f"diff_{f}"]) for f in figures},
                "runs": runs,
                "score_compare": score}
