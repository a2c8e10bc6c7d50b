"""sabkit's performance suite: every command against its floor, at K = 1, 10 and 100.

    make bench                                   # K = 1, 10, 100; 3 runs after a warm-up
    .venv/bin/python bench/run.py --scales 1,10 --repeat 5
    .venv/bin/python bench/run.py --quick        # K = 1 only, one run, no report --all

For each scale K, the benchmark K times the sample is generated once with
`sabkit synth --scale K` into ``/tmp/sabkit-bench/K`` (K = 1 is a copy of data/sample) and
reused by later runs. Then, side by side:

1. the floor: DuckDB alone reading every column the metrics use (bench/floor.py);
2. `sabkit facts --all --json`: wall time, peak memory, ratio to the floor;
3. `sabkit validate`: ratio to the floor;
4. one model's report (bench/report_one.py, what `sabkit report MODEL` runs), split into
   the time before the notebook, kernel start, cells and HTML export, against the same
   stack on a notebook that only imports sabkit and its libraries;
5. `sabkit report --all` (K = 1 unless --all-scales) against the ideal parallel time:
   the single report x models / cores.

Every measurement is its own process, started after a warm-up run of the same command;
each figure is the median of --repeat runs with min and max. Wall time is measured around
the process; CPU time (user + system) and peak RSS come from the kernel's accounting of
that process and its reaped children (os.wait4), so peak RSS is that of the largest single
process in the tree (a report's kernel, say), not their sum. The machine is shared: CPU
time is printed beside wall time, and the load average at the start of each measurement
is kept in the JSON results.

Results: tables on stdout (Markdown), every sample in /tmp/sabkit-bench/results-*.json.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
SAMPLE = REPO / "data" / "sample"
PY = sys.executable
BIN = Path(PY).parent
SABKIT = [str(BIN / "sabkit")] if (BIN / "sabkit").exists() else [PY, "-m", "sabkit.cli"]
TABLES = ("models", "cases", "tools", "runs", "scores", "tool_calls", "messages")
GB = 1024 ** 3

# The targets of issue 6.
FACTS_VS_FLOOR = 3.0        # at K = 10 and 100
FACTS_ON_SAMPLE_S = 2.0     # K = 1, wall seconds
PEAK_RSS_K100 = 3 * GB
VALIDATE_VS_FLOOR = 2.0
REPORT_VS_STACK = 1.5
ALL_VS_IDEAL = 1.3          # on the sample
LINEAR_EXPONENT = 1.15      # "linear": t ~ size^b with b at most this, K = 10 -> 100


# --- measuring ---------------------------------------------------------------------------

@dataclass
class Run:
    wall: float
    cpu: float
    rss: int          # bytes
    load: float       # 1-minute load average when the run started
    extra: dict = field(default_factory=dict)


@dataclass
class Measure:
    name: str
    command: list[str]
    runs: list[Run]
    warmup: Run | None = None

    def stat(self, key: str = "wall", fn=statistics.median):
        values = [getattr(r, key) if key in ("wall", "cpu", "rss", "load") else r.extra.get(key)
                  for r in self.runs]
        values = [v for v in values if v is not None]
        return fn(values) if values else None

    @property
    def wall(self) -> float:
        return self.stat("wall")

    @property
    def rss(self) -> int:
        return self.stat("rss", max)


class Failed(RuntimeError):
    pass


def run_once(cmd: list[str], *, stdout=None, cwd=None) -> Run:
    """Run ``cmd`` in its own process; wall time around it, CPU and peak RSS from wait4."""
    load = os.getloadavg()[0]
    with tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=stdout or out, stderr=err, cwd=cwd or REPO)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise Failed(f"{' '.join(cmd)} exited {proc.returncode}:\n"
                         + err.read().decode(errors="replace")[-3000:])
        extra = {}
        if stdout is None:
            out.seek(0)
            lines = out.read().decode(errors="replace").strip().splitlines()
            if lines and lines[-1].startswith("{"):
                extra = json.loads(lines[-1])
    return Run(wall=wall, cpu=usage.ru_utime + usage.ru_stime, rss=usage.ru_maxrss * 1024,
               load=load, extra=extra)


def measure(name: str, cmd: list[str], repeat: int, *, warmup: bool = True,
            sink: Path | None = None, log=print) -> Measure:
    """A warm-up run, then ``repeat`` runs; stdout goes to ``sink`` when given."""
    def once() -> Run:
        if sink is None:
            return run_once(cmd)
        with open(sink, "wb") as f:
            r = run_once(cmd, stdout=f)
        r.extra["stdout_bytes"] = sink.stat().st_size
        return r

    m = Measure(name, cmd, [])
    if warmup:
        m.warmup = once()
    for i in range(repeat):
        m.runs.append(once())
        log(f"    {name} [{i + 1}/{repeat}] {m.runs[-1].wall:.2f} s wall, "
            f"{m.runs[-1].cpu:.2f} s cpu, {m.runs[-1].rss / 1e6:.0f} MB")
    return m


# --- the machine and the data ------------------------------------------------------------

def machine() -> dict:
    from importlib.metadata import version

    mem = {}
    with open("/proc/meminfo") as f:
        for line in f:
            k, v = line.split(":", 1)
            mem[k] = int(v.split()[0]) * 1024
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    versions = {}
    for pkg in ("duckdb", "polars", "pyarrow", "papermill", "nbconvert", "ipykernel", "altair"):
        try:
            versions[pkg] = version(pkg)
        except Exception:
            versions[pkg] = None
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                            capture_output=True, text=True).stdout.strip()
    dirty = bool(subprocess.run(["git", "status", "--porcelain", "sabkit"], cwd=REPO,
                                capture_output=True, text=True).stdout.strip())
    return {
        "cores": os.cpu_count(), "usable_cores": len(os.sched_getaffinity(0)), "cpu": cpu,
        "memory_gb": round(mem.get("MemTotal", 0) / GB, 1),
        "python": platform.python_version(), "platform": platform.platform(),
        "versions": versions, "commit": commit + ("+dirty" if dirty else ""),
        "load_at_start": os.getloadavg(),
    }


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*.parquet"))


def ensure_benchmark(k: int, root: Path, regenerate: bool, log=print) -> Path:
    """The benchmark K times the sample, generated once into root/K and reused."""
    dst = root / str(k)
    stamp = dst / ".sabkit-bench.json"
    if k == 1:
        want = {p.name: p.stat().st_size for p in sorted(SAMPLE.glob("*.parquet"))}
        if stamp.is_file() and json.loads(stamp.read_text()).get("sizes") == want \
                and not regenerate:
            return dst
        shutil.rmtree(dst, ignore_errors=True)
        dst.mkdir(parents=True)
        for p in SAMPLE.glob("*.parquet"):
            shutil.copy2(p, dst / p.name)
        stamp.write_text(json.dumps({"k": 1, "source": str(SAMPLE), "sizes": want}))
        return dst
    if stamp.is_file() and not regenerate:
        return dst
    if not (REPO / "sabkit" / "synth" / "scale.py").is_file():
        raise Failed(f"K={k}: `sabkit synth --scale` is not built yet in this checkout "
                     "(no sabkit/synth/scale.py)")
    free = shutil.disk_usage(root).free
    need = folder_bytes(SAMPLE) * k * 3  # the files, with room for DuckDB's temp files
    if free < need:
        raise Failed(f"K={k}: {free / GB:.1f} GB free under {root}, ~{need / GB:.1f} GB needed")
    tmp = root / f".{k}.partial"
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(dst, ignore_errors=True)
    log(f"  generating K={k} into {dst} (sabkit synth --scale {k}) ...")
    started = time.perf_counter()
    proc = subprocess.run([*SABKIT, "synth", "--scale", str(k), "--out", str(tmp)], cwd=REPO,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise Failed(f"sabkit synth --scale {k} failed:\n{proc.stderr[-3000:]}")
    seconds = time.perf_counter() - started
    tmp.rename(dst)
    stamp.write_text(json.dumps({"k": k, "generated_s": round(seconds, 1),
                                 "at": time.strftime("%Y-%m-%d %H:%M:%S")}))
    log(f"  generated K={k} in {seconds:.0f} s")
    return dst


def shape(path: Path) -> dict:
    import duckdb

    con = duckdb.connect()
    out = {}
    for t in ("models", "runs", "scores", "messages", "tool_calls"):
        single = path / f"{t}.parquet"
        src = (f"'{single}'" if single.exists()
               else f"read_parquet('{path / t}/**/*.parquet', hive_partitioning = true)")
        out[t] = con.execute(f"SELECT count(*) FROM {src}").fetchall()[0][0]
    out["bytes"] = folder_bytes(path)
    out["model_names"] = [r[0] for r in con.execute(
        f"SELECT model FROM '{path / 'models.parquet'}' ORDER BY model").fetchall()]
    con.close()
    return out


# --- one scale ---------------------------------------------------------------------------

def bench_scale(k: int, data: Path, args, log=print) -> dict:
    out_root = Path(args.root) / "out" / str(k)
    shutil.rmtree(out_root, ignore_errors=True)
    out_root.mkdir(parents=True)
    info = shape(data)
    models = info.pop("model_names")
    model = args.model if args.model in models else models[0]
    log(f"K={k}: {data}  {info['models']} models, {info['runs']} runs, "
        f"{info['scores']:,} conversations, {info['messages']:,} messages, "
        f"{info['bytes'] / 1e6:.1f} MB of Parquet")
    res: dict = {"k": k, "data": str(data), "shape": info, "model": model, "measures": {}}
    M = res["measures"]
    rep = args.repeat

    def keep(m: Measure) -> Measure:
        M[m.name] = m
        return m

    keep(measure("floor", [PY, str(BENCH / "floor.py"), str(data)], rep, log=log))
    keep(measure("facts", [*SABKIT, "facts", "--all", "--json", "--data", str(data)], rep,
                 sink=out_root / "facts.json", log=log))
    (out_root / "facts.json").unlink(missing_ok=True)
    keep(measure("validate", [*SABKIT, "validate", str(data)], rep, log=log))
    if not args.no_reports:
        keep(measure("report", [PY, str(BENCH / "report_one.py"), model, str(data),
                                str(out_root / "one")], rep, log=log))
        keep(measure("report_floor", [PY, str(BENCH / "report_one.py"), model, str(data),
                                      str(out_root / "floor"), "--floor"], rep, log=log))
        if not args.no_all and (k == 1 or args.all_scales):
            # Warm already: the single reports above ran the same stack on the same files.
            keep(measure("report_all", [*SABKIT, "report", "--all", "--data", str(data),
                                        "--out", str(out_root / "all")],
                         max(1, min(rep, args.all_repeat)), warmup=False, log=log))
    for m in M.values():
        for r in m.runs:
            if "total" in r.extra:  # the report driver's phases; "before" is the rest
                r.extra["before"] = r.wall - r.extra["total"]
    return res


# --- printing ----------------------------------------------------------------------------

def fmt_s(x) -> str:
    if x is None:
        return "–"
    return f"{x:.2f}" if x < 100 else f"{x:.0f}"


def span(m: Measure, key: str = "wall") -> str:
    return (f"{fmt_s(m.stat(key))} ({fmt_s(m.stat(key, min))}–{fmt_s(m.stat(key, max))})")


def ratio(a, b) -> str:
    return "–" if a is None or not b else f"{a / b:.2f}x"


def scale_table(res: dict, cores: int) -> list[str]:
    M = res["measures"]
    f = M["floor"]
    lines = [
        f"#### K = {res['k']}: {res['shape']['models']} models, {res['shape']['runs']} runs, "
        f"{res['shape']['scores']:,} conversations, {res['shape']['messages']:,} messages, "
        f"{res['shape']['bytes'] / 1e6:.1f} MB",
        "",
        "| measurement | wall s: median (min–max) | cpu s | peak RSS | vs floor (wall) | "
        "vs floor (cpu) |",
        "|---|---|---|---|---|---|",
    ]

    def row(label, m, floor=None, key="wall"):
        lines.append(f"| {label} | {span(m, key)} | {fmt_s(m.stat('cpu'))} | "
                     f"{m.rss / 1e6:.0f} MB | "
                     f"{ratio(m.stat(key), floor.stat(key)) if floor else ''} | "
                     f"{ratio(m.stat('cpu'), floor.stat('cpu')) if floor else ''} |")

    row("floor: DuckDB scan of the metric columns", f)
    lines.append(f"|   of which import duckdb / scan | {fmt_s(f.stat('import_s'))} / "
                 f"{fmt_s(f.stat('scan_s'))} | | | | |")
    row("`sabkit facts --all --json`", M["facts"], f)
    out_bytes = M["facts"].stat("stdout_bytes", max)
    if out_bytes:
        lines.append(f"|   JSON written | {out_bytes / 1e6:.1f} MB | | | | |")
    row("`sabkit validate`", M["validate"], f)
    if "report" in M:
        r, rf = M["report"], M["report_floor"]
        lines.append(f"| report {res['model']} (bench/report_one.py) | {span(r)} | "
                     f"{fmt_s(r.stat('cpu'))} | {r.rss / 1e6:.0f} MB | "
                     f"{ratio(r.wall, rf.wall)} of stack floor | "
                     f"{ratio(r.stat('cpu'), rf.stat('cpu'))} |")
        lines.append(f"| stack floor (papermill + nbconvert, imports only) | {span(rf)} | "
                     f"{fmt_s(rf.stat('cpu'))} | {rf.rss / 1e6:.0f} MB | | |")
        for phase in ("before", "kernel_start", "cells", "export"):
            lines.append(f"|   {phase.replace('_', ' ')}: report / floor | "
                         f"{fmt_s(r.stat(phase))} / {fmt_s(rf.stat(phase))} | | | "
                         f"{ratio(r.stat(phase), rf.stat(phase))} | |")
    if "report_all" in M:
        a = M["report_all"]
        n = res["shape"]["models"]
        ideal = M["report"].wall * n / cores
        lines.append(f"| `sabkit report --all` ({n} models, {cores} cores) | {span(a)} | "
                     f"{fmt_s(a.stat('cpu'))} | {a.rss / 1e6:.0f} MB | "
                     f"{ratio(a.wall, ideal)} of ideal {fmt_s(ideal)} s | |")
    return lines


def side_by_side(results: list[dict]) -> list[str]:
    ks = [r["k"] for r in results]
    head = "| | " + " | ".join(f"K = {k}" for k in ks) + " |"
    lines = [head, "|---|" + "---|" * len(ks)]

    def cell(res, name, key="wall", of=None):
        m = res["measures"].get(name)
        if m is None:
            return "–"
        v = m.stat(key) if key != "rss" else m.rss / 1e6
        if key == "rss":
            return f"{v:.0f} MB"
        base = res["measures"].get(of)
        return fmt_s(v) + (f" ({ratio(v, base.stat(key))})" if base else "")

    rows = [
        ("conversations", lambda r: f"{r['shape']['scores']:,}"),
        ("messages", lambda r: f"{r['shape']['messages']:,}"),
        ("floor s", lambda r: cell(r, "floor")),
        ("facts --all s (x floor)", lambda r: cell(r, "facts", of="floor")),
        ("facts peak RSS", lambda r: cell(r, "facts", "rss")),
        ("validate s (x floor)", lambda r: cell(r, "validate", of="floor")),
        ("validate peak RSS", lambda r: cell(r, "validate", "rss")),
        ("one report s (x stack floor)", lambda r: cell(r, "report", of="report_floor")),
        ("  cells s (x floor cells)", lambda r: cell(r, "report", "cells", of="report_floor")),
        ("one report peak RSS", lambda r: cell(r, "report", "rss")),
        ("stack floor s", lambda r: cell(r, "report_floor")),
        ("report --all s", lambda r: cell(r, "report_all")),
    ]
    for label, fn in rows:
        lines.append(f"| {label} | " + " | ".join(fn(r) for r in results) + " |")
    return lines


def targets(results: list[dict], cores: int) -> list[tuple[str, bool | None, str]]:
    by_k = {r["k"]: r["measures"] for r in results}
    out: list[tuple[str, bool | None, str]] = []

    def verdict(name, ok, detail):
        out.append((name, ok, detail))

    for k in (10, 100):
        m = by_k.get(k)
        if m:
            x = m["facts"].wall / m["floor"].wall
            verdict(f"facts ≤ {FACTS_VS_FLOOR:g}x floor at K = {k}", x <= FACTS_VS_FLOOR,
                    f"{x:.2f}x ({fmt_s(m['facts'].wall)} s vs {fmt_s(m['floor'].wall)} s)")
        else:
            verdict(f"facts ≤ {FACTS_VS_FLOOR:g}x floor at K = {k}", None, "K not run")
    if 1 in by_k:
        t = by_k[1]["facts"].wall
        verdict(f"facts < {FACTS_ON_SAMPLE_S:g} s on the sample", t < FACTS_ON_SAMPLE_S,
                f"{t:.2f} s wall (cpu {by_k[1]['facts'].stat('cpu'):.2f} s)")
    if 100 in by_k:
        peak = max(m.rss for m in by_k[100].values())
        worst = max(by_k[100].values(), key=lambda m: m.rss).name
        verdict("peak RSS at K = 100 < 3 GB", peak < PEAK_RSS_K100,
                f"{peak / GB:.2f} GB ({worst})")
    else:
        verdict("peak RSS at K = 100 < 3 GB", None, "K = 100 not run")
    for k, m in by_k.items():
        x = m["validate"].wall / m["floor"].wall
        verdict(f"validate ≤ {VALIDATE_VS_FLOOR:g}x floor at K = {k}", x <= VALIDATE_VS_FLOOR,
                f"{x:.2f}x")
    for k, m in by_k.items():
        if "report" in m:
            x = m["report"].wall / m["report_floor"].wall
            verdict(f"one report ≤ {REPORT_VS_STACK:g}x stack floor at K = {k}",
                    x <= REPORT_VS_STACK, f"{x:.2f}x ({fmt_s(m['report'].wall)} s vs "
                    f"{fmt_s(m['report_floor'].wall)} s)")
    for r in results:
        m = r["measures"]
        if "report_all" in m:
            ideal = m["report"].wall * r["shape"]["models"] / cores
            x = m["report_all"].wall / ideal
            verdict(f"report --all ≤ {ALL_VS_IDEAL:g}x ideal parallel at K = {r['k']}",
                    x <= ALL_VS_IDEAL, f"{x:.2f}x ({fmt_s(m['report_all'].wall)} s vs "
                    f"{fmt_s(ideal)} s = {fmt_s(m['report'].wall)} s x "
                    f"{r['shape']['models']} / {cores})")
    if 10 in by_k and 100 in by_k:
        size = {k: next(r["shape"]["messages"] for r in results if r["k"] == k)
                for k in (10, 100)}
        for name in ("floor", "facts", "validate"):
            b = (math.log(by_k[100][name].wall / by_k[10][name].wall)
                 / math.log(size[100] / size[10]))
            if name == "floor":
                verdict("floor grows linearly (exponent, K = 10 -> 100)", None, f"{b:.2f}")
            else:
                verdict(f"{name} grows linearly (exponent K = 10 -> 100 ≤ {LINEAR_EXPONENT})",
                        b <= LINEAR_EXPONENT, f"{b:.2f}")
    else:
        verdict("cost grows linearly (K = 10 -> 100)", None, "needs K = 10 and 100")
    return out


def to_json(obj):
    if isinstance(obj, Measure):
        return {"name": obj.name, "command": obj.command,
                "warmup": asdict(obj.warmup) if obj.warmup else None,
                "runs": [asdict(r) for r in obj.runs]}
    raise TypeError(type(obj))


# --- main --------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--scales", default="1,10,100", help="comma-separated K (default 1,10,100)")
    p.add_argument("--repeat", type=int, default=3, help="runs after the warm-up (default 3)")
    p.add_argument("--quick", action="store_true",
                   help="K = 1 only, one run after the warm-up, no report --all")
    p.add_argument("--root", default="/tmp/sabkit-bench",
                   help="where scaled benchmarks and outputs go (default /tmp/sabkit-bench)")
    p.add_argument("--model", default="gemma-4-31b", help="the model of the single report")
    p.add_argument("--no-reports", action="store_true", help="skip the report measurements")
    p.add_argument("--no-all", action="store_true", help="skip report --all")
    p.add_argument("--all-scales", action="store_true",
                   help="also run report --all at K > 1 (every model: slow)")
    p.add_argument("--all-repeat", type=int, default=2,
                   help="runs of report --all (default 2; it is warm from the single reports)")
    p.add_argument("--regenerate", action="store_true", help="regenerate the scaled data")
    p.add_argument("--json", help="also write the results JSON here")
    args = p.parse_args(argv)
    if args.quick:
        args.scales, args.repeat, args.no_all = "1", 1, True
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    root = Path(args.root)
    root.mkdir(parents=True, exist_ok=True)

    info = machine()
    cores = info["usable_cores"]
    print(f"sabkit bench: {' '.join(sys.argv)}")
    print(f"machine: {cores} cores ({info['cpu']}), {info['memory_gb']} GB memory, "
          f"Python {info['python']}, duckdb {info['versions']['duckdb']}, "
          f"polars {info['versions']['polars']}, commit {info['commit']}, "
          f"load average at start {info['load_at_start'][0]:.1f}")
    print(f"{args.repeat} run(s) per figure after a warm-up; data under {root}\n")
    results, skipped = [], {}
    for k in scales:
        try:
            data = ensure_benchmark(k, root, args.regenerate)
            results.append(bench_scale(k, data, args))
        except Failed as exc:
            skipped[k] = str(exc)
            print(f"K={k} skipped: {exc}\n", file=sys.stderr)
    if not results:
        return 1

    print("\n### Side by side (wall seconds, median; ratio to the floor in brackets)\n")
    print("\n".join(side_by_side(results)))
    for res in results:
        print()
        print("\n".join(scale_table(res, cores)))
    print("\n### Targets\n")
    for name, ok, detail in targets(results, cores):
        mark = "met" if ok else ("not met" if ok is False else "info")
        print(f"- **{mark}**: {name}: {detail}")
    for k, why in skipped.items():
        print(f"- K = {k} skipped: {why.splitlines()[0]}")

    doc = {"machine": info, "args": vars(args), "results": results, "skipped": skipped,
           "targets": targets(results, cores)}
    path = Path(args.json) if args.json else root / time.strftime("results-%Y%m%d-%H%M%S.json")
    path.write_text(json.dumps(doc, indent=1, default=to_json))
    print(f"\nevery run: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
