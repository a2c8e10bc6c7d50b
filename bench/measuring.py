"""Measuring one command: its own process, wall time around it, CPU time and peak RSS from
the kernel's accounting.

Every measurement is its own process, started after a warm-up run of the same command;
each figure is the median of the runs with min and max. Wall time is measured around the
process; CPU time (user + system) and peak RSS come from the kernel's accounting of that
process and its reaped children (os.wait4), so peak RSS is that of the largest single
process in the tree (a report's kernel, say); with psutil, the whole tree's memory is also
sampled, and a run is killed past a memory cap or a time limit (and its repeats skipped).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
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
GB = 1024 ** 3


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
    return measure_together([dict(name=name, cmd=cmd, sink=sink, env=env, before=before)],
                            args, repeat=repeat, warmup=warmup, log=log)[0]


def measure_together(specs: list[dict], args, *, repeat: int | None = None,
                     warmup: bool = True, log=print) -> list[Measure]:
    """Several commands measured in turn, run by run (a warm-up of each, then A B C, A B C,
    ...), each spec holding ``measure``'s name, cmd, sink, env and before. A command and
    its floor then meet the same moment of the machine: on a shared machine whose speed
    drifts by a fifth over minutes, a block of A's runs then a block of B's compared
    two different machines, and a ratio near its target flipped between runs of the bench.
    A command that fails ends its own measure, not the others'."""
    repeat = args.repeat if repeat is None else repeat
    measures = [Measure(s["name"], s["cmd"], []) for s in specs]

    def once(spec: dict) -> Run:
        if spec.get("before"):
            spec["before"]()
        kw = {"timeout": args.timeout, "mem_cap": int(args.mem_cap * GB), "env": spec.get("env")}
        sink = spec.get("sink")
        if sink is None:
            return run_once(spec["cmd"], **kw)
        with open(sink, "wb") as f:
            r = run_once(spec["cmd"], stdout=f, **kw)
        r.extra["stdout_bytes"] = sink.stat().st_size
        return r

    def attempt(m: Measure, spec: dict, i: int | None) -> None:
        if m.failed:
            return
        try:
            r = once(spec)
        except Failed as exc:
            m.failed = str(exc).splitlines()[0][:300]
            log(f"    {m.name} FAILED: {exc}")
            return
        if i is None:
            m.warmup = r
            return
        m.runs.append(r)
        log(f"    {m.name} [{i + 1}/{repeat}] {r.wall:.2f} s wall, {r.cpu:.2f} s cpu, "
            f"{r.rss / 1e6:.0f} MB (load {r.load:.1f})")

    if warmup:
        for m, spec in zip(measures, specs):
            attempt(m, spec, None)
    for i in range(repeat):
        for m, spec in zip(measures, specs):
            attempt(m, spec, i)
    return measures
