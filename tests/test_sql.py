"""sabkit.io.sql: the one way SQL is composed. The expectations are written out by hand."""

import duckdb
import pytest

from sabkit.io.sql import fill, ident, placeholders, read_parquet, string


def test_fill_replaces_only_the_names_given_and_keeps_other_braces():
    sql = "SELECT {'a': 1} AS s, regexp_matches(x, 'a{2,3}') FROM {conv} JOIN {messages}"
    assert fill(sql, conv="sab_conversations") == (
        "SELECT {'a': 1} AS s, regexp_matches(x, 'a{2,3}') FROM sab_conversations "
        "JOIN {messages}")


def test_fill_does_not_search_the_text_it_put_in():
    # a file path holding "{messages}" must not be filled a second time
    out = fill("FROM {tool_calls} JOIN {messages}",
               tool_calls="read_parquet('/d/{messages}/x.parquet')", messages="m")
    assert out == "FROM read_parquet('/d/{messages}/x.parquet') JOIN m"


def test_fill_refuses_a_name_the_sql_lacks():
    with pytest.raises(KeyError, match=r"\{conv\}"):
        fill("SELECT 1 FROM runs", conv="sab_conversations")


def test_placeholders_are_lower_case_names_in_braces():
    assert placeholders("SELECT {'k': 1} FROM {messages} WHERE x ~ 'a{0,60}' AND {run_status}"
                        ) == {"messages", "run_status"}


def test_quoting_survives_a_quote_in_a_name(tmp_path):
    folder = tmp_path / "it's here"
    folder.mkdir()
    path = folder / "t.parquet"
    con = duckdb.connect()
    column = ident('we"ird')
    con.execute(f"COPY (SELECT 1 AS {column}) TO {string(path)} (FORMAT parquet)")
    assert con.execute(f"SELECT * FROM {read_parquet([str(path)], hive=False)}"
                       ).fetchall() == [(1,)]
    assert con.execute(f"SELECT {string(chr(39) + 'x')}").fetchall() == [("'x",)]
