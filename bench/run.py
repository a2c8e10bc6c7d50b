"""sabkit's performance suite: every command against its floor, at K = 1, 10 and 100.

    make bench                                   # K = 1, 10, 100; 3 runs after a warm-up
    .venv/bin/python bench/run.py --scales 1,10 --repeat 5
    .venv/bin/python bench/run.py --shape models --scales 1,10   # sabkit synth --scale
    .venv/bin/python bench/run.py --quick        # K = 1 only, one run, no report --all

For each scale K a benchmark K times the sample is generated once into
``/tmp/sabkit-bench/<shape>-K`` (K = 1 is a copy of data/sample) and reused by later runs
(regenerated when the sample or the generator changed, or with --regenerate). Two shapes:

- ``proportional`` (default): models, cases and runs grow together (bench/scale.py;
  K = 100 is 125 models x 810 cases x 12 runs), the issue's "more models, cases and runs
  in the same proportions";
- ``models``: `sabkit synth --scale K`, K copies of every model (K = 100 is a board of
  2,400 models x 162 cases x 3 runs), which exposes what grows with the square of the
  number of models.

Then, for each K, side by side:

1. the floor: DuckDB alone reading every column the metrics use (bench/floor.py);
2. `sabkit facts --all --json`: wall time, peak memory, ratio to the floor; with the
   cache warm (every re-run: the warm-up fills it), without it (`SABKIT_CACHE=off`, a
   first run), and in the hive layout after one model's files were replaced (a run landed);
3. `sabkit validate`: ratio to the floor;
4. one model's report (bench/report_one.py, what `sabkit report MODEL` runs), split into
   the time before the notebook, kernel start, cells and HTML export, against the same
   stack on a notebook that only imports sabkit and its libraries;
5. `sabkit report --all` (K = 1 unless --all-scales) against the ideal parallel time:
   the single report x models / cores;
6. the hive layout (K > 1): the benchmark partitioned by model (`sabkit partition`), a
   one-model query's files scanned (EXPLAIN ANALYZE) and its time against the flat layout.

Every measurement is its own process, started after a warm-up run of the same command;
each figure is the median of --repeat runs with min and max. A command and its floor run
in turn, run by run (floor, facts three ways, validate; a report and its stack floor), so
a drift of the shared machine's speed touches both sides of a ratio alike. Wall time is measured around
the process; CPU time (user + system) and peak RSS come from the kernel's accounting of
that process and its reaped children (os.wait4), so peak RSS is that of the largest single
process in the tree (a report's kernel, say); with psutil, the whole tree's memory is also
sampled, and a run is killed past --mem-cap or --timeout (and its repeats skipped). The
machine may be shared: CPU time is printed beside wall time, and the load average at the
start of each run is kept in the JSON results.

Results: Markdown tables on stdout, every run in /tmp/sabkit-bench/results-*.json.

This file is the command line; the work is in its neighbours: measuring.py (one command
in its own process), benchdata.py (the machine and the scaled benchmarks), onescale.py
(every measurement at one K), printing.py (the Markdown tables) and verdicts.py (the
targets and whether each is met).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path

from benchdata import ensure_benchmark, machine
from measuring import Failed, Measure
from onescale import bench_scale
from printing import scale_table, side_by_side
from verdicts import targets


def to_json(obj):
    if isinstance(obj, Measure):
        return {"name": obj.name, "command": obj.command, "failed": obj.failed,
                "warmup": asdict(obj.warmup) if obj.warmup else None,
                "runs": [asdict(r) for r in obj.runs]}
    raise TypeError(type(obj))


# --- main --------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scales", default="1,10,100", help="comma-separated K (default 1,10,100)")
    p.add_argument("--shape", choices=("proportional", "models"), default="proportional",
                   help="how the benchmark grows (default: proportional; see above)")
    p.add_argument("--repeat", type=int, default=3, help="runs after the warm-up (default 3)")
    p.add_argument("--quick", action="store_true",
                   help="K = 1 only, one run after the warm-up, no report --all")
    p.add_argument("--root", default="/tmp/sabkit-bench",
                   help="where scaled benchmarks and outputs go (default /tmp/sabkit-bench)")
    p.add_argument("--model", default="gemma-4-31b", help="the model of the single report")
    p.add_argument("--no-reports", action="store_true", help="skip the report measurements")
    p.add_argument("--no-all", action="store_true", help="skip report --all")
    p.add_argument("--no-hive", action="store_true", help="skip the hive-layout measurements")
    p.add_argument("--no-peer", action="store_true", help="skip the polars peer (bench/peer.py)")
    p.add_argument("--all-scales", action="store_true",
                   help="also run report --all at K > 1 (every model: slow)")
    p.add_argument("--all-repeat", type=int, default=2,
                   help="runs of report --all (default 2; it is warm from the single reports)")
    p.add_argument("--timeout", type=float, default=900,
                   help="seconds before a run is killed (default 900)")
    p.add_argument("--mem-cap", type=float, default=8,
                   help="GB of resident memory (whole process tree) before a run is killed "
                        "(default 8)")
    p.add_argument("--regenerate", action="store_true", help="regenerate the scaled data")
    p.add_argument("--json", help="also write the results JSON here")
    args = p.parse_args(argv)
    if args.quick:
        args.scales, args.repeat, args.no_all = "1", 1, True
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    root = Path(args.root)
    root.mkdir(parents=True, exist_ok=True)
    # every sabkit process of the bench shares one cache folder of its own (sabkit.cache)
    os.environ["SABKIT_CACHE"] = str(root / "cache")

    info = machine()
    cores = info["usable_cores"]
    print(f"sabkit bench: {' '.join(sys.argv)}")
    print(f"machine: {cores} cores ({info['cpu']}), {info['memory_gb']} GB memory, "
          f"Python {info['python']}, duckdb {info['versions']['duckdb']}, "
          f"polars {info['versions']['polars']}, commit {info['commit']}, "
          f"load average at start {info['load_at_start'][0]:.1f}")
    print(f"shape: {args.shape}; {args.repeat} run(s) per figure after a warm-up; "
          f"data under {root}\n", flush=True)
    results, skipped = [], {}
    for k in scales:
        try:
            data = ensure_benchmark(k, args.shape, root, args.regenerate)
            results.append(bench_scale(k, data, args))
        except Failed as exc:
            skipped[k] = str(exc)
            print(f"K={k} skipped: {exc}\n", file=sys.stderr)
    if not results:
        return 1
    loads = [r.load for res in results for m in res["measures"].values() for r in m.runs]

    print(f"\n### Side by side ({args.shape} shape; wall seconds, median of {args.repeat}; "
          "ratio in brackets)\n")
    print("\n".join(side_by_side(results)))
    for res in results:
        print()
        print("\n".join(scale_table(res, cores)))
    print(f"\n### Targets ({args.shape} shape; load average during the runs "
          f"{min(loads):.1f}–{max(loads):.1f} on {cores} cores)\n")
    verdicts = targets(results, cores)
    for name, good, detail in verdicts:
        mark = "met" if good else ("NOT MET" if good is False else "info")
        print(f"- **{mark}**: {name}: {detail}")
    for k, why in skipped.items():
        print(f"- K = {k} skipped: {why.splitlines()[0]}")

    doc = {"machine": info, "args": vars(args), "results": results, "skipped": skipped,
           "targets": verdicts}
    path = Path(args.json) if args.json else root / time.strftime("results-%Y%m%d-%H%M%S.json")
    path.write_text(json.dumps(doc, indent=1, default=to_json))
    print(f"\nevery run: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
