"""The hive layout: a partitioned copy opens, validates, agrees with the original, and a
query for one model reads only that model's files."""

from __future__ import annotations

import re

import pytest

import sabkit
from sabkit.errors import SabkitError
from sabkit.io.partition import partition_by_model


@pytest.fixture(scope="module")
def hive(tmp_path_factory):
    return partition_by_model(sabkit.DEFAULT_DATA, tmp_path_factory.mktemp("hive") / "bench")


def test_partitioned_copy_holds_the_same_data(hive):
    assert (hive / "messages" / "model=gemma-4-31b").is_dir()
    with sabkit.open() as flat, sabkit.open(hive) as part:
        assert part.summary().messages == flat.summary().messages
        query = "SELECT run_id, complete, conversations FROM run_status ORDER BY run_id"
        assert part.sql(query).equals(flat.sql(query))


def test_one_model_query_reads_one_file_per_table(hive):
    with sabkit.open(hive) as b:
        models = len(b.model_names)
        plan = b.con.sql("EXPLAIN ANALYZE SELECT count(*) FROM messages "
                         "WHERE model = 'gemma-4-31b'").fetchall()[0][1]
    assert re.search(rf"Scanning Files: 1/{models}\b", plan), plan
    assert "model=gemma-4-31b" in plan


def test_refuses_to_write_into_a_non_empty_folder(tmp_path):
    (tmp_path / "keep.txt").write_text("x")
    with pytest.raises(SabkitError, match="is not empty"):
        partition_by_model(sabkit.DEFAULT_DATA, tmp_path)
