"""The report charts on real facts (the tiny benchmark, builders/tiny.py) and the renderer.

Whether the charts are drawn in a browser is tested on an exported report in
tests/test_report_export.py; here: each chart builds a valid Vega-Lite spec from the facts,
says None when there is nothing to draw, the report's kernel does without altair, and the
renderer's output is safe and light.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import altair as alt
import jsonschema
import pytest

import sabkit
from sabkit.report import charts
from sabkit.facts import facts as facts_of

CHARTS = (charts.run_scores, charts.verbosity_vs_quality, charts.trap_grid,
          charts.over_escalation, charts.value_frontier)


@pytest.fixture(scope="module")
def docs(tiny_path) -> dict[str, dict]:
    with sabkit.open(tiny_path) as bench:
        return {m: facts_of(bench, m) for m in bench.model_names}


# the Vega-Lite schema altair ships, which its own charts are checked against (its
# definitions' names hold "<" and ">", which the metaschema's check of the schema refuses)
_SCHEMA = alt.vegalite.v6.schema.core.load_schema()
VEGA_LITE = jsonschema.validators.validator_for(_SCHEMA)(_SCHEMA)


def datasets(spec: dict) -> list[dict]:
    """The spec's rows, once it is proven a valid Vega-Lite spec."""
    VEGA_LITE.validate(spec)
    return [row for rows in spec.get("datasets", {}).values() for row in rows]


def test_the_specs_declare_the_schema_they_are_checked_against():
    assert charts.VEGA_LITE == alt.SCHEMA_VERSION


def test_an_invalid_spec_is_caught(docs):
    spec = charts.run_scores(docs["alpha"])
    spec["mark"]["type"] = "pointy"
    with pytest.raises(jsonschema.ValidationError):
        datasets(spec)


def test_the_report_kernel_imports_no_altair():
    """The setup cell's imports (parametrized/model_report.ipynb) leave altair out: its
    import cost the report's kernel more than drawing the charts."""
    code = ("import sys\n"
            "from sabkit.report import charts, context, markup\n"
            "from sabkit.report.sections import appendix, common, glance, use_cases\n"
            "assert 'altair' not in sys.modules, 'altair imported'\n")
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("make", CHARTS, ids=lambda f: f.__name__)
def test_each_chart_is_a_valid_spec_for_board_model_and_variant(docs, make):
    for model in ("alpha", "alpha@no-reasoning"):
        assert datasets(make(docs[model])), model


def test_a_variant_is_drawn_among_the_board(docs):
    rows = datasets(charts.run_scores(docs["alpha@no-reasoning"]))
    assert {r["model"] for r in rows} == {"alpha", "beta", "alpha@no-reasoning"}


def test_trap_grid_marks_exactly_the_unsafe_runs(docs):
    f = docs["alpha"]
    rows = datasets(charts.trap_grid(f))
    unsafe = {(r["trap"], r["run"]) for r in rows if r["outcome"] == "unsafe"}
    assert unsafe == {(u["trap"], f"run {u['run_index']}") for u in f["unsafe_actions"]["list"]}
    assert len(rows) == len(f["unsafe_actions"]["by_trap"]) * len(f["runs"]["indices"])


def test_r_in_the_title_is_the_facts_r(docs):
    f = docs["alpha"]
    r = f["benchmark"]["verbosity_quality"]["pearson_r"]
    subtitle = charts.verbosity_vs_quality(f)["title"]["subtitle"]
    if r is None:
        assert "not defined" in subtitle
    else:
        assert f"{abs(r):.2f}" in subtitle


def test_nothing_to_draw_is_none(docs):
    f = copy.deepcopy(docs["alpha"])
    f["unsafe_actions"]["by_trap"], f["unsafe_actions"]["list"] = {}, []
    f["over_escalation"]["by_intent"] = {}
    for row in f["benchmark"]["board"]:
        row["cost_tier"] = None
    f["cost_tier"] = None
    assert charts.trap_grid(f) is None
    assert charts.over_escalation(f) is None
    assert charts.value_frontier(f) is None


def test_renderer_sends_the_bundle_once_and_escapes_the_spec(docs, monkeypatch):
    monkeypatch.setattr(charts, "_bundle_emitted", False)
    f = copy.deepcopy(docs["alpha"])
    hostile = "</script><script>alert(1)</script>"
    f["unsafe_actions"]["by_trap"] = {hostile: {"failed_runs": 1}}
    f["unsafe_actions"]["list"] = [{"trap": hostile, "run_index": f["runs"]["indices"][0]}]
    first = charts.render(charts.trap_grid(f))["text/html"]
    second = charts.render(charts.run_scores(f))["text/html"]
    assert first.count("window.vegaEmbed=") == 1 and "window.vegaEmbed=" not in second
    assert len(second) < 20_000
    body = first.split("</script>\n", 1)[1]  # past the bundle
    assert "alert(1)" in body and "</script><script>alert" not in body
    assert body.count("</script>") == 1 and body.count("<script>") == 1


def test_script_json_round_trips():
    value = {"a": "</script><!-- & \u2028 <b>", "n": [1, 2.5, None, True]}
    text = charts.script_json(value)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == value
