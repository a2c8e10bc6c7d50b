"""The machine and the data sets: what the bench runs on, and the benchmarks K times the
sample, generated once under the bench's root and reused while their source is unchanged."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import time
from pathlib import Path

from measuring import BENCH, GB, PY, REPO, SABKIT, SAMPLE, Failed


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
