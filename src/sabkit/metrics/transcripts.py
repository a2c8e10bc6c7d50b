"""Tables made one conversation at a time, computed once per set of files and kept.

Every figure starts from what each conversation holds: its messages (phantom claims, "shall
I?" and "yes" before a write), its tool calls, its score and its run's status. At 100
times the sample, reading those rows is most of the cost of all the figures, and the result
depends on nothing but the files. So a metric module defines such a table as SQL over
``{messages}``, ``{tool_calls}``, ``{scores}`` and ``{runs}`` that never mixes rows of two
conversations (it may join the small ``models``, ``cases`` and ``tools`` views whole), and
``per_transcript`` computes it *per unit of files* and keeps each unit's result in the
cache (sabkit.io.cache), keyed by the SQL and by the files it read:

- a benchmark whose per-conversation tables are partitioned alike (the hive layout of
  ``sabkit partition``: ``messages/model=X/``, ``scores/model=X/`` ...) has one unit per
  partition, so when a model lands only its partition is read;
- any other layout is one unit, read again whenever one of its files changes.

The name is then a view over the units' cached Parquet, which DuckDB scans as fast as a
table in memory. With the cache off, or for a benchmark at a URL, the table is computed
over the whole views into a temp table instead; the figures are the same either way
(tests/test_cache.py).
"""

from __future__ import annotations

import sys
import weakref
from pathlib import Path
from typing import Callable

import duckdb

from sabkit.io import cache
from sabkit.io.sql import fill, placeholders, read_parquet, string

SPLIT = ("messages", "tool_calls", "scores", "runs")  # partitioned with the conversations
WHOLE = ("models", "cases", "tools")  # small tables every unit reads whole
_MADE: dict[str, weakref.WeakSet] = {}  # name -> benchmarks whose connection holds it
# Every metric is about the agent, so ``{tool_calls}`` in a metric's SQL is the agent's
# calls only: a customer acting on their own phone (tau2's dual control) stays in the
# transcript and the quotes, never in escalation, unsafe actions, tool use, phantom
# actions or confirm-before-acting. This is the one place that says so.
AGENT_CALLS = "(SELECT * FROM {tool_calls} WHERE caller = 'agent')"


def units(bench) -> list[dict[str, list[str]]]:
    """The benchmark's units: for each, the files of every SPLIT table. One unit per
    partition folder when all of them are partitioned alike, else one unit of everything;
    empty for a benchmark at a URL (no file to key a cache on)."""
    files = {t: bench.local_files(t) for t in SPLIT}
    if not all(files.values()):
        return []
    groups: dict[str, dict[str, list[str]]] = {t: {} for t in SPLIT}
    for table, paths in files.items():
        folder = Path(bench.path) / table
        for p in paths:
            parent = Path(p).parent
            part = str(parent.relative_to(folder)) if parent.is_relative_to(folder) else "."
            groups[table].setdefault(part, []).append(p)
    parts = set(groups["messages"])
    if "." not in parts and all(set(groups[t]) == parts for t in SPLIT):
        return [{t: groups[t][part] for t in SPLIT} for part in sorted(parts)]
    return [files]


def once(bench, name: str, make: Callable[[], None]) -> str:
    """Call ``make()`` to create ``name`` on this benchmark's connection unless it is there
    already; return the name. Remembered per benchmark: every metric query asks for the
    conversation table, and only the first pays for a look-up in DuckDB's catalog."""
    made = _MADE.setdefault(name, weakref.WeakSet())
    if bench not in made:
        if not _exists(bench, name):
            make()
        made.add(bench)
    return name


def per_transcript(bench, name: str, sql: str, params: dict | None = None) -> str:
    """Make ``name`` (a temp view or table on this benchmark's connection) hold ``sql``'s
    rows for every unit of files, reading only units not cached yet; return the name.
    ``params`` are the SQL's named parameters."""
    return once(bench, name, lambda: _make(bench, name, sql, params))


def _make(bench, name: str, sql: str, params: dict | None) -> None:
    if "tool_calls" in placeholders(sql):
        sql = fill(sql, tool_calls=AGENT_CALLS)
    reads = [t for t in SPLIT if t in placeholders(sql)]
    unit_list = units(bench) if cache.root() is not None else []
    if not unit_list:
        return _uncached(bench, name, sql, reads, params)
    definition = cache.digest(name, sql, sorted((params or {}).items()))
    whole = [f for t in WHOLE for f in bench.local_files(t)]
    keyed = [(unit, cache.digest(definition, cache.file_key(
        [f for t in reads for f in unit[t]] + whole))) for unit in unit_list]
    target = f"{name}.parquet"
    paths = []
    for unit, key in _progress(keyed, name, sum(not cache.has(name, k) for _, k in keyed)):
        unit_sql = fill(sql, **{t: bench.read_files(t, unit[t]) for t in reads})

        def build(folder: Path, unit_sql=unit_sql) -> None:
            bench.con.sql(f"COPY ({unit_sql}) TO {string(folder / target)} (FORMAT parquet)",
                          params=params)

        try:
            folder = cache.entry(name, key, build, holds=(target,))
        except duckdb.IOException:  # the cache's disk is full or gone: compute in memory
            folder = None
        if folder is None:  # the cache folder cannot be written: compute in memory
            return _uncached(bench, name, sql, reads, params)
        paths.append(str(folder / target))
    bench.con.sql(f"CREATE TEMP VIEW {name} AS SELECT * FROM {read_parquet(paths, hive=False)}")


def _uncached(bench, name: str, sql: str, reads: list[str], params: dict | None) -> None:
    """``per_transcript`` without the cache: one temp table over the whole views."""
    bench.con.sql(f"CREATE TEMP TABLE {name} AS {fill(sql, **{t: t for t in reads})}",
                  params=params)


def _exists(bench, name: str) -> bool:
    return bench.con.sql(
        "SELECT count(*) FROM (SELECT view_name FROM duckdb_views() WHERE temporary "
        "UNION ALL SELECT table_name FROM duckdb_tables() WHERE temporary) t(n) WHERE n = $n",
        params={"n": name}).fetchall()[0][0] > 0


def _progress(keyed: list, name: str, to_read: int):
    """The units, with a progress bar on a terminal when many are still to be read."""
    if to_read < 20 or not sys.stderr.isatty():
        return keyed
    from tqdm import tqdm
    return tqdm(keyed, desc=f"reading transcripts ({name}: {to_read} units new)",
                unit="unit", leave=False)
