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
    from sabkit.facts import all_facts, all_facts_json, facts

    if bool(args.model) == bool(args.all):
        args.parser.error("give a MODEL or --all (not both)")
    with benchmark.open(args.data) as b:
        if args.all and args.json:
            lines = all_facts_json(b)
        else:
            docs = all_facts(b) if args.all else [facts(b, args.model)]
    if args.all and args.json:
        _write_lines(lines)
    elif args.json:  # one document, indented for reading
        write_json(json.dumps(docs[0], indent=1, allow_nan=False, ensure_ascii=False) + "\n")
    else:
        print("\n\n".join(summary(d) for d in docs))
    return 0


def _write_lines(lines: list[str]) -> None:
    """Every model's document (--all) as a JSON list with one compact document per line:
    the lines ``sabkit.facts.stored`` keeps, written as they are. Indenting a large board's
    documents token by token in Python took longer than computing all the figures
    (bench/RESULTS.md); a line per model still greps and diffs well."""
    write_json("[\n" + ",\n".join(lines) + ("\n]\n" if lines else "]\n"))


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
