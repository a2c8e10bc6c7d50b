"""notebooks/explore.ipynb: committed without outputs, runs top to bottom, shows text as text."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import papermill

from builders.hostile import Page, assert_inert, write_hostile

EXPLORE = Path(__file__).resolve().parents[1] / "notebooks" / "explore.ipynb"


def run(tmp_path: Path, **parameters) -> nbformat.NotebookNode:
    """Execute the explorer from a folder that is not the repo, as a reader might."""
    return papermill.execute_notebook(str(EXPLORE), str(tmp_path / "explore.ipynb"),
                                      parameters=parameters, cwd=str(tmp_path),
                                      kernel_name="python3", progress_bar=False)


def html_outputs(nb) -> list[str]:
    return [o["data"]["text/html"] for c in nb.cells if c.cell_type == "code"
            for o in c.outputs if "text/html" in o.get("data", {})]


def test_committed_with_outputs_stripped():
    nb = nbformat.read(EXPLORE, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code)
    assert any("parameters" in c.metadata.get("tags", []) for c in code)


def test_runs_top_to_bottom_on_the_sample(tmp_path):
    nb = run(tmp_path)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert errors == []
    outputs = html_outputs(nb)
    case_view = outputs[-1]
    assert case_view.count("<details") >= 20  # every model's runs of the case
    assert all(mark in case_view for mark in ("🔧", "🤖", "🧑", "⟨think:"))
    # the two charts, drawn offline, and the tables, formatted and out of MathJax's reach
    assert sum('class="sabkit-chart"' in o for o in outputs) == 2
    tables = [o for o in outputs if "gt_table" in o]
    assert len(tables) >= 5 and all(o.startswith('<div class="mathjax_ignore">') for o in tables)
    assert ">$$$$</td>" in tables[0] and "92.8" in tables[0] and "92.802469" not in tables[0]
    assert "mathjax_ignore" in case_view


def test_the_notebook_only_calls_the_library():
    """No helper is defined in the notebook: every one lives in sabkit.explore (tested in
    test_explore_api), so an analyst can call it from any notebook."""
    code = "\n".join(c.source for c in nbformat.read(EXPLORE, as_version=4).cells
                     if c.cell_type == "code")
    assert not re.search(r"^\s*(def|class|import html|from IPython)\b", code, re.MULTILINE)
    assert "explore.show_case(" in code and "explore.search(" in code


def test_hostile_transcript_text_is_shown_as_text(tmp_path):
    bench = write_hostile(tmp_path / "bench")
    nb = run(tmp_path, data=str(bench), case="a1", search_for="alert")
    case_view = html_outputs(nb)[-1]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in case_view
    assert_inert(case_view)
    for output in html_outputs(nb)[:-1]:  # tables escape their cells, charts their data
        assert_inert(output)
        tables = [a for t, a in Page(output).tags if t == "table"]
        assert not tables or not [t for t, a in Page(output).tags if t in ("script", "img",
                                                                            "marquee")]
