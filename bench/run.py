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
each figure is the median of --repeat runs with min and max. Wall time is measured around
the process; CPU time (user + system) and peak RSS come from the kernel's accounting of
that process and its reaped children (os.wait4), so peak RSS is that of the largest single
process in the tree (a report's kernel, say); with psutil, the whole tree's memory is also
sampled, and a run is killed past --mem-cap or --timeout (and its repeats skipped). The
machine may be shared: CPU time is printed beside wall time, and the load average at the
start of each run is kept in the JSON results.

Results: Markdown tables on stdout, every run in /tmp/sabkit-bench/results-*.json.
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
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

try:
    import psutil
except ImportError:  # timing still works; no memory cap, no tree sampling
    psutil = None

REPO = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
SAMPLE = REPO / "data" / "sample"
PY = sys.executable
BIN = Path(PY).parent
SABKIT = [str(BIN / "sabkit")] if (BIN / "sabkit").exists() else [PY, "-m", "sabkit.cli"]
TABLES = ("models", "cases", "tools", "runs", "scores", "tool_calls", "messages")
GB = 1024 ** 3

# The targets of issues 6 and 16.
FACTS_VS_FLOOR = 3.0        # at K = 10 and 100, cache warm
FACTS_COLD_VS_FLOOR = 5.0   # at K = 10 and 100, no cache
FACTS_ON_SAMPLE_S = 2.0     # K = 1, wall seconds
PEAK_RSS_K100 = 3 * GB
VALIDATE_VS_FLOOR = 2.0
REPORT_VS_STACK = 1.25     # issue 16 (1.5 in issue 6)
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
    failed: str | None = None

    def stat(self, key: str = "wall", fn=statistics.median):
        values = [getattr(r, key) if key in ("wall", "cpu", "rss", "load") else r.extra.get(key)
                  for r in self.runs]
        values = [v for v in values if v is not None]
        return fn(values) if values else None

    @property
    def wall(self) -> float | None:
        return self.stat("wall")

    @property
    def rss(self) -> int | None:
        """Peak memory: the larger of the biggest process (wait4) and the sampled tree."""
        values = [v for v in (self.stat("rss", max), self.stat("tree_rss", max)) if v]
        return max(values) if values else None


class Failed(RuntimeError):
    pass


def _tree_rss(proc) -> int:
    """Resident memory of a process and all its descendants now (bytes), via psutil."""
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def _kill_tree(pid: int) -> None:
    try:
        parent = psutil.Process(pid)
        for child in parent.children(recursive=True):
            child.kill()
        parent.kill()
    except psutil.Error:
        pass


def run_once(cmd: list[str], *, stdout=None, cwd=None, timeout: float = 0,
             mem_cap: int = 0, env: dict | None = None) -> Run:
    """Run ``cmd`` in its own process; wall time around it, CPU and peak RSS from wait4.

    With psutil, a watcher samples the whole process tree's memory every 0.2 s (kept as
    ``tree_rss``) and kills the tree past ``mem_cap`` bytes or ``timeout`` seconds."""
    load = os.getloadavg()[0]
    with tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=stdout or out, stderr=err, cwd=cwd or REPO,
                                env={**os.environ, **(env or {})})
        watch = {"peak": 0, "killed": None}
        stop = threading.Event()

        def watcher():
            ps = psutil.Process(proc.pid)
            while not stop.wait(0.2):
                rss = _tree_rss(ps)
                watch["peak"] = max(watch["peak"], rss)
                if mem_cap and rss > mem_cap:
                    watch["killed"] = f"killed at {rss / GB:.1f} GB (cap {mem_cap / GB:.0f} GB)"
                elif timeout and time.perf_counter() - started > timeout:
                    watch["killed"] = f"killed after {timeout:.0f} s (time limit)"
                if watch["killed"]:
                    _kill_tree(proc.pid)
                    return

        thread = threading.Thread(target=watcher, daemon=True) if psutil else None
        if thread:
            thread.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        stop.set()
        if thread:
            thread.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if watch["killed"]:
            raise Failed(f"{' '.join(cmd[-4:])}: {watch['killed']}")
        if proc.returncode != 0:
            err.seek(0)
            raise Failed(f"{' '.join(cmd)} exited {proc.returncode}:\n"
                         + err.read().decode(errors="replace")[-3000:])
        extra = {"tree_rss": watch["peak"]} if thread else {}
        if stdout is None:
            out.seek(0)
            lines = out.read().decode(errors="replace").strip().splitlines()
            if lines and lines[-1].startswith("{"):
                extra.update(json.loads(lines[-1]))
    return Run(wall=wall, cpu=usage.ru_utime + usage.ru_stime, rss=usage.ru_maxrss * 1024,
               load=load, extra=extra)


def measure(name: str, cmd: list[str], args, *, repeat: int | None = None,
            warmup: bool = True, sink: Path | None = None, env: dict | None = None,
            before=None, log=print) -> Measure:
    """A warm-up run, then ``repeat`` runs; stdout goes to ``sink`` when given, ``env`` is
    added to the environment, ``before()`` runs (untimed) before each run. A run that
    fails, or is killed past the memory cap or time limit, ends the measure."""
    repeat = args.repeat if repeat is None else repeat

    def once() -> Run:
        if before:
            before()
        kw = {"timeout": args.timeout, "mem_cap": int(args.mem_cap * GB), "env": env}
        if sink is None:
            return run_once(cmd, **kw)
        with open(sink, "wb") as f:
            r = run_once(cmd, stdout=f, **kw)
        r.extra["stdout_bytes"] = sink.stat().st_size
        return r

    m = Measure(name, cmd, [])
    try:
        if warmup:
            m.warmup = once()
        for i in range(repeat):
            m.runs.append(once())
            r = m.runs[-1]
            log(f"    {name} [{i + 1}/{repeat}] {r.wall:.2f} s wall, {r.cpu:.2f} s cpu, "
                f"{r.rss / 1e6:.0f} MB (load {r.load:.1f})")
    except Failed as exc:
        m.failed = str(exc).splitlines()[0][:300]
        log(f"    {name} FAILED: {exc}")
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
    commit = git("rev-parse", "--short", "HEAD")
    dirty = bool(git("status", "--porcelain", "src/sabkit"))
    return {
        "cores": os.cpu_count(), "usable_cores": len(os.sched_getaffinity(0)), "cpu": cpu,
        "memory_gb": round(mem.get("MemTotal", 0) / GB, 1),
        "python": platform.python_version(), "platform": platform.platform(),
        "versions": versions, "commit": commit + ("+dirty" if dirty else ""),
        "load_at_start": os.getloadavg(),
    }


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout.strip()


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*.parquet"))


def _sample_sizes() -> dict:
    return {p.name: p.stat().st_size for p in sorted(SAMPLE.glob("*.parquet"))}


def ensure_benchmark(k: int, shape: str, root: Path, regenerate: bool, log=print) -> Path:
    """The benchmark K times the sample in the given shape, generated once and reused while
    its source (the sample for a copy or bench/scale.py, the synth code for `sabkit synth
    --scale`) is unchanged."""
    dst = root / ("sample" if k == 1 else f"{shape}-{k}")
    stamp = dst / ".sabkit-bench.json"
    if k == 1 or shape == "proportional":
        source = {"sample": _sample_sizes(), "scale.py": git("log", "-1", "--format=%h", "--",
                                                             "bench/scale.py")}
    else:
        source = {"synth": git("log", "-1", "--format=%h", "--", "src/sabkit/synth")}
    if stamp.is_file() and not regenerate and json.loads(stamp.read_text()).get("source") == source:
        return dst
    need = folder_bytes(SAMPLE) * k * 3  # the files, with room for DuckDB's temp files
    free = shutil.disk_usage(root).free
    if free < need:
        raise Failed(f"K={k}: {free / GB:.1f} GB free under {root}, ~{need / GB:.1f} GB needed")
    tmp = root / f".{dst.name}.partial"
    shutil.rmtree(tmp, ignore_errors=True)
    started = time.perf_counter()
    if k == 1:
        tmp.mkdir(parents=True)
        for p in SAMPLE.glob("*.parquet"):
            shutil.copy2(p, tmp / p.name)
    else:
        if shape == "models":
            if not (REPO / "src" / "sabkit" / "synth" / "scale.py").is_file():
                raise Failed(f"K={k}: `sabkit synth --scale` is not in this checkout")
            cmd = [*SABKIT, "synth", "--scale", str(k), "--out", str(tmp)]
        else:
            cmd = [PY, str(BENCH / "scale.py"), str(k), str(tmp)]
        log(f"  generating {dst.name} ({' '.join(cmd[-4:])}) ...")
        proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
        if proc.returncode != 0:
            raise Failed(f"generating K={k} failed:\n{proc.stderr[-3000:]}")
    shutil.rmtree(dst, ignore_errors=True)
    tmp.rename(dst)
    seconds = time.perf_counter() - started
    stamp.write_text(json.dumps({"k": k, "shape": shape, "source": source,
                                 "generated_s": round(seconds, 1),
                                 "at": time.strftime("%Y-%m-%d %H:%M:%S")}))
    if k > 1:
        log(f"  generated {dst.name} in {seconds:.0f} s")
    return dst


def shape_of(path: Path) -> dict:
    import duckdb

    con = duckdb.connect()
    out = {}
    for t in ("models", "cases", "runs", "scores", "messages", "tool_calls"):
        single = path / f"{t}.parquet"
        files = str(single) if single.exists() else f"{path / t}/**/*.parquet"
        out[t] = con.execute("SELECT count(*) FROM read_parquet($files)",
                             {"files": files}).fetchall()[0][0]
    out["bytes"] = folder_bytes(path)
    out["model_names"] = [r[0] for r in con.execute(
        "SELECT model FROM read_parquet($files) ORDER BY model",
        {"files": str(path / "models.parquet")}).fetchall()]
    con.close()
    return out


# --- one scale ---------------------------------------------------------------------------

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

    keep(measure("floor", [PY, str(BENCH / "floor.py"), str(data)], args, log=log))
    facts_cmd = [*SABKIT, "facts", "--all", "--json", "--data"]
    # warm: the per-conversation tables are in the cache (the warm-up run put them there),
    # as on every re-run; nocache: everything read from the Parquet, as on a first run
    keep(measure("facts", [*facts_cmd, str(data)], args, sink=out_root / "facts.json",
                 log=log))
    keep(measure("facts_nocache", [*facts_cmd, str(data)], args, env={"SABKIT_CACHE": "off"},
                 sink=out_root / "facts.json", log=log))
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
    keep(measure("validate", [*SABKIT, "validate", str(data)], args, log=log))
    if not args.no_reports:
        keep(measure("report", [PY, str(BENCH / "report_one.py"), model, str(data),
                                str(out_root / "one")], args, log=log))
        keep(measure("report_floor", [PY, str(BENCH / "report_one.py"), model, str(data),
                                      str(out_root / "floor"), "--floor"], args, log=log))
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


# --- printing ----------------------------------------------------------------------------

def fmt_s(x) -> str:
    if x is None:
        return "–"
    return f"{x:.2f}" if x < 100 else f"{x:.0f}"


def fmt_mb(x) -> str:
    return "–" if not x else (f"{x / 1e6:.0f} MB" if x < 1e9 else f"{x / GB:.2f} GB")


def span(m: Measure, key: str = "wall") -> str:
    if m.failed and not m.runs:
        return f"failed: {m.failed}"
    return f"{fmt_s(m.stat(key))} ({fmt_s(m.stat(key, min))}–{fmt_s(m.stat(key, max))})"


def ratio(a, b) -> str:
    return "–" if a is None or not b else f"{a / b:.2f}x"


def scale_table(res: dict, cores: int) -> list[str]:
    M = res["measures"]
    f = M["floor"]
    sh = res["shape"]
    lines = [
        f"#### K = {res['k']} ({Path(res['data']).name}): {sh['models']} models, "
        f"{sh['cases']} cases, {sh['runs']} runs, {sh['scores']:,} conversations, "
        f"{sh['messages']:,} messages, {sh['bytes'] / 1e6:.1f} MB of Parquet",
        "",
        "| measurement | wall s: median (min–max) | cpu s | peak RSS | vs floor (wall) | "
        "vs floor (cpu) |",
        "|---|---|---|---|---|---|",
    ]

    def row(label, m, floor=None, note=""):
        lines.append(f"| {label} | {span(m)} | {fmt_s(m.stat('cpu'))} | {fmt_mb(m.rss)} | "
                     f"{ratio(m.wall, floor.wall) if floor else ''}{note} | "
                     f"{ratio(m.stat('cpu'), floor.stat('cpu')) if floor else ''} |")

    row("floor: DuckDB scan of the metric columns", f)
    lines.append(f"|   of which import duckdb / scan | {fmt_s(f.stat('import_s'))} / "
                 f"{fmt_s(f.stat('scan_s'))} | | | | |")
    row("`sabkit facts --all --json` (cache warm)", M["facts"], f)
    out_bytes = M["facts"].stat("stdout_bytes", max)
    if out_bytes:
        lines.append(f"|   JSON written | {out_bytes / 1e6:.1f} MB | | | | |")
    if "facts_nocache" in M:
        row("`sabkit facts --all --json` (no cache: `SABKIT_CACHE=off`)", M["facts_nocache"], f)
    row("`sabkit validate`", M["validate"], f)
    if "report" in M:
        r, rf = M["report"], M["report_floor"]
        row(f"one report: {res['model']}", r, rf, " of stack floor")
        row("stack floor (papermill + nbconvert, imports only)", rf)
        for phase in ("before", "kernel_start", "cells", "export"):
            lines.append(f"|   {phase.replace('_', ' ')}: report / floor | "
                         f"{fmt_s(r.stat(phase))} / {fmt_s(rf.stat(phase))} | | | "
                         f"{ratio(r.stat(phase), rf.stat(phase))} | |")
    if "report_all" in M:
        a = M["report_all"]
        n = sh["models"]
        ideal = M["report"].wall * n / cores if M["report"].wall else None
        row(f"`sabkit report --all` ({n} models, {cores} cores)", a,
            note=f"{ratio(a.wall, ideal)} of ideal {fmt_s(ideal)} s")
    if "one_model_hive" in M:
        for layout in ("flat", "hive"):
            m = M[f"one_model_{layout}"]
            files = m.runs[-1].extra.get("files") if m.runs else None
            q = m.stat("query_s")
            row(f"one model's messages, {layout} layout: query {fmt_s(q)} s, files scanned "
                f"{'/'.join(map(str, files)) if files else 'all (one scan)'}", m)
        row("`sabkit validate` on the hive layout", M["validate_hive"], f)
        if "facts_new_run" in M:
            row(f"`sabkit facts --all --json`, hive layout, {res['model']}'s files new",
                M["facts_new_run"], f)
    return lines


def cell(res, name, key="wall", of=None) -> str:
    m = res["measures"].get(name)
    if m is None:
        return "–"
    if m.failed and not m.runs:
        return "failed"
    if key == "rss":
        return fmt_mb(m.rss)
    v = m.stat(key)
    base = res["measures"].get(of)
    return fmt_s(v) + (f" ({ratio(v, base.stat(key))})" if base and base.runs else "")


def side_by_side(results: list[dict]) -> list[str]:
    head = "| | " + " | ".join(f"K = {r['k']}" for r in results) + " |"
    lines = [head, "|---|" + "---|" * len(results)]
    rows = [
        ("models x cases x runs", lambda r: f"{r['shape']['models']} x {r['shape']['cases']} x "
                                            f"{r['shape']['runs']}"),
        ("conversations", lambda r: f"{r['shape']['scores']:,}"),
        ("messages", lambda r: f"{r['shape']['messages']:,}"),
        ("floor s", lambda r: cell(r, "floor")),
        ("facts --all s, cache warm (x floor)", lambda r: cell(r, "facts", of="floor")),
        ("facts cpu s (x floor cpu)", lambda r: cell(r, "facts", "cpu", of="floor")),
        ("facts peak RSS", lambda r: cell(r, "facts", "rss")),
        ("facts --all s, no cache (x floor)", lambda r: cell(r, "facts_nocache", of="floor")),
        ("facts --all s, one model's files new, hive (x floor)",
         lambda r: cell(r, "facts_new_run", of="floor")),
        ("facts peak RSS, no cache", lambda r: cell(r, "facts_nocache", "rss")),
        ("polars peer s (bench/peer.py)", lambda r: cell(r, "peer")),
        ("facts --all no cache / peer", lambda r: ratio(
            r["measures"]["facts_nocache"].wall, r["measures"]["peer"].wall)
            if "peer" in r["measures"] and "facts_nocache" in r["measures"] else "–"),
        ("validate s (x floor)", lambda r: cell(r, "validate", of="floor")),
        ("validate cpu s (x floor cpu)", lambda r: cell(r, "validate", "cpu", of="floor")),
        ("validate peak RSS", lambda r: cell(r, "validate", "rss")),
        ("one report s (x stack floor)", lambda r: cell(r, "report", of="report_floor")),
        ("  its cells s (x floor's cells)", lambda r: cell(r, "report", "cells",
                                                          of="report_floor")),
        ("one report peak RSS", lambda r: cell(r, "report", "rss")),
        ("stack floor s", lambda r: cell(r, "report_floor")),
        ("report --all s", lambda r: cell(r, "report_all")),
    ]
    for label, fn in rows:
        lines.append(f"| {label} | " + " | ".join(fn(r) for r in results) + " |")
    return lines


def targets(results: list[dict], cores: int) -> list[tuple[str, bool | None, str]]:
    by_k = {r["k"]: r for r in results}
    out: list[tuple[str, bool | None, str]] = []

    def ok(m: Measure | None) -> bool:
        return m is not None and bool(m.runs)

    for k in (10, 100):
        name = f"facts ≤ {FACTS_VS_FLOOR:g}x floor at K = {k}"
        m = by_k[k]["measures"] if k in by_k else None
        if not m:
            out.append((name, None, "K not run"))
        elif not ok(m["facts"]):
            out.append((name, False, m["facts"].failed))
        else:
            x = m["facts"].wall / m["floor"].wall
            out.append((name, x <= FACTS_VS_FLOOR,
                        f"{x:.2f}x ({fmt_s(m['facts'].wall)} s vs {fmt_s(m['floor'].wall)} s; "
                        f"cpu {ratio(m['facts'].stat('cpu'), m['floor'].stat('cpu'))}; "
                        "cache warm)"))
            if ok(m.get("facts_nocache")):
                x = m["facts_nocache"].wall / m["floor"].wall
                out.append((f"facts ≤ {FACTS_COLD_VS_FLOOR:g}x floor at K = {k}, no cache",
                            x <= FACTS_COLD_VS_FLOOR,
                            f"{x:.2f}x ({fmt_s(m['facts_nocache'].wall)} s; cpu "
                            f"{ratio(m['facts_nocache'].stat('cpu'), m['floor'].stat('cpu'))})"))
            if ok(m.get("facts_nocache")) and ok(m.get("peer")):
                x = m["facts_nocache"].wall / m["peer"].wall
                same = by_k[k].get("peer_same") or {}
                out.append((f"sabkit facts --all, no cache, faster than the polars peer at "
                            f"K = {k}", x < 1 and all(same.values()),
                            f"{x:.2f}x the peer ({fmt_s(m['facts_nocache'].wall)} s vs "
                            f"{fmt_s(m['peer'].wall)} s); peer's figures equal sabkit's: "
                            f"{', '.join(n for n, v in same.items() if v) or 'none'}"))
            for other, label in (("facts_new_run", "one model's files new, hive layout"),):
                if ok(m.get(other)):
                    out.append((f"facts at K = {k}, {label} (for reference)", None,
                                f"{m[other].wall / m['floor'].wall:.2f}x "
                                f"({fmt_s(m[other].wall)} s)"))
    if 1 in by_k and ok(by_k[1]["measures"]["facts"]):
        f = by_k[1]["measures"]["facts"]
        out.append((f"facts < {FACTS_ON_SAMPLE_S:g} s on the sample", f.wall < FACTS_ON_SAMPLE_S,
                    f"{f.wall:.2f} s wall, {f.stat('cpu'):.2f} s cpu"))
    if 100 in by_k:
        ms = by_k[100]["measures"]
        failed = [m.name for m in ms.values() if m.failed]
        done = [m for m in ms.values() if m.rss]
        worst = max(done, key=lambda m: m.rss) if done else None
        out.append(("peak RSS at K = 100 < 3 GB",
                    (worst.rss < PEAK_RSS_K100 and not failed) if worst else None,
                    (f"{fmt_mb(worst.rss)} ({worst.name})" if worst else "") +
                    (f"; failed: {', '.join(failed)}" if failed else "")))
    else:
        out.append(("peak RSS at K = 100 < 3 GB", None, "K = 100 not run"))
    for k, r in by_k.items():
        m = r["measures"]
        name = f"validate ≤ {VALIDATE_VS_FLOOR:g}x floor at K = {k}"
        if ok(m["validate"]):
            x = m["validate"].wall / m["floor"].wall
            out.append((name, x <= VALIDATE_VS_FLOOR, f"{x:.2f}x (cpu "
                        f"{ratio(m['validate'].stat('cpu'), m['floor'].stat('cpu'))})"))
        else:
            out.append((name, False, m["validate"].failed))
    for k, r in by_k.items():
        m = r["measures"]
        if "report" in m:
            name = f"one report ≤ {REPORT_VS_STACK:g}x stack floor at K = {k}"
            if ok(m["report"]) and ok(m["report_floor"]):
                x = m["report"].wall / m["report_floor"].wall
                out.append((name, x <= REPORT_VS_STACK,
                            f"{x:.2f}x ({fmt_s(m['report'].wall)} s vs "
                            f"{fmt_s(m['report_floor'].wall)} s)"))
            else:
                out.append((name, False, m["report"].failed or m["report_floor"].failed))
    for r in results:
        m = r["measures"]
        if "report_all" in m and ok(m["report_all"]) and ok(m["report"]):
            n = r["shape"]["models"]
            ideal = m["report"].wall * n / cores
            x = m["report_all"].wall / ideal
            out.append((f"report --all ≤ {ALL_VS_IDEAL:g}x ideal parallel at K = {r['k']}",
                        x <= ALL_VS_IDEAL,
                        f"{x:.2f}x ({fmt_s(m['report_all'].wall)} s vs ideal {fmt_s(ideal)} s "
                        f"= {fmt_s(m['report'].wall)} s x {n} / {cores})"))
    if 10 in by_k and 100 in by_k:
        size = by_k[100]["shape"]["messages"] / by_k[10]["shape"]["messages"]
        if 1 in by_k:  # the exponent over the whole range, for the growth table
            whole = by_k[100]["shape"]["messages"] / by_k[1]["shape"]["messages"]
            for name in ("floor", "facts", "facts_nocache", "peer"):
                a, b = by_k[1]["measures"].get(name), by_k[100]["measures"].get(name)
                if ok(a) and ok(b):
                    out.append((f"{name}: exponent K = 1 -> 100", None,
                                f"{math.log(b.wall / a.wall) / math.log(whole):.2f} on wall "
                                f"time ({fmt_s(a.wall)} s -> {fmt_s(b.wall)} s)"))
        for name in ("floor", "facts", "facts_nocache", "validate"):
            a, b = by_k[10]["measures"][name], by_k[100]["measures"][name]
            label = (f"{name} grows linearly: exponent K = 10 -> 100"
                     + ("" if name == "floor" else f" ≤ {LINEAR_EXPONENT}"))
            if not (ok(a) and ok(b)):
                out.append((label, False if name != "floor" else None, "a run failed"))
                continue
            wall = math.log(b.wall / a.wall) / math.log(size)
            cpu = math.log(b.stat("cpu") / a.stat("cpu")) / math.log(size)
            out.append((label, None if name == "floor" else max(wall, cpu) <= LINEAR_EXPONENT,
                        f"{wall:.2f} on wall time, {cpu:.2f} on cpu time"))
    else:
        out.append(("cost grows linearly (K = 10 -> 100)", None, "needs K = 10 and 100"))
    return out


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
