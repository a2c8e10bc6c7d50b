"""The contract's checks: the files first, then the open views.

``files`` reads every page of every file not seen before (a footer can be intact over
corrupt pages, and DuckDB finds a bad UTF-8 string only when it decodes it), so a file that
is not what it claims is named here, before any view reads it. ``check`` then makes one scan
(or a footer read) per table, plus the rules across tables; a problem names the table, what
is wrong and how to fix it. ``sabkit.io.benchmark`` runs them on open and remembers, per set
of files, that they passed.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from sabkit.contract import COVERED, SHARED_KEYS, TABLES, Column, Table
from sabkit.errors import Problem
from sabkit.io import cache
from sabkit.io.layout import is_url
from sabkit.io.sql import fill, ident, read_parquet, string

_PARTITION = re.compile(r"^([^=/]+)=([^/]*)$")

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



# --- the files ---------------------------------------------------------------------------

def files(bench) -> list[Problem]:
    """Every local file read whole once: a zero-byte, truncated or non-Parquet file, corrupt
    pages, a string that is not UTF-8, or a row whose own partition column contradicts its
    folder (``model=X/`` holding model Y: the folder wins silently when DuckDB reads it).
    A table's files are read in one query, which DuckDB spreads over its threads; only when
    that fails is each file read alone, to name the bad ones. A file that passed is
    remembered by its identity (sabkit.io.cache) and not read again until it changes, so a
    re-run of `sabkit validate` costs a stat per file."""
    problems = []
    source = Path(__file__).read_bytes()  # a changed check reads every file again
    for table in TABLES:
        folder = None if is_url(bench.path) or not bench.hive[table] else bench.path / table
        keys = {path: cache.digest("readable", source, cache.file_key([path]))
                for path in bench.local_files(table)}
        unread = [path for path, key in keys.items() if not cache.has("readable", key)]
        if not unread:
            continue
        if _unreadable(bench, unread) is None:
            bad = {}
        else:
            bad = {path: why for path in unread if (why := _unreadable(bench, [path]))}
        for path in unread:
            found = (Problem(table, f"{path} is not a readable Parquet file ({bad[path]})",
                             "write the file again from its source, or remove it")
                     if path in bad else _misplaced(bench, table, path, folder))
            if found:
                problems.append(found)
            else:
                cache.mark("readable", keys[path])
    return problems


def _unreadable(bench, paths: list[str]) -> str | None:
    """Why the files cannot be read whole, or None when every page of every column decoded.
    Each value goes through an aggregate that needs it (the footers' statistics cannot
    answer it): the length of a string, which DuckDB knows only once the string is
    decompressed and proven UTF-8, and the hash of anything else."""
    try:
        source = bench.con.sql("SELECT * FROM read_parquet($p, hive_partitioning = false, "
                               "union_by_name = true)", params={"p": paths})
        touch = [(f"max(strlen({ident(name)}))" if str(kind) == "VARCHAR"
                  else f"max(hash({ident(name)}))")
                 for name, kind in zip(source.columns, source.types)]
        bench.con.sql(f"SELECT {', '.join(touch)} FROM read_parquet($p, hive_partitioning = "
                      "false, union_by_name = true)", params={"p": paths}).fetchall()
    except duckdb.Error as exc:
        return reason(exc)
    return None


def _misplaced(bench, table: str, path: str, folder: Path | None) -> Problem | None:
    """Rows of a readable file whose own partition column names another folder than the
    one the file lies in."""
    partition = _partition_keys(path, folder)
    if not partition:
        return None
    names = [r[0] for r in bench.con.sql(
        "SELECT name FROM parquet_schema($p) WHERE num_children IS NULL OR "
        "num_children = 0", params={"p": path}).fetchall()]
    for part, value in partition.items():
        if part not in names:
            continue
        # the file's own column: DuckDB would otherwise read the folder's value in its place
        n = bench.con.sql(f"SELECT count(*) FROM read_parquet($p, hive_partitioning = false) "
                          f"WHERE {ident(part)}::VARCHAR IS DISTINCT FROM $v",
                          params={"p": path, "v": value}).fetchall()[0][0]
        if n:
            return Problem(table, f"{n} row(s) of {path} have a '{part}' other than "
                           f"'{value}', the folder it lies in",
                           f"move the file to the folder of its '{part}', or fix the column")
    return None


def reason(exc: Exception) -> str:
    """DuckDB's message, its first line without the error class."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    text = re.sub(r"^[A-Za-z ]*Error: ", "", text)
    return text if len(text) <= 200 else text[:199] + "…"


def _partition_keys(path: str, folder: Path | None) -> dict[str, str]:
    """The ``key=value`` folders between a table's folder and one of its files."""
    if folder is None:
        return {}
    parts = Path(path).parent.relative_to(folder).parts
    return dict(m.groups() for m in map(_PARTITION.match, parts) if m)


# --- the views ---------------------------------------------------------------------------

def check(bench) -> list[Problem]:
    """Every contract check over the open views; an empty list means the data is good."""
    problems: list[Problem] = []
    typed_ok: set[str] = set()
    for table in TABLES.values():
        found = _check_columns(bench, table)
        problems += found
        if not found:
            typed_ok.add(table.name)
    shared = {t for rule in SHARED_KEYS for t in rule.tables}
    for table in TABLES.values():
        if table.name in typed_ok:
            problems += _check_values(bench, table)
            if table.name not in shared:  # checked with the tables sharing its key
                problems += check_key(bench, table)
            problems += [p for cols in table.unique for p in check_key(bench, table, cols)]
            problems += [p for ref in table.references if ref.table in typed_ok
                         for p in _check_reference(bench, table, ref)]
    folded = []
    for rule in SHARED_KEYS:
        if set(rule.tables) <= typed_ok:
            along = [c for c in COVERED if c.by in rule.tables and c.table in typed_ok
                     and c.key == rule.key[:-1]]
            problems += check_shared_key(bench, rule, along)
            folded += along
    for rule in COVERED:
        if rule not in folded and {rule.table, rule.by} <= typed_ok:
            problems += _check_covered(bench, rule)
    if {"runs", "messages", "tool_calls", "scores"} <= typed_ok:
        problems += _check_partitions(bench)
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


def surely_unique(bench, table: Table, key: tuple[str, ...] | None = None) -> bool:
    """A fast proof that no key repeats; False means "not proven" (the exact check decides).

    Grouping ten million (run_id, case_id, seq) string keys costs ~7x a scan of them
    (bench/RESULTS.md). Instead, group by a hash of the key's leading columns (one group per
    conversation) and, when the last key column is a small integer (seq), check that its
    values are distinct in the group by OR-ing them into a 127-bit set: a group holds no
    repeat exactly when its row count equals the number of bits set. A hash collision merges
    two groups, which can only add a mismatch, never hide one; nulls and values outside
    0..126 give a mismatch too. Without such a column, a hash of the whole key is grouped.
    """
    key = key or table.key
    cols = [ident(k) for k in key]
    if len(cols) > 1 and table.column(key[-1]).type == "INTEGER":  # checked by now
        query = (f"SELECT count(*) FROM ({_seq_sets(table.name, key)}) "
                 "WHERE b IS NULL OR n <> bit_count(b)")
    else:
        query = (f"SELECT count(*) FROM (SELECT hash({', '.join(cols)}) AS h FROM {table.name} "
                 "GROUP BY h HAVING count(*) > 1)")
    return bench.con.sql(query).fetchall()[0][0] == 0


def _seq_sets(source: str, key: tuple[str, ...], counts: str = "") -> str:
    """Per group of the key's leading columns (hashed: ``h``) of the rows of ``source`` (a
    table, or a subquery holding the key's columns), its row count ``n`` and the set ``b``
    of its last column's values as bits (null when one lies outside 0..126), plus any
    further aggregates ``counts``."""
    last = ident(key[-1])
    bit = f"CASE WHEN {last} BETWEEN 0 AND 126 THEN 1::HUGEINT << {last}::HUGEINT END"
    return (f"SELECT hash({', '.join(ident(k) for k in key[:-1])}) AS h, count(*) AS n, "
            f"bit_or({bit}) AS b{counts} FROM {source} GROUP BY h")


def check_key(bench, table: Table, key: tuple[str, ...] | None = None) -> list[Problem]:
    key = key or table.key
    if surely_unique(bench, table, key):
        return []
    cols = ", ".join(ident(k) for k in key)
    dup = bench.con.sql(f"SELECT {cols}, count(*) AS n FROM {table.name} GROUP BY ALL "
                        "HAVING count(*) > 1 ORDER BY n DESC LIMIT 3").fetchall()
    if not dup:
        return []
    total = bench.con.sql(f"SELECT count(*) FROM (SELECT {cols} FROM {table.name} "
                          "GROUP BY ALL HAVING count(*) > 1)").fetchall()[0][0]
    examples = "; ".join("(" + ", ".join(str(v) for v in row[:-1]) + f") x{row[-1]}"
                         for row in dup)
    return [Problem(table.name, f"duplicate key ({', '.join(key)}): {total} key(s) "
                    f"repeat, e.g. {examples}", "each key must appear once")]


def check_shared_key(bench, rule, covered=()) -> list[Problem]:
    """A key unique across tables, and the ``covered`` rules over its leading columns, in
    one grouping of the tables' rows together: a group (a conversation) whose bit set has
    fewer bits than rows holds a repeat, within a table or across two (``surely_unique``
    proves one table's key the same way); and every key of a covered table must find a
    group holding rows of the table covering it. Only a mismatch runs the exact checks
    that say where. A hash collision can only add a repeat; for the covered rules it
    could hide a missing conversation behind another's hash (a chance of about one in ten
    million at K = 100), the price of not grouping the strings themselves."""
    cols = ", ".join(ident(k) for k in rule.key)
    rows = " UNION ALL ".join(f"SELECT {cols}, {i} AS t FROM {table}"
                              for i, table in enumerate(rule.tables))
    by = sorted({rule.tables.index(c.by) for c in covered})  # whose rows a group counts
    counts = "".join(f", count(*) FILTER (WHERE t = {i}) AS n{i}" for i in by)
    lead = ", ".join(f"s.{ident(k)}" for k in rule.key[:-1])
    probes = ["(SELECT count(*) FROM g WHERE b IS NULL OR n <> bit_count(b))"]
    probes += [f"(SELECT count(*) FROM {c.table} s ANTI JOIN g ON hash({lead}) = g.h "
               f"AND g.n{rule.tables.index(c.by)} > 0)" for c in covered]
    repeats, *uncovered = bench.con.sql(
        f"WITH g AS MATERIALIZED ({_seq_sets(f'({rows})', rule.key, counts)}) "
        f"SELECT {', '.join(probes)}").fetchall()[0]
    problems = []
    if repeats:
        problems += [p for t in rule.tables for p in check_key(bench, TABLES[t])]
        problems += [p for i, a in enumerate(rule.tables) for b in rule.tables[i + 1:]
                     for p in _shared_rows(bench, rule, a, b)]
    problems += [p for c, n in zip(covered, uncovered) if n for p in _check_covered(bench, c)]
    return problems


def _shared_rows(bench, rule, a: str, b: str) -> list[Problem]:
    cols = ", ".join(ident(k) for k in rule.key)
    both = f"(SELECT {cols} FROM {a} INTERSECT SELECT {cols} FROM {b})"
    n = bench.con.sql(f"SELECT count(*) FROM {both}").fetchall()[0][0]
    if not n:
        return []
    rows = bench.con.sql(f"SELECT * FROM {both} ORDER BY ALL LIMIT 3").fetchall()
    examples = "; ".join("(" + ", ".join(str(v) for v in r) + ")" for r in rows)
    return [Problem(a, f"{n} ({', '.join(rule.key)}) key(s) used both in {a} and in {b}, "
                    f"e.g. {examples}",
                    f"number each conversation's {a} and {b} in one sequence: {rule.why}")]


_UNCOVERED = """
SELECT r.model, count(*) AS n,
       (SELECT count(*) FROM {table} t JOIN runs q USING (run_id) WHERE q.model = r.model) AS of
FROM {table} t JOIN runs r USING (run_id)
WHERE NOT EXISTS (SELECT 1 FROM {by} b WHERE {on})
GROUP BY r.model ORDER BY n DESC, r.model
"""


def _check_covered(bench, rule) -> list[Problem]:
    """Keys of ``rule.table`` without a row in ``rule.by``, counted by model (a model whose
    every conversation lost its messages is the case this catches)."""
    on = " AND ".join(f"b.{ident(k)} = t.{ident(k)}" for k in rule.key)
    rows = bench.con.sql(fill(_UNCOVERED, table=rule.table, by=rule.by, on=on)).fetchall()
    if not rows:
        return []
    total = sum(n for _, n, _ in rows)
    models = "; ".join(f"{m}: {n} of {of}" for m, n, of in rows[:3])
    return [Problem(rule.table, f"{total} row(s) have no {rule.by} (by model: {models})",
                    f"write their {rule.by}, or drop those {rule.table} rows: {rule.why}")]


_MISFILED = """
SELECT t.filename, count(*) AS n, any_value(t.{key}), any_value(r.{key})
FROM {files} t JOIN runs r USING (run_id)
WHERE t.{key} IS DISTINCT FROM r.{key}::VARCHAR
GROUP BY t.filename ORDER BY n DESC, t.filename LIMIT 3
"""


def _check_partitions(bench) -> list[Problem]:
    """In a folder partitioned by a key the runs carry (``messages/model=X/``), each
    conversation's run must have that key: a misfiled file would be read with the wrong
    model by a query that prunes folders, and left out of the per-partition cache."""
    problems = []
    runs_cols = {r[0] for r in bench.con.sql("DESCRIBE runs").fetchall()}
    for table in ("messages", "tool_calls", "scores"):
        if not bench.hive.get(table) or is_url(bench.path):
            continue
        keys = {k for f in bench.local_files(table)
                for k in _partition_keys(f, bench.path / table)} & runs_cols
        for key in sorted(keys):
            files = read_parquet(bench.files[table], True, filename=True)
            rows = bench.con.sql(fill(_MISFILED, key=ident(key), files=files)).fetchall()
            for path, n, here, there in rows:
                problems.append(Problem(
                    table, f"{n} row(s) of {path} lie under {key}={here} but belong to "
                    f"runs of {key} '{there}'", f"move the file under {key}={there}"))
    return problems


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
