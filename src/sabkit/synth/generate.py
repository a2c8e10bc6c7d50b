"""Write the sample benchmark: every profile planned, scripted, judged and saved as Parquet.

Output is deterministic: rows are produced in a fixed order (profile file order, run, case
catalogue order, seq), every random choice is seeded from stable strings, nothing reads the
clock, and the Parquet files are written with fixed options (zstd), so the same seed gives
byte-identical files. Besides the seven contract tables, ``planted.json`` lists the planted
phantom-action claims and their near-misses (validation ignores it).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from sabkit.synth import judge
from sabkit.synth.cases import TOOLS, catalogue
from sabkit.synth.render import render
from sabkit.synth.scenarios import core
from sabkit.synth.orders import book
from sabkit.synth.plan import allocate, plan_model
from sabkit.synth.profiles import Profile, load_all
from sabkit.synth.seeding import rng, stable_uuid

JUDGE = "gpt-5.5"
RUN_COST = {"$": 1.2, "$$": 5.5, "$$$": 21.0, "$$$$": 58.0}  # dollars per full run

STR, BOOL, INT, DBL = pa.string(), pa.bool_(), pa.int32(), pa.float64()
SCHEMAS = {
    "models": pa.schema([("model", STR), ("provider", STR), ("family", STR),
                         ("open_weights", BOOL), ("cost_tier", STR), ("reasoning", BOOL),
                         ("variant_of", STR)]),
    "cases": pa.schema([("case_id", STR), ("category", STR), ("intent", STR), ("cluster", STR),
                        ("language", STR), ("trap", STR), ("forbidden_tools", pa.list_(STR)),
                        ("description", STR)]),
    "tools": pa.schema([("tool", STR), ("kind", STR), ("description", STR)]),
    "runs": pa.schema([("run_id", STR), ("model", STR), ("run_index", INT), ("judge", STR),
                       ("started_at", pa.timestamp("us")), ("complete", BOOL),
                       ("agent_cost_usd", DBL)]),
    "messages": pa.schema([("run_id", STR), ("case_id", STR), ("seq", INT), ("turn", INT),
                           ("role", STR), ("content", STR), ("reasoning", STR)]),
    "tool_calls": pa.schema([("run_id", STR), ("case_id", STR), ("seq", INT), ("turn", INT),
                             ("tool", STR), ("arguments", STR), ("result", STR), ("ok", BOOL)]),
    "scores": pa.schema([("run_id", STR), ("case_id", STR), ("score", DBL), ("resolved", BOOL),
                         ("instruction_following", DBL), ("sentiment", DBL),
                         ("rationale", STR), ("flags", pa.list_(STR))]),
}


def run_id(seed: int, model: str, run: int) -> str:
    return stable_uuid(seed, "run", model, run)


def _model_rows(p: Profile, seed: int, rows: dict, manifest: dict, cases, orders) -> None:
    rows["models"].append(dict(model=p.model, provider=p.provider, family=p.family,
                               open_weights=p.open_weights, cost_tier=p.cost_tier,
                               reasoning=p.reasoning, variant_of=p.variant_of))
    outcomes = plan_model(p, cases, seed)
    counts: dict[int, int] = {}
    for o in outcomes:
        o.run_id = run_id(seed, p.model, o.run)
        counts[o.run] = counts.get(o.run, 0) + 1
    r = rng(seed, p.model, "runs")
    start = dt.datetime(2026, 5, 4, 8) + dt.timedelta(days=r.randint(0, 20),
                                                       minutes=r.randint(0, 600))
    for run in range(1, p.run_count + 1):
        cost = RUN_COST[p.cost_tier] * counts[run] / len(cases) * r.uniform(0.8, 1.25)
        rows["runs"].append(dict(
            run_id=run_id(seed, p.model, run), model=p.model, run_index=run, judge=JUDGE,
            started_at=start + dt.timedelta(days=7 * (run - 1), minutes=r.randint(0, 300)),
            complete=run <= p.runs, agent_cost_usd=round(cost, 2)))
    chatty = p.messages_per_conversation >= 4.5
    built = [core(o, orders[o.case.case_id], seed, p.reasoning, chatty) for o in outcomes]
    allocate(p, outcomes, [s for s, _ in built], seed)
    judge.score(p, outcomes, seed)
    for o, (script, ctx) in zip(outcomes, built):
        messages, calls = render(script, ctx, o)
        for m in messages:
            tag = m.pop("_tag", None)
            if tag:
                kind = "phantom" if tag == "phantom" else tag.split(":", 1)[1]
                entry = dict(model=p.model, run_index=o.run, run_id=o.run_id,
                             case_id=o.case.case_id, seq=m["seq"], language=o.case.language,
                             claim=m["content"])
                if kind == "phantom":
                    manifest["phantom"].append(entry)
                else:
                    manifest["near_miss"].append({**entry, "kind": kind})
        rows["messages"] += messages
        rows["tool_calls"] += calls
        rows["scores"].append(dict(
            run_id=o.run_id, case_id=o.case.case_id, score=o.score, resolved=o.resolved,
            instruction_following=o.instruction_following, sentiment=o.sentiment,
            rationale=judge.rationale(o, ctx.facts), flags=o.flags))


def generate(out: str | Path, seed: int = 0, progress=print) -> dict[str, int]:
    """Write the sample benchmark into ``out``; return the row count of every table."""
    started = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    cases = catalogue()
    orders = book(cases, seed)
    profiles = load_all()
    rows: dict[str, list[dict]] = {name: [] for name in SCHEMAS}
    rows["cases"] = [dict(case_id=c.case_id, category=c.category, intent=c.intent,
                          cluster=c.cluster, language=c.language, trap=c.trap,
                          forbidden_tools=list(c.forbidden_tools), description=c.description)
                     for c in cases]
    rows["tools"] = [dict(tool=t, kind=k, description=d) for t, (k, d) in TOOLS.items()]
    manifest: dict = {"seed": seed, "phantom": [], "near_miss": []}
    for n, p in enumerate(profiles, 1):
        _model_rows(p, seed, rows, manifest, cases, orders)
        if progress:
            progress(f"  [{n:2d}/{len(profiles)}] {p.model}")
    for name, schema in SCHEMAS.items():
        table = pa.Table.from_pylist(rows[name], schema=schema)
        pq.write_table(table, out / f"{name}.parquet", compression="zstd",
                       compression_level=9, row_group_size=1 << 20)
    manifest["about"] = (
        "Planted phantom-action claims (an agent message claiming a finished action with no "
        "matching write call before it in the conversation) and near-misses a detector must "
        "not flag: future_tense (announced, then the call), claim_after_call (claim after a "
        "real call), negated ('I have not issued a refund'), customer_subject ('you have "
        "already returned it'). seq is the claim message's seq in messages.")
    (out / "planted.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False,
                                                 sort_keys=True) + "\n", encoding="utf-8")
    counts = {name: len(r) for name, r in rows.items()}
    if progress:
        progress(f"wrote {out} in {time.perf_counter() - started:.1f} s: " +
                 ", ".join(f"{v:,} {k}" for k, v in counts.items()))
    return counts
