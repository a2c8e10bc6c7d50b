"""The contract's checks, run over a benchmark's open views.

Each check is one scan (or a footer read) per table; a problem names the table, what is
wrong and how to fix it. ``sabkit.io.benchmark`` runs them on open and remembers, per set
of files, that they passed.
"""

from __future__ import annotations

import duckdb

from sabkit.contract import TABLES, Column, Table
from sabkit.errors import Problem
from sabkit.io.layout import is_url
from sabkit.io.sql import ident, string

# DuckDB types a declared type accepts: Parquet writers differ in integer width and
# timestamp precision, and none of those differences matter to a metric.
_COMPATIBLE = {
    "INTEGER": {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT",
                "UINTEGER"},
    "DOUBLE": {"FLOAT", "DOUBLE", "REAL"},
    "TIMESTAMP": {"TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S",
                  "TIMESTAMP WITH TIME ZONE", "DATE"},
    "VARCHAR": {"VARCHAR"},
    "BOOLEAN": {"BOOLEAN"},
    "VARCHAR[]": {"VARCHAR[]"},
}


def type_ok(declared: str, actual: str) -> bool:
    if declared == "DOUBLE" and actual.startswith("DECIMAL"):
        return True
    return actual in _COMPATIBLE.get(declared, {declared})



def check(bench) -> list[Problem]:
    """Every contract check over the open views; an empty list means the data is good."""
    problems: list[Problem] = []
    typed_ok: set[str] = set()
    for table in TABLES.values():
        found = _check_columns(bench, table)
        problems += found
        if not found:
            typed_ok.add(table.name)
    for table in TABLES.values():
        if table.name in typed_ok:
            problems += _check_values(bench, table)
            problems += check_key(bench, table)
            problems += [p for ref in table.references if ref.table in typed_ok
                         for p in _check_reference(bench, table, ref)]
    return problems


def _check_columns(bench, table: Table) -> list[Problem]:
    actual = {row[0]: row[1] for row in bench.con.sql(f"DESCRIBE {table.name}").fetchall()}
    where = _where(bench, table.name)
    problems = []
    for col in table.columns:
        if col.name not in actual:
            problems.append(Problem(table.name, f"missing column '{col.name}' in {where}",
                                    f"add it as {col.type}: {col.doc}"))
        elif not type_ok(col.type, actual[col.name]):
            problems.append(Problem(table.name, f"column '{col.name}' has type "
                                    f"{actual[col.name]}, expected {col.type} in {where}",
                                    f"cast it to {col.type} when writing the file"))
    return problems


def _where(bench, table: str) -> str:
    if is_url(bench.path):
        return f"{bench.path.rstrip('/')}/{table}"
    single = bench.path / f"{table}.parquet"
    return str(single if single.exists() else bench.path / table)


def null_free(bench, table: Table) -> set[str]:
    """Columns the Parquet footers prove free of nulls: present in every file, with a null
    count of 0 recorded for every row group. Checking these by a scan would read the whole
    message text just for its validity (a third of `sabkit validate` at K = 100); a column
    without statistics, or missing from a file, is left to the scan."""
    pattern = bench.files.get(table.name)
    if pattern is None or table.name not in ("messages", "tool_calls", "scores"):
        return set()  # the small tables scan faster than their footers can be asked
    try:
        files = bench.con.sql("SELECT count(*) FROM glob($p)", params={"p": pattern}
                              ).fetchall()[0][0]
        rows = bench.con.sql(
            "SELECT path_in_schema, count(DISTINCT file_name), "
            "count(*) FILTER (WHERE stats_null_count IS DISTINCT FROM 0) "
            "FROM parquet_metadata($p) GROUP BY path_in_schema", params={"p": pattern}).fetchall()
    except duckdb.Error:
        return set()
    return {col for col, in_files, unproven in rows if in_files == files and not unproven}


def _check_values(bench, table: Table) -> list[Problem]:
    """Nulls, allowed values and ranges for every column, in one scan of the table."""
    checks: list[tuple[str, Column, str]] = []
    proven = null_free(bench, table)
    for col in table.columns:
        q = ident(col.name)
        if not col.nullable and col.name not in proven:
            checks.append(("null", col, f"count(*) FILTER (WHERE {q} IS NULL)"))
        if col.allowed:
            allowed = ", ".join(string(a) for a in col.allowed)
            checks.append(("allowed", col, f"count(*) FILTER (WHERE {q} NOT IN ({allowed}))"))
        if col.min is not None:
            checks.append(("min", col, f"count(*) FILTER (WHERE {q} < {col.min})"))
        if col.max is not None:
            checks.append(("max", col, f"count(*) FILTER (WHERE {q} > {col.max})"))
    if not checks:
        return []
    counts = bench.con.sql(
        f"SELECT {', '.join(expr for _, _, expr in checks)} FROM {table.name}").fetchall()[0]
    problems = []
    for (kind, col, _), n in zip(checks, counts):
        if not n:
            continue
        if kind == "null":
            problems.append(Problem(table.name, f"{n} null value(s) in '{col.name}'",
                                    "the column may not be null"))
        elif kind == "allowed":
            bad = bench.con.sql(
                f"SELECT DISTINCT {ident(col.name)} FROM {table.name} WHERE {ident(col.name)} "
                f"NOT IN ({', '.join(string(a) for a in col.allowed)}) LIMIT 5").fetchall()
            problems.append(Problem(
                table.name, f"{n} row(s) with '{col.name}' outside its set: "
                + ", ".join(repr(b[0]) for b in bad),
                "allowed: " + ", ".join(col.allowed)))
        else:
            bound = col.min if kind == "min" else col.max
            word = "below" if kind == "min" else "above"
            problems.append(Problem(table.name, f"{n} row(s) with '{col.name}' {word} {bound:g}",
                                    f"'{col.name}' must lie in its range"))
    return problems


def surely_unique(bench, table: Table) -> bool:
    """A fast proof that no key repeats; False means "not proven" (the exact check decides).

    Grouping ten million (run_id, case_id, seq) string keys costs ~7x a scan of them
    (bench/RESULTS.md). Instead, group by a hash of the key's leading columns (one group per
    conversation) and, when the last key column is a small integer (seq), check that its
    values are distinct in the group by OR-ing them into a 127-bit set: a group holds no
    repeat exactly when its row count equals the number of bits set. A hash collision merges
    two groups, which can only add a mismatch, never hide one; nulls and values outside
    0..126 give a mismatch too. Without such a column, a hash of the whole key is grouped.
    """
    cols = [ident(k) for k in table.key]
    if len(cols) > 1 and table.column(table.key[-1]).type == "INTEGER":  # checked by now
        last = cols[-1]
        bit = (f"CASE WHEN {last} BETWEEN 0 AND 126 THEN 1::HUGEINT << {last}::HUGEINT END")
        query = (f"SELECT count(*) FROM (SELECT count(*) AS n, bit_count(bit_or({bit})) AS d "
                 f"FROM {table.name} GROUP BY hash({', '.join(cols[:-1])})) "
                 "WHERE d IS NULL OR n <> d")
    else:
        query = (f"SELECT count(*) FROM (SELECT hash({', '.join(cols)}) AS h FROM {table.name} "
                 "GROUP BY h HAVING count(*) > 1)")
    return bench.con.sql(query).fetchall()[0][0] == 0


def check_key(bench, table: Table) -> list[Problem]:
    if surely_unique(bench, table):
        return []
    cols = ", ".join(ident(k) for k in table.key)
    dup = bench.con.sql(f"SELECT {cols}, count(*) AS n FROM {table.name} GROUP BY ALL "
                        "HAVING count(*) > 1 ORDER BY n DESC LIMIT 3").fetchall()
    if not dup:
        return []
    total = bench.con.sql(f"SELECT count(*) FROM (SELECT {cols} FROM {table.name} "
                          "GROUP BY ALL HAVING count(*) > 1)").fetchall()[0][0]
    examples = "; ".join("(" + ", ".join(str(v) for v in row[:-1]) + f") x{row[-1]}"
                         for row in dup)
    return [Problem(table.name, f"duplicate key ({', '.join(table.key)}): {total} key(s) "
                    f"repeat, e.g. {examples}", "each key must appear once")]


def _check_reference(bench, table: Table, ref) -> list[Problem]:
    on = " AND ".join(f"t.{ident(c)} = r.{ident(t)}" for c, t in zip(ref.columns, ref.target))
    cols = ", ".join(f"t.{ident(c)}" for c in ref.columns)
    rows = bench.con.sql(
        f"SELECT {cols}, count(*) FROM {table.name} t ANTI JOIN {ref.table} r ON {on} "
        f"GROUP BY ALL ORDER BY 2 DESC LIMIT 5").fetchall()
    if not rows:
        return []
    names = ", ".join(repr(r[0]) if len(r) == 2 else repr(r[:-1]) for r in rows)
    n = sum(r[-1] for r in rows)
    return [Problem(table.name, f"{n}+ row(s) refer to unknown {ref.table}."
                    f"{'/'.join(ref.target)}: {names}",
                    f"add them to {ref.table} or drop those rows")]
