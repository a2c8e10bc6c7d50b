"""The explorer's formatted tables (great_tables) and charts (altair), for sabkit.explore's frames.

    from sabkit import explore, explore_views as views
    board = explore.leaderboard(bench)
    views.table(board.select("model", "score", "resolution"))   # 71.3, 83%, ...
    views.leaderboard_chart(board)                              # bars with each run's spread

``table`` formats each column by what its name says it holds (a rate as a percent, a judge
score with one decimal, counts with thousands separators), escapes every cell, and wraps
the table in a ``mathjax_ignore`` element: JupyterLab would typeset the ``$$$$`` cost tier
as an empty block of display maths. great_tables renders polars frames without pandas.

The charts fill the width of their output area (``width="container"``) and stay readable
down to 400 px: model names on the axis, figures in the tooltips. ``enable()`` draws them
offline with the deep report's vega-embed bundle (sabkit.report.charts), and only once
their output area has a width: JupyterLab renders a reopened notebook's outputs while its
panel is still hidden, and a chart sized then is 0 px wide for good.
"""

from __future__ import annotations

import json
import uuid

import altair as alt
import polars as pl

from sabkit.explore import OUTCOMES
from sabkit.report import charts

# Column name -> how it reads: rates (fractions) as percents, judge scores with one decimal.
RATES = ("resolution", "escalation", "over_escalation", "rate", "share", "unsafe_share")
_PASSED, _FAILED = "#16a34a", "#dc2626"
OUTCOME_COLOURS = {"resolved": _PASSED, "escalated": "#0d9488", "held": "#15803d",
                   "unresolved": "#f59e0b", "over-escalated": "#ea580c",
                   "missed escalation": "#b91c1c", "unsafe": _FAILED}
BAR = "#2563eb"
SHORT = 60  # characters: a text column no longer than this stays on one line


_bundle_emitted = False

# Draw when the element first has a width; afterwards tell Vega when that width changes
# (a sidebar opened, the window resized): a "container" width follows window resizes only.
_DRAW = """(function () {
  var el = document.getElementById(%(div)s), drawn = false, width = 0;
  new ResizeObserver(function () {
    if (!el.clientWidth || el.clientWidth === width) return;
    width = el.clientWidth;
    if (drawn) { window.dispatchEvent(new Event("resize")); return; }
    drawn = true;
    vegaEmbed(el, %(spec)s, %(options)s).catch(function (e) {
      el.textContent = "chart not drawn: " + e; });
  }).observe(el);
})();"""


def enable() -> None:
    """Draw altair charts with the explorer's renderer from here on in this kernel."""
    alt.renderers.register("sabkit-explore", render)
    alt.renderers.enable("sabkit-explore")


def render(spec: dict, **_metadata) -> dict[str, str]:
    """A chart's MIME bundle: a div, and the script that draws the spec into it once the
    div has a width; the first chart of a kernel session also carries the vega-embed
    bundle (as ``charts.render`` does; the spec's strings cannot end the script)."""
    global _bundle_emitted
    div = f"sabkit-chart-{uuid.uuid4().hex[:12]}"
    draw = _DRAW % {"div": json.dumps(div), "spec": charts.script_json(spec),
                    "options": json.dumps(charts.EMBED_OPTIONS)}
    # a block of the output's full width: vega-embed makes its element an inline-block,
    # which would measure 0 px before the chart is drawn into it
    page = (f'<div id="{div}" class="sabkit-chart" style="display: block; width: 100%">'
            f"</div>\n<script>{draw}</script>")
    if not _bundle_emitted:
        page = f"<script>{charts.script_text(charts.vega_embed_bundle())}</script>\n{page}"
        _bundle_emitted = True
    return {"text/html": page}


def _kind(name: str) -> str:
    words = name.lower().replace(" ", "_")
    if words in RATES or words.endswith(("_rate", "_share")):
        return "percent"
    if "score" in words or words == "spread":
        return "score"
    return "number"


def _lists_as_text(frame: pl.DataFrame) -> pl.DataFrame:
    """List columns (a score per run) as one readable string: '71.2 · 68.0 · 70.1'."""
    def show(name: str, dtype) -> pl.Expr:
        digits = 1 if _kind(name) == "score" else 2
        inner = pl.element().round(digits).cast(pl.String) if dtype.inner.is_float() \
            else pl.element().cast(pl.String)
        return pl.col(name).list.eval(inner).list.join(" · ")
    return frame.with_columns(show(n, d) for n, d in frame.schema.items()
                              if isinstance(d, pl.List))


def table(frame: pl.DataFrame, *, title: str | None = None, rows: int | None = 30):
    """``frame`` as a formatted HTML table (the first ``rows`` rows; None for all), every
    cell escaped, inside a ``mathjax_ignore`` element. An IPython HTML object."""
    from great_tables import GT, loc, style
    from IPython.display import HTML

    shown = _lists_as_text(frame if rows is None else frame.head(rows))
    bools = [n for n, d in shown.schema.items() if d == pl.Boolean]
    shown = shown.with_columns(pl.col(n).replace_strict({True: "yes", False: "no"},
                                                        return_dtype=pl.String) for n in bools)
    gt = GT(shown).cols_label(**{n: n.replace("_", " ") for n in shown.columns})
    floats = [n for n, d in shown.schema.items() if d.is_float()]
    for kind, columns in (("percent", [n for n in floats if _kind(n) == "percent"]),
                          ("score", [n for n in floats if _kind(n) == "score"]),
                          ("number", [n for n in floats if _kind(n) == "number"])):
        if columns and kind == "percent":
            gt = gt.fmt_percent(columns, decimals=0)
        elif columns:
            gt = gt.fmt_number(columns, decimals=1 if kind == "score" else 2)
    integers = [n for n, d in shown.schema.items() if d.is_integer()]
    if integers:
        gt = gt.fmt_integer(integers)
    subtitle = (f"the first {shown.height:,} of {frame.height:,} rows"
                if shown.height < frame.height else None)
    if title or subtitle:
        gt = gt.tab_header(title or "", subtitle)
    # Figures and names on one line each (a wide table scrolls sideways in its own box);
    # only long text, such as a message or a list of models, wraps, never narrower than a
    # short sentence (in a 400 px notebook it would otherwise shrink to a letter a line)
    short = [n for n in shown.columns if shown[n].dtype != pl.String
             or (shown[n].str.len_chars().max() or 0) <= SHORT]
    wrapped = [n for n in shown.columns if n not in short]
    gt = gt.sub_missing(missing_text="–").tab_options(table_font_size="13px",
                                                      container_overflow_x="auto")
    if short:
        gt = gt.tab_style(style.text(whitespace="nowrap"), loc.body(columns=short))
    if wrapped:
        gt = gt.tab_style(style.css("min-width: 18em"), loc.body(columns=wrapped))
    return HTML(f'<div class="mathjax_ignore">{gt.as_raw_html()}</div>')


def leaderboard_chart(board: pl.DataFrame) -> alt.LayerChart:
    """Board models by median judge score, best on top: a bar per model and, across it, the
    whisker from its worst run to its best. Bar and whisker carry the same tooltip, so
    hovering either one shows the model's figures (a whisker drawn over a bar would
    otherwise take the bar's tooltip where they cross)."""
    df = board.filter(pl.col("board") & pl.col("score").is_not_null()).select(
        "model", "rank", "cost_tier", "runs", "score", "score_worst", "score_best", "spread")
    order = df.sort("score", "model", descending=[True, False])["model"].to_list()
    y = alt.Y("model:N", sort=order, title=None, axis=alt.Axis(labelLimit=160))
    x = alt.X("score:Q", title="judge score (median run)",
              scale=alt.Scale(domain=[0, 100]))
    bars = alt.Chart().mark_bar(color=BAR, opacity=0.75, height={"band": 0.7}).encode(x=x, y=y)
    whiskers = alt.Chart().mark_rule(color="#111827", strokeWidth=2).encode(
        x="score_worst:Q", x2="score_best:Q", y=y)
    ends = alt.Chart().mark_tick(color="#111827", thickness=2, size=10).encode(
        x=alt.X("run:Q"), y=y).transform_fold(["score_worst", "score_best"], as_=["end", "run"])
    tooltip = [alt.Tooltip("model:N"), alt.Tooltip("rank:Q", title="rank by score"),
               alt.Tooltip("score:Q", format=".1f", title="median"),
               alt.Tooltip("score_worst:Q", format=".1f", title="worst run"),
               alt.Tooltip("score_best:Q", format=".1f", title="best run"),
               alt.Tooltip("spread:Q", format=".1f"), alt.Tooltip("runs:Q"),
               alt.Tooltip("cost_tier:N", title="cost tier")]
    return alt.layer(bars, whiskers, ends, data=df).encode(tooltip=tooltip).properties(
        title=alt.Title("Leaderboard", subtitle="whisker: worst to best run"),
        width="container", height=alt.Step(18))


def runs_chart(conversations: pl.DataFrame, model: str) -> alt.Chart:
    """One model's runs side by side: each run's conversations by outcome, so a run that
    went differently (more unsafe actions, fewer handovers) stands out. ``conversations``
    is ``explore.conversations(bench, model=model)``; a partial run is marked so."""
    runs = (conversations.filter(pl.col("model") == model)
            .with_columns(run=pl.format("run {}", "run_index")
                          + pl.when(pl.col("complete")).then(pl.lit(""))
                          .otherwise(pl.lit(" (partial)")))
            .group_by("run_index", "run", "outcome").agg(conversations=pl.len(),
                                                         score=pl.col("score").mean())
            .with_columns(share=pl.col("conversations") / pl.col("conversations").sum()
                          .over("run_index"))
            .sort("run_index", "outcome"))
    order = runs.sort("run_index")["run"].unique(maintain_order=True).to_list()
    present = [o for o in OUTCOMES if o in set(runs["outcome"])]
    return alt.Chart(runs).mark_bar().encode(
        x=alt.X("conversations:Q", title="conversations", stack="zero"),
        y=alt.Y("run:N", sort=order, title=None),
        color=alt.Color("outcome:N", title=None, sort=present,
                        scale=alt.Scale(domain=present,
                                        range=[OUTCOME_COLOURS[o] for o in present]),
                        legend=alt.Legend(orient="bottom", columns=2)),
        order=alt.Order("outcome_order:Q"),
        tooltip=[alt.Tooltip("run:N"), alt.Tooltip("outcome:N"),
                 alt.Tooltip("conversations:Q"),
                 alt.Tooltip("share:Q", format=".0%", title="share of the run"),
                 alt.Tooltip("score:Q", format=".1f", title="mean judge score")],
    ).transform_calculate(
        outcome_order=f"indexof({present!r}, datum.outcome)",
    ).properties(title=f"{model}: every run by outcome", width="container",
                 height=alt.Step(28))

