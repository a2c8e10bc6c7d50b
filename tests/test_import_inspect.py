"""The Inspect AI importer against logs Inspect itself writes, and against a real log.

The logs are written in the test by Inspect with its offline ``mockllm/model`` (several
epochs, tools, one sample that hands over); every expected figure is counted from the
log's samples as ``inspect_ai.log.read_eval_log`` returns them, never through sabkit's
mapping, and compared with SQL over the imported benchmark (opened with ``sabkit.open``,
so the contract checks run too).
"""

from __future__ import annotations

import sys
from collections import defaultdict
from math import comb
from pathlib import Path

import pytest

inspect_ai = pytest.importorskip("inspect_ai")

from inspect_ai import Task, eval as inspect_eval  # noqa: E402
from inspect_ai.dataset import Sample  # noqa: E402
from inspect_ai.log import read_eval_log  # noqa: E402
from inspect_ai.model import (  # noqa: E402
    ChatMessageAssistant, ChatMessageUser, ContentReasoning, ContentText, ModelOutput,
    ModelUsage, get_model,
)
from inspect_ai.scorer import includes  # noqa: E402
from inspect_ai.solver import generate, solver, use_tools  # noqa: E402
from inspect_ai.tool import tool  # noqa: E402

import sabkit  # noqa: E402
from builders.command import cli, imported_bench  # noqa: E402
from sabkit import importers  # noqa: E402
from sabkit.errors import SabkitError  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DOCENT = REPO.parent / "shared" / "data" / "external" / "inspect-docent" / "log.eval"
EPOCHS = 3


@tool
def lookup_order():
    async def execute(order_id: str):
        """Look an order up.

        Args:
            order_id: The order's id.
        """
        return f"order {order_id}: shipped"
    return execute


@tool
def page_supervisor():
    async def execute(summary: str):
        """Hand the conversation to a human supervisor.

        Args:
            summary: What the customer needs.
        """
        return "a supervisor will take over"
    return execute


def _usage() -> ModelUsage:
    # a usage on every output keeps mockllm from counting tokens with tiktoken (network)
    return ModelUsage(input_tokens=10, output_tokens=5, total_tokens=15, total_cost=0.25)


def _agent(handover: str):
    """A deterministic agent: look the order up (or hand over), then answer. Sample
    `late` answers right on every other call, so its epochs differ."""
    calls: dict[str, int] = defaultdict(int)

    def outputs(messages, tools, tool_choice, config):
        first = next(m.text for m in messages if m.role == "user")
        if messages[-1].role == "user":
            if "supervisor" in first:
                out = ModelOutput.for_tool_call("mockllm/model", handover,
                                                {"summary": "wants a manager"})
            else:
                out = ModelOutput.for_tool_call("mockllm/model", "lookup_order",
                                                {"order_id": first.split()[-1]})
                out.choices[0].message.content = [
                    ContentReasoning(reasoning="The customer wants the order status."),
                    ContentText(text="Let me look that up.")]
        else:
            calls[first] += 1
            right = "42" in first or ("77" in first and calls[first] % 2 == 0)
            out = ModelOutput.from_content(
                "mockllm/model", "It has shipped." if right else "I cannot tell.")
        out.usage = _usage()
        return out
    return outputs


def _write_log(folder: Path, *, handover: str = "transfer_to_human", scorer=True,
               tools=True) -> Path:
    dataset = [
        Sample(id="on-time", input="Where is my order 42", target="shipped",
               metadata={"intent": "order status"}),
        Sample(id="late", input="Where is my order 77", target="shipped",
               metadata={"intent": "order status"}),
        Sample(id="angry", input="Get me a supervisor about order 13", target="supervisor",
               metadata={"category": "must_escalate", "intent": "complaint"}),
    ]

    @tool(name=handover)
    def handover_tool():
        async def execute(summary: str):
            """Hand the conversation to a human.

            Args:
                summary: What the customer needs.
            """
            return "transferred"
        return execute

    solvers = [use_tools(lookup_order(), handover_tool()), generate()] if tools \
        else [generate()]
    model = get_model("mockllm/model", custom_outputs=_agent(handover) if tools else
                      [_plain() for _ in range(3 * EPOCHS)])
    task = Task(dataset=dataset, solver=solvers, scorer=includes() if scorer else None,
                epochs=EPOCHS, name="support_desk")
    log = inspect_eval(task, model=model, log_dir=str(folder), display="none")[0]
    assert log.status == "success", log.error
    return Path(log.location)


def _plain() -> ModelOutput:
    out = ModelOutput.from_content("mockllm/model", "It has shipped.")
    out.usage = _usage()
    return out


def _tool_calls(sample, name=None) -> int:
    return sum(1 for m in sample.messages if m.role == "assistant"
               for c in m.tool_calls or [] if name is None or c.function == name)


@pytest.fixture(scope="module")
def mock_log(tmp_path_factory) -> Path:
    return _write_log(tmp_path_factory.mktemp("inspect-logs"))


@pytest.fixture(scope="module")
def imported(mock_log, tmp_path_factory):
    with imported_bench(tmp_path_factory.mktemp("inspect-bench"), "inspect", str(mock_log)) as got:
        yield got


def test_figures_equal_the_samples(mock_log, imported):
    bench, _ = imported
    samples = read_eval_log(str(mock_log)).samples
    assert len(samples) == 3 * EPOCHS
    correct = sum(s.scores["includes"].value == "C" for s in samples)
    assert 0 < correct < len(samples)  # both outcomes planted
    row = bench.sql("SELECT count(*) AS n, avg(score) AS mean, "
                    "sum(resolved::INT)::INT AS resolved FROM scores").row(0, named=True)
    assert row["n"] == len(samples)
    assert row["resolved"] == correct
    assert row["mean"] == pytest.approx(100 * correct / len(samples))
    runs = bench.sql("SELECT run_index, complete FROM runs ORDER BY run_index")
    assert runs["run_index"].to_list() == list(range(1, EPOCHS + 1))
    assert all(runs["complete"])
    # the agent's calls, one row each
    calls = bench.sql("SELECT count(*) AS n FROM tool_calls WHERE caller = 'agent'")["n"][0]
    assert calls == sum(_tool_calls(s) for s in samples) > 0


def test_transfers_and_categories(mock_log, imported):
    bench, _ = imported
    samples = read_eval_log(str(mock_log)).samples
    transfers = sum(_tool_calls(s, "transfer_to_human") > 0 for s in samples)
    assert transfers == EPOCHS
    got = bench.sql("""SELECT count(DISTINCT (run_id, case_id)) AS n FROM tool_calls
                       JOIN tools USING (tool) WHERE kind = 'handover' AND ok""")["n"][0]
    assert got == transfers
    cats = dict(bench.sql("SELECT case_id, category FROM cases").iter_rows())
    assert cats == {"support_desk:on-time": "solvable", "support_desk:late": "solvable",
                    "support_desk:angry": "must_escalate"}


def test_pass_hat_k_and_reasoning(mock_log, imported):
    bench, _ = imported
    samples = read_eval_log(str(mock_log)).samples
    outcomes: dict[str, list[bool]] = defaultdict(list)
    for s in samples:
        outcomes[str(s.id)].append(s.scores["includes"].value == "C")
    for k in range(1, EPOCHS + 1):
        expected = sum(comb(sum(o), k) / comb(len(o), k) for o in outcomes.values()) / 3
        got = _pass_hat_k(bench, k)
        assert got == pytest.approx(expected)
    reasoned = sum(1 for s in samples for m in s.messages if m.role == "assistant"
                   and any(getattr(p, "type", None) == "reasoning" for p in m.content
                           if not isinstance(m.content, str)))
    kept = bench.sql("SELECT count(*) AS n FROM messages WHERE reasoning IS NOT NULL")["n"][0]
    assert reasoned > 0 and kept == reasoned


def _pass_hat_k(bench, k: int) -> float:
    rows = bench.sql("SELECT case_id, list(resolved) AS r FROM scores GROUP BY case_id")
    return sum(comb(sum(r), k) / comb(len(r), k) for r in rows["r"]) / rows.height


def test_handover_tool_option(tmp_path):
    log = _write_log(tmp_path / "logs", handover="page_supervisor")
    default = importers.load([log])
    kinds = dict(zip(default.tables["tools"]["tool"].to_pylist(),
                     default.tables["tools"]["kind"].to_pylist()))
    assert kinds["page_supervisor"] == "write"  # the default pattern does not know it
    named = importers.load([log], handover_tool="page_supervisor")
    kinds = dict(zip(named.tables["tools"]["tool"].to_pylist(),
                     named.tables["tools"]["kind"].to_pylist()))
    assert kinds["page_supervisor"] == "handover" and kinds["lookup_order"] == "write"


def test_agent_side_read_from_the_store(tmp_path):
    """inspect_evals' tau2 layout: the agent's conversation in the store, the user
    simulator's in messages."""

    @solver
    def keep_agent_side_in_store():
        async def solve(state, generate):
            state.store.set("Tau2Agent:messages", [m.model_dump() for m in state.messages])
            state.messages = [ChatMessageUser(content="(simulator prompt)"),
                              ChatMessageAssistant(content="I need my order status.")]
            return state
        return solve

    model = get_model("mockllm/model", custom_outputs=_agent("transfer_to_human"))
    task = Task(dataset=[Sample(id="s", input="Where is my order 42", target="I")],
                solver=[use_tools(lookup_order()), generate(), keep_agent_side_in_store()],
                scorer=includes(), name="tau2_like")
    log = inspect_eval(task, model=model, log_dir=str(tmp_path), display="none")[0]
    sample = read_eval_log(log.location).samples[0]
    stored = sample.store["Tau2Agent:messages"]
    calls = sum(len(m.get("tool_calls") or []) for m in stored if m["role"] == "assistant")
    assert calls > 0 and _tool_calls(sample) == 0
    imported = importers.load([log.location])
    assert imported.tables["tool_calls"].num_rows == calls
    texts = imported.tables["messages"]["content"].to_pylist()
    assert "Where is my order 42" in texts and "(simulator prompt)" not in texts


@pytest.mark.skipif(not DOCENT.is_file(), reason=f"{DOCENT} is absent")
def test_real_docent_log(tmp_path):
    samples = read_eval_log(str(DOCENT)).samples
    out = tmp_path / "docent"
    importers.import_files([DOCENT], out)
    with sabkit.open(out) as bench:
        row = bench.sql("SELECT count(*) AS n, sum(resolved::INT)::INT AS c FROM scores"
                        ).row(0, named=True)
        calls = bench.sql("SELECT count(*) AS n FROM tool_calls")["n"][0]
    assert row["n"] == len(samples) == 15
    assert row["c"] == sum(s.scores["includes"].value == "C" for s in samples) == 9
    assert calls == sum(_tool_calls(s) for s in samples) == 121


# --- bad input: one line each, nothing written ---------------------------------------

def _refused(args, out: Path) -> str:
    result = cli("import", *args, "--out", str(out))
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def test_log_without_tool_calls_is_refused(tmp_path):
    log = _write_log(tmp_path / "logs", tools=False)
    line = _refused([str(log)], tmp_path / "out")
    assert "no sample makes a tool call" in line
    assert not (tmp_path / "out").exists()


def test_log_without_scorer_is_refused(tmp_path):
    log = _write_log(tmp_path / "logs", scorer=False)
    line = _refused([str(log)], tmp_path / "out")
    assert "no scores" in line and str(log) in line


def test_corrupt_log_is_refused_and_out_kept(tmp_path, mock_log):
    good = tmp_path / "good"
    importers.import_files([mock_log], good)
    before = {p.name: p.read_bytes() for p in good.iterdir()}
    corrupt = tmp_path / "broken.eval"
    corrupt.write_bytes(mock_log.read_bytes()[: mock_log.stat().st_size // 2])
    line = _refused(["inspect", str(corrupt)], good)
    assert "not a readable Inspect log" in line
    assert {p.name: p.read_bytes() for p in good.iterdir()} == before


def test_missing_inspect_says_how_to_install(monkeypatch, mock_log):
    monkeypatch.setitem(sys.modules, "inspect_ai.log", None)  # import fails
    with pytest.raises(SabkitError, match=r"pip install 'sabkit\[inspect\]'"):
        importers.load([mock_log])
