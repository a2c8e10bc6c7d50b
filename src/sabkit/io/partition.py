"""Rewrite a benchmark in a hive layout partitioned by model.

One file per table is right for the sample; a benchmark team whose tables grow to
hundreds of millions of messages wants one folder per model
(``messages/model=gemma-4-31b/data_0.parquet``), so that adding a model writes new files
instead of rewriting old ones, and a query for one model reads only that model's files
(DuckDB prunes hive partitions from the ``WHERE model = ...`` filter). ``sabkit.open``
reads either layout. The per-conversation tables gain a ``model`` column from the path:
extra columns are allowed by the contract.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from sabkit.contract import TABLES
from sabkit.errors import SabkitError
from sabkit.io.layout import parquet_source
from sabkit.io.sql import string

# Tables that grow with models x runs x cases, and how each finds its model.
PARTITIONED = {
    "runs": "SELECT * FROM runs",
    "scores": "SELECT t.*, r.model FROM scores t JOIN runs r USING (run_id)",
    "messages": "SELECT t.*, r.model FROM messages t JOIN runs r USING (run_id)",
    "tool_calls": "SELECT t.*, r.model FROM tool_calls t JOIN runs r USING (run_id)",
}


def partition_by_model(src: str | Path, dst: str | Path) -> Path:
    """Write `src` to `dst` with the run-level tables partitioned by model."""
    src, dst = Path(src), Path(dst)
    if dst.exists() and any(dst.iterdir()):
        raise SabkitError(f"{dst} is not empty; choose a new folder for the partitioned copy")
    dst.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(":memory:")
    for name in TABLES:
        source = parquet_source(src, name)
        if source is None:
            raise SabkitError(f"{src} has no {name} table; run `sabkit validate {src}`")
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM {source}")
    for name in TABLES:
        if name in PARTITIONED:
            con.execute(f"COPY ({PARTITIONED[name]}) TO {string(dst / name)} "
                        "(FORMAT parquet, COMPRESSION zstd, PARTITION_BY (model))")
        else:
            con.execute(f"COPY {name} TO {string(dst / f'{name}.parquet')} "
                        "(FORMAT parquet, COMPRESSION zstd)")
    con.close()
    return dst
