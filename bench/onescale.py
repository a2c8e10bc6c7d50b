"""One scale K: every measurement of the bench on one benchmark, in order (the floor, facts
warm and cold, the polars peer, validate, one report and its stack floor, report --all, the
hive layout)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from benchdata import shape_of
from measuring import BENCH, PY, REPO, SABKIT, Measure, measure, measure_together


HIVE_QUERY = """
import json, re, sys, time
import sabkit
b = sabkit.open(sys.argv[1], validate=False)
p = {"model": sys.argv[2]}
q = ("SELECT count(*), sum(strlen(content)) FROM messages WHERE "
     + ("model = $model" if sys.argv[3] == "hive"
        else "run_id IN (SELECT run_id FROM runs WHERE model = $model)"))
t = time.perf_counter()
rows = b.con.sql(q, params=p).fetchall()[0][0]
query_s = time.perf_counter() - t
plan = b.con.sql("EXPLAIN ANALYZE " + q, params=p).fetchall()[0][1]
files = re.search(r"Scanning Files: (\\d+)/(\\d+)", plan)
print(json.dumps({"rows": rows, "query_s": query_s,
                  "files": [int(files[1]), int(files[2])] if files else None}))
"""


def bench_scale(k: int, data: Path, args, log=print) -> dict:
    out_root = Path(args.root) / "out" / data.name
    shutil.rmtree(out_root, ignore_errors=True)
    out_root.mkdir(parents=True)
    info = shape_of(data)
    models = info.pop("model_names")
    model = args.model if args.model in models else models[0]
    log(f"K={k} ({data.name}): {info['models']} models, {info['cases']} cases, "
        f"{info['runs']} runs, {info['scores']:,} conversations, {info['messages']:,} messages, "
        f"{info['bytes'] / 1e6:.1f} MB of Parquet")
    res: dict = {"k": k, "data": str(data), "shape": info, "model": model, "measures": {}}
    M = res["measures"]

    def keep(m: Measure) -> Measure:
        M[m.name] = m
        return m

    facts_cmd = [*SABKIT, "facts", "--all", "--json", "--data"]
    sink = out_root / "facts.json"
    # The floor and every command measured against it, run by run in turn
    # (measuring.measure_together). warm: the per-conversation tables and every model's
    # figures are in the cache (the warm-up run put them there), as on every re-run on
    # unchanged files; figures: the per-conversation tables cached, every model's figures
    # computed again (their cache entry removed before each run), as when a file changed;
    # nocache: everything read from the Parquet, as on a first run
    for m in measure_together([
            dict(name="floor", cmd=[PY, str(BENCH / "floor.py"), str(data)]),
            dict(name="facts", cmd=[*facts_cmd, str(data)], sink=sink),
            dict(name="facts_figures", cmd=[*facts_cmd, str(data)], sink=sink,
                 before=lambda: shutil.rmtree(Path(os.environ["SABKIT_CACHE"]) / "sab_facts",
                                              ignore_errors=True)),
            dict(name="facts_nocache", cmd=[*facts_cmd, str(data)], sink=sink,
                 env={"SABKIT_CACHE": "off"}),
            dict(name="validate", cmd=[*SABKIT, "validate", str(data)])], args, log=log):
        keep(m)
    (out_root / "facts.json").unlink(missing_ok=True)
    # the peer: the same subset of figures in plain polars (bench/peer.py), checked equal
    # to sabkit's in the same process. It takes minutes at K = 100, so it runs once (the
    # files are in the page cache from the runs above), and its wall time is the peer's
    # own clock, from its first import to its figures; the check after it is not counted
    if not args.no_peer:
        from sabkit.metrics.phantom import PARAMS

        rule = Path(args.root) / "phantom-rule.json"
        rule.write_text(json.dumps(PARAMS))
        peer = keep(measure("peer", [PY, str(BENCH / "peer.py"), str(data), "--patterns",
                                     str(rule), "--check"], args, repeat=1, warmup=False,
                            log=log))
        for r in peer.runs:
            r.wall = r.extra["import_s"] + r.extra["compute_s"]
        res["peer_same"] = peer.runs[-1].extra.get("same") if peer.runs else None
        log(f"    peer: {peer.wall} s by its own clock; gives sabkit's figures: "
            f"{res['peer_same']}")
    if not args.no_reports:
        one = [PY, str(BENCH / "report_one.py"), model, str(data)]
        for m in measure_together([
                dict(name="report", cmd=[*one, str(out_root / "one")]),
                dict(name="report_floor", cmd=[*one, str(out_root / "floor"), "--floor"])],
                args, log=log):
            keep(m)
        if not args.no_all and (k == 1 or args.all_scales):
            # Warm already: the single reports above ran the same stack on the same files.
            keep(measure("report_all", [*SABKIT, "report", "--all", "--data", str(data),
                                        "--out", str(out_root / "all")], args,
                         repeat=max(1, min(args.repeat, args.all_repeat)), warmup=False,
                         log=log))
    if k > 1 and not args.no_hive:
        hive = Path(args.root) / f"{data.name}-hive"
        stamp = json.loads((data / ".sabkit-bench.json").read_text())
        hstamp = hive / ".sabkit-bench.json"
        if not (hstamp.is_file() and json.loads(hstamp.read_text()) == stamp):
            shutil.rmtree(hive, ignore_errors=True)
            log(f"  partitioning {data.name} by model into {hive} ...")
            subprocess.run([*SABKIT, "partition", str(data), "--out", str(hive)], cwd=REPO,
                           check=True, capture_output=True)
            hstamp.write_text(json.dumps(stamp))
        for layout, path in (("flat", data), ("hive", hive)):
            keep(measure(f"one_model_{layout}", [PY, "-c", HIVE_QUERY, str(path), model, layout],
                         args, log=log))
        keep(measure("validate_hive", [*SABKIT, "validate", str(hive)], args, log=log))
        # a model's new run lands: its partition's files are new, every other one cached
        keep(measure("facts_new_run", [*facts_cmd, str(hive)], args,
                     before=lambda: _land_new_files(hive, model),
                     sink=out_root / "facts.json", log=log))
        (out_root / "facts.json").unlink(missing_ok=True)
    for m in M.values():
        for r in m.runs:
            if "total" in r.extra:  # the report driver's phases; "before" is the rest
                r.extra["before"] = r.wall - r.extra["total"]
    return res


def _land_new_files(hive: Path, model: str) -> None:
    """Give one model's partition new files with the same rows (copied, then renamed over
    the old ones), as when a run of it lands: new inodes and times, so sabkit's cache keys
    for that partition change and every other partition's stay."""
    for table in ("runs", "scores", "messages", "tool_calls"):
        for f in (hive / table / f"model={model}").glob("*.parquet"):
            tmp = f.with_suffix(".landing")
            shutil.copyfile(f, tmp)
            os.replace(tmp, f)
