"""sabkit.explore_views: formatted tables and the explorer's charts, on the tiny benchmark
whose figures were counted by hand (tests/builders/tiny.py, tests/test_explore_api.py)."""

from __future__ import annotations

import re

import polars as pl
import pytest

import sabkit
from sabkit import explore, explore_views as views
from builders.hostile import HOSTILE, Page, assert_inert


@pytest.fixture(scope="module")
def bench(tiny_path):
    with sabkit.open(tiny_path) as b:
        yield b


def cells(page: str) -> list[str]:
    return re.findall(r'<td [^>]*class="gt_row[^"]*"[^>]*>(.*?)</td>', page, re.S)


def test_table_formats_by_what_a_column_holds():
    frame = pl.DataFrame({"model": ["m"], "cost_tier": ["$$$$"], "score": [92.802469],
                          "resolution": [0.958333], "score_per_run": [[92.81, 94.46]],
                          "agent_messages": [12345], "sentiment": [0.91666], "board": [True],
                          "trap": [None]}, schema_overrides={"trap": pl.String})
    page = views.table(frame).data
    assert cells(page) == ["m", "$$$$", "92.8", "96%", "92.8 · 94.5", "12,345", "0.92", "yes",
                           "–"]
    outer = [a for t, a in Page(page).tags if t == "div"][0]
    assert outer["class"] == "mathjax_ignore"  # "$$$$" is not maths to JupyterLab
    # figures stay on one line; text longer than a name may wrap
    long = views.table(pl.DataFrame({"n": [1], "models": ["m" * 80]})).data
    assert re.findall(r'<td ([^>]*)>', long) == [
        'style="white-space: nowrap;" headers="n" class="gt_row gt_right"',
        'style="min-width: 18em" headers="models" class="gt_row gt_left"']


def test_table_escapes_cells_and_headers_and_says_what_it_left_out():
    frame = pl.DataFrame({f"{HOSTILE} outcome": [HOSTILE] * 5, "n": list(range(5))})
    page = views.table(frame, rows=2, title="first rows").data
    assert_inert(page)
    assert len(cells(page)) == 4 and "the first 2 of 5 rows" in page
    assert len(cells(views.table(frame, rows=None).data)) == 10


def test_leaderboard_chart_shares_one_tooltip_and_fills_its_container(bench):
    spec = views.leaderboard_chart(explore.leaderboard(bench)).to_dict()
    assert spec["width"] == "container"
    assert [t["field"] for t in spec["encoding"]["tooltip"]][:3] == ["model", "rank", "score"]
    # no layer brings a tooltip of its own: the whisker over a bar shows the bar's figures
    assert all("tooltip" not in layer.get("encoding", {}) for layer in spec["layer"])
    kinds = [layer["mark"]["type"] for layer in spec["layer"]]
    assert kinds == ["bar", "rule", "tick"]
    data = next(iter(spec["datasets"].values()))
    rows = {r["model"]: r for r in data}
    assert set(rows) == {"alpha", "beta"}  # board models only: the variant is left out
    # alpha's runs: 480/7 and 435/7; beta's: 435/7 and 625/7
    assert (rows["alpha"]["score_worst"], rows["alpha"]["score_best"]) == pytest.approx(
        (435 / 7, 480 / 7))
    assert rows["beta"]["score"] == pytest.approx(530 / 7)
    assert spec["layer"][0]["encoding"]["y"]["sort"] == ["beta", "alpha"]


def test_runs_chart_counts_each_runs_outcomes(bench):
    spec = views.runs_chart(explore.conversations(bench, model="alpha"), "alpha").to_dict()
    assert spec["width"] == "container"
    data = next(iter(spec["datasets"].values()))
    counts = {(r["run"], r["outcome"]): r["conversations"] for r in data}
    # by hand from tiny.py (see test_explore_api's docstring)
    assert counts == {
        ("run 1", "over-escalated"): 1, ("run 1", "resolved"): 2, ("run 1", "escalated"): 1,
        ("run 1", "missed escalation"): 1, ("run 1", "unsafe"): 1, ("run 1", "held"): 1,
        ("run 2", "unresolved"): 1, ("run 2", "over-escalated"): 1, ("run 2", "resolved"): 1,
        ("run 2", "escalated"): 2, ("run 2", "unsafe"): 2,
        ("run 3 (partial)", "over-escalated"): 2}
    shares = {(r["run"], r["outcome"]): r["share"] for r in data}
    assert shares["run 2", "unsafe"] == pytest.approx(2 / 7)
    assert spec["encoding"]["y"]["sort"] == ["run 1", "run 2", "run 3 (partial)"]


def test_charts_draw_once_their_output_has_a_width(monkeypatch):
    """JupyterLab renders a reopened notebook's outputs in a hidden panel: a chart embedded
    then is 0 px wide. The script waits for a width, carries the bundle in the first chart
    only, and keeps hostile text in the spec from ending the script."""
    monkeypatch.setattr(views, "_bundle_emitted", False)
    monkeypatch.setattr(views.charts, "vega_embed_bundle", lambda: "window.vegaEmbed=1;")
    spec = {"title": HOSTILE, "mark": "bar"}
    first, second = views.render(spec)["text/html"], views.render(spec)["text/html"]
    assert first.count("window.vegaEmbed=1;") == 1 and "window.vegaEmbed" not in second
    page = Page(second)
    div = [a for t, a in page.tags if t == "div"][0]
    assert div["class"] == "sabkit-chart" and len(page.scripts) == 1
    script = page.scripts[0]
    assert "new ResizeObserver" in script and "if (!el.clientWidth" in script
    assert script.index("if (!el.clientWidth") < script.index("vegaEmbed(el")
    assert f'getElementById("{div["id"]}")' in script
    assert_inert(second)
