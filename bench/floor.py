"""The floor: DuckDB alone reading every column the metrics use, once, with a trivial aggregate.

    python bench/floor.py BENCHMARK_FOLDER

Imports nothing but duckdb (no sabkit, no polars), opens the same Parquet files
``sabkit.open`` would (``TABLE.parquet`` or a hive folder ``TABLE/``), and runs one query per
table that touches every value of every column the metrics read: ``sum(strlen(x))`` for
text (the bytes must be decoded, and ``count(x)`` could be answered from statistics),
``sum`` for numbers, ``count_if`` for booleans, ``sum(len(x))`` for lists. Nothing is
filtered, joined or grouped: no tool that reads these columns can do less. Prints one JSON
line: seconds spent importing duckdb and scanning, and the row count of each table.

The column list is what the SQL in sabkit/metrics/ reads (checked by hand; `turn`,
`arguments`, `result`, `rationale` and `flags` are not read by any metric, the message
text is, by the phantom-action detector and the confirm-before-acting check).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

started = time.perf_counter()
import duckdb  # noqa: E402

imported = time.perf_counter()

# table -> the columns the metrics read (None: every column; the small tables).
COLUMNS: dict[str, list[str] | None] = {
    "models": None,
    "cases": None,
    "tools": None,
    "runs": None,
    "scores": ["run_id", "case_id", "score", "resolved", "instruction_following", "sentiment"],
    "tool_calls": ["run_id", "case_id", "seq", "tool", "ok"],
    "messages": ["run_id", "case_id", "seq", "role", "content", "reasoning"],
}


def source(root: Path, table: str) -> tuple[str, dict]:
    """The read_parquet() expression sabkit.io.sql.read_parquet writes for the table, with
    its file pattern as the bound parameter ``$files`` (this script imports no sabkit)."""
    single = root / f"{table}.parquet"
    if single.is_file():
        return "read_parquet($files)", {"files": str(single)}
    return ("read_parquet($files, hive_partitioning = true, hive_types_autocast = false, "
            "union_by_name = true)", {"files": f"{root / table}/**/*.parquet"})


def touch(name: str, dtype: str) -> str:
    q = f'"{name}"'
    if dtype == "VARCHAR":
        return f"sum(strlen({q}))"
    if dtype == "BOOLEAN":
        return f"count_if({q})"
    if dtype.endswith("[]"):
        return f"sum(len({q}))"
    if dtype.startswith(("TIMESTAMP", "DATE")):
        return f"max({q})"
    return f"sum({q})"


def main(root: Path) -> dict:
    con = duckdb.connect(":memory:")
    rows = {}
    for table, wanted in COLUMNS.items():
        src, files = source(root, table)
        types = dict(con.execute(f"SELECT column_name, column_type FROM "
                                 f"(DESCRIBE SELECT * FROM {src})", files).fetchall())
        cols = [c for c in (wanted or types) if c in types]
        aggs = ", ".join(touch(c, types[c]) for c in cols)
        rows[table] = con.execute(f"SELECT count(*), {aggs} FROM {src}", files).fetchall()[0][0]
    return rows


if __name__ == "__main__":
    rows = main(Path(sys.argv[1]).resolve())
    done = time.perf_counter()
    print(json.dumps({"import_s": imported - started, "scan_s": done - imported, "rows": rows}))
