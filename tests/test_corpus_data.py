"""Reliability corpus, classes 1-3: files that are not what they claim, ambiguous or
misfiled layouts, and contract holes that would change figures.

Every case must be refused by `validate`, `facts` and `report` alike (they all open the
benchmark through the same checks), exit 1, without a traceback, naming the file (or the
table, column and key) and a fix. Nothing here may pass as "valid".
"""

from __future__ import annotations

import os
import shutil

import duckdb
import pyarrow.parquet as pq
import pytest

from sabkit.io.partition import partition_by_model

from builders.corpus import (
    SAMPLE, copy_sample, one_line_error, rewrite, run, sample_sql,
)


def refused_everywhere(bench, tmp_path, *names: str) -> None:
    """validate, facts and report all refuse ``bench`` with an error naming ``names``."""
    one_line_error(run("validate", bench), *names)
    one_line_error(run("facts", "gemma-4-31b", "--data", bench), *names)
    one_line_error(run("report", "gemma-4-31b", "--data", bench, "--out", tmp_path / "out"),
                   *names)
    assert not (tmp_path / "out" / "gemma-4-31b.html").exists()


# --- class 1: files that are not what they claim ------------------------------------------

def _zero_byte(bench):
    (bench / "scores.parquet").write_bytes(b"")
    return bench / "scores.parquet"


def _truncated(bench):
    path = bench / "messages.parquet"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _csv_named_parquet(bench):
    path = bench / "tool_calls.parquet"
    duckdb.sql(f"COPY (SELECT * FROM read_parquet('{SAMPLE / 'tool_calls.parquet'}')) "
               f"TO '{path}' (FORMAT csv)")
    return path


def _corrupt_pages(bench):
    """Footer intact (the file opens, counts its rows), data pages overwritten."""
    path = bench / "messages.parquet"
    pq.write_table(pq.read_table(SAMPLE / "messages.parquet"), path, compression="snappy")
    data = bytearray(path.read_bytes())
    for i in range(4096, len(data) // 2, 4096):
        data[i:i + 16] = b"\xff" * 16
    path.write_bytes(bytes(data))
    assert duckdb.sql(f"SELECT count(*) FROM '{path}'").fetchall()[0][0] == 92956
    return path


def _not_utf8(bench):
    """One message's text holds bytes that are not UTF-8 (a writer that skipped encoding)."""
    path = bench / "messages.parquet"
    marker = "QQQQ-not-utf8-QQQQ"
    table = duckdb.sql(f"SELECT * REPLACE (CASE WHEN seq = 0 AND case_id = (SELECT min(case_id) "
                       f"FROM '{SAMPLE / 'messages.parquet'}') THEN '{marker}' ELSE content END "
                       f"AS content) FROM '{SAMPLE / 'messages.parquet'}'").arrow().read_all()
    pq.write_table(table, path, compression="none", use_dictionary=False,
                   write_statistics=False)
    data = path.read_bytes()
    assert marker.encode() in data
    path.write_bytes(data.replace(marker.encode(), b"\xff\xfe" + marker.encode()[2:]))
    return path


def _zero_byte_in_folder(bench):
    partitioned = bench.parent / "hive"
    partition_by_model(bench, partitioned)
    path = partitioned / "scores" / "model=glm-4.7" / "data_0.parquet"
    path.write_bytes(b"")
    shutil.rmtree(bench)
    partitioned.rename(bench)
    return bench / "scores" / "model=glm-4.7" / "data_0.parquet"


def _damaged_in_folder(bench, damage):
    """The sample partitioned by model with one model's messages file damaged: a table's
    files are read whole in one query, and the error must still name that one of 25."""
    partitioned = bench.parent / "hive"
    partition_by_model(bench, partitioned)
    shutil.rmtree(bench)
    partitioned.rename(bench)
    path = bench / "messages" / "model=glm-4.7" / "data_0.parquet"
    damage(path)
    return path


def _corrupt_pages_in_folder(bench):
    def damage(path):
        rows = pq.read_metadata(path).num_rows
        pq.write_table(pq.read_table(path), path, compression="snappy")
        data = bytearray(path.read_bytes())
        assert len(data) // 2 > 4096
        for i in range(4096, len(data) // 2, 4096):
            data[i:i + 16] = b"\xff" * 16
        path.write_bytes(bytes(data))
        assert duckdb.sql(f"SELECT count(*) FROM '{path}'").fetchall()[0][0] == rows
    return _damaged_in_folder(bench, damage)


def _not_utf8_in_folder(bench):
    def damage(path):
        marker = "QQQQ-not-utf8-QQQQ"
        table = duckdb.sql(f"SELECT * REPLACE (CASE WHEN seq = 0 AND case_id = (SELECT "
                           f"min(case_id) FROM '{path}') THEN '{marker}' ELSE content END AS "
                           f"content) FROM read_parquet('{path}', hive_partitioning = false)"
                           ).arrow().read_all()
        pq.write_table(table, path, compression="none", use_dictionary=False,
                       write_statistics=False)
        data = path.read_bytes()
        assert marker.encode() in data
        path.write_bytes(data.replace(marker.encode(), b"\xff\xfe" + marker.encode()[2:]))
    return _damaged_in_folder(bench, damage)


@pytest.mark.parametrize("make", [_zero_byte, _truncated, _csv_named_parquet, _corrupt_pages,
                                  _not_utf8, _zero_byte_in_folder, _corrupt_pages_in_folder,
                                  _not_utf8_in_folder],
                         ids=lambda f: f.__name__.strip("_"))
def test_a_file_that_is_not_parquet_is_named(tmp_path, make):
    bench = copy_sample(tmp_path)
    path = make(bench)
    refused_everywhere(bench, tmp_path, str(path), "not a readable Parquet file",
                       "write the file again")


def test_a_file_is_read_whole_once_then_known_by_its_identity(tmp_path):
    """The second validate of unchanged files does not read their pages; a rewritten file
    (new identity) is read again and caught."""
    bench = copy_sample(tmp_path)
    assert run("validate", bench).code == 0
    path = _not_utf8(bench)
    one_line_error(run("validate", bench), str(path), "not valid UTF8")


# --- class 2: ambiguous or misfiled layouts ------------------------------------------------

def test_a_table_both_as_file_and_folder_is_refused(tmp_path):
    bench = copy_sample(tmp_path)
    (bench / "scores" / "model=x").mkdir(parents=True)
    shutil.copy(SAMPLE / "scores.parquet", bench / "scores" / "model=x" / "part.parquet")
    refused_everywhere(bench, tmp_path, str(bench / "scores.parquet"), str(bench / "scores"),
                       "remove or rename one")


def _hive(tmp_path):
    bench = tmp_path / "bench"
    partition_by_model(SAMPLE, bench)
    return bench


def test_a_conversation_file_under_another_models_folder_is_refused(tmp_path):
    bench = _hive(tmp_path)
    src = bench / "messages" / "model=glm-4.7" / "data_0.parquet"
    wrong = bench / "messages" / "model=gpt-5.4" / "moved.parquet"
    os.rename(src, wrong)
    refused_everywhere(bench, tmp_path, str(wrong), "model=gpt-5.4",
                       "move the file under model=glm-4.7")


def test_a_run_file_whose_own_model_column_contradicts_its_folder_is_refused(tmp_path):
    bench = _hive(tmp_path)
    wrong = bench / "runs" / "model=gpt-5.4" / "extra.parquet"
    duckdb.sql(f"COPY (SELECT * FROM '{SAMPLE / 'runs.parquet'}' WHERE model = 'glm-4.7') "
               f"TO '{wrong}' (FORMAT parquet)")
    refused_everywhere(bench, tmp_path, str(wrong), "'model' other than 'gpt-5.4'")


def test_a_clean_hive_copy_has_the_same_figures(tmp_path):
    bench = _hive(tmp_path)
    flat = run("facts", "glm-4.7", "--json")
    hive = run("facts", "glm-4.7", "--json", "--data", bench)
    assert flat.code == hive.code == 0
    assert flat.out.replace(str(SAMPLE), "DATA") == hive.out.replace(str(bench), "DATA")


# --- class 3: contract holes that change figures -------------------------------------------

def test_two_runs_with_one_run_index_are_refused(tmp_path):
    bench = copy_sample(tmp_path)
    rewrite(bench, "runs", "SELECT * REPLACE (CASE WHEN model = 'glm-4.7' THEN 1 ELSE "
                           "run_index END AS run_index) FROM {t}")
    refused_everywhere(bench, tmp_path, "runs: duplicate key (model, run_index)",
                       "(glm-4.7, 1) x3")


def test_a_message_and_a_tool_call_sharing_seq_are_refused(tmp_path):
    bench = copy_sample(tmp_path)
    (run_id, case_id, seq), = sample_sql(
        "SELECT run_id, case_id, min(seq) FROM tool_calls GROUP BY ALL ORDER BY ALL LIMIT 1")
    rewrite(bench, "tool_calls", f"SELECT * REPLACE (CASE WHEN run_id = '{run_id}' AND "
            f"case_id = '{case_id}' AND seq = {seq} THEN {seq - 1} ELSE seq END AS seq) FROM {{t}}")
    refused_everywhere(bench, tmp_path, "used both in messages and in tool_calls",
                       f"({run_id}, {case_id}, {seq - 1})")


def test_a_model_whose_conversations_have_no_message_is_refused(tmp_path):
    bench = copy_sample(tmp_path)
    rewrite(bench, "messages", "SELECT * FROM {t} WHERE run_id NOT IN (SELECT run_id FROM "
            f"'{SAMPLE / 'runs.parquet'}' WHERE model = 'glm-4.7')")
    scored, = sample_sql("SELECT count(*) FROM scores JOIN runs USING (run_id) "
                         "WHERE model = 'glm-4.7'")[0]
    refused_everywhere(bench, tmp_path, f"scores: {scored} row(s) have no messages",
                       f"glm-4.7: {scored} of {scored}")


def test_the_new_rules_are_in_the_published_contract():
    from sabkit import contract

    text = contract.markdown()
    assert "Also unique: (`model`, `run_index`)." in text
    assert "is unique across `messages` and `tool_calls`" in text
    assert "of `scores` has a row in `messages`" in text
