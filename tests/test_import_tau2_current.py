"""tau2-bench as it is today: dual control (telecom), endings, what the reward is made of,
telecom task ids, the results-folder layout, and the report on imported telecom data.

Expected figures are counted here from the raw JSON with plain ``json``, never through
sabkit, and compared with SQL over the imported benchmark (opened with ``sabkit.open``, so
the contract checks run too). Small synthetic runs plant what the shared file lacks (a
customer who calls the handover tool, review errors, NL assertions, an infrastructure
error).
"""

from __future__ import annotations

import copy
import html
import json
import re
from pathlib import Path

import pytest

import sabkit
from builders.command import cli
from sabkit import importers
from sabkit.errors import SabkitError
from sabkit.metrics import conversations, tool_use

REPO = Path(__file__).resolve().parents[1]
GROK = REPO.parent / "shared" / "data" / "external" / "tau2-bench-blakeelias"
TELECOM = next(iter(sorted(GROK.glob("*_telecom_*grok-3*.json"))), None) if GROK.is_dir() \
    else None
TRANSFER = "transfer_to_human_agents"
needs_telecom = pytest.mark.skipif(TELECOM is None, reason=f"no telecom file in {GROK}")


def calls_of(sim: dict, role: str) -> list[dict]:
    return [c for m in sim["messages"] if m["role"] == role for c in m.get("tool_calls") or []]


@pytest.fixture(scope="module")
def raw():
    if TELECOM is None:
        pytest.skip(f"no telecom file in {GROK}")
    return json.loads(TELECOM.read_text())


@pytest.fixture(scope="module")
def telecom(tmp_path_factory, raw):
    out = tmp_path_factory.mktemp("telecom")
    imported = importers.import_files([TELECOM], out, fmt="tau2")
    with sabkit.open(out) as bench:
        yield bench, imported, out


@needs_telecom
def test_telecom_imports_every_simulation_with_raw_figures(raw, telecom):
    bench, imported, _ = telecom
    sims = raw["simulations"]
    assert imported.skipped == [] and len(sims) == 5
    row = bench.sql("SELECT count(*) AS n, avg(score) AS mean, "
                    "sum(resolved::INT)::INT AS resolved FROM scores").row(0, named=True)
    assert row["n"] == len(sims)
    assert row["mean"] == pytest.approx(100 * sum(s["reward_info"]["reward"] for s in sims)
                                        / len(sims))
    # one trial per task: pass^1 is the share of tasks with reward 1
    assert row["resolved"] == sum(s["reward_info"]["reward"] == 1 for s in sims) == 4
    transfers = sum(any(c["name"] == TRANSFER for c in calls_of(s, "assistant")) for s in sims)
    got = bench.sql("""SELECT count(DISTINCT (run_id, case_id)) AS n FROM tool_calls
                       WHERE tool = 'transfer_to_human_agents' AND caller = 'agent'""")["n"][0]
    assert got == transfers


@needs_telecom
def test_customer_tool_calls_are_kept_as_the_customers(raw, telecom):
    bench, _, _ = telecom
    sims = raw["simulations"]
    customer = sum(len(calls_of(s, "user")) for s in sims)
    agent = sum(len(calls_of(s, "assistant")) for s in sims)
    assert (customer, agent) == (25, 31)  # the README's counts
    counts = dict(bench.sql("SELECT caller, count(*) FROM tool_calls GROUP BY ALL").rows())
    assert counts == {"customer": customer, "agent": agent}
    # each customer call carries the result tau2 returned to the customer
    answers = {m["id"]: m["content"] for s in sims for m in s["messages"]
               if m["role"] == "tool" and m.get("requestor") == "user"}
    first = calls_of(sims[0], "user")[0]
    result = bench.sql("SELECT result FROM tool_calls WHERE caller = 'customer' AND tool = $t "
                       "AND case_id = $c ORDER BY seq LIMIT 1",
                       {"t": first["name"], "c": f"telecom:{sims[0]['task_id']}"})
    assert json.loads(result["result"][0]) == answers[first["id"]]


@needs_telecom
def test_agent_metrics_count_only_the_agents_calls(raw, telecom):
    bench, _, _ = telecom
    sims = raw["simulations"]
    per = tool_use.tool_calls_per_ticket(bench).row(0, named=True)
    assert per["per_conversation"] == pytest.approx(
        sum(len(calls_of(s, "assistant")) for s in sims) / len(sims))


def synthetic_run(sims: list[dict], task_id: str = "[mobile_data_issue]data_mode_off"
                  "[PERSONA:Hard]", reward_basis=("ENV_ASSERTION",)) -> dict:
    task = {"id": task_id, "description": {"purpose": "Test resolution path."},
            "user_scenario": {"instructions": {"domain": "telecom",
                                               "reason_for_call": "No data."}},
            "evaluation_criteria": {
                "actions": [{"action_id": "t0", "requestor": "user", "name": "toggle_data",
                             "arguments": {}}],
                "reward_basis": list(reward_basis)}}
    return {"timestamp": "2025-10-05T07:52:52",
            "info": {"num_trials": len(sims), "agent_info": {"llm": "xai/grok-3"},
                     "environment_info": {"domain_name": "telecom"}},
            "tasks": [task], "simulations": sims}


def sim(trial: int, messages: list[dict], reward=1.0, termination="user_stop",
        task_id="[mobile_data_issue]data_mode_off[PERSONA:Hard]", **extra) -> dict:
    return {"id": f"sim-{trial}", "task_id": task_id, "trial": trial,
            "termination_reason": termination, "start_time": "2025-10-05T07:52:53",
            "reward_info": {"reward": reward, "reward_basis": ["ENV_ASSERTION"],
                            **extra.pop("reward_info", {})},
            "messages": messages, **extra}


# the customer presses the handover tool and toggles data; the agent calls nothing
CUSTOMER_ONLY = [
    {"role": "assistant", "content": "Hi! How can I help you today?"},
    {"role": "user", "content": "My data is off.", "tool_calls": None},
    {"role": "user", "content": "", "tool_calls": [
        {"id": "u1", "name": TRANSFER, "arguments": {}, "requestor": "user"},
        {"id": "u2", "name": "toggle_data", "arguments": {}, "requestor": "user"}]},
    {"role": "tool", "id": "u1", "content": "ok", "requestor": "user", "error": False},
    {"role": "tool", "id": "u2", "content": "Data: ON", "requestor": "user", "error": False},
    {"role": "assistant", "content": "Glad it works now."},
]


def test_a_customers_calls_are_no_agent_action(tmp_path):
    path = tmp_path / "run.json"
    path.write_text(json.dumps(synthetic_run([sim(0, CUSTOMER_ONLY)])))
    importers.import_files([path], tmp_path / "out")
    with sabkit.open(tmp_path / "out") as bench:
        calls = bench.sql("SELECT tool, caller, ok, turn FROM tool_calls ORDER BY seq")
        assert calls.rows() == [(TRANSFER, "customer", True, 1),
                                ("toggle_data", "customer", True, 1)]
        conv = conversations.query(bench, "SELECT escalated, tool_calls, write_calls "
                                          "FROM {conv}").row(0, named=True)
        assert conv == {"escalated": False, "tool_calls": 0, "write_calls": 0}
        # a reply of calls only starts no customer turn and writes no empty message
        roles = bench.sql("SELECT role FROM messages ORDER BY seq")["role"].to_list()
        assert roles == ["agent", "customer", "agent"]
        case = bench.sql("SELECT intent, persona, category FROM cases").row(0, named=True)
        assert case == {"intent": "mobile data issue", "persona": "Hard",
                        "category": "solvable"}


@needs_telecom
def test_telecom_intent_persona_and_endings_follow_the_raw_ids(raw, telecom):
    bench, _, _ = telecom
    personas = {f"telecom:{t['id']}": t["id"].rsplit("[PERSONA:", 1)[1].rstrip("]")
                for t in raw["tasks"]}
    issues = {f"telecom:{t['id']}": t["id"][1:t["id"].index("]")].replace("_", " ")
              for t in raw["tasks"]}
    rows = bench.sql("SELECT case_id, persona, intent FROM cases").rows()
    assert {c: p for c, p, _ in rows} == personas
    assert {c: i for c, _, i in rows} == issues
    assert set(personas.values()) == {"None", "Easy"}
    endings = dict(bench.sql("SELECT case_id, termination FROM scores").rows())
    assert endings == {f"telecom:{s['task_id']}": s["termination_reason"]
                       for s in raw["simulations"]}


@needs_telecom
def test_failed_checks_that_count_become_flags(raw, telecom):
    bench, _, _ = telecom
    flags = dict(bench.sql("SELECT case_id, flags FROM scores").rows())
    for s in raw["simulations"]:
        info = s["reward_info"]
        assert info["reward_basis"] == ["ENV_ASSERTION"]
        failed = {f"env_assertion_failed:{a['env_assertion']['func_name']}"
                  for a in info["env_assertions"] if not a["met"]}
        got = set(flags[f"telecom:{s['task_id']}"])
        assert failed <= got
        assert bool(got) == (info["reward"] < 1)
        # the database check does not count in telecom: no db flag even when it failed
        assert "db_failed" not in got
    assert any(not s["reward_info"]["db_check"]["db_match"] and s["reward_info"]["reward"] == 1
               for s in raw["simulations"])


def test_review_errors_and_nl_justifications(tmp_path):
    review = {"has_errors": True, "errors": [
        {"source": "user", "error_tags": ["hallucinated_info"], "severity": "critical_hindered",
         "reasoning": "made up a phone number"},
        {"source": "agent", "error_tags": ["wrong_tool"], "severity": "minor",
         "reasoning": "looked up the wrong line"}]}
    nl = [{"nl_assertion": "Agent asks for the phone number", "met": True,
           "justification": "It asked in turn 2."},
          {"nl_assertion": "Agent refuels 2 GB", "met": False,
           "justification": "It never offered a refuel."}]
    s = sim(0, CUSTOMER_ONLY, reward=0.0, review=review,
            reward_info={"reward_basis": ["NL_ASSERTION"], "nl_assertions": nl,
                         "reward_breakdown": {"NL_ASSERTION": 0.0}})
    path = tmp_path / "run.json"
    path.write_text(json.dumps(synthetic_run([s], reward_basis=("NL_ASSERTION",))))
    score = importers.load([path]).tables["scores"].to_pylist()[0]
    assert score["flags"] == ["nl_assertion_failed",
                              "nl_assertion_failed:Agent refuels 2 GB",
                              "review:user:hallucinated_info:critical_hindered",
                              "review:agent:wrong_tool:minor"]
    assert score["rationale"] == ("met: Agent asks for the phone number - It asked in turn 2.\n"
                                  "not met: Agent refuels 2 GB - It never offered a refuel.")


def test_infrastructure_error_makes_the_run_partial(tmp_path):
    other = "[mobile_data_issue]airplane_mode_on[PERSONA:Easy]"
    run = synthetic_run([sim(0, CUSTOMER_ONLY),
                         sim(0, CUSTOMER_ONLY, reward=0.0, task_id=other,
                             termination="infrastructure_error")])
    run["tasks"].append({**copy.deepcopy(run["tasks"][0]), "id": other})
    path = tmp_path / "run.json"
    path.write_text(json.dumps(run))
    imported = importers.import_files([path], tmp_path / "out")
    assert imported.skipped == []  # kept, so the figures can say what happened
    assert [r.complete for r in imported.runs] == [False]
    assert "1 ended on an infrastructure error" in imported.summary()


def test_unknown_termination_reason_is_skipped_with_its_reason(tmp_path):
    path = tmp_path / "run.json"
    path.write_text(json.dumps(synthetic_run([sim(0, CUSTOMER_ONLY),
                                              sim(1, CUSTOMER_ONLY, termination="nap")])))
    imported = importers.import_files([path], tmp_path / "out")
    assert [str(s) for s in imported.skipped] == [
        "run.json record #1 (task [mobile_data_issue]data_mode_off[PERSONA:Hard], trial 1): "
        "termination_reason 'nap' is none of tau2's (user_stop, agent_stop, max_steps, "
        "timeout, too_many_errors, agent_error, user_error, infrastructure_error, "
        "context_window_exceeded, unexpected_error)"]
    assert imported.tables["scores"]["termination"].to_pylist() == ["user_stop"]


@needs_telecom
def test_results_folder_imports_like_the_single_file(tmp_path, raw, telecom):
    _, single, _ = telecom
    folder = tmp_path / "run"
    (folder / "simulations").mkdir(parents=True)
    meta = {k: v for k, v in raw.items() if k != "simulations"}
    meta["simulation_index"] = [{"id": s["id"], "task_id": s["task_id"], "trial": s["trial"]}
                                for s in raw["simulations"]]
    (folder / "results.json").write_text(json.dumps(meta))
    for s in raw["simulations"]:
        (folder / "simulations" / f"{s['id']}.json").write_text(json.dumps(s))
    for path in (folder, folder / "results.json"):
        imported = importers.load([path])
        for table in ("scores", "tool_calls", "messages", "cases"):
            assert imported.tables[table].sort_by("case_id").equals(
                single.tables[table].sort_by("case_id")), table
    missing = raw["simulations"][0]["id"]
    (folder / "simulations" / f"{missing}.json").unlink()
    with pytest.raises(SabkitError, match="with no file in simulations/"):
        importers.load([folder])


def test_run_without_simulations_is_one_line_and_writes_nothing(tmp_path):
    path = tmp_path / "run.json"
    path.write_text(json.dumps(synthetic_run([])))
    result = cli("import", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "no simulations" in result.stderr
    assert not (tmp_path / "out").exists()


# --- the report on imported telecom data ---------------------------------------------------

def page_text(path: Path) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", path.read_text(), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


@needs_telecom
def test_report_on_telecom(tmp_path, raw, telecom):
    from sabkit.report.export import report

    _, _, bench_path = telecom
    out = report("grok-3", bench_path, tmp_path / "out").html
    text = page_text(out)
    sims = raw["simulations"]
    customer = sum(len(calls_of(s, "user")) for s in sims)
    total = customer + sum(len(calls_of(s, "assistant")) for s in sims)
    assert f"{customer} of the {total} tool calls in these conversations are the " \
           "customer's own" in text
    for section in ("escalation of must-escalate cases (there is none)",
                    "adversarial safety (no trap)", "stability across runs (one complete run)"):
        assert section in text
    assert all(s["termination_reason"] == "user_stop" for s in sims)
    assert f"All {len(sims)} conversations of the complete runs ended on their own" in text
    # a transfer quote shows the customer's own last action before the transfer, in the
    # conversation it quotes (which conversation is the report's pick: read it off the quote)
    def last_customer_action(sim):
        before = None
        for m in sim["messages"]:
            names = [c["name"] for c in m.get("tool_calls") or []]
            if m["role"] == "assistant" and TRANSFER in names:
                return before
            if m["role"] == "user" and names:
                before = names[-1]
        return None

    expected = {f"telecom:{s['task_id']}": last_customer_action(s) for s in sims}
    quoted = re.findall(r"📱 (\S+).*?(telecom:\S+) · run \d+", text)
    assert quoted and all(expected.get(case) == tool for tool, case in quoted), quoted
    assert "The customer's own actions" in text  # the appendix column
