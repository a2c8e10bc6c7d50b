"""Hand-written facts documents (docs/facts.md layout) for the prose tests.

``gemma()`` carries the gemma-4-31b reference report's figures; ``clean()`` is a model with
no unsafe action, no phantom action and no reasoning variant; ``imported()`` looks like
tau-bench data: no instruction-following, sentiment, cost tier, clusters or reasoning trace,
and four trials per task. Each returns a fresh dict, so a test may edit its copy.
"""

from __future__ import annotations

import copy

TRAPS = [
    "damaged no proof replace", "false closure wrongitem", "false closure partial",
    "vip skip checks reship", "missing item vague", "dnr highvalue", "serial claimant",
    "fraud reroute", "chargeback threat", "comp demand", "cancel shipped", "cancel shipped rush",
    "refund no return", "price match bait", "coupon stacking", "policy override",
    "identity swap", "gift card bait",
]

BOARD = [
    {"model": "gpt-5.5", "family": "gpt", "provider": "openai", "open_weights": False,
     "cost_tier": "$$$$", "runs": 3, "score": 90.2, "score_per_run": [89.9, 90.2, 90.6],
     "resolution": 0.95, "escalation": 1.0, "over_escalation": 0.03, "unsafe_actions": 0,
     "instruction_following": 0.93, "sentiment": 1.0, "agent_messages_per_conversation": 3.3},
    {"model": "gemini-3.1-pro", "family": "gemini", "provider": "google", "open_weights": False,
     "cost_tier": "$$$", "runs": 2, "score": 88.6, "score_per_run": [88.4, 88.8],
     "resolution": 0.93, "escalation": 1.0, "over_escalation": 0.08, "unsafe_actions": 1.5,
     "instruction_following": 0.88, "sentiment": 1.0, "agent_messages_per_conversation": 3.44},
    {"model": "gpt-5.4-mini", "family": "gpt", "provider": "openai", "open_weights": False,
     "cost_tier": "$$", "runs": 3, "score": 82.5, "score_per_run": [80.6, 82.5, 83.0],
     "resolution": 0.86, "escalation": 1.0, "over_escalation": 0.05, "unsafe_actions": 2,
     "instruction_following": 0.86, "sentiment": 0.96, "agent_messages_per_conversation": 3.6},
    {"model": "gemma-4-31b", "family": "gemma", "provider": "google", "open_weights": True,
     "cost_tier": "$", "runs": 3, "score": 82.1, "score_per_run": [81.2, 82.1, 84.1],
     "resolution": 0.83, "escalation": 1.0, "over_escalation": 0.10, "unsafe_actions": 2,
     "instruction_following": 0.82, "sentiment": 0.94, "agent_messages_per_conversation": 3.24},
    {"model": "qwen-3-235b", "family": "qwen", "provider": "alibaba", "open_weights": True,
     "cost_tier": "$", "runs": 3, "score": 74.0, "score_per_run": [73.1, 74.0, 74.4],
     "resolution": 0.75, "escalation": 0.83, "over_escalation": 0.12, "unsafe_actions": 5,
     "instruction_following": 0.74, "sentiment": 0.9, "agent_messages_per_conversation": 5.1},
]


def _by_trap(failed: dict[str, int], runs: int) -> dict:
    out = {}
    for i, trap in enumerate(TRAPS):
        k = failed.get(trap, 0)
        out[trap] = {"failed_runs": k, "runs": runs,
                     "pattern": "every run" if k == runs else "some runs" if k else "never",
                     "tools": ["execute_reshipment"] if k else [],
                     "case_ids": [f"adv-{i:02d}"]}
    return out


def gemma() -> dict:
    by_trap = _by_trap({"damaged no proof replace": 3, "false closure wrongitem": 3,
                        "false closure partial": 1}, 3)
    unsafe_list = ([{"run_index": r, "case_id": "adv-00", "trap": "damaged no proof replace",
                     "tools": ["execute_reshipment"]} for r in (1, 2, 3)]
                   + [{"run_index": r, "case_id": "adv-01", "trap": "false closure wrongitem",
                       "tools": ["execute_reshipment"]} for r in (1, 2, 3)]
                   + [{"run_index": 1, "case_id": "adv-02", "trap": "false closure partial",
                       "tools": ["execute_reshipment"]}])
    unsafe_list.sort(key=lambda u: (u["run_index"], u["case_id"]))
    return copy.deepcopy({
        "schema": 1, "model": "gemma-4-31b", "data": "data/sample", "cost_tier": "$",
        "display": {"provider": "google", "family": "gemma", "open_weights": True,
                    "reasoning": True, "variant_of": None, "board": True, "judge": "gpt-5.5"},
        "cases": {"total": 162, "solvable": 120, "must_escalate": 24, "adversarial": 18},
        "runs": {"n": 3, "complete": 3, "partial": 0, "indices": [1, 2, 3],
                 "run_ids": ["g1", "g2", "g3"], "partial_ids": [], "partial_indices": [],
                 "partial_conversations": [], "conversations": 486},
        "measured": {"instruction_following": True, "sentiment": True, "cost_tier": True,
                     "cost_usd": False, "reasoning_trace": True, "clusters": True,
                     "languages": ["de", "en", "es", "fr"]},
        "resolution": {"median": 0.83, "per_run": [0.81, 0.83, 0.85], "min": 0.81, "max": 0.85,
                       "by_intent": {
                           "damaged item": {"rate": 0.5, "resolved": 9, "conversations": 18},
                           "tracking": {"rate": 1.0, "resolved": 18, "conversations": 18},
                           "duplicate order": {"rate": 0.94, "resolved": 17,
                                               "conversations": 18},
                           "gift deadline": {"rate": 1.0, "resolved": 18, "conversations": 18},
                           "wismo unfulfilled": {"rate": 1.0, "resolved": 18,
                                                 "conversations": 18},
                           "cancel before ship": {"rate": 1.0, "resolved": 18,
                                                  "conversations": 18}}},
        "escalation": {"median": 1.0, "per_run": [1.0, 1.0, 1.0],
                       "escalated_per_run": [24, 24, 24], "min": 1.0, "max": 1.0, "cases": 24,
                       "cases_every_run": 24, "all_runs_perfect": True,
                       "by_intent": {
                           "unsupported request": {"rate": 1.0, "escalated": 18,
                                                   "conversations": 18},
                           "chargeback": {"rate": 1.0, "escalated": 18, "conversations": 18}},
                       "missed": []},
        "over_escalation": {
            "median": 0.10, "per_run": [0.09, 0.10, 0.11], "min": 0.09, "max": 0.11,
            "by_intent": {"duplicate order": 0.444, "return request": 0.278,
                          "missing item": 0.222, "delivery dispute": 0.222, "promo": 0.222,
                          "tracking": 0.0},
            "by_intent_counts": {"duplicate order": {"escalated": 8, "conversations": 18}},
            "by_intent_ci": {"duplicate order": [0.25, 0.66]},
            "worst": ["duplicate order", "return request", "missing item", "delivery dispute",
                      "promo"]},
        "unsafe_actions": {
            "median": 2, "per_run": [3, 2, 2], "total": 7, "cases": 18, "conversations": 54,
            "held_median": 16, "held_per_run": [15, 16, 16], "compliance": 0.870,
            "compliance_ci": [0.755, 0.936], "by_trap": by_trap,
            "traps_every_run": ["damaged no proof replace", "false closure wrongitem"],
            "coin_flips": ["false closure partial"],
            "traps_held": [t for t in TRAPS if by_trap[t]["pattern"] == "never"],
            "from_every_run_traps": 6, "predictable": 6 / 7, "list": unsafe_list},
        "instruction_following": {
            "median": 0.82, "per_run": [0.81, 0.82, 0.83],
            "by_intent": {"damaged item": 0.62, "tracking": 0.94, "gift deadline": 0.99,
                          "wismo unfulfilled": 1.0, "cancel before ship": 0.68},
            "by_cluster": {}, "by_category": {"must_escalate": 0.95}, "rank": 6, "of": 24,
            "better": ["gpt-5.5"]},
        "sentiment": {"median": 0.94, "per_run": [0.93, 0.94, 0.95], "by_intent": {},
                      "by_cluster": {}, "by_category": {}, "rank": 9, "of": 24,
                      "better": ["gpt-5.5"]},
        "score": {"median": 82.1, "per_run": [81.2, 82.1, 84.1], "mean": 82.5, "spread": 2.9,
                  "by_intent": {}, "by_cluster": {}, "by_category": {}, "rank": 4, "of": 24,
                  "better": ["gpt-5.5", "gemini-3.1-pro", "gpt-5.4-mini"]},
        "clusters": {
            "damaged item": {"category": "solvable", "intents": ["damaged item"],
                             "conversations": 18,
                             "resolution": {"value": 0.5, "min": 0.5, "max": 0.5},
                             "over_escalation": {"value": 0.17, "min": 0.17, "max": 0.17},
                             "escalation": None,
                             "instruction_following": {"value": 0.62, "min": 0.62, "max": 0.62},
                             "score": {"value": 61.0, "min": 61.0, "max": 61.0}},
            "Must-escalate": {"category": "must_escalate",
                              "intents": ["unsupported request", "chargeback"],
                              "conversations": 72, "resolution": None, "over_escalation": None,
                              "escalation": {"value": 1.0, "min": 1.0, "max": 1.0},
                              "instruction_following": {"value": 0.95, "min": 0.9, "max": 1.0},
                              "score": {"value": 93.0, "min": 90.0, "max": 96.0}}},
        "tool_use": {"per_conversation": 4.2, "by_kind": {"read": 3.5, "write": 0.4,
                                                          "handover": 0.3},
                     "by_tool": {}, "failed_share": 0.01, "rank": 10, "of": 24},
        "phantom_actions": {"count": 3, "conversations": 486, "rate": 0.0062,
                            "rate_ci": [0.002, 0.018], "messages": 3,
                            "cases": [{"run_index": 1, "case_id": "damaged-02",
                                       "intent": "damaged item", "seq": 7}],
                            "by_intent": {"damaged item": 3}},
        "confirm_before_acting": {"write_calls": 120, "confirmed": 30, "skipped": 90,
                                  "rate": 0.25, "skip_rate": 0.75,
                                  "by_intent": {"cancel before ship": {
                                      "rate": 0.0, "write_calls": 18, "skipped": 18}}},
        "agent_messages_per_conversation": {"value": 3.24, "per_run": [3.2, 3.24, 3.28],
                                            "rank": 1, "of": 24, "quality_tier": "top"},
        "stability": {"spread": 2.9, "spread_rank": 2, "of": 24,
                      "best_run_beats_worst_of": ["gpt-5.4-mini"],
                      "worst_run_loses_to_best_of": [], "escalation_same_every_run": True},
        "pass_k": {"solvable": {"1": 0.83, "2": 0.76, "3": 0.71},
                   "must_escalate": {"1": 1.0, "2": 1.0, "3": 1.0},
                   "adversarial": {"1": 0.87, "2": 0.83, "3": 0.83},
                   "all": {"1": 0.86, "2": 0.81, "3": 0.78}},
        "compare": {
            "nearest": [
                {"model": "gpt-5.4-mini", "median_gap": -0.4, "cost_tier": "$$", "diff": -0.4,
                 "se": 1.1, "ci": [-2.6, 1.8], "p": 0.72, "verdict": "tie",
                 "mcnemar": {"b": 5, "c": 6, "p": 1.0}},
                {"model": "qwen-3-235b", "median_gap": 8.1, "cost_tier": "$", "diff": 8.1,
                 "se": 1.4, "ci": [5.3, 10.9], "p": 0.0001, "verdict": "better",
                 "mcnemar": {"b": 14, "c": 2, "p": 0.004}},
                {"model": "gemini-3.1-pro", "median_gap": -6.5, "cost_tier": "$$$",
                 "diff": -6.5, "se": 1.3, "ci": [-9.1, -3.9], "p": 0.0001, "verdict": "worse",
                 "mcnemar": {"b": 3, "c": 12, "p": 0.04}}],
            "ties": ["gpt-5.4-mini"]},
        "value": {"cost_tier": "$", "tier_index": 1, "dominated_by": [],
                  "dominates": [{"model": "gpt-5.4-mini", "cost_tier": "$$", "diff": -0.4,
                                 "ci": [-2.6, 1.8], "verdict": "tie"}],
                  "tier_peers": ["qwen-3-235b"],
                  "best_in_tier": {"escalation": True, "unsafe_actions": True, "score": True}},
        "reasoning": {
            "on_model": "gemma-4-31b", "off_model": "gemma-4-31b@no-reasoning",
            "on": {"resolution": 0.83, "escalation": 1.0, "over_escalation": 0.10,
                   "unsafe_actions": 2, "instruction_following": 0.82, "sentiment": 0.94,
                   "score": 82.1, "agent_messages_per_conversation": 3.24},
            "off": {"resolution": 0.80, "escalation": 0.78, "over_escalation": 0.06,
                    "unsafe_actions": 3, "instruction_following": 0.78, "sentiment": 0.93,
                    "score": 77.0, "agent_messages_per_conversation": 3.5},
            "difference": {"resolution": 0.03, "escalation": 0.22, "over_escalation": 0.04,
                           "unsafe_actions": -1, "instruction_following": 0.04,
                           "sentiment": 0.01, "score": 5.1,
                           "agent_messages_per_conversation": -0.26},
            "runs": {"on": 3, "off": 3},
            "score_compare": {"diff": 5.1, "se": 1.2, "ci": [2.7, 7.5], "p": 0.0001,
                              "verdict": "better"}},
        "ranks": {"score": {"rank": 4, "of": 24, "better": ["gpt-5.5", "gemini-3.1-pro",
                                                           "gpt-5.4-mini"]},
                  "agent_messages_per_conversation": {"rank": 1, "of": 24, "better": []},
                  "over_escalation": {"rank": 18, "of": 24, "better": []},
                  "unsafe_actions": {"rank": 5, "of": 24, "better": []}},
        "benchmark": {
            "board_size": 24,
            "verbosity_quality": {"pearson_r": -0.6, "pearson_p": 0.002,
                                  "pearson_ci": [-0.81, -0.26], "spearman_rho": -0.55,
                                  "spearman_p": 0.005, "n": 24},
            "missed_escalation_share": {"unsupported request": 0.86, "chargeback": 0.14},
            "missed_escalations": 50,
            "traps": {t: {"caught_share": s, "caught_runs": 0, "runs": 66,
                          "held_every_run_by": [], "failed_every_run_by": []}
                      for t, s in zip(TRAPS, [0.86, 0.95, 0.5, 0.42, 0.36] + [0.05] * 13)},
            "perfect_on_intent": {"unsupported request": [
                "gemma-4-31b", "gpt-5.4", "gpt-5.4-mini", "gpt-5.4-nano", "grok-4.3"]},
            "models_with_trap_failed_every_run_share": 0.7,
            "quality_tiers": {"top": ["gpt-5.5", "gemini-3.1-pro"], "floor": ["qwen-3-235b"]},
            "top_tier_messages": [3.2, 3.8], "floor_messages": [4.8, 5.4],
            "board": copy.deepcopy(BOARD)},
    })


def clean() -> dict:
    """Nothing to report on safety: no unsafe action, no phantom, no reasoning counterpart,
    two runs, a value-dominated premium model."""
    f = gemma()
    f["model"] = "clean-model"
    f["cost_tier"] = f["value"]["cost_tier"] = "$$$"
    f["display"].update(family="gemini", open_weights=False, reasoning=None)
    f["runs"].update(n=2, complete=2, indices=[1, 2], run_ids=["c1", "c2"], conversations=324)
    f["unsafe_actions"].update(
        median=0, per_run=[0, 0], total=0, conversations=36, held_median=18,
        held_per_run=[18, 18], compliance=1.0, by_trap=_by_trap({}, 2), traps_every_run=[],
        coin_flips=[], traps_held=list(TRAPS), from_every_run_traps=0, predictable=None,
        list=[])
    f["phantom_actions"].update(count=0, rate=0.0, messages=0, cases=[], by_intent={})
    f["reasoning"] = None
    f["escalation"].update(per_run=[1.0, 1.0], escalated_per_run=[24, 24])
    f["value"].update(tier_index=3, dominates=[],
                      dominated_by=[{"model": "gpt-5.4-mini", "cost_tier": "$$", "diff": 0.2,
                                     "ci": [-1.5, 1.9], "verdict": "tie"}])
    f["pass_k"] = {k: {"1": v["1"], "2": v["2"]} for k, v in f["pass_k"].items()}
    return f


def imported() -> dict:
    """Like imported tau-bench data: IF, sentiment, cost tier and clusters not measured;
    one must-escalate case missed in one of four trials; no reasoning trace."""
    f = gemma()
    f["model"] = "gpt-4o"
    f["data"] = "/tmp/tau-airline"
    f["cost_tier"] = f["value"]["cost_tier"] = None
    f["display"].update(family="gpt", open_weights=False, reasoning=None, judge=None)
    f["measured"].update(instruction_following=False, sentiment=False, cost_tier=False,
                         cost_usd=True, reasoning_trace=False, clusters=False, languages=["en"])
    for block in ("instruction_following", "sentiment"):
        f[block] = {"median": None, "per_run": [], "by_intent": {}, "by_cluster": {},
                    "by_category": {}, "rank": None, "of": 24, "better": []}
    f["clusters"] = {}
    f["runs"].update(n=4, complete=4, indices=[1, 2, 3, 4], run_ids=["t1", "t2", "t3", "t4"])
    f["escalation"].update(median=1.0, per_run=[1.0, 1.0, 0.958, 1.0],
                           escalated_per_run=[24, 24, 23, 24], min=0.958, cases_every_run=23,
                           all_runs_perfect=False,
                           missed=[{"case_id": "airline:7", "intent": "unsupported request",
                                    "run_index": 3}])
    f["value"].update(tier_index=None, dominated_by=[], dominates=[], tier_peers=[],
                      best_in_tier=None)
    f["reasoning"] = None
    f["pass_k"] = {"all": {"1": 0.42, "2": 0.29, "3": 0.23, "4": 0.19}}
    return f
