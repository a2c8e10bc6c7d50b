"""The fast key check (one group per conversation, seq values OR-ed into a bit set) finds
exactly what the plain GROUP BY finds: a repeated (run_id, case_id, seq), a repeat hidden
among large or null seq values, and no false alarm when seq runs past the bit set."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

import sabkit
from sabkit import bench
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
    with bench.open(path, validate=False) as b:
        return [str(p) for name in ("messages", "tool_calls", "scores")
                for p in bench._check_key(b, TABLES[name])]


def test_sample_keys_are_proven_unique_by_the_fast_path():
    with bench.open(SAMPLE, validate=False) as b:
        assert all(bench._surely_unique(b, TABLES[t]) for t in TABLES)


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
