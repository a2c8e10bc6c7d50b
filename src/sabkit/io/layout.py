"""Where a table's files are: one ``table.parquet``, or a ``table/`` folder of Parquet files
(the hive layout), on local disk or at a URL."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from sabkit.io.sql import read_parquet

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(path: str | Path) -> bool:
    """True for a benchmark in object storage or behind a URL (``s3://bucket/bench``,
    ``gs://...``, ``https://...``, ``file://...``): read through the reader io.remote
    chooses (docs/scaling.md), never with the local file system."""
    return isinstance(path, str) and _URL.match(path) is not None


def parquet_files(root: Path | str, table: str,
                   con: duckdb.DuckDBPyConnection | None = None) -> tuple[str, bool] | None:
    """A table's files as a glob pattern, and whether they form a folder (a hive layout);
    None when the benchmark lacks the table.

    Locally, ``root/table.parquet`` or a folder ``root/table/`` of Parquet files. At a URL,
    the same two layouts, found with DuckDB's glob() (``con`` is the connection whose
    extensions and secrets reach the store)."""
    if is_url(root):
        base = str(root).rstrip("/")
        con = con or duckdb.connect(":memory:")
        for pattern, hive in ((f"{base}/{table}.parquet", False),
                              (f"{base}/{table}/**/*.parquet", True)):
            if con.sql("SELECT count(*) FROM glob($p)", params={"p": pattern}).fetchall()[0][0]:
                return pattern, hive
        return None
    single = root / f"{table}.parquet"
    if single.is_file():
        return str(single), False
    folder = root / table
    if folder.is_dir() and any(folder.rglob("*.parquet")):
        return f"{folder}/**/*.parquet", True
    return None


def two_layouts(root: Path | str, table: str) -> tuple[Path, Path] | None:
    """``table.parquet`` and a ``table/`` folder of Parquet files, when a local benchmark
    has both: reading either would silently drop the other, so neither is chosen."""
    if is_url(root):
        return None
    single, folder = Path(root) / f"{table}.parquet", Path(root) / table
    if single.is_file() and folder.is_dir() and any(folder.rglob("*.parquet")):
        return single, folder
    return None


def parquet_source(root: Path | str, table: str,
                    con: duckdb.DuckDBPyConnection | None = None) -> str | None:
    """The read_parquet() expression for a table, or None when the benchmark lacks it."""
    found = parquet_files(root, table, con)
    return None if found is None else read_parquet(*found)
