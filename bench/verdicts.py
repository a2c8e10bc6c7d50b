"""The targets of issues 6 and 16, and each one's verdict (met, not met, or for information)
from the measurements of every scale."""

from __future__ import annotations

import math

from measuring import GB, Measure
from printing import fmt_mb, fmt_s, ratio

# The targets of issues 6 and 16.
FACTS_VS_FLOOR = 3.0        # at K = 10 and 100, cache warm
FACTS_COLD_VS_FLOOR = 5.0   # at K = 10 and 100, no cache
FACTS_ON_SAMPLE_S = 2.0     # K = 1, wall seconds
PEAK_RSS_K100 = 3 * GB
VALIDATE_VS_FLOOR = 2.0
REPORT_VS_STACK = 1.25     # issue 16 (1.5 in issue 6)
ALL_VS_IDEAL = 1.3          # on the sample
LINEAR_EXPONENT = 1.15      # "linear": t ~ size^b with b at most this, K = 10 -> 100


def targets(results: list[dict], cores: int) -> list[tuple[str, bool | None, str]]:
    by_k = {r["k"]: r for r in results}
    out: list[tuple[str, bool | None, str]] = []

    def ok(m: Measure | None) -> bool:
        return m is not None and bool(m.runs)

    for k in (10, 100):
        m = by_k[k]["measures"] if k in by_k else None
        if not m:
            out.append((f"facts at K = {k}", None, "K not run"))
            continue
        for name, limit, how in (("facts", FACTS_VS_FLOOR, "cache warm: tables and figures"),
                                 ("facts_figures", FACTS_VS_FLOOR,
                                  "transcript tables cached, figures computed"),
                                 ("facts_nocache", FACTS_COLD_VS_FLOOR, "no cache")):
            label = f"facts ≤ {limit:g}x floor at K = {k}, {how}"
            if name not in m:
                continue
            if not ok(m[name]):
                out.append((label, False, m[name].failed))
                continue
            x = m[name].wall / m["floor"].wall
            out.append((label, x <= limit,
                        f"{x:.2f}x ({fmt_s(m[name].wall)} s vs {fmt_s(m['floor'].wall)} s; "
                        f"cpu {ratio(m[name].stat('cpu'), m['floor'].stat('cpu'))})"))
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
