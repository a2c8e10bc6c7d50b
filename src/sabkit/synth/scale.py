"""K-times larger benchmarks for performance work, by tiling the sample with DuckDB.

Re-simulating 1.2 million conversations in Python would take many minutes; tiling the K=1
tables does the same job in DuckDB's COPY at Parquet speed. Copy 0 keeps the sample's names
(so ``gemma-4-31b`` and every calibrated figure are still there); copy i >= 1 renames every
model to ``<model>~<i>`` and every run to ``<run_id>~<i>``, so the board holds 24 x K models
with the sample's proportions and message lengths. Large tables are written as a folder of
Parquet parts (``messages/part-000.parquet`` ...), which the loader reads as one table, and
each part reports progress.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import duckdb

from sabkit.errors import SabkitError
from sabkit.io.sql import read_parquet, string
from sabkit.synth.generate import SCHEMAS, generate

COPIES_PER_PART = 10
SMALL = ("models", "cases", "tools", "runs")


def _renamed(column: str) -> str:
    return f"CASE WHEN k = 0 THEN {column} ELSE {column} || '~' || k END"


def _select(table: str, src: Path, first: int, last: int) -> str:
    """The K-copy SELECT of one table, for copies first..last-1."""
    cols = []
    for name in SCHEMAS[table].names:
        if (table == "models" and name in ("model", "variant_of")) or \
                (table == "runs" and name in ("run_id", "model")) or \
                (table in ("messages", "tool_calls", "scores") and name == "run_id"):
            cols.append(f"{_renamed(name)} AS {name}")
        else:
            cols.append(name)
    copies = f"range({first}, {last}) AS c(k)" if table not in ("cases", "tools") else \
        "range(0, 1) AS c(k)"
    source = read_parquet(str(src / f"{table}.parquet"), hive=False)
    return f"SELECT {', '.join(cols)} FROM {source} CROSS JOIN {copies}"


def scale(out: Path, k: int, seed: int = 0, progress=print, source: Path | None = None) -> None:
    """Write a benchmark K times the sample into ``out`` (replacing the tables there).

    The sample is generated afresh with ``seed``, or read from ``source`` when given."""
    if k < 1:
        raise SabkitError("the scale factor K must be 1 or more")
    started = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sabkit-synth-") as tmp:
        base = Path(source or tmp)
        if source is None:
            progress(f"generating the K=1 sample (seed {seed}) ...")
            generate(base, seed, progress=None)
        con = duckdb.connect()
        for table in SCHEMAS:
            for stale in (out / f"{table}.parquet", out / table):
                if stale.is_dir():
                    shutil.rmtree(stale)
                elif stale.exists():
                    stale.unlink()
            if table in SMALL:
                con.execute(f"COPY ({_select(table, base, 0, k)}) TO {string(out / f'{table}.parquet')} "
                            "(FORMAT parquet, COMPRESSION zstd)")
                continue
            folder = out / table
            folder.mkdir()
            parts = range(0, k, COPIES_PER_PART)
            for n, first in enumerate(parts):
                last = min(k, first + COPIES_PER_PART)
                con.execute(f"COPY ({_select(table, base, first, last)}) TO "
                            f"{string(folder / f'part-{n:03d}.parquet')} "
                            "(FORMAT parquet, COMPRESSION zstd)")
                progress(f"  {table}: copies {first}-{last - 1} of {k} "
                         f"({time.perf_counter() - started:.0f} s)")
        con.close()
        shutil.copy(base / "planted.json", out / "planted.json")  # copy 0 keeps its run ids
    rows = {t: duckdb.sql("SELECT count(*) FROM read_parquet($files)", params={"files": (
        f"{out}/{t}/*.parquet" if (out / t).is_dir() else f"{out}/{t}.parquet")}).fetchall()[0][0]
            for t in SCHEMAS}
    progress(f"wrote {out} (K={k}) in {time.perf_counter() - started:.0f} s: " +
             ", ".join(f"{v:,} {t}" for t, v in rows.items()))
