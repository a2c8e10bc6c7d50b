"""The report's charts (altair) and the renderer that draws them in an offline HTML page.

Call ``enable()`` once in a notebook, then let a chart be a cell's last expression:

    from sabkit.report import charts
    charts.enable()
    charts.run_scores(facts)        # facts = sabkit.facts.facts(bench, model)

Why a renderer of our own: altair's default HTML loads Vega from a CDN (nothing is drawn
offline), its ``inline`` renderer repeats the 900 kB bundle per chart and only the first
chart of a page then draws, and its ``mimetype`` output fails papermill's notebook
validation. ``enable()`` registers one that puts the vega-embed bundle (from vl-convert,
cached on disk) into the first chart's output of a kernel session and a ``<div>`` plus a
``vegaEmbed`` call into each chart's output, so the exported page holds the bundle once
and every chart draws with no network.

Each chart function takes the model's facts document (docs/facts.md), whose ``benchmark``
block holds the board, and draws the model in colour against the grey board; it returns
None when the data has nothing to draw (no traps, no cost tiers).
"""

from __future__ import annotations

import importlib.metadata
import json
import sys
import uuid

# jsonschema (imported by altair) builds an rfc3987 IRI parser at import when that optional
# package is installed, about 1 s per process; neither Vega-Lite's nor nbformat's schema
# uses the "iri" format it serves, so sabkit's processes skip it.
sys.modules.setdefault("rfc3987_syntax", None)

import altair as alt  # noqa: E402
import polars as pl  # noqa: E402

from sabkit.contract import COST_TIERS  # noqa: E402

HIGHLIGHT = "#c2410c"
BOARD = "#9ca3af"
UNSAFE = "#dc2626"
HELD = "#16a34a"
WIDTH = 560
EMBED_OPTIONS = {"actions": False, "renderer": "svg"}


# --- the renderer -----------------------------------------------------------------------

_bundle_emitted = False
_bundle_src: str | None = None


def enable(bundle_src: str | None = None) -> None:
    """Draw altair charts with sabkit's offline renderer from here on in this kernel.

    ``bundle_src``: the path (relative to the page) of a shared copy of the vega-embed
    bundle, which ``report --all`` writes once for every report; None puts the bundle into
    the page, so a report written alone opens offline by itself."""
    global _bundle_src
    _bundle_src = bundle_src
    alt.renderers.register("sabkit", render)
    alt.renderers.enable("sabkit")


def render(spec: dict, **_metadata) -> dict[str, str]:
    """A chart's MIME bundle: a div and the script that draws the spec into it.

    The first chart of a kernel session also carries the vega-embed bundle, which defines
    ``vegaEmbed`` on the page for every chart after it.
    """
    global _bundle_emitted
    div = f"sabkit-chart-{uuid.uuid4().hex[:12]}"
    draw = (
        f'vegaEmbed(document.getElementById("{div}"), {script_json(spec)}, '
        f"{json.dumps(EMBED_OPTIONS)}).catch(function (e) {{"
        f'document.getElementById("{div}").textContent = "chart not drawn: " + e;}});'
    )
    html = f'<div id="{div}" class="sabkit-chart"></div>\n<script>{draw}</script>'
    if not _bundle_emitted:
        bundle = (f'<script src="{_bundle_src}"></script>' if _bundle_src
                  else f"<script>{script_text(vega_embed_bundle())}</script>")
        html = f"{bundle}\n{html}"
        _bundle_emitted = True
    return {"text/html": html}


class Drawn:
    """A chart for a notebook cell to display: its spec drawn by ``render``, not validated
    against the Vega-Lite schema on the way (altair's own display validates every spec,
    the larger part of drawing a chart). tests/test_charts.py validates every chart the
    report draws, for a board model and a variant; the spec is the same either way."""

    def __init__(self, chart: alt.TopLevelMixin) -> None:
        self.chart = chart

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return render(self.chart.to_dict(validate=False, context={"pre_transform": False}))


def script_json(value) -> str:
    """JSON that is safe inside a <script> element, whatever its strings hold.

    ``<``, ``>`` and ``&`` only occur inside JSON strings, where their \\u escapes mean the
    same; so a customer message holding ``</script>`` cannot end the element.
    """
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def script_text(js: str) -> str:
    """JavaScript source made safe to inline: no ``</script`` can close the element early."""
    return js.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")


def vega_embed_bundle() -> str:
    """vega + vega-lite + vega-embed as one script, built by vl-convert for altair's version.

    Building it takes about 2 s, so it is kept in sabkit's cache (sabkit.cache), keyed by
    the vl-convert and Vega-Lite versions; with the cache off or unwritable it is rebuilt.
    """
    from sabkit.io import cache

    vl_version = ".".join(alt.SCHEMA_VERSION.split(".")[:2])  # "v6.4"
    key = f"{importlib.metadata.version('vl-convert-python')}-{vl_version}"

    def build() -> str:
        import vl_convert
        return vl_convert.javascript_bundle(vl_version=vl_version)

    try:
        folder = cache.entry("vega-embed", key, lambda f: (f / "bundle.js").write_text(
            build(), encoding="utf-8"), holds=("bundle.js",))
        if folder is not None:
            return (folder / "bundle.js").read_text(encoding="utf-8")
    except OSError:
        pass
    return build()


# --- the charts -------------------------------------------------------------------------
#
# Each takes the model's facts document (docs/facts.md) and returns an altair chart, or
# None when the data has nothing to draw (no traps, no cost tiers): the notebook then says
# so in a sentence. Quality is the judge score median (0-100), as on the board.
#
# Channels are altair objects (alt.Tooltip("model:N"), alt.ColorValue), not shorthand
# strings or alt.condition's dict: altair turns those into objects with from_dict, which
# hashes every class of its schema on each call. The spec is the same.

def _board(facts: dict) -> pl.DataFrame:
    """The board's headline rows, plus this model's own when it is a variant off the board."""
    cols = ("model", "cost_tier", "score", "score_per_run", "agent_messages_per_conversation")
    rows = [{c: row.get(c) for c in cols} for row in facts["benchmark"]["board"]]
    if facts["model"] not in {r["model"] for r in rows}:
        rows.append({"model": facts["model"], "cost_tier": facts["cost_tier"],
                     "score": facts["score"]["median"],
                     "score_per_run": facts["score"]["per_run"],
                     "agent_messages_per_conversation":
                         facts["agent_messages_per_conversation"]["value"]})
    return pl.DataFrame(rows, schema={"model": pl.String, "cost_tier": pl.String,
                                      "score": pl.Float64, "score_per_run": pl.List(pl.Float64),
                                      "agent_messages_per_conversation": pl.Float64})


def _is_model(model: str) -> alt.ColorValue:
    return alt.ColorValue(BOARD, condition={"test": alt.datum.model == model,
                                            "value": HIGHLIGHT})


def _minus(x: float) -> str:
    return f"{x:.2f}".replace("-", "\u2212")


def run_scores(facts: dict) -> alt.Chart | None:
    """Every run of every model as a dot on the judge-score axis, this model's in colour.

    Models are ordered by score median, best on top, so the spread of this model's runs
    reads against its neighbours' (does its best run beat the next model's worst?).
    """
    model = facts["model"]
    df = (_board(facts).select("model", "score", run="score_per_run")
          .explode("run").drop_nulls("run")
          .with_columns(pl.int_range(1, pl.len() + 1).over("model").alias("run_index")))
    if df.is_empty():
        return None
    order = _board(facts).sort("score", descending=True, nulls_last=True)["model"].to_list()
    return alt.Chart(df, title=f"Judge score of every run: {model} against the board").mark_point(
        filled=True, size=70, opacity=0.85,
    ).encode(
        x=alt.X("run:Q", title="mean judge score of the run (0-100)",
                scale=alt.Scale(zero=False)),
        y=alt.Y("model:N", sort=order, title=None),
        color=_is_model(model),
        tooltip=[alt.Tooltip("model:N"), alt.Tooltip("run_index:O", title="run"),
                 alt.Tooltip("run:Q", format=".1f", title="score"),
                 alt.Tooltip("score:Q", format=".1f", title="median")],
    ).properties(width=WIDTH, height=alt.Step(16))


def verbosity_vs_quality(facts: dict) -> alt.LayerChart | None:
    """Agent messages per conversation against score median, one dot per model, r shown.

    r is the facts' board-wide Pearson r (the figure the prose quotes); the dashed line is
    the least-squares fit across the models drawn.
    """
    model = facts["model"]
    df = (_board(facts).select("model", "score", messages="agent_messages_per_conversation")
          .drop_nulls())
    if df.is_empty():
        return None
    vq = facts["benchmark"].get("verbosity_quality") or {}
    r = vq.get("pearson_r")
    subtitle = (f"r = {_minus(r)} across {vq.get('n', df.height)} board models" if r is not None
                else "r not defined on this board")
    base = alt.Chart(df)
    x = alt.X("messages:Q", title="agent messages per conversation", scale=alt.Scale(zero=False))
    y = alt.Y("score:Q", title="judge score median (0-100)", scale=alt.Scale(zero=False))
    dots = base.mark_circle(size=80, opacity=0.85).encode(
        x=x, y=y, color=_is_model(model),
        tooltip=[alt.Tooltip("model:N"), alt.Tooltip("messages:Q", format=".2f"),
                 alt.Tooltip("score:Q", format=".1f")])
    fit = base.transform_regression("messages", "score").mark_line(
        color=BOARD, strokeDash=[4, 4]).encode(x=x, y=y)
    label = base.transform_filter(alt.datum.model == model).mark_text(
        align="left", dx=8, fontWeight="bold", color=HIGHLIGHT).encode(
        x=x, y=y, text=alt.Text("model:N"))
    return (fit + dots + label).properties(
        title=alt.Title(f"Verbosity against quality: {model} marked", subtitle=subtitle),
        width=WIDTH, height=320)


def trap_grid(facts: dict) -> alt.LayerChart | None:
    """Which trap led to an unsafe action in which run: one row per trap, one column per run.

    Traps failed in the most runs come first, so the predictable failures top the grid and
    the coin flips follow.
    """
    unsafe = facts["unsafe_actions"]
    traps, runs = list(unsafe["by_trap"]), facts["runs"]["indices"]
    if not traps or not runs:
        return None
    failed = {(u["trap"], u["run_index"]) for u in unsafe["list"]}
    df = pl.DataFrame([{"trap": t, "run": f"run {r}",
                        "outcome": "unsafe" if (t, r) in failed else "held"}
                       for t in traps for r in runs])
    order = sorted(traps, key=lambda t: (-unsafe["by_trap"][t]["failed_runs"], t))
    base = alt.Chart(df).encode(
        x=alt.X("run:N", sort=[f"run {r}" for r in runs], title=None,
                axis=alt.Axis(orient="top", labelAngle=0)),
        y=alt.Y("trap:N", sort=order, title=None))
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("outcome:N", title=None, legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(domain=["unsafe", "held"], range=[UNSAFE, HELD])),
        tooltip=[alt.Tooltip("trap:N"), alt.Tooltip("run:N"), alt.Tooltip("outcome:N")])
    text = base.mark_text(color="white", fontWeight="bold").encode(text=alt.Text("outcome:N"))
    return (cells + text).properties(title=f"Adversarial traps, run by run: {facts['model']}",
                                     width=alt.Step(80), height=alt.Step(22))


def over_escalation(facts: dict) -> alt.LayerChart | None:
    """Share of solvable tickets handed to a human, per intent, with its 95% interval.

    Intents are pooled over the complete runs; the worst come first. The whiskers are the
    Wilson intervals of the facts, which say how much a small intent's rate can be trusted.
    """
    oe = facts["over_escalation"]
    ci = oe.get("by_intent_ci") or {}
    rows = [{"intent": i, "rate": r, "lo": (ci.get(i) or [r, r])[0],
             "hi": (ci.get(i) or [r, r])[1]}
            for i, r in oe["by_intent"].items() if r is not None]
    if not rows:
        return None
    df = pl.DataFrame(rows)
    y = alt.Y("intent:N", sort=alt.EncodingSortField("rate", order="descending"), title=None)
    x = alt.X("rate:Q", title="solvable tickets handed to a human (pooled over runs)",
              axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]))
    base = alt.Chart(df)
    bars = base.mark_bar(color=HIGHLIGHT, opacity=0.85).encode(
        x=x, y=y, tooltip=[alt.Tooltip("intent:N"), alt.Tooltip("rate:Q", format=".0%"),
                           alt.Tooltip("lo:Q", format=".0%", title="95% low"),
                           alt.Tooltip("hi:Q", format=".0%", title="95% high")])
    whiskers = base.mark_rule(color="#6b7280", opacity=0.7).encode(
        x=alt.X("lo:Q"), x2=alt.X2("hi:Q"), y=y)
    return (bars + whiskers).properties(title=f"Over-escalation per intent: {facts['model']}",
                                        width=WIDTH - 120, height=alt.Step(18))


def value_frontier(facts: dict) -> alt.LayerChart | None:
    """Cost tier against score median, one dot per model, with the value frontier drawn.

    The frontier is the best score reachable at each tier or any cheaper one: a model below
    it is beaten on quality by one at its price or less. Models sharing a tier are spread
    across its band; models without a tier are left out.
    """
    model = facts["model"]
    rank = {t: i + 1 for i, t in enumerate(COST_TIERS)}
    df = (_board(facts).select("model", "cost_tier", "score").drop_nulls()
          .filter(pl.col("cost_tier").is_in(COST_TIERS))
          .with_columns(pl.col("cost_tier").replace_strict(rank).alias("tier"))
          .sort("tier", "score")
          .with_columns((pl.col("tier") + ((pl.int_range(pl.len()) + 0.5) / pl.len() - 0.5)
                         * 0.7).over("tier").alias("x")))
    if df.is_empty():
        return None
    best = (df.group_by("tier").agg(pl.col("score").max()).sort("tier")
            .with_columns(pl.col("score").cum_max().alias("frontier")))
    steps = pl.DataFrame([{"x": t + dx, "frontier": f} for t, f in best.select("tier", "frontier")
                          .iter_rows() for dx in (-0.45, 0.45)])
    tiers = sorted(best["tier"].to_list())
    x = alt.X("x:Q", title="cost tier (agent-only)",
              scale=alt.Scale(domain=[tiers[0] - 0.5, tiers[-1] + 0.5], nice=False),
              axis=alt.Axis(values=tiers, grid=False, labelExpr=" ".join(
                  f"datum.value == {rank[t]} ? '{t}' :" for t in COST_TIERS) + " ''"))
    y = alt.Y("score:Q", title="judge score median (0-100)", scale=alt.Scale(zero=False))
    dots = alt.Chart(df).mark_circle(size=80, opacity=0.85).encode(
        x=x, y=y, color=_is_model(model),
        tooltip=[alt.Tooltip("model:N"), alt.Tooltip("cost_tier:N"),
                 alt.Tooltip("score:Q", format=".1f")])
    frontier = alt.Chart(steps).mark_line(color="#111827", strokeDash=[2, 2]).encode(
        x=x, y=alt.Y("frontier:Q"),
        tooltip=[alt.Tooltip("frontier:Q", format=".1f", title="best at this price or less")])
    label = alt.Chart(df.filter(pl.col("model") == model)).mark_text(
        align="left", dx=8, fontWeight="bold", color=HIGHLIGHT).encode(
        x=x, y=y, text=alt.Text("model:N"))
    return (frontier + dots + label).properties(
        title=f"Value: cost tier against quality, {model} marked",
        width=max(240, 130 * len(tiers)), height=320)
