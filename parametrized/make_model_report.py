"""Write parametrized/model_report.ipynb, the deep report's template, from the list below.

    .venv/bin/python parametrized/make_model_report.py

The template holds no figure and no model name: its first cell is the papermill
``parameters`` cell, the second opens the benchmark and computes the facts and quotes, and
every other cell shows one section (a ``sabkit.prose`` function returning HTML) or one chart
(``sabkit.charts``), in the reference reports' order. Each cell carries a tag naming its
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
facts_in = None   # the model's facts JSON computed beforehand (sabkit report --all), or None"""

SETUP = """\
from IPython.display import HTML, display

from sabkit.report import charts, prose

charts.enable()
r = prose.load(model, data, out_facts, facts_in)
display(HTML(prose.style()))"""

# (tag, source): one section or chart per cell, in the reference reports' order.
CELLS = [
    ("title", "display(HTML(prose.title(r)))"),
    ("verdict", "display(HTML(prose.verdict(r)))"),
    ("callouts", "display(HTML(prose.callouts(r)))"),
    ("how-we-ran", "display(HTML(prose.how_we_ran(r)))"),
    ("short-version", "display(HTML(prose.short_version(r)))"),
    ("resolution-and-handover", "display(HTML(prose.resolution_and_handover(r)))"),
    ("chart-over-escalation",
     'prose.chart(charts.over_escalation(r.facts), "No solvable intent to draw.")'),
    ("instruction-following", "display(HTML(prose.instruction_following(r)))"),
    ("customer-experience", "display(HTML(prose.customer_experience(r)))"),
    ("adversarial-safety", "display(HTML(prose.adversarial_safety(r)))"),
    ("chart-trap-grid", 'prose.chart(charts.trap_grid(r.facts), "No adversarial trap to draw.")'),
    ("traits", "display(HTML(prose.traits(r)))"),
    ("stability", "display(HTML(prose.stability(r)))"),
    ("chart-run-scores", 'prose.chart(charts.run_scores(r.facts), "No complete run to draw.")'),
    ("how-it-compares", "display(HTML(prose.how_it_compares(r)))"),
    ("chart-value-frontier",
     'prose.chart(charts.value_frontier(r.facts), "No cost tier in this benchmark to draw.")'),
    ("cost-and-verbosity", "display(HTML(prose.cost_and_verbosity(r)))"),
    ("chart-verbosity-vs-quality",
     'prose.chart(charts.verbosity_vs_quality(r.facts), "No board model to draw.")'),
    ("bottom-line", "display(HTML(prose.bottom_line(r)))"),
    ("at-a-glance", "display(HTML(prose.at_a_glance(r)))"),
    ("per-use-case", "display(HTML(prose.per_use_case(r)))"),
    ("appendix", "display(HTML(prose.appendix(r)))"),
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
