"""One model's report, timed by phase; or the same stack on a notebook that only imports.

    python bench/report_one.py MODEL DATA OUT            # what `sabkit report MODEL` does
    python bench/report_one.py MODEL DATA OUT --floor    # the stack floor

The first form calls ``sabkit.report.report`` (resolve the model on an opened benchmark,
then papermill, then the nbconvert export), exactly what the `sabkit report` command runs
after parsing its arguments. The second runs ``sabkit.report.run_notebook`` (the same
papermill call, kernel options and exporter) on ``bench/floor_report.ipynb``: a notebook
whose one cell imports sabkit and the libraries the report imports, and does nothing.

Prints one JSON line with the phases in seconds: ``before`` (interpreter start to the
notebook run: imports, opening the benchmark), ``kernel_start``, ``cells`` and ``export``
(from sabkit.report's own timings), and ``total`` (interpreter start to the end).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

FLOOR_NOTEBOOK = Path(__file__).resolve().parent / "floor_report.ipynb"


def main(argv: list[str]) -> dict:
    model, data, out = argv[:3]
    floor = "--floor" in argv
    from sabkit.report import export as report

    if floor:
        done = report.run_notebook(model, data, out, FLOOR_NOTEBOOK)
    else:
        done = report.report(model, data, out)
    return done.timings


if __name__ == "__main__":
    # time.perf_counter() has no fixed origin; the process start is measured by the caller,
    # so report the phases and let the caller add "before" as its wall time minus the rest.
    t = main(sys.argv[1:])
    print(json.dumps({k: t.get(k) for k in ("kernel_start", "cells", "export", "total")}))
