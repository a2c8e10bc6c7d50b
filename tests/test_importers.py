"""The importers against figures counted by hand from the raw JSON.

Every expected figure is computed here with plain ``json`` from the shared files, never
through sabkit, and compared with SQL over the imported benchmark (opened with
``sabkit.open``, so the contract checks run too). The shared files live outside the repo,
in ``../shared/data/external``; the tests that need them skip when it is absent.
"""

from __future__ import annotations

import json
from collections import defaultdict
from math import comb
from pathlib import Path

import pytest

import sabkit
from builders.command import cli, imported_bench
from builders.corpus import tau_bench_record
from sabkit import importers
from sabkit.errors import SabkitError

REPO = Path(__file__).resolve().parents[1]
EXTERNAL = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "external"
GPT4O = EXTERNAL / "tau-bench" / "gpt-4o-airline.json"
FORK = EXTERNAL / "tau-bench-madhav-kanda" / "tool-calling-l0-4o-with-index.json"
GROK = EXTERNAL / "tau2-bench-blakeelias"
TRANSFER = "transfer_to_human_agents"

needs_external = pytest.mark.skipif(
    not EXTERNAL.is_dir(),
    reason=f"shared transcripts not found at {EXTERNAL} (clone sits outside the workspace)")


def is_write(tool: str) -> bool:
    """The issue's rule, restated here: not a look-up, not the handover."""
    return tool != TRANSFER and tool not in ("calculate", "think") \
        and not tool.startswith(("get_", "list_", "search_", "find_"))


def pass_hat_k(outcomes: dict[str, list[bool]], k: int) -> float:
    """tau-bench's estimator: mean over tasks of C(c, k) / C(n, k)."""
    return sum(comb(sum(o), k) / comb(len(o), k) for o in outcomes.values()) / len(outcomes)


# --- tau-bench: gpt-4o on airline, 50 tasks x 4 trials ---------------------------------

@pytest.fixture(scope="module")
def gpt4o_raw():
    if not GPT4O.is_file():
        pytest.skip(f"{GPT4O} is absent")
    return json.loads(GPT4O.read_text())


@pytest.fixture(scope="module")
def gpt4o(tmp_path_factory, gpt4o_raw):
    with imported_bench(tmp_path_factory.mktemp("gpt4o"), "tau-bench", str(GPT4O)) as got:
        yield got


@needs_external
def test_gpt4o_conversations_reward_and_runs(gpt4o, gpt4o_raw):
    bench, stdout = gpt4o
    assert len(gpt4o_raw) == 200
    raw_mean = sum(r["reward"] for r in gpt4o_raw) / len(gpt4o_raw)
    assert raw_mean == pytest.approx(0.42)
    row = bench.sql("SELECT count(*) AS n, avg(score) / 100 AS mean, "
                    "sum(resolved::INT) AS resolved FROM scores").row(0, named=True)
    assert row["n"] == 200
    assert row["mean"] == pytest.approx(raw_mean)
    assert row["resolved"] == sum(r["reward"] == 1 for r in gpt4o_raw)
    runs = bench.sql("SELECT run_index, complete, conversations FROM run_status "
                     "ORDER BY run_index")
    assert runs["run_index"].to_list() == [1, 2, 3, 4]
    assert runs["complete"].all() and set(runs["conversations"]) == {50}
    assert "conversations  200" in stdout and "skipped        0 records" in stdout


@needs_external
def test_gpt4o_transfers_and_forbidden_writes(gpt4o, gpt4o_raw):
    bench, _ = gpt4o
    calls = [[c["function"]["name"] for m in r["traj"] if m["role"] == "assistant"
              for c in m.get("tool_calls") or []] for r in gpt4o_raw]
    raw_transfers = sum(TRANSFER in names for names in calls)
    imported = bench.sql("""
        SELECT count(DISTINCT (run_id, case_id)) AS n FROM tool_calls JOIN tools USING (tool)
        WHERE kind = 'handover'""")["n"][0]
    assert imported == raw_transfers == 48

    # Successful write calls on tasks that expect no action; "Error: ..." answers fail.
    raw_forbidden = 0
    for r in gpt4o_raw:
        if r["info"]["task"]["actions"]:
            continue
        answers = {m["tool_call_id"]: m["content"] for m in r["traj"] if m["role"] == "tool"}
        raw_forbidden += sum(
            is_write(c["function"]["name"]) and not answers[c["id"]].startswith("Error")
            for m in r["traj"] if m["role"] == "assistant" for c in m.get("tool_calls") or [])
    imported = bench.sql("""
        SELECT count(*) AS n FROM tool_calls t JOIN cases c USING (case_id)
        WHERE t.ok AND list_contains(c.forbidden_tools, t.tool)""")["n"][0]
    assert imported == raw_forbidden
    failed = bench.sql("""
        SELECT count(*) AS n FROM tool_calls t JOIN cases c USING (case_id)
        WHERE NOT t.ok AND list_contains(c.forbidden_tools, t.tool)""")["n"][0]
    assert failed > 0  # task 15's failing update_reservation_flights: kept, not counted


@needs_external
def test_gpt4o_pass_hat_k(gpt4o, gpt4o_raw):
    bench, _ = gpt4o
    outcomes: dict[str, list[bool]] = defaultdict(list)
    for r in gpt4o_raw:
        outcomes[r["task_id"]].append(r["reward"] == 1)
    assert {len(o) for o in outcomes.values()} == {4}
    for k in range(1, 5):
        imported = bench.sql(f"""
            WITH per_case AS (
                SELECT case_id, count(*)::INT AS n, sum(resolved::INT)::INT AS c
                FROM scores JOIN run_status USING (run_id) WHERE run_status.complete
                GROUP BY case_id)
            SELECT avg(CASE WHEN c >= {k}
                            THEN factorial(c) / (factorial({k}) * factorial(c - {k}))
                            ELSE 0 END
                       / (factorial(n) / (factorial({k}) * factorial(n - {k})))) AS p
            FROM per_case""")["p"][0]
        assert imported == pytest.approx(pass_hat_k(outcomes, k)), k
    assert pass_hat_k(outcomes, 1) == pytest.approx(0.42)


@needs_external
def test_gpt4o_cases_follow_expected_actions(gpt4o, gpt4o_raw):
    bench, _ = gpt4o
    expected = {r["task_id"]: [a["name"] for a in r["info"]["task"]["actions"]]
                for r in gpt4o_raw}
    cats = dict(bench.sql("SELECT case_id, category FROM cases").iter_rows())
    assert len(cats) == 50
    for task_id, names in expected.items():
        want = ("must_escalate" if TRANSFER in names
                else "adversarial" if not names else "solvable")
        assert cats[f"airline:{task_id}"] == want
    # the README's lists
    assert sorted(int(c.split(":")[1]) for c, v in cats.items() if v == "must_escalate") \
        == [13, 35, 36, 38]
    assert sorted(int(c.split(":")[1]) for c, v in cats.items() if v == "adversarial") \
        == [12, 15, 17, 18, 21, 24, 49]


@needs_external
def test_files_with_the_same_tasks_are_joined(tmp_path, gpt4o, gpt4o_raw):
    """Two halves of the trials, as two files: four runs again, and the same scores."""
    bench, _ = gpt4o
    first, second = tmp_path / "a-airline.json", tmp_path / "b-airline.json"
    first.write_text(json.dumps([r for r in gpt4o_raw if r["trial"] < 2]))
    second.write_text(json.dumps([r for r in gpt4o_raw if r["trial"] >= 2]))
    imported = importers.load([second, first], model="gpt-4o")
    assert [r.index for r in imported.runs] == [1, 2, 3, 4]
    assert all(r.complete for r in imported.runs)
    assert "gpt-4o on airline: a-airline.json (trials 0-1 -> runs 1-2) + " \
           "b-airline.json (trials 2-3 -> runs 3-4)" in imported.summary()
    scores = imported.tables["scores"].to_pylist()
    by_run = {(s["run_id"], s["case_id"]): s["score"] for s in scores}
    assert by_run == dict(((r, c), s) for r, c, s in bench.sql(
        "SELECT run_id, case_id, score FROM scores").iter_rows())


@needs_external
def test_fork_trial_equal_to_task_id_is_one_run(tmp_path):
    if not FORK.is_file():
        pytest.skip(f"{FORK} is absent")
    raw = json.loads(FORK.read_text())
    assert all(r["trial"] == r["task_id"] for r in raw)
    imported = importers.import_files([FORK], tmp_path / "fork", model="gpt-4o")
    assert [(r.index, r.complete) for r in imported.runs] == [(1, True)]
    scores = imported.tables["scores"]
    assert scores.num_rows == len(raw) == 100
    assert sum(scores.column("score").to_pylist()) / 100 / 100 == pytest.approx(
        sum(r["reward"] for r in raw) / len(raw))
    assert "Madhav-Kanda" in imported.summary()


# --- tau2: the grok files -----------------------------------------------------------------

@pytest.fixture(scope="module")
def grok_raw():
    files = sorted(GROK.glob("*.json")) if GROK.is_dir() else []
    if not files:
        pytest.skip(f"no tau2 files in {GROK}")
    return {path: json.loads(path.read_text()) for path in files}


@pytest.fixture(scope="module")
def grok(tmp_path_factory, grok_raw):
    """One benchmark per distinct embedded task list (a benchmark has one case set)."""
    groups: dict[str, list[Path]] = defaultdict(list)
    for path, run in grok_raw.items():
        groups[json.dumps(sorted(run["tasks"], key=lambda t: t["id"]), sort_keys=True)] \
            .append(path)
    benches = []
    for i, paths in enumerate(groups.values()):
        out = tmp_path_factory.mktemp(f"grok{i}")
        importers.import_files(paths, out, fmt="tau2")
        benches.append(sabkit.open(out))
    yield benches
    for bench in benches:
        bench.close()


def raw_grok_counts(grok_raw) -> dict[str, dict[str, int]]:
    """Per model, from the raw files (the telecom run included: its customer's own tool
    calls are in user messages, so only assistant calls are the agent's)."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for run in grok_raw.values():
        name = run["info"]["agent_info"]["llm"].split("/")[-1]
        if run["info"]["environment_info"]["domain_name"] == "airline_tighter_policy":
            name += "@tighter-policy"
        empty = {t["id"] for t in run["tasks"] if not t["evaluation_criteria"]["actions"]}
        for sim in run["simulations"]:
            calls = [c for m in sim["messages"] if m["role"] == "assistant"
                     for c in m.get("tool_calls") or []]
            failed = {m["id"] for m in sim["messages"] if m["role"] == "tool" and m["error"]}
            c = counts[name]
            c["forbidden_writes"] += 0
            c["conversations"] += 1
            c["resolved"] += sim["reward_info"]["reward"] == 1
            c["transfers"] += any(call["name"] == TRANSFER for call in calls)
            if sim["task_id"] in empty:
                c["refuse_task_conversations"] += 1
                c["forbidden_writes"] += sum(is_write(call["name"]) and call["id"] not in failed
                                             for call in calls)
    return counts


def imported_grok_counts(benches) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for bench in benches:
        for row in bench.sql("""
            SELECT r.model, count(*) AS conversations, sum(s.resolved::INT)::INT AS resolved,
                   count(*) FILTER (WHERE (s.run_id, s.case_id) IN (
                       SELECT (run_id, case_id) FROM tool_calls JOIN tools USING (tool)
                       WHERE kind = 'handover' AND caller = 'agent')) AS transfers,
                   (SELECT count(*) FROM tool_calls t JOIN cases c USING (case_id)
                    JOIN runs r2 USING (run_id)
                    WHERE r2.model = r.model AND t.ok AND t.caller = 'agent'
                      AND list_contains(c.forbidden_tools, t.tool)) AS forbidden_writes
            FROM scores s JOIN runs r USING (run_id) GROUP BY r.model""").iter_rows(named=True):
            for key in ("conversations", "resolved", "transfers", "forbidden_writes"):
                counts[row["model"]][key] += row[key]
    return counts


@needs_external
def test_grok_per_model_and_policy(grok, grok_raw):
    raw = raw_grok_counts(grok_raw)
    imported = imported_grok_counts(grok)
    keys = ("conversations", "resolved", "transfers", "forbidden_writes")
    assert {m: dict(c) for m, c in imported.items()} == {
        m: {k: c[k] for k in keys} for m, c in raw.items()}
    assert sum(c["conversations"] for c in raw.values()) == sum(
        len(r["simulations"]) for r in grok_raw.values())
    # Grok makes no successful write on the refuse-tasks (gpt-4o does: see above), but
    # there are such conversations to check.
    assert sum(c["refuse_task_conversations"] for c in raw.values()) > 0
    assert raw["grok-4"]["conversations"] == 26 and raw["grok-4@tighter-policy"][
        "conversations"] == 46


@needs_external
def test_tighter_policy_is_a_variant_on_the_same_cases(grok):
    four_task = next(b for b in grok if b.sql("SELECT count(*) AS n FROM cases")["n"][0] == 4)
    models = dict(four_task.sql("SELECT model, variant_of FROM models").iter_rows())
    assert models["grok-4@tighter-policy"] == "grok-4" and models["grok-4"] is None
    per_model = four_task.sql("""SELECT model, count(DISTINCT case_id) AS cases,
                                        count(DISTINCT run_id) AS runs
                                 FROM scores JOIN runs USING (run_id) GROUP BY model""")
    assert set(per_model["cases"]) == {4} and set(per_model["runs"]) == {4}


@needs_external
def test_grok3_mini_reasoning_is_kept(grok_raw, grok):
    raw = sum(bool(((m.get("raw_data") or {}).get("message") or {}).get("reasoning_content"))
              for path, run in grok_raw.items() if "grok-3-mini" in path.name
              for sim in run["simulations"] for m in sim["messages"]
              if m["role"] == "assistant")
    assert raw > 0
    kept = sum(b.sql("""SELECT count(*) AS n FROM messages JOIN runs USING (run_id)
                        WHERE model LIKE 'grok-3-mini%' AND reasoning IS NOT NULL""")["n"][0]
               for b in grok)
    assert 0 < kept <= raw  # reasoning of call-only replies joins the next message


@needs_external
def test_different_task_sets_are_refused(grok_raw):
    four = next(p for p in grok_raw if "11:43:45" in p.name)
    single = next(p for p in grok_raw if "13:51:25" in p.name)
    with pytest.raises(SabkitError, match="different task sets"):
        importers.load([four, single])


# --- broken input -------------------------------------------------------------------------

def test_broken_records_are_reported_and_skipped(tmp_path):
    unknown_role = tau_bench_record(2, 0, 1.0)
    unknown_role["traj"].insert(2, {"role": "narrator", "content": "meanwhile"})
    records = [
        tau_bench_record(0, 0, 1.0),
        tau_bench_record(1, 0, 0.0, info={"error": "RateLimitError: too many requests",
                                          "traceback": "..."}, traj=[]),
        unknown_role,
        tau_bench_record(1, 1, 0.0),
    ]
    path = tmp_path / "mock-airline.json"
    path.write_text(json.dumps(records))
    result = cli("import", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "skipped        2 records" in result.stdout
    assert "mock-airline.json record #1 (task 1, trial 0): info.error instead of a task: " \
           "RateLimitError" in result.stdout
    assert "record #2 (task 2, trial 0): message #2 has unknown role 'narrator'" \
        in result.stdout
    with sabkit.open(tmp_path / "out") as bench:
        assert bench.sql("SELECT count(*) AS n FROM scores")["n"][0] == 2
        # both trials lost a record: declared partial, not silently complete
        assert not bench.sql("SELECT bool_or(complete) AS c FROM runs")["c"][0]
        row = bench.sql("SELECT tool, result, ok FROM tool_calls").row(0, named=True)
        assert row == {"tool": "cancel_reservation", "result": '{"status": "cancelled"}',
                       "ok": True}


def test_tau2_unknown_role_is_skipped(tmp_path):
    task = {"id": "0", "description": {"purpose": "Refuse a cancellation."},
            "user_scenario": {"instructions": {"domain": "airline",
                                               "reason_for_call": "Cancel."}},
            "evaluation_criteria": {"actions": []}}

    def sim(trial, messages, reward=1.0):
        return {"task_id": "0", "trial": trial, "agent_cost": 0.01,
                "start_time": "2025-10-13T11:00:00", "reward_info": {"reward": reward},
                "messages": messages}

    good = [{"role": "assistant", "content": "Hi! How can I help you today?"},
            {"role": "user", "content": "Cancel please."},
            {"role": "assistant", "content": "I cannot.",
             "raw_data": {"message": {"reasoning_content": "Policy forbids it."}}}]
    run = {"timestamp": "2025-10-13T11:00:00",
           "info": {"num_trials": 2, "agent_info": {"llm": "xai/grok-4"},
                    "environment_info": {"domain_name": "airline"}},
           "tasks": [task],
           "simulations": [sim(0, good), sim(1, good + [{"role": "critic", "content": "?"}])]}
    path = tmp_path / "run.json"
    path.write_text(json.dumps(run))
    imported = importers.import_files([path], tmp_path / "out")
    assert [str(s) for s in imported.skipped] == [
        "run.json record #1 (task 0, trial 1): message #3 has unknown role 'critic'"]
    messages = imported.tables["messages"].to_pylist()
    assert [(m["seq"], m["turn"], m["role"]) for m in messages] == [
        (0, 0, "agent"), (1, 1, "customer"), (2, 1, "agent")]
    assert messages[2]["reasoning"] == "Policy forbids it."
    assert imported.tables["runs"].to_pylist()[0]["agent_cost_usd"] == pytest.approx(0.01)
    assert imported.tables["cases"].to_pylist()[0]["category"] == "adversarial"


def test_not_json_and_unknown_format_are_sabkit_errors(tmp_path):
    text = tmp_path / "notes.json"
    text.write_text("this is not json")
    other = tmp_path / "judge.json"
    other.write_text(json.dumps([{"task_id": 2, "failures": []}]))
    with pytest.raises(SabkitError, match="notes.json: not JSON"):
        importers.load([text])
    with pytest.raises(SabkitError, match="judge.json: not a known transcript format"):
        importers.load([other])
    result = cli("import", str(other), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "expected a tau-bench results file" in result.stderr
    assert "Traceback" not in result.stderr
