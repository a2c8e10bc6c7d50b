"""A benchmark K times the sample that grows in models, cases and runs together.

    python bench/scale.py K OUT [--source data/sample]

`sabkit synth --scale K` grows a benchmark in one direction: K copies of every model, so
K = 100 is a board of 2,400 models, each with the sample's 162 cases and 3 runs. A team's
benchmark grows in all three at once, and the issue asks for "more models, cases and runs
in the same proportions"; this script writes that shape. K is split into three integer
factors as near each other as possible (K = 10: 5 x the cases, 2 x the models; K = 100:
5 x the cases, 5 x the models, 4 x the runs), and the sample is tiled along each:

- case copy j >= 1 is ``<case_id>~c<j>`` with the same category, intent, cluster and trap
  (a trap gains cases);
- model copy i >= 1 is ``<model>~m<i>`` (a variant's ``variant_of`` follows its copy);
- run copy q >= 1 of a model is a later run: ``run_index + q * R`` (R the sample's highest
  run index), run id ``<run_id>~m<i>r<q>``.

Every run holds every case copy, so a complete run stays complete. Copy 0 of everything
keeps the sample's names. The conversations of a copy are the sample's, message for
message, so message lengths and every rate are the sample's. Each copy's message text
ends with a short tag naming the copy, so no two messages of the benchmark share a text
(as in a real one): without it the text column would be dictionary-encoded and scanning it
would cost next to nothing, flattering the floor. The large tables are written as one
Parquet file per model copy, with the sample's columns and no others.
"""

from __future__ import annotations

import argparse
import itertools
import math
import shutil
import sys
import time
from pathlib import Path

import duckdb

from sabkit.io.sql import read_parquet, string

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "data" / "sample"
PER_CONVERSATION = ("scores", "messages", "tool_calls")


def factors(k: int) -> dict[str, int]:
    """K as cases x models x runs, the factors as near each other as possible (then the
    larger factor to cases, the next to models, runs last)."""
    best = None
    for c, m in itertools.product(range(1, k + 1), repeat=2):
        if k % (c * m):
            continue
        r = k // (c * m)
        spread = sum((math.log(f) - math.log(k) / 3) ** 2 for f in (c, m, r))
        key = (round(spread, 9), -c, -m)
        if best is None or key < best[0]:
            best = (key, {"cases": c, "models": m, "runs": r})
    return best[1]


def _name(col: str, copy: str, tag: str) -> str:
    return f"CASE WHEN {copy} = 0 THEN {col} ELSE {col} || '~{tag}' || {copy} END"


# A copy's messages end with a tag naming the copy (" [c1m0r2]"), so that every message
# text is distinct, as in a real benchmark: identical copies would be dictionary-encoded
# and a scan of the text would cost next to nothing. A tag after the text changes no
# metric: it opens no sentence, holds no claim, question, negation or "yes".
_tagged = ("CASE WHEN i = 0 AND q = 0 AND j = 0 THEN content "
           "ELSE content || ' [c' || j || 'm' || i || 'r' || q || ']' END AS content")


def scale(k: int, out: Path, source: Path = SAMPLE, progress=print) -> dict[str, int]:
    f = factors(k)
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    con = duckdb.connect()
    src = {t: read_parquet(str(source / f"{t}.parquet"), hive=False) for t in
           ("models", "cases", "tools", "runs", *PER_CONVERSATION)}
    con.execute(f"CREATE TEMP TABLE cc AS SELECT range AS j FROM range({f['cases']})")
    con.execute(f"CREATE TEMP TABLE mc AS SELECT range AS i FROM range({f['models']})")
    con.execute(f"CREATE TEMP TABLE rc AS SELECT range AS q FROM range({f['runs']})")
    top = con.execute(f"SELECT max(run_index) FROM {src['runs']}").fetchall()[0][0]

    def copy(sql: str, dst: Path) -> None:
        con.execute(f"COPY ({sql}) TO {string(dst)} (FORMAT parquet, COMPRESSION zstd)")

    copy(f"SELECT * FROM {src['tools']}", out / "tools.parquet")
    copy(f"SELECT s.* REPLACE ({_name('case_id', 'j', 'c')} AS case_id) "
         f"FROM {src['cases']} s, cc ORDER BY j, case_id", out / "cases.parquet")
    copy(f"SELECT s.* REPLACE ({_name('model', 'i', 'm')} AS model, "
         f"CASE WHEN variant_of IS NULL THEN NULL ELSE {_name('variant_of', 'i', 'm')} END "
         f"AS variant_of) FROM {src['models']} s, mc ORDER BY i, model", out / "models.parquet")
    run_id = ("CASE WHEN i = 0 AND q = 0 THEN run_id "
              "ELSE run_id || '~m' || i || 'r' || q END")
    copy(f"SELECT s.* REPLACE ({run_id} AS run_id, {_name('model', 'i', 'm')} AS model, "
         f"run_index + q * {top} AS run_index) FROM {src['runs']} s, mc, rc ORDER BY i, q, run_id",
         out / "runs.parquet")
    started = time.perf_counter()
    for t in PER_CONVERSATION:
        (out / t).mkdir()
        for i in range(f["models"]):
            text = f", {_tagged}" if t == "messages" else ""
            copy(f"SELECT s.* REPLACE ({run_id} AS run_id, {_name('case_id', 'j', 'c')} AS case_id"
                 f"{text}) FROM {src[t]} s, (SELECT {i} AS i), rc, cc",
                 out / t / f"part-{i:03d}.parquet")
        progress(f"  {t}: {f['models']} file(s) ({time.perf_counter() - started:.0f} s)")
    rows = {t: con.execute("SELECT count(*) FROM read_parquet($files)",
                           {"files": f"{out / t}/*.parquet"})
            .fetchall()[0][0] for t in PER_CONVERSATION}
    con.close()
    return {**f, **rows}


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("k", type=int)
    p.add_argument("out", type=Path)
    p.add_argument("--source", type=Path, default=SAMPLE)
    a = p.parse_args()
    print(scale(a.k, a.out, a.source))
    sys.exit(0)
