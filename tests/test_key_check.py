"""The fast paths of validation find exactly what the plain scans find.

The key check (one group per conversation, seq values OR-ed into a bit set): a repeated
(run_id, case_id, seq), a repeat beyond the bit set, no false alarm on large seq. The null
checks the Parquet footers prove: a null is still found when the footer counts it, when the
file has no statistics, and when a hive file lacks the column."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

import sabkit
from sabkit.io import checks
from sabkit.contract import TABLES
from sabkit.errors import ContractError

SAMPLE = sabkit.DEFAULT_DATA


def rewrite(tmp_path: Path, table: str, select: str) -> Path:
    out = tmp_path / "bench"
    shutil.copytree(SAMPLE, out)
    src = SAMPLE / f"{table}.parquet"
    duckdb.sql(f"COPY ({select.format(t=f'read_parquet({str(src)!r})')}) "
               f"TO '{out / f'{table}.parquet'}' (FORMAT parquet)")
    return out


def key_problems(path: Path) -> list[str]:
    with sabkit.open(path, validate=False) as b:
        return [str(p) for name in ("messages", "tool_calls", "scores")
                for p in checks.check_key(b, TABLES[name])]


def test_sample_keys_are_proven_unique_by_the_fast_path():
    with sabkit.open(SAMPLE, validate=False) as b:
        assert all(checks.surely_unique(b, TABLES[t]) for t in TABLES)


def test_one_repeated_message_is_found(tmp_path):
    bad = rewrite(tmp_path, "messages",
                  "SELECT * FROM {t} UNION ALL (SELECT * FROM {t} WHERE seq = 3 LIMIT 1)")
    [problem] = key_problems(bad)
    assert "duplicate key (run_id, case_id, seq): 1 key(s) repeat" in problem
    with pytest.raises(ContractError):
        sabkit.open(bad)


def test_repeat_beyond_the_bit_set_is_found(tmp_path):
    # seq shifted past 126: the fast path cannot prove anything and the exact check decides
    bad = rewrite(tmp_path, "messages",
                  "SELECT * REPLACE (seq + 200 AS seq) FROM {t} "
                  "UNION ALL (SELECT * REPLACE (seq + 200 AS seq) FROM {t} LIMIT 1)")
    [problem] = key_problems(bad)
    assert "1 key(s) repeat" in problem


def test_large_seq_values_are_no_false_alarm(tmp_path):
    ok = rewrite(tmp_path, "tool_calls", "SELECT * REPLACE (seq * 1000 AS seq) FROM {t}")
    assert key_problems(ok) == []


def test_repeated_score_row_is_found(tmp_path):
    bad = rewrite(tmp_path, "scores",
                  "SELECT * FROM {t} UNION ALL (SELECT * FROM {t} LIMIT 2)")
    [problem] = key_problems(bad)
    assert "duplicate key (run_id, case_id): 2 key(s) repeat" in problem


# --- null checks proven from the Parquet footers -------------------------------------------

def test_footers_prove_the_sample_null_free_so_the_text_is_not_scanned():
    with sabkit.open(SAMPLE, validate=False) as b:
        proven = checks.null_free(b, TABLES["messages"])
    assert {"content", "run_id", "case_id", "seq", "role"} <= proven
    assert "reasoning" not in proven  # it holds nulls: the footers say so


def test_a_null_text_is_found_through_its_footer(tmp_path):
    bad = rewrite(tmp_path, "messages",
                  "SELECT * REPLACE (CASE WHEN seq = 3 THEN NULL ELSE content END AS content) "
                  "FROM {t}")
    with pytest.raises(ContractError) as info:
        sabkit.open(bad)
    assert any("null value(s) in 'content'" in str(p) for p in info.value.problems)


def test_a_null_in_a_file_without_statistics_is_found_by_the_scan(tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "bench"
    shutil.copytree(SAMPLE, out)
    table = duckdb.sql(f"SELECT * REPLACE (CASE WHEN seq = 3 THEN NULL ELSE content END "
                       f"AS content) FROM read_parquet('{SAMPLE / 'messages.parquet'}')").arrow()
    table = table.read_all() if hasattr(table, "read_all") else table
    pq.write_table(table, out / "messages.parquet", write_statistics=False)
    with sabkit.open(out, validate=False) as b:
        assert "content" not in checks.null_free(b, TABLES["messages"])
    with pytest.raises(ContractError) as info:
        sabkit.open(out)
    assert any("null value(s) in 'content'" in str(p) for p in info.value.problems)


def test_a_hive_file_missing_a_column_is_left_to_the_scan(tmp_path):
    out = tmp_path / "bench"
    shutil.copytree(SAMPLE, out)
    (out / "messages.parquet").unlink()
    folder = out / "messages"
    folder.mkdir()
    src = SAMPLE / "messages.parquet"
    duckdb.sql(f"COPY (SELECT * FROM read_parquet('{src}') WHERE seq <> 3) "
               f"TO '{folder / 'a.parquet'}' (FORMAT parquet)")
    duckdb.sql(f"COPY (SELECT * EXCLUDE (content) FROM read_parquet('{src}') WHERE seq = 3) "
               f"TO '{folder / 'b.parquet'}' (FORMAT parquet)")
    with sabkit.open(out, validate=False) as b:
        assert "content" not in checks.null_free(b, TABLES["messages"])
    with pytest.raises(ContractError) as info:
        sabkit.open(out)
    assert any("null value(s) in 'content'" in str(p) for p in info.value.problems)
