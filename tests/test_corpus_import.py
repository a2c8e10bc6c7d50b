"""Reliability corpus, class 8: importers. A record-level problem is listed with its
position and skipped (the rest imports, and the benchmark it makes is valid); a file-level
problem stops the import with one line naming the file."""

from __future__ import annotations

import json
import shutil

from builders.corpus import one_line_error, run, tau_bench_record


def _tau2(simulations: list) -> dict:
    task = {"id": "0", "description": {"purpose": "Cancel a trip."},
            "user_scenario": {"instructions": {"domain": "airline",
                                               "reason_for_call": "Cancel."}},
            "evaluation_criteria": {"actions": [{"name": "cancel_reservation"}]}}
    return {"timestamp": "2025-10-13T11:00:00",
            "info": {"num_trials": 2, "agent_info": {"llm": "xai/grok-4"},
                     "environment_info": {"domain_name": "airline"}},
            "tasks": [task], "simulations": simulations}


def _sim(trial, messages) -> dict:
    return {"task_id": "0", "trial": trial, "reward_info": {"reward": 1.0},
            "messages": messages}


GOOD = [{"role": "assistant", "content": "Hi! How can I help you today?"},
        {"role": "user", "content": "Cancel please."},
        {"role": "assistant", "content": "Done."}]


def test_bad_task_ids_and_trials_are_listed_and_skipped(tmp_path):
    records = [tau_bench_record(0, 0, 1.0),
               tau_bench_record(None, 0, 1.0), tau_bench_record(1.5, 0, 1.0),
               tau_bench_record(-1, 0, 1.0), tau_bench_record(2, None, 1.0),
               tau_bench_record(3, 0.5, 1.0), tau_bench_record(4, -2, 1.0),
               tau_bench_record(5, True, 1.0)]
    path = tmp_path / "mock-airline.json"
    path.write_text(json.dumps(records))
    out = tmp_path / "out"
    result = run("import", path, "--out", out)
    assert result.code == 0, result.err
    assert "skipped        7 records" in result.out
    for position, why in [(1, "task id is None"), (2, "task id is 1.5"),
                          (3, "task id is -1"), (4, "trial is None"), (5, "trial is 0.5"),
                          (6, "trial is -2"), (7, "trial is True")]:
        assert f"mock-airline.json record #{position} " in result.out
        assert why in result.out, why
    assert run("validate", out).code == 0
    facts = run("facts", "mock", "--json", "--data", out)
    assert facts.code == 0
    assert json.loads(facts.out)["cases"]["total"] == 1  # only task 0's case


def test_the_same_file_twice_is_refused(tmp_path):
    path = tmp_path / "mock-airline.json"
    path.write_text(json.dumps([tau_bench_record(0, 0, 1.0)]))
    copy = tmp_path / "copy-airline.json"
    shutil.copy(path, copy)
    for second in (path, copy):
        result = run("import", path, second, "--out", tmp_path / "out")
        one_line_error(result, f"{second}: the same content as {path}, given twice")
        assert len(result.err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_a_tau2_simulation_without_messages_is_skipped(tmp_path):
    path = tmp_path / "run.json"
    path.write_text(json.dumps(_tau2([_sim(0, GOOD), _sim(1, [])])))
    result = run("import", path, "--out", tmp_path / "out")
    assert result.code == 0, result.err
    assert "run.json record #1 (task 0, trial 1): no messages" in result.out
    facts = json.loads(run("facts", "grok-4", "--json", "--data", tmp_path / "out").out)
    # trial 1 lost its only simulation: a partial run, not a complete one
    assert (facts["runs"]["complete"], facts["runs"]["partial"]) == (1, 1)


def test_deeply_nested_json_is_one_line(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 200_000 + "]" * 200_000)
    result = run("import", path, "--out", tmp_path / "out")
    one_line_error(result, str(path), "nested too deep")
    assert len(result.err.strip().splitlines()) == 1


def test_a_deeply_nested_record_is_skipped(tmp_path):
    """Arguments holding JSON text nested 50,000 deep: the file parses (it is a string
    there), the record does not, and only the record is skipped."""
    records = [tau_bench_record(0, 0, 1.0), tau_bench_record(1, 0, 1.0)]
    records[1]["traj"][2]["tool_calls"][0]["function"]["arguments"] = \
        "[" * 50_000 + "]" * 50_000
    path = tmp_path / "mock-airline.json"
    path.write_text(json.dumps(records))
    result = run("import", path, "--out", tmp_path / "out")
    assert result.code == 0, result.err
    assert "mock-airline.json record #1 (task 1, trial 0): nested too deep to read" \
        in result.out


def test_a_file_with_no_simulation_is_refused(tmp_path):
    path = tmp_path / "run.json"
    path.write_text(json.dumps(_tau2([])))
    result = run("import", path, "--out", tmp_path / "out")
    one_line_error(result, str(path), "holds no simulations")
    assert len(result.err.strip().splitlines()) == 1


def test_a_file_whose_every_record_is_broken_lists_each_and_reports_nothing(tmp_path):
    path = tmp_path / "run.json"
    path.write_text(json.dumps(_tau2([_sim(0, []), _sim(None, GOOD)])))
    out = tmp_path / "out"
    result = run("import", path, "--out", out)
    assert result.code == 0, result.err
    assert "run.json record #0 (task 0, trial 0): no messages" in result.out
    assert "run.json record #1 (task 0): trial is None" in result.out
    facts = run("facts", "grok-4", "--data", out)
    assert "no complete run: nothing to report yet; 1 partial run holds 0 scored" in facts.out
