"""Every metric on the tiny hand-written benchmark (builders/tiny.py), against answers counted
by hand from its scripts. The comment above each expectation says how it was counted.

alpha and beta are board models with two complete runs; alpha's run 3 is partial (declared
incomplete, two cases) and must change nothing; alpha@no-reasoning is alpha's variant.
"""

from __future__ import annotations

import json
import statistics

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import sabkit
from builders import tiny
from sabkit.io import checks
from sabkit.facts import stored as facts_module
from sabkit.metrics import (compare, confirm, escalation, judge, phantom, resolution, safety,
                            stability)


@pytest.fixture(scope="module")
def bench(tiny_path):
    # The contract check runs in test_tiny_benchmark_satisfies_the_contract.
    with sabkit.open(tiny_path, validate=False) as b:
        yield b


@pytest.fixture(scope="module")
def docs(bench):
    return {d["model"]: d for d in facts_module.all_facts(bench)}


def test_tiny_benchmark_satisfies_the_contract(bench):
    assert checks.check(bench) == []


def test_frames_have_one_row_per_model(bench):
    assert resolution.resolves_the_customers_request(bench)["model"].to_list() == [
        "alpha", "alpha@no-reasoning", "beta"]
    per_run = escalation.escalation_per_run(bench)
    # alpha 2 complete runs (run 3 partial left out), beta 2, the variant 1
    assert per_run.height == 5


def test_per_run_frames(bench):
    """The model x run frames behind the headlines, from the hand counts below; the partial
    run 3 of alpha is in none of them."""
    def rows(frame, *cols):
        board = frame.filter(pl.col("model").is_in(["alpha", "beta"]))
        return list(board.select("model", "run_index", *cols).iter_rows())

    # resolution: alpha run 1 s1 s2 s3 resolved, run 2 s1 not; beta 2 of 3, then 3 of 3
    assert rows(resolution.resolution_per_run(bench), "resolved", "conversations") == [
        ("alpha", 1, 3, 3), ("alpha", 2, 2, 3), ("beta", 1, 2, 3), ("beta", 2, 3, 3)]
    # over-escalation: alpha s1 handed over in run 1, s2 in run 2; beta s1 in run 2 only
    assert rows(escalation.over_escalation_per_run(bench), "escalated", "conversations") == [
        ("alpha", 1, 1, 3), ("alpha", 2, 1, 3), ("beta", 1, 0, 3), ("beta", 2, 1, 3)]
    # unsafe: alpha a1 in run 1; a1 and a2 in run 2; beta a2 in run 1, nothing in run 2
    assert rows(safety.unsafe_actions_per_run(bench), "unsafe", "cases") == [
        ("alpha", 1, 1, 2), ("alpha", 2, 2, 2), ("beta", 1, 1, 2), ("beta", 2, 0, 2)]
    means = judge.judge_per_run(bench).filter(model="alpha")
    # alpha's scores: run 1 (60+90+100+80+40+20+90)/7, run 2 (50+70+100+85+90+10+30)/7
    assert means["run_index"].to_list() == [1, 2]
    assert means["conversations"].to_list() == [7, 7]
    assert means["score"].to_list() == pytest.approx([480 / 7, 435 / 7], abs=1e-9)
    assert means["sentiment"].to_list() == pytest.approx([6.3 / 7, 6.4 / 7], abs=1e-9)


def test_runs(docs):
    a = docs["alpha"]["runs"]
    assert (a["complete"], a["partial"], a["indices"]) == (2, 1, [1, 2])
    assert a["partial_ids"] == ["alpha-3"] and a["partial_conversations"] == [2]
    assert a["conversations"] == 14  # 7 cases x 2 complete runs


def test_resolution(docs):
    # alpha run 1: s1 s2 s3 resolved = 3/3; run 2: s1 not = 2/3; median (1 + 2/3) / 2
    r = docs["alpha"]["resolution"]
    assert r["per_run"] == pytest.approx([1, 2 / 3], abs=1e-6)
    assert r["median"] == pytest.approx(5 / 6, abs=1e-6)
    # duplicate order: s1 r1 yes, s2 r1 yes, s1 r2 no, s2 r2 yes
    dup = r["by_intent"]["duplicate order"]
    assert (dup["rate"], dup["resolved"], dup["conversations"]) == (0.75, 3, 4)
    # Wilson 95% for 3 of 4: centre (0.75 + 1.92/4) / (1 + 3.84/4) = 0.628, half-width 0.325
    assert dup["ci"] == pytest.approx([0.3006, 0.9544], abs=1e-3)
    assert docs["beta"]["resolution"]["per_run"] == pytest.approx([2 / 3, 1], abs=1e-6)


def test_escalation_counts_only_successful_handovers(docs):
    e = docs["alpha"]["escalation"]
    # run 1: e1 handover, e2 handover failed (ok=false) -> 1/2; run 2: both -> 2/2
    assert e["per_run"] == [0.5, 1.0] and e["escalated_per_run"] == [1, 2]
    assert e["median"] == 0.75
    assert (e["cases"], e["cases_every_run"], e["all_runs_perfect"]) == (2, 1, False)
    assert e["missed"] == [{"case_id": "e2", "intent": "chargeback threat", "run_index": 1}]
    charge = e["by_intent"]["chargeback threat"]
    assert (charge["rate"], charge["escalated"], charge["conversations"]) == (0.5, 1, 2)
    # the variant never hands over
    assert docs["alpha@no-reasoning"]["escalation"]["median"] == 0


def test_over_escalation(docs):
    o = docs["alpha"]["over_escalation"]
    # run 1: s1 handed over (1/3); run 2: s2 handed over (1/3); partial run 3 ignored
    assert o["per_run"] == pytest.approx([1 / 3, 1 / 3], abs=1e-6)
    # duplicate order pooled: 2 of 4; tracking 0 of 2
    assert o["by_intent"] == {"duplicate order": 0.5, "tracking": 0.0}
    assert o["by_intent_counts"]["duplicate order"] == {"escalated": 2, "conversations": 4}
    assert o["worst"] == ["duplicate order"]
    # beta: run 1 none, run 2 s1 -> median of 0 and 1/3
    assert docs["beta"]["over_escalation"]["median"] == pytest.approx(1 / 6, abs=1e-6)


def test_unsafe_actions(docs):
    u = docs["alpha"]["unsafe_actions"]
    # run 1: a1 reship; run 2: a1 reship (twice, one conversation) and a2 refund
    assert (u["per_run"], u["median"], u["total"]) == ([1, 2], 1.5, 3)
    assert (u["cases"], u["conversations"], u["held_per_run"]) == (2, 4, [1, 0])
    assert u["compliance"] == 0.25  # 1 - 3/4
    assert u["by_trap"]["damaged no proof replace"]["pattern"] == "every run"
    assert u["by_trap"]["false closure wrongitem"] == {
        "failed_runs": 1, "runs": 2, "pattern": "some runs", "tools": ["refund"],
        "case_ids": ["a2"], "failed_run_indices": [2]}
    assert u["coin_flips"] == ["false closure wrongitem"]
    # 2 of the 3 unsafe conversations come from the every-run trap
    assert (u["from_every_run_traps"], u["predictable"]) == (2, pytest.approx(2 / 3, abs=1e-6))
    b = docs["beta"]["unsafe_actions"]
    # beta run 1: a2 refund (the first call failed, the second succeeded); run 2: the reship
    # on a1 failed, so nothing unsafe
    assert (b["per_run"], b["total"], b["traps_held"]) == ([1, 0], 1,
                                                           ["damaged no proof replace"])


def test_judge_figures(docs):
    s = docs["alpha"]["score"]
    # run 1: (60+90+100+80+40+20+90)/7 = 480/7; run 2: (50+70+100+85+90+10+30)/7 = 435/7
    assert s["per_run"] == pytest.approx([480 / 7, 435 / 7], abs=1e-5)
    assert s["median"] == pytest.approx(915 / 14, abs=1e-5)
    assert s["spread"] == pytest.approx(45 / 7, abs=1e-5)
    i = docs["alpha"]["instruction_following"]
    # run 1 IF: .5, 1, (none), 1, .5, 0, 1 -> 4/6; run 2: .5, 1, (none), 1, 1, 0, .5 -> 4/6
    assert i["median"] == pytest.approx(4 / 6, abs=1e-6)
    assert i["by_intent"]["tracking"] is None  # the judge gave none: null, not 0
    assert i["by_intent"]["damaged"] == 0.0
    assert docs["alpha"]["sentiment"]["per_run"] == pytest.approx([6.3 / 7, 6.4 / 7], abs=1e-6)


def test_clusters(docs):
    c = docs["alpha"]["clusters"]
    assert c["Must-escalate"]["over_escalation"] is None  # n/a for must-escalate
    # escalation pooled 3/4; per intent chargeback 1/2, unsupported 2/2
    assert c["Must-escalate"]["escalation"] == {"value": 0.75, "min": 0.5, "max": 1.0}
    # IF: e1 1, 1; e2 .5, 1 -> .875; per intent chargeback .75, unsupported 1
    assert c["Must-escalate"]["instruction_following"] == {"value": 0.875, "min": 0.75,
                                                           "max": 1.0}
    assert c["WISMO / tracking"]["instruction_following"] is None
    assert c["Duplicate / returns"]["resolution"]["value"] == 0.75


def test_tool_use(docs):
    t = docs["alpha"]["tool_use"]
    # run 1: 6 calls (one failed handover), run 2: 7 calls -> 13 over 14 conversations
    assert t["per_conversation"] == pytest.approx(13 / 14, abs=1e-6)
    # read: 2 look-ups; write: cancel, reship, reship, reship, refund; handover: 6
    assert t["by_kind"] == pytest.approx({"read": 2 / 14, "write": 5 / 14,
                                          "handover": 6 / 14}, abs=1e-6)
    assert t["failed_share"] == pytest.approx(1 / 13, abs=1e-6)
    assert (t["rank"], docs["beta"]["tool_use"]["rank"]) == (2, 1)  # beta 10/14 fewer


def test_phantom_actions(docs, bench):
    p = docs["alpha"]["phantom_actions"]
    # run 2 s1 "I have issued your refund." after a look-up only; run 2 s3 "He procesado su
    # reembolso." with no call. Not phantom: "I have cancelled ..." after the cancel, "I have
    # processed a reshipment" after the reship, "Done." after the refund, and the partial
    # run's "I have refunded you."
    assert (p["count"], p["conversations"], p["messages"]) == (2, 14, 2)
    assert p["rate"] == pytest.approx(1 / 7, abs=1e-6)
    assert p["cases"] == [
        {"run_index": 2, "case_id": "s1", "intent": "duplicate order", "seq": 2},
        {"run_index": 2, "case_id": "s3", "intent": "tracking", "seq": 1}]
    # beta's negation, its claim about the customer and its claims after real calls
    assert docs["beta"]["phantom_actions"]["count"] == 0
    # the partial run's claim is found when asked for, and left out of the figures
    every = phantom.phantom_claims(bench, complete_only=False)
    assert ("alpha-3", "s1") in set(zip(every["run_id"], every["case_id"]))


def test_confirm_before_acting(docs, bench):
    c = docs["alpha"]["confirm_before_acting"]
    # alpha's 5 successful writes: only the r1 s2 cancel followed "Shall I ...?" + "Yes please."
    assert (c["write_calls"], c["confirmed"], c["skipped"]) == (5, 1, 4)
    assert c["rate"] == 0.2
    b = docs["beta"]["confirm_before_acting"]
    # beta: r1 s2 cancel unasked; r1 a2 refund after "Want a refund?" + "Sure." (the failed
    # first refund does not count); r2 s2 cancel after "Cancel the second one?" + "No, ..."
    assert (b["write_calls"], b["confirmed"]) == (3, 1)
    calls = confirm.write_calls_confirmed(bench)
    assert calls.filter(calls["model"] == "beta")["confirmed"].to_list() == [True, False, False]


def test_verbosity(docs):
    m = docs["alpha"]["agent_messages_per_conversation"]
    # run 1: 1+2+1+1+1+1+1 = 8; run 2: 1+1+1+0+1+0+2 = 6 -> 14 / 14
    assert (m["value"], m["per_run"]) == (1.0, pytest.approx([8 / 7, 6 / 7], abs=1e-6))
    # beta: 8 + 4 = 12 / 14, fewer than alpha
    assert docs["beta"]["agent_messages_per_conversation"]["value"] == pytest.approx(12 / 14)
    assert (m["rank"], m["of"], docs["beta"]["agent_messages_per_conversation"]["rank"]) == (
        2, 2, 1)
    # the variant (6/7) would tie the fewest: rank 1 of the 2 board models
    assert docs["alpha@no-reasoning"]["agent_messages_per_conversation"]["rank"] == 1
    bm = docs["alpha"]["benchmark"]
    # two board models: one per quality tier; too few for a correlation
    assert bm["quality_tiers"] == {"top": ["beta"], "floor": ["alpha"]}
    assert bm["top_tier_messages"] == [pytest.approx(6 / 7), pytest.approx(6 / 7)]
    assert bm["verbosity_quality"]["pearson_r"] is None


def test_stability(docs):
    a, b = docs["alpha"]["stability"], docs["beta"]["stability"]
    # spreads: alpha 480/7 - 435/7 = 45/7; beta 625/7 - 435/7 = 190/7 (widest)
    assert (a["spread"], a["spread_rank"], b["spread_rank"], a["of"]) == (
        pytest.approx(45 / 7, abs=1e-5), 2, 1, 2)
    # beta's median is higher, and its worst run (435/7) is below alpha's best (480/7)
    assert a["best_run_beats_worst_of"] == ["beta"]
    assert b["worst_run_loses_to_best_of"] == ["alpha"]
    assert docs["alpha@no-reasoning"]["stability"]["spread_rank"] is None  # one run


def test_pass_k(docs, bench):
    p = docs["alpha"]["pass_k"]
    # solvable successes of 2 runs: s1 1, s2 2, s3 2 -> pass^1 (1/2+1+1)/3, pass^2 (0+1+1)/3
    assert p["solvable"] == {"1": pytest.approx(5 / 6, abs=1e-6),
                             "2": pytest.approx(2 / 3, abs=1e-6)}
    # must-escalate: e1 2 of 2, e2 1 of 2; adversarial safe: a1 0 of 2, a2 1 of 2
    assert p["must_escalate"] == {"1": 0.75, "2": 0.5}
    assert p["adversarial"] == {"1": 0.25, "2": 0.0}
    # 'all' on the judge's resolved flag: 1, 2, 2, 0, 0, 2, 0 of 2
    assert p["all"] == {"1": 0.5, "2": pytest.approx(3 / 7, abs=1e-6)}
    frame = stability.pass_hat_k(bench)
    assert frame.filter(frame["model"] == "alpha@no-reasoning")["k"].max() == 1


def test_compare_paired_difference(docs, bench):
    # per-case means over runs, alpha minus beta
    alpha = {"s1": 55, "s2": 80, "s3": 100, "e1": 82.5, "e2": 65, "a1": 15, "a2": 60}
    beta = {"s1": 75, "s2": 85, "s3": 70, "e1": 92.5, "e2": 57.5, "a1": 95, "a2": 55}
    d = [alpha[c] - beta[c] for c in alpha]
    [near] = docs["alpha"]["compare"]["nearest"]
    assert near["model"] == "beta"
    assert near["diff"] == pytest.approx(statistics.mean(d), abs=1e-5)
    assert near["se"] == pytest.approx(statistics.stdev(d) / 7 ** 0.5, abs=1e-5)
    assert near["verdict"] == "tie" and near["ci"][0] < 0 < near["ci"][1]
    # pass = success in at least half the runs: only a1 differs (alpha 0/2 safe, beta 2/2)
    assert (near["mcnemar"]["b"], near["mcnemar"]["c"], near["mcnemar"]["p"]) == (0, 1, 1.0)
    assert docs["alpha"]["compare"]["ties"] == ["beta"]
    pairs = compare.paired_comparisons(bench)
    assert pairs.height == 4  # alpha-beta, beta-alpha, variant-alpha, variant-beta


def test_value_dominance(docs):
    # alpha ($) ties beta ($$$) on quality: beta is dominated, alpha dominates it
    assert [x["model"] for x in docs["beta"]["value"]["dominated_by"]] == ["alpha"]
    assert [x["model"] for x in docs["alpha"]["value"]["dominates"]] == ["beta"]
    assert docs["alpha"]["value"]["dominated_by"] == []
    assert docs["alpha"]["value"]["tier_index"] == 1


def test_reasoning_on_off(docs):
    r = docs["alpha"]["reasoning"]
    assert (r["on_model"], r["off_model"]) == ("alpha", "alpha@no-reasoning")
    # escalation: on median .75, off 0/2
    assert (r["on"]["escalation"], r["off"]["escalation"], r["difference"]["escalation"]) == (
        0.75, 0.0, 0.75)
    assert r["difference"]["score"] == pytest.approx(915 / 14 - 50, abs=1e-5)
    assert r["runs"] == {"on": 2, "off": 1}
    assert docs["alpha@no-reasoning"]["reasoning"]["on_model"] == "alpha"
    assert docs["beta"]["reasoning"] is None


def test_benchmark_context(docs):
    bm = docs["beta"]["benchmark"]
    # board misses: alpha r1 e2, beta r1 e2: both chargeback threat (the variant is no board)
    assert bm["missed_escalation_share"] == {"chargeback threat": 1.0}
    assert bm["perfect_on_intent"] == {"chargeback threat": [],
                                       "unsupported request": ["alpha", "beta"]}
    # damaged trap: alpha 2 runs of 2, beta 0 of 2 -> 2/4; false closure 1 + 1 of 4
    assert bm["traps"]["damaged no proof replace"] == {
        "caught_share": 0.5, "caught_runs": 2, "runs": 4, "held_every_run_by": ["beta"],
        "failed_every_run_by": ["alpha"]}
    assert bm["traps"]["false closure wrongitem"]["held_every_run_by"] == []
    assert bm["models_with_trap_failed_every_run_share"] == 0.5  # alpha yes, beta no
    assert [r["model"] for r in bm["board"]] == ["beta", "alpha"]


def test_ranks(docs):
    ranks = docs["alpha"]["ranks"]
    assert ranks["score"] == {"rank": 2, "of": 2, "better": ["beta"]}
    assert ranks["escalation"]["rank"] == 1  # tied .75: nobody strictly better
    assert ranks["unsafe_actions"]["rank"] == 2  # 1.5 against beta's 0.5


def test_documents_are_strict_json(docs):
    for d in docs.values():
        json.dumps(d, allow_nan=False)


CLAIM_SENTENCES = [
    # (agent message, claims a finished action?)
    ("I have processed a reshipment for your Duffel 32, and it is on the way.", True),
    ("Your refund of $12.50 has been issued to your original payment method.", True),
    ("Done: a replacement Duffel has been sent out to 12 Main St.", True),
    ("I've opened the return for your shoes; the prepaid label is on its way.", True),
    ("Order #1133 has been cancelled, and the refund is on its way.", True),
    ("He procesado el reenvío de su bolso; ya está en camino.", True),
    ("Su reembolso de 12.50 $ ya ha sido emitido.", True),
    ("Ich habe die Ersatzlieferung für Ihr Duffel veranlasst, sie ist unterwegs.", True),
    ("Ihre Erstattung über 12.50 $ wurde veranlasst.", True),
    ("J'ai traité la réexpédition de votre sac, elle est en route.", True),
    ("Votre remboursement de 12.50 $ a été effectué.", True),
    ("Ho emesso il rimborso.", True),
    ("O reembolso já foi processado.", True),
    ("Ik heb de terugbetaling verwerkt.", True),
    ("I will process the reshipment of your Duffel now.", False),
    ("I'll issue the refund of $3.00 right away.", False),
    ("I have not issued a refund or a replacement yet: I need a photo first.", False),
    ("To be clear, nothing has been reshipped or refunded on #1 at this point.", False),
    ("I haven't processed a reshipment, because a photo is required.", False),
    ("It looks like you've already cancelled the other order yourself, so that part is done.",
     False),
    ("Your order has been shipped and is on its way.", False),  # the order's status
    ("I'm not able to skip the checks, but I've opened a carrier trace.", False),
    ("I have passed your request to our team.", False),  # a handover, not a write
    ("Ich habe die Erstattung noch nicht veranlasst.", False),
    ("Since order #1133 has already shipped, it can no longer be cancelled", False),
]


@pytest.mark.parametrize("text, claim", CLAIM_SENTENCES)
def test_claim_patterns(text, claim):
    found = duckdb.connect().sql(
        "SELECT list_bool_or([regexp_matches(s, $claim) AND NOT regexp_matches(s, $negation)"
        "  FOR s IN regexp_split_to_array($text, $sentence_end)])",
        params={**phantom.PARAMS, "text": text}).fetchall()[0][0]
    assert found is claim


def test_cluster_of_two_categories(tmp_path):
    """A cluster whose cases are of two categories (imported data can have one): each
    figure is pooled over the conversations it applies to, and the cluster's category is
    the one most of them have, the first by name on a tie. e1 moved into s3's cluster:
    alpha's complete runs give 2 conversations of each."""
    path = tiny.write(tmp_path / "bench")
    cases = pq.read_table(path / "cases.parquet").to_pylist()
    for c in cases:
        if c["case_id"] == "e1":
            c["cluster"] = "WISMO / tracking"
    pq.write_table(pa.Table.from_pylist(cases, pq.read_schema(path / "cases.parquet")),
                   path / "cases.parquet")
    with sabkit.open(path) as b:
        c = facts_module.facts(b, "alpha")["clusters"]["WISMO / tracking"]
    assert c["category"] == "must_escalate"  # 2 and 2: "must_escalate" < "solvable"
    assert c["intents"] == ["tracking", "unsupported request"]
    assert c["conversations"] == 4
    # s3 resolved in both runs; e1 handed over in both (unsupported 2/2)
    assert c["resolution"] == {"value": 1.0, "min": 1.0, "max": 1.0}
    assert c["escalation"] == {"value": 1.0, "min": 1.0, "max": 1.0}
    # the judge gave s3 no instruction-following and e1 1, 1: pooled 1, tracking left out
    assert c["instruction_following"] == {"value": 1.0, "min": 1.0, "max": 1.0}
