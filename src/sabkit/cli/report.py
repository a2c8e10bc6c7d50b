"""`sabkit report MODEL` and `sabkit report --all`: the deep report as offline HTML.

Both end by printing the path of what to open (the report, or the index of all reports).
papermill, nbconvert and altair are imported inside the handler, so other commands stay fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sabkit.cli.main import at_least_one
from sabkit.io.benchmark import DEFAULT_DATA


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report", help="write a model's deep report (or every model's) as offline HTML",
        description="Run parametrized/model_report.ipynb for MODEL with papermill and export "
        "OUT/MODEL.html (no code, opens offline) beside OUT/MODEL.ipynb and the facts JSON. "
        "With --all, every model in parallel, plus OUT/index.html.")
    p.add_argument("model", nargs="?", help="the model, as `sabkit validate` lists them")
    p.add_argument("--all", action="store_true", help="every model, then the index page")
    p.add_argument("--data", type=_data, default=DEFAULT_DATA,
                   help="benchmark folder (default: the sample)")
    p.add_argument("--out", type=Path, default=Path("outputs"),
                   help="output folder (default: outputs/)")
    p.add_argument("--jobs", type=at_least_one, default=None,
                   help="parallel reports with --all, 1 or more (default: one per core)")
    p.add_argument("--notebook", type=Path, default=None,
                   help="the parametrized notebook to run "
                   "(default: parametrized/model_report.ipynb of this checkout)")
    p.set_defaults(handler=_report, parser=p)


def _data(text: str) -> str | Path:
    """A benchmark folder, or a URL (s3://bucket/bench) kept as text: a Path would fold
    its '//'."""
    from sabkit.io.layout import is_url

    return text if is_url(text) else Path(text)


def _report(args: argparse.Namespace) -> int:
    from sabkit.report import export as report

    if args.all == bool(args.model):
        args.parser.error("name one MODEL, or pass --all for every model")
    if not args.all:
        done = report.report(args.model, args.data, args.out, args.notebook or report.TEMPLATE)
        print(done.html)
        return 0
    result = report.report_all(args.data, args.out, args.notebook or report.TEMPLATE,
                               jobs=args.jobs)
    for line in failure_summary(result.causes):
        print(f"sabkit report: {line}", file=sys.stderr)
    if result.failures:
        print(f"sabkit report: each failed run is kept as {args.out}/MODEL.failed.ipynb; "
              "the last good reports are unchanged", file=sys.stderr)
    print(f"{len(result.reports)} reports in {result.seconds:.1f} s"
          + (f", {len(result.failures)} failed" if result.failures else ""), file=sys.stderr)
    print(result.index)
    return 1 if result.failures else 0


def failure_summary(causes: dict[str, str]) -> list[str]:
    """One line per distinct cause with the models it hit, the commonest first: a broken
    template fails every model the same way, and says so once."""
    hit: dict[str, list[str]] = {}
    for model, cause in sorted(causes.items()):
        hit.setdefault(cause, []).append(model)
    return [f"{len(models)} report{'s' if len(models) > 1 else ''} {cause}: "
            + ", ".join(models)
            for cause, models in sorted(hit.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
