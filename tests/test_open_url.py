"""A benchmark at a URL opens like a folder: the tables are found with DuckDB's glob(), not
the local file system. Object storage (s3://, gs://) cannot be reached from the test
machine; file:// URLs take the same code path (glob and read_parquet over a URL)."""

from __future__ import annotations

import re

import pytest

import sabkit
from sabkit.io.layout import is_url
from sabkit.errors import ContractError
from sabkit.io.partition import partition_by_model


def test_url_detection():
    assert is_url("s3://bucket/bench") and is_url("gs://b/x") and is_url("https://h/x")
    assert is_url("file:///tmp/x")
    assert not is_url("data/sample") and not is_url("/tmp/x") and not is_url("C:/x")
    assert not is_url(sabkit.DEFAULT_DATA)  # a Path is never a URL


def test_flat_benchmark_at_a_file_url_validates_and_agrees():
    url = sabkit.DEFAULT_DATA.as_uri()
    with sabkit.open(url) as remote, sabkit.open() as local:
        assert remote.path == url
        assert str(remote.summary()).replace(url, "") == str(local.summary()).replace(
            str(local.path), "")
        assert "read_parquet('file://" in remote.con.sql(
            "SELECT sql FROM duckdb_views() WHERE view_name = 'messages'").fetchall()[0][0]


def test_hive_benchmark_at_a_file_url_prunes_by_model(tmp_path):
    hive = partition_by_model(sabkit.DEFAULT_DATA, tmp_path / "hive")
    with sabkit.open(hive.as_uri()) as b:
        n = len(b.model_names)
        plan = b.con.sql("EXPLAIN ANALYZE SELECT count(*) FROM messages "
                         "WHERE model = 'gemma-4-31b'").fetchall()[0][1]
    assert re.search(rf"Scanning Files: 1/{n}\b", plan), plan


def test_missing_table_at_a_url_is_named(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(ContractError) as info:
        sabkit.open((tmp_path / "empty").as_uri())
    assert any("missing table: no models.parquet" in str(p) for p in info.value.problems)
