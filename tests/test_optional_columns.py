"""Optional contract columns (tool_calls.caller, scores.termination, cases.persona): absent,
the views hold their defaults; written, they are checked like any other column."""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import sabkit
from builders import tiny
from sabkit.contract import TABLES
from sabkit.errors import ContractError


def test_absent_optional_columns_read_as_their_defaults(tmp_path):
    path = tiny.write(tmp_path / "bench")
    calls = pq.read_table(path / "tool_calls.parquet")
    assert "caller" not in calls.column_names  # written as before the column existed
    with sabkit.open(path) as bench:
        assert bench.sql("SELECT count(*) AS n FROM tool_calls WHERE caller = 'agent'"
                         )["n"][0] == calls.num_rows
        assert bench.sql("SELECT count(termination) AS n FROM scores")["n"][0] == 0
        assert bench.sql("SELECT count(persona) AS n FROM cases")["n"][0] == 0


def _with_caller(path, values) -> None:
    calls = pq.read_table(path / "tool_calls.parquet")
    pq.write_table(calls.append_column("caller", pa.array(values, pa.string())),
                   path / "tool_calls.parquet")


@pytest.mark.parametrize("bad, problem", [
    ("robot", "row(s) with 'caller' outside its set: 'robot'"),
    (None, "null value(s) in 'caller'"),
])
def test_written_optional_columns_are_checked(tmp_path, bad, problem):
    path = tiny.write(tmp_path / "bench")
    n = pq.read_table(path / "tool_calls.parquet").num_rows
    _with_caller(path, ["agent"] * (n - 1) + [bad])
    with pytest.raises(ContractError, match=re.escape(problem)):
        sabkit.open(path)


def test_customer_calls_leave_the_agents_figures_alone(tmp_path):
    """Marking calls as the customer's takes them out of every per-conversation count."""
    from sabkit.metrics import conversations

    path = tiny.write(tmp_path / "bench")
    n = pq.read_table(path / "tool_calls.parquet").num_rows
    with sabkit.open(path) as bench:
        before = conversations.query(bench, "SELECT sum(tool_calls) AS n FROM {conv}")["n"][0]
    assert before == n
    _with_caller(path, ["customer"] * n)
    with sabkit.open(path) as bench:
        after = conversations.query(bench, "SELECT sum(tool_calls) AS n, "
                                           "count(*) FILTER (WHERE escalated) AS e FROM {conv}"
                                    ).row(0, named=True)
    assert after == {"n": 0, "e": 0}
    assert {c.name for c in TABLES["tool_calls"].columns if c.optional} == {"caller"}
