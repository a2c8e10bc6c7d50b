"""The reliability corpus (issue 13): hostile or unusual benchmarks built from the sample.

Each case is made in a temporary folder from the shipped sample (never a corrupt copy
committed to the repository): a table rewritten by DuckDB, a file truncated or overwritten,
a folder added. ``run`` calls the CLI in this process, the way a user runs it, and returns
its exit status and what it printed: a test then asserts the status, that no traceback got
out (an unexpected exception fails the test by itself) and that the message names the file,
column or row and a fix.
"""

from __future__ import annotations

import contextlib
import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

import sabkit
from sabkit.cli.main import main

SAMPLE = sabkit.DEFAULT_DATA


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def run(*argv: str) -> Run:
    """``sabkit ARGV...`` in this process: its exit status, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exc:  # argparse's usage errors
            code = exc.code if isinstance(exc.code, int) else 1
    result = Run(code, out.getvalue(), err.getvalue())
    assert "Traceback" not in result.text, result.text
    return result


def copy_sample(tmp_path: Path, name: str = "bench") -> Path:
    out = tmp_path / name
    shutil.copytree(SAMPLE, out)
    return out


def rewrite(bench: Path, table: str, select: str) -> Path:
    """Replace ``bench/table.parquet`` by ``select`` over the sample's table ({t})."""
    src = SAMPLE / f"{table}.parquet"
    target = bench / f"{table}.parquet"
    duckdb.sql(f"COPY ({select.format(t=f'read_parquet({str(src)!r})')}) "
               f"TO '{target}' (FORMAT parquet)")
    return target


def sample_sql(query: str) -> list[tuple]:
    """A query over the sample's tables (named as views), for truth counted independently."""
    con = duckdb.connect()
    for path in SAMPLE.glob("*.parquet"):
        con.execute(f"CREATE VIEW {path.stem} AS SELECT * FROM read_parquet('{path}')")
    return con.sql(query).fetchall()


def one_line_error(result: Run, *names: str) -> None:
    """A refusal: exit 1, and an error naming every one of ``names`` (file, column, row)."""
    assert result.code == 1, result.text
    for name in names:
        assert name in result.err, (name, result.err)


def tau_bench_record(task_id, trial, reward: float, **extra) -> dict:
    """One tau-bench record (a cancelled reservation), its fields overridden by ``extra``;
    ``task_id`` and ``trial`` as given, however wrong."""
    record = {
        "task_id": task_id, "trial": trial, "reward": reward,
        "info": {"task": {"user_id": "u", "actions": [{"name": "cancel_reservation",
                                                       "kwargs": {}}],
                          "instruction": "cancel it", "outputs": []}},
        "traj": [
            {"role": "system", "content": "# Airline Agent Policy\n..."},
            {"role": "user", "content": "Cancel my trip."},
            {"role": "assistant", "content": None, "tool_calls": [{
                "id": "c1", "type": "function",
                "function": {"name": "cancel_reservation", "arguments": "{}"}}]},
            {"role": "tool", "tool_call_id": "c1", "name": "cancel_reservation",
             "content": "{\"status\": \"cancelled\"}"},
            {"role": "assistant", "content": "Done."},
        ]}
    record.update(extra)
    return record
