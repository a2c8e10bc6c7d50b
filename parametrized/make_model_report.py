"""Write parametrized/model_report.ipynb, the deep report's template, from the list below.

    .venv/bin/python parametrized/make_model_report.py

The template holds no figure and no model name: its first cell is the papermill
``parameters`` cell, the second opens the benchmark and computes the facts and quotes, and
every other cell shows one section (``render`` of a module of ``sabkit.report.sections``,
returning HTML) or one chart (``sabkit.report.charts``), in the order the report reads. Each cell carries a tag naming its
section, so a failing run can say which section failed. A test checks that the committed
notebook is what this script writes.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

PATH = Path(__file__).resolve().with_name("model_report.ipynb")

PARAMETERS = """\
# Parameters (papermill -p NAME VALUE). `model` is required: a name from the models table.
model = None      # the model to report on
data = None       # a benchmark folder; None means the sample, sabkit.DEFAULT_DATA
out_facts = None  # a path to write the facts JSON to, or None
facts_in = None   # the model's facts JSON computed beforehand (sabkit report --all), or None
siblings = None   # models whose reports sit in the same folder (links go to those only)
assets = None     # folder (relative to the report) holding the shared CSS and chart bundle;
                  # None writes both into the page, so it opens alone"""

SETUP = """\
from IPython.display import HTML, display

from sabkit.report import charts, context, markup
from sabkit.report.sections import (appendix, bottom_line, compares, cost, experience, glance,
                                    handover, header, instructions, method, safety,
                                    short_version, stability, traits, use_cases, verdict)
from sabkit.report.sections.common import chart

charts.enable(assets and f"{assets}/vega-embed.js")
r = context.load(model, data, out_facts, facts_in, siblings)
display(HTML(markup.style(assets and f"{assets}/report.css")))"""

# (tag, source): one section or chart per cell, in the reference reports' order.
CELLS = [
    ("header", "display(HTML(header.render(r)))"),
    ("verdict", "display(HTML(verdict.render(r)))"),
    ("how-we-ran", "display(HTML(method.render(r)))"),
    ("short-version", "display(HTML(short_version.render(r)))"),
    ("resolution-and-handover", "display(HTML(handover.render(r)))"),
    ("chart-over-escalation",
     'chart(charts.over_escalation(r.facts), "No solvable intent to draw.")'),
    ("instruction-following", "display(HTML(instructions.render(r)))"),
    ("customer-experience", "display(HTML(experience.render(r)))"),
    ("adversarial-safety", "display(HTML(safety.render(r)))"),
    ("chart-trap-grid", 'chart(charts.trap_grid(r.facts), "No adversarial trap to draw.")'),
    ("traits", "display(HTML(traits.render(r)))"),
    ("stability", "display(HTML(stability.render(r)))"),
    ("chart-run-scores", 'chart(charts.run_scores(r.facts), "No complete run to draw.")'),
    ("how-it-compares", "display(HTML(compares.render(r)))"),
    ("chart-value-frontier",
     'chart(charts.value_frontier(r.facts), "No cost tier in this benchmark to draw.")'),
    ("cost-and-verbosity", "display(HTML(cost.render(r)))"),
    ("chart-verbosity-vs-quality",
     'chart(charts.verbosity_vs_quality(r.facts), "No board model to draw.")'),
    ("bottom-line", "display(HTML(bottom_line.render(r)))"),
    ("at-a-glance", "display(HTML(glance.render(r)))"),
    ("per-use-case", "display(HTML(use_cases.render(r)))"),
    ("appendix", "display(HTML(appendix.render(r)))"),
]


def notebook() -> nbformat.NotebookNode:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    cells = [("parameters", PARAMETERS), ("setup", SETUP), *CELLS]
    for i, (tag, source) in enumerate(cells):
        cell = new_code_cell(source, metadata={"tags": [tag]})
        cell["id"] = f"cell-{i:02d}-{tag}"[:64]
        nb.cells.append(cell)
    return nb


def main() -> None:
    nbformat.write(notebook(), PATH)
    print(PATH)


if __name__ == "__main__":
    main()
