"""The loader refuses each kind of broken benchmark with a message that names the problem.

Each test writes a corrupted copy of the shipped sample into tmp_path (DuckDB rewrites one
table) and checks the exact problem the contract check reports, through the library and
through the CLI (one readable line per problem, non-zero exit, no traceback).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

import sabkit
from sabkit import contract
from sabkit.errors import ContractError, UnknownModel

from builders.corpus import copy_sample, rewrite

SAMPLE = sabkit.DEFAULT_DATA
REPO = Path(__file__).resolve().parents[1]


def corrupt(tmp_path: Path, table: str, select: str) -> Path:
    """A copy of the sample whose `table` is replaced by `select` over the original."""
    out = copy_sample(tmp_path)
    rewrite(out, table, select)
    return out


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ContractError) as info:
        sabkit.open(path)
    return [str(p) for p in info.value.problems]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sabkit.cli", *args],
                          capture_output=True, text=True, cwd=REPO)


def test_sample_validates_and_summarises():
    result = run_cli("validate", str(SAMPLE))
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout
    assert "162 (120 solvable, 24 must_escalate, 18 adversarial)" in result.stdout
    assert "1 partial" in result.stdout


def test_missing_table(tmp_path):
    bad = tmp_path / "bench"
    shutil.copytree(SAMPLE, bad)
    (bad / "tools.parquet").unlink()
    assert any("missing table: no tools.parquet" in p for p in problems_of(bad))


def test_missing_column_names_file(tmp_path):
    bad = corrupt(tmp_path, "cases", "SELECT * EXCLUDE (intent) FROM {t}")
    [problem] = problems_of(bad)
    assert "missing column 'intent'" in problem and "cases.parquet" in problem


def test_wrong_type(tmp_path):
    bad = corrupt(tmp_path, "scores", "SELECT * REPLACE (score::VARCHAR AS score) FROM {t}")
    assert any("column 'score' has type VARCHAR, expected DOUBLE" in p
               for p in problems_of(bad))


def test_duplicate_key(tmp_path):
    bad = corrupt(tmp_path, "runs", "SELECT * FROM {t} UNION ALL (SELECT * FROM {t} LIMIT 1)")
    assert any("duplicate key (run_id): 1 key(s) repeat" in p for p in problems_of(bad))


def test_dangling_reference(tmp_path):
    bad = corrupt(tmp_path, "messages",
                  "SELECT * REPLACE (CASE WHEN seq = 0 AND case_id = (SELECT min(case_id) "
                  "FROM {t}) THEN 'no-such-run' ELSE run_id END AS run_id) FROM {t}")
    found = problems_of(bad)
    assert any("refer to unknown runs.run_id: 'no-such-run'" in p for p in found), found


def test_value_outside_set(tmp_path):
    bad = corrupt(tmp_path, "messages",
                  "SELECT * REPLACE (CASE WHEN seq = 0 THEN 'system' ELSE role END AS role) "
                  "FROM {t}")
    assert any("'role' outside its set: 'system'" in p for p in problems_of(bad))


def test_score_outside_range(tmp_path):
    bad = corrupt(tmp_path, "scores",
                  "SELECT * REPLACE (CASE WHEN case_id = (SELECT min(case_id) FROM {t}) "
                  "THEN 140.0 ELSE score END AS score) FROM {t}")
    assert any("with 'score' above 100" in p for p in problems_of(bad))


def test_null_in_required_column(tmp_path):
    bad = corrupt(tmp_path, "models",
                  "SELECT * REPLACE (CASE WHEN model = (SELECT min(model) FROM {t}) "
                  "THEN NULL ELSE provider END AS provider) FROM {t}")
    assert any("1 null value(s) in 'provider'" in p for p in problems_of(bad))


def test_partial_run_is_reported_not_refused(tmp_path):
    """A run missing conversations opens fine and is marked partial in run_status."""
    first_run = duckdb.sql(f"SELECT min(run_id) FROM read_parquet('{SAMPLE}/runs.parquet')"
                           ).fetchall()[0][0]
    bad = corrupt(tmp_path, "scores",
                  f"SELECT * FROM {{t}} WHERE NOT (run_id = '{first_run}' AND case_id IN "
                  "(SELECT DISTINCT case_id FROM {t} ORDER BY case_id LIMIT 5))")
    with sabkit.open(bad) as b:
        status = b.sql(f"SELECT * FROM run_status WHERE run_id = '{first_run}'")
        assert status["complete"].to_list() == [False]
        assert status["conversations"].to_list() == [157]
        assert first_run in b.summary().runs_partial


def test_cli_lists_every_problem_without_traceback(tmp_path):
    bad = corrupt(tmp_path, "scores",
                  "SELECT * EXCLUDE (resolved) REPLACE (score + 200 AS score) FROM {t}")
    result = run_cli("validate", str(bad))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("  - ")]
    assert len(lines) == 1 and "missing column 'resolved'" in lines[0]


def test_cli_missing_folder():
    result = run_cli("validate", "/no/such/folder")
    assert result.returncode == 1 and "no folder at /no/such/folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_model_suggests_nearest():
    with sabkit.open() as b:
        with pytest.raises(UnknownModel) as info:
            b.resolve_model("gema-4-31b")
        assert b.resolve_model("GEMMA-4-31B") == "gemma-4-31b"
    assert str(info.value).startswith("unknown model 'gema-4-31b'; did you mean 'gemma-4-31b'?")


def test_docs_match_the_contract():
    """docs/data-contract.md is generated from sabkit/contract.py and must not drift."""
    assert (REPO / "docs" / "data-contract.md").read_text() == contract.markdown() + "\n"


def test_sql_with_parameters_returns_polars():
    with sabkit.open() as b:
        frame = b.sql("SELECT count(*) AS n FROM runs WHERE model = $model",
                      {"model": "gemini-3.1-pro"})
    assert frame["n"].to_list() == [3]  # two complete runs and the partial third
