"""The Markdown tables the bench prints: one per scale, and the scales side by side."""

from __future__ import annotations

from pathlib import Path

from measuring import GB, Measure


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
    row("`sabkit facts --all --json` (cache warm: tables and figures)", M["facts"], f)
    out_bytes = M["facts"].stat("stdout_bytes", max)
    if out_bytes:
        lines.append(f"|   JSON written | {out_bytes / 1e6:.1f} MB | | | | |")
    if "facts_figures" in M:
        row("`sabkit facts --all --json` (transcript tables cached, figures computed)",
            M["facts_figures"], f)
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
        ("facts --all s, figures computed (x floor)",
         lambda r: cell(r, "facts_figures", of="floor")),
        ("facts --all s, no cache (x floor)", lambda r: cell(r, "facts_nocache", of="floor")),
        ("facts cpu s, no cache (x floor cpu)",
         lambda r: cell(r, "facts_nocache", "cpu", of="floor")),
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
