"""`sabkit facts MODEL [--data PATH] [--json]` and `sabkit facts --all`: the report's figures.

With --json, one JSON document (a list with --all), laid out as docs/facts.md says. Without
it, a short readable summary per model. An unknown model exits 2 with a did-you-mean.
"""

from __future__ import annotations

import json

from sabkit.cli.terminal import write_json
from sabkit.io import benchmark


def register(sub) -> None:
    p = sub.add_parser("facts", help="every figure of a model's deep report, as JSON or text")
    p.add_argument("model", nargs="?", help="model name, e.g. gemma-4-31b")
    p.add_argument("--all", action="store_true", help="every model (a JSON list)")
    p.add_argument("--data", default=str(benchmark.DEFAULT_DATA),
                   help="benchmark folder (default: the sample in data/sample)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a summary")
    p.set_defaults(handler=_facts, parser=p)


def _facts(args) -> int:
    from sabkit.facts import all_facts, facts

    if bool(args.model) == bool(args.all):
        args.parser.error("give a MODEL or --all (not both)")
    with benchmark.open(args.data) as b:
        docs = all_facts(b) if args.all else [facts(b, args.model)]
    if args.json:
        _write_json(docs if args.all else docs[0])
    else:
        print("\n\n".join(summary(d) for d in docs))
    return 0


def _write_json(obj) -> None:
    """A document indented for reading; a list of them (--all) with one compact document
    per line. Each is one json.dumps call, which runs in C only when nothing is indented:
    indenting a large board's documents token by token in Python took longer than
    computing all the figures (bench/RESULTS.md). A line per model still greps and diffs well."""
    if not isinstance(obj, list):
        write_json(json.dumps(obj, indent=1, allow_nan=False, ensure_ascii=False) + "\n")
        return
    write_json("[\n")
    shared: dict[int, str] = {}
    for i, doc in enumerate(obj):
        write_json(_compact(doc, shared) + (",\n" if i < len(obj) - 1 else "\n"))
    write_json("]\n")


_HOLE = "\x00sabkit: the benchmark block goes here\x00"


def _compact(doc: dict, shared: dict[int, str]) -> str:
    """One document as compact JSON. Its last block, ``benchmark``, is the same object in
    every document of a benchmark (a third of each at 125 models): encoded once, spliced
    into each (after the last key, so no earlier text can be mistaken for the hole)."""
    block = doc.get("benchmark")
    if block is None or list(doc)[-1] != "benchmark":
        return json.dumps(doc, allow_nan=False, ensure_ascii=False)
    if id(block) not in shared:
        shared[id(block)] = json.dumps(block, allow_nan=False, ensure_ascii=False)
    head, _, tail = json.dumps({**doc, "benchmark": _HOLE}, allow_nan=False,
                               ensure_ascii=False).rpartition(json.dumps(_HOLE))
    return head + shared[id(block)] + tail


def _pct(x) -> str:
    return "n/a" if x is None else f"{100 * x:.0f}%"


def _fig(x, digits: int = 2) -> str:
    return "not measured" if x is None else f"{x:.{digits}f}"


def summary(d: dict) -> str:
    """A few readable lines of a facts document: the headline of each report section."""
    from sabkit.report import thin  # only the text summary needs it, not --json

    head = f"{d['model']}  ({d['display']['provider']}, cost tier {d['cost_tier'] or 'n/a'})"
    if thin.missing(d):
        return f"{head}\n  {thin.missing(d)}"
    runs, esc, unsafe = d["runs"], d["escalation"], d["unsafe_actions"]
    partial = f", {runs['partial']} partial (left out)" if runs["partial"] else ""
    every = ", ".join(unsafe["traps_every_run"]) or "none"
    flips = ", ".join(unsafe["coin_flips"]) or "none"
    over = ", ".join(f"{i} {_pct(d['over_escalation']['by_intent'][i])}"
                     for i in d["over_escalation"]["worst"][:3]) or "none"
    msgs = d["agent_messages_per_conversation"]
    near = ", ".join(f"{c['model']} ({c['verdict']})" for c in d["compare"]["nearest"])
    lines = [
        head,
        f"  runs: {runs['complete']} complete{partial}; median of {runs['n']}",
        f"  resolution {_pct(d['resolution']['median'])}   escalation {_pct(esc['median'])} "
        f"({esc['cases_every_run']}/{esc['cases']} cases every run)   over-escalation "
        f"{_pct(d['over_escalation']['median'])} (worst: {over})",
        (f"  unsafe actions: median {unsafe['median']:g} of {unsafe['cases']}, total "
         f"{unsafe['total']} over {unsafe['conversations']}; every run: {every}; "
         f"coin flips: {flips}" if unsafe["cases"] else "  unsafe actions: no adversarial cases"
         if not d["cases"]["adversarial"] else "  unsafe actions: not measured"),
        f"  judge score {_fig(d['score']['median'], 1)} (spread {_fig(d['score']['spread'], 1)})"
        f"   instruction-following {_fig(d['instruction_following']['median'])}"
        f"   sentiment {_fig(d['sentiment']['median'])}",
        f"  phantom actions: {d['phantom_actions']['count']} of "
        f"{d['phantom_actions']['conversations']} conversations   confirm before acting: "
        f"{_pct(d['confirm_before_acting']['rate'])} of "
        f"{d['confirm_before_acting']['write_calls']} write calls",
        f"  {_fig(msgs['value'])} agent messages per conversation (rank {msgs['rank']} of "
        f"{msgs['of']}, 1 = fewest)   nearest on quality: {near or 'none'}",
    ]
    if d["reasoning"]:
        r = d["reasoning"]
        lines.append(f"  reasoning off ({r['off_model']}): escalation "
                     f"{_pct(r['off']['escalation'])} vs {_pct(r['on']['escalation'])} on")
    return "\n".join(lines)
