"""The transcripts read once: one pass over the messages, every per-conversation table from it.

Every figure starts from what each conversation holds: its messages (phantom claims, "shall
I?" and "yes" before a write, reasoning present), its tool calls, its score and its run's
status. At 100 times the sample, reading the message text is most of the cost of all the
figures, and the result depends on nothing but the files. So:

- **One pass over ``messages``.** A metric module *declares* (``declare``) the table it
  needs as SQL over ``{features}`` (one row per message: ``run_id``, ``case_id``, ``seq``,
  ``role``, ``first_write``, the seq of the conversation's first successful write call,
  and the feature columns metrics declare, such as "holds a claim pattern") and over
  ``{tool_calls}``, ``{scores}`` and ``{runs}``, never mixing two conversations (it may join
  the small ``models``, ``cases`` and ``tools`` views whole). The message text is read
  once, by ``FEATURES``, joined once to the calls, each regex run once per message, and
  only where its answer can matter; every declared table is then made from that.
- **Per unit of files, kept.** A benchmark whose per-conversation tables are partitioned
  alike (the hive layout of ``sabkit partition``: ``messages/model=X/``, ``scores/model=X/``
  ...) has one unit per partition, so when a model lands only its partition is read; any
  other layout is one unit. Each unit's tables are one cache entry (sabkit.io.cache), keyed
  by every declaration and the unit's files; a declared name is then a view over the
  units' cached Parquet, which DuckDB scans as fast as a table in memory.

With the cache off, or for a benchmark at a URL, the same SQL runs over the whole views into
temp tables; the figures are the same either way (tests/test_cache.py).
"""

from __future__ import annotations

import re
import sys
import weakref
from pathlib import Path
from typing import Callable

import duckdb

from sabkit.io import cache
from sabkit.io.sql import fill, placeholders, read_parquet, string

SPLIT = ("messages", "tool_calls", "scores", "runs")  # partitioned with the conversations
WHOLE = ("models", "cases", "tools")  # small tables every unit reads whole
KIND = "sab_transcripts"  # the cache entries: one per unit, every declared table in it
_MADE: dict[str, weakref.WeakSet] = {}  # name -> benchmarks whose connection holds it
# Every metric is about the agent, so ``{tool_calls}`` in a metric's SQL is the agent's
# calls only: a customer acting on their own phone (tau2's dual control) stays in the
# transcript and the quotes, never in escalation, unsafe actions, tool use, phantom
# actions or confirm-before-acting. This is the one place that says so.
AGENT_CALLS = "(SELECT * FROM {tool_calls} WHERE caller = 'agent')"

# The pass: every message once, with the seq of its conversation's first successful write
# (a claim after it is no phantom, a message of a conversation without one precedes no
# write to confirm) and each declared feature column, an expression over ``m`` (the
# message) and ``w.seq`` (that first write) that is NULL where the message does not matter
# to its metric. Only messages with a feature are kept: a few of the messages.
FEATURES = """
WITH first_write AS (
    SELECT tc.run_id, tc.case_id, min(tc.seq) AS seq
    FROM {tool_calls} tc JOIN tools t USING (tool)
    WHERE t.kind = 'write' AND tc.ok GROUP BY tc.run_id, tc.case_id
)
SELECT * FROM (
    SELECT m.run_id, m.case_id, m.seq, m.role, w.seq AS first_write, {columns}
    FROM {messages} m LEFT JOIN first_write w USING (run_id, case_id)
) WHERE {kept}
"""


_TABLES: dict[str, str] = {}  # name -> its SQL over {features} and the SPLIT tables
_COLUMNS: dict[str, str] = {}  # feature column -> its expression
_PARAMS: dict[str, str] = {}  # named parameter -> value, for FEATURES and the tables


def declare(name: str, sql: str, params: dict | None = None,
            features: dict[str, str] | None = None) -> str:
    """Declare the per-conversation table ``name`` (``sql`` over ``{features}``,
    ``{tool_calls}``, ``{scores}``, ``{runs}``) and the feature columns it reads, computed in
    the one pass over the messages; ``params`` are named parameters of both. Called when a
    metric module is imported (``sabkit.metrics`` imports them all); returns the name."""
    for key, value in (params or {}).items():
        if _PARAMS.setdefault(key, value) != value:
            raise ValueError(f"parameter ${key} declared twice with different values")
    for column, expression in (features or {}).items():
        if _COLUMNS.setdefault(column, expression) != expression:
            raise ValueError(f"feature column {column} declared twice")
    _TABLES[name] = sql
    return name


def table(bench, name: str) -> str:
    """Make every declared table on this benchmark's connection (one pass over the
    messages, per unit of files not cached yet) unless that was done; return ``name``."""
    if name not in _TABLES:
        raise KeyError(f"no per-conversation table {name} is declared")
    return once(bench, name, lambda: _make(bench))


def units(bench) -> list[dict[str, list[str]]]:
    """The benchmark's units: for each, the files of every SPLIT table. One unit per
    partition folder when all of them are partitioned alike, else one unit of everything;
    empty for a benchmark at a URL (no file to key a cache on)."""
    files = {t: bench.local_files(t) for t in SPLIT}
    if not all(files.values()):
        return []
    groups: dict[str, dict[str, list[str]]] = {t: {} for t in SPLIT}
    for t, paths in files.items():
        folder = Path(bench.path) / t
        for p in paths:
            parent = Path(p).parent
            part = str(parent.relative_to(folder)) if parent.is_relative_to(folder) else "."
            groups[t].setdefault(part, []).append(p)
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


def _features() -> str:
    columns = sorted(_COLUMNS.items())
    return fill(FEATURES, columns=", ".join(f"{expr} AS {col}" for col, expr in columns),
                kept=" OR ".join(f"{col} IS NOT NULL" for col, _ in columns))


def _bound(sql: str) -> dict:
    """The declared parameters ``sql`` uses (DuckDB refuses unused named parameters)."""
    return {k: v for k, v in _PARAMS.items() if re.search(rf"\${k}\b", sql)}


def _fill(sql: str, sources: dict[str, str]) -> str:
    """``sql`` with its placeholders among ``sources`` filled; ``{tool_calls}`` is the
    agent's calls (AGENT_CALLS)."""
    sources = {**sources, "tool_calls": fill(AGENT_CALLS, tool_calls=sources["tool_calls"])}
    return fill(sql, **{t: s for t, s in sources.items() if t in placeholders(sql)})


def _make(bench) -> None:
    """Every declared table, from the cache where a unit's entry is there, else read."""
    unit_list = units(bench) if cache.root() is not None else []
    if not unit_list:
        return _uncached(bench)
    definition = cache.digest(_features(), AGENT_CALLS, sorted(_PARAMS.items()),
                              sorted(_TABLES.items()))
    whole = [f for t in WHOLE for f in bench.local_files(t)]
    keyed = [(unit, cache.digest(definition, cache.file_key(
        [f for t in SPLIT for f in unit[t]] + whole))) for unit in unit_list]
    holds = tuple(f"{name}.parquet" for name in _TABLES)
    paths: dict[str, list[str]] = {name: [] for name in _TABLES}
    for unit, key in _progress(keyed, sum(not cache.has(KIND, k) for _, k in keyed)):
        sources = {t: bench.read_files(t, unit[t]) for t in SPLIT}

        def build(folder: Path, sources=sources) -> None:
            _run_pass(bench, sources, lambda name, sql: bench.con.sql(
                f"COPY ({sql}) TO {string(folder / f'{name}.parquet')} (FORMAT parquet)",
                params=_bound(sql)))

        try:
            folder = cache.entry(KIND, key, build, holds=holds)
        except duckdb.IOException:  # the cache's disk is full or gone: compute in memory
            folder = None
        if folder is None:  # the cache folder cannot be written: compute in memory
            return _uncached(bench)
        for name in _TABLES:
            paths[name].append(str(folder / f"{name}.parquet"))
    for name, files in paths.items():
        bench.con.sql(f"CREATE TEMP VIEW {name} AS SELECT * FROM "
                      f"{read_parquet(files, hive=False)}")


def _uncached(bench) -> None:
    """Every declared table without the cache: temp tables over the whole views."""
    _run_pass(bench, {t: t for t in SPLIT}, lambda name, sql: bench.con.sql(
        f"CREATE TEMP TABLE {name} AS {sql}", params=_bound(sql)))


def features(sources: dict[str, str] | None = None) -> tuple[str, dict]:
    """The pass over the messages as SQL over ``sources`` (each SPLIT table's source; the
    whole views by default), and its parameters: one row per message a metric needs."""
    stage = _fill(_features(), sources or {t: t for t in SPLIT})
    return stage, _bound(stage)


def _run_pass(bench, sources: dict[str, str], write: Callable[[str, str], None]) -> None:
    """The pass over one unit (``sources``: each SPLIT table's source): the features into a
    temp table, each declared table from it through ``write(name, sql)``."""
    stage, params = features(sources)
    bench.con.sql(f"CREATE OR REPLACE TEMP TABLE sab_features AS {stage}", params=params)
    try:
        for name, sql in _TABLES.items():
            write(name, _fill(sql, {**sources, "features": "sab_features"}))
    finally:
        bench.con.sql("DROP TABLE IF EXISTS sab_features")


def _exists(bench, name: str) -> bool:
    return bench.con.sql(
        "SELECT count(*) FROM (SELECT view_name FROM duckdb_views() WHERE temporary "
        "UNION ALL SELECT table_name FROM duckdb_tables() WHERE temporary) t(n) WHERE n = $n",
        params={"n": name}).fetchall()[0][0] > 0


def _progress(keyed: list, to_read: int):
    """The units, with a progress bar on a terminal when many are still to be read."""
    if to_read < 20 or not sys.stderr.isatty():
        return keyed
    from tqdm import tqdm
    return tqdm(keyed, desc=f"reading transcripts ({to_read} units new)", unit="unit",
                leave=False)
