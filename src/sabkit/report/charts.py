"""The report's charts (Vega-Lite specs) and the renderer that draws them in an offline HTML page.

Call ``enable()`` once in a notebook, then display a chart through ``Drawn``:

    from sabkit.report import charts
    charts.enable()
    charts.Drawn(charts.run_scores(facts))   # facts = sabkit.facts.facts(bench, model)

Why specs written as data, not built with altair: a report draws five small charts, and
altair cost its kernel more than they do (its import, and turning its objects into the
spec). The specs follow Vega-Lite's JSON schema (``VEGA_LITE``); tests/test_charts.py
validates every chart against it with altair's copy of the schema, and the explorer, where
an analyst composes charts, keeps altair.

Why a renderer of our own: a notebook's default output loads Vega from a CDN (nothing is
drawn offline). ``render`` puts the vega-embed bundle (from vl-convert, cached on disk) into
the first chart's output of a kernel session and a ``<div>`` plus a ``vegaEmbed`` call into
each chart's output, so the exported page holds the bundle once and every chart draws with
no network.

Each chart function takes the model's facts document (docs/facts.md), whose ``benchmark``
block holds the board, and draws the model in colour against the grey board; it returns
None when the data has nothing to draw (no traps, no cost tiers).
"""

from __future__ import annotations

import importlib.metadata
import json
import uuid

from sabkit.contract import COST_TIERS

# The Vega-Lite version the specs are written for; vl-convert builds its bundle.
VEGA_LITE = "v6.4.1"
HIGHLIGHT = "#c2410c"
BOARD = "#9ca3af"
UNSAFE = "#dc2626"
HELD = "#16a34a"
WIDTH = 560
EMBED_OPTIONS = {"actions": False, "renderer": "svg"}
# a view without a width or height of its own is 300 px square, as altair's theme has it
_CONFIG = {"view": {"continuousHeight": 300, "continuousWidth": 300}}


# --- the renderer -----------------------------------------------------------------------

_bundle_emitted = False
_bundle_src: str | None = None


def enable(bundle_src: str | None = None) -> None:
    """Set where this kernel's charts find the vega-embed bundle.

    ``bundle_src``: the path (relative to the page) of a shared copy of the vega-embed
    bundle, which ``report --all`` writes once for every report; None puts the bundle into
    the page, so a report written alone opens offline by itself."""
    global _bundle_src
    _bundle_src = bundle_src


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
    """A chart's spec for a notebook cell to display, drawn by ``render``."""

    def __init__(self, spec: dict) -> None:
        self.spec = spec

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return render(self.spec)


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
    """vega + vega-lite + vega-embed as one script, built by vl-convert for ``VEGA_LITE``.

    Building it takes about 2 s, so it is kept in sabkit's cache (sabkit.cache), keyed by
    the vl-convert and Vega-Lite versions; with the cache off or unwritable it is rebuilt.
    """
    from sabkit.io import cache

    vl_version = ".".join(VEGA_LITE.split(".")[:2])  # "v6.4"
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
# Each takes the model's facts document (docs/facts.md) and returns a Vega-Lite spec, or
# None when the data has nothing to draw (no traps, no cost tiers): the notebook then says
# so in a sentence. Quality is the judge score median (0-100), as on the board.

def _spec(datasets: dict[str, list[dict]], **spec) -> dict:
    """A whole Vega-Lite spec: ``spec``'s properties over the named ``datasets``, which its
    views name with ``{"data": {"name": ...}}``."""
    return {"$schema": f"https://vega.github.io/schema/vega-lite/{VEGA_LITE}.json",
            "config": _CONFIG, "datasets": datasets, **spec}


def _field(name: str, kind: str, **more) -> dict:
    """An encoding channel's field: ``kind`` is quantitative, nominal or ordinal."""
    return {"field": name, "type": kind, **more}


def _is(model: str) -> str:
    """The Vega expression true on ``model``'s rows (the name as a JSON string literal,
    which is a JavaScript one)."""
    return f"(datum.model === {json.dumps(model)})"


def _is_model(model: str) -> dict:
    """The colour channel: the model in colour, the board grey."""
    return {"condition": {"test": _is(model), "value": HIGHLIGHT}, "value": BOARD}


def _number(x) -> float | None:
    return None if x is None else float(x)


def _board(facts: dict) -> list[dict]:
    """The board's headline rows, plus this model's own when it is a variant off the board."""
    rows = [{"model": row["model"], "cost_tier": row.get("cost_tier"),
             "score": _number(row.get("score")),
             "score_per_run": row.get("score_per_run") or [],
             "messages": _number(row.get("agent_messages_per_conversation"))}
            for row in facts["benchmark"]["board"]]
    if facts["model"] not in {r["model"] for r in rows}:
        rows.append({"model": facts["model"], "cost_tier": facts["cost_tier"],
                     "score": _number(facts["score"]["median"]),
                     "score_per_run": facts["score"]["per_run"] or [],
                     "messages": _number(
                         facts["agent_messages_per_conversation"]["value"])})
    return rows


def _minus(x: float) -> str:
    return f"{x:.2f}".replace("-", "\u2212")


def run_scores(facts: dict) -> dict | None:
    """Every run of every model as a dot on the judge-score axis, this model's in colour.

    Models are ordered by score median, best on top, so the spread of this model's runs
    reads against its neighbours' (does its best run beat the next model's worst?).
    """
    model, board = facts["model"], _board(facts)
    runs = [{"model": b["model"], "score": b["score"], "run": float(run), "run_index": i}
            for b in board
            for i, run in enumerate((x for x in b["score_per_run"] if x is not None), 1)]
    if not runs:
        return None
    ranked = sorted(board, key=lambda b: (b["score"] is None, -(b["score"] or 0)))
    return _spec(
        {"runs": runs}, data={"name": "runs"},
        title=f"Judge score of every run: {model} against the board",
        mark={"type": "point", "filled": True, "size": 70, "opacity": 0.85},
        encoding={
            "x": _field("run", "quantitative", title="mean judge score of the run (0-100)",
                        scale={"zero": False}),
            "y": _field("model", "nominal", sort=[b["model"] for b in ranked], title=None),
            "color": _is_model(model),
            "tooltip": [_field("model", "nominal"),
                        _field("run_index", "ordinal", title="run"),
                        _field("run", "quantitative", format=".1f", title="score"),
                        _field("score", "quantitative", format=".1f", title="median")]},
        width=WIDTH, height={"step": 16})


def verbosity_vs_quality(facts: dict) -> dict | None:
    """Agent messages per conversation against score median, one dot per model, r shown.

    r is the facts' board-wide Pearson r (the figure the prose quotes); the dashed line is
    the least-squares fit across the models drawn.
    """
    model = facts["model"]
    dots = [{"model": b["model"], "score": b["score"], "messages": b["messages"]}
            for b in _board(facts) if b["score"] is not None and b["messages"] is not None]
    if not dots:
        return None
    vq = facts["benchmark"].get("verbosity_quality") or {}
    r = vq.get("pearson_r")
    subtitle = (f"r = {_minus(r)} across {vq.get('n', len(dots))} board models"
                if r is not None else "r not defined on this board")
    x = _field("messages", "quantitative", title="agent messages per conversation",
               scale={"zero": False})
    y = _field("score", "quantitative", title="judge score median (0-100)",
               scale={"zero": False})
    return _spec(
        {"board": dots}, data={"name": "board"},
        title={"text": f"Verbosity against quality: {model} marked", "subtitle": subtitle},
        layer=[
            {"mark": {"type": "line", "color": BOARD, "strokeDash": [4, 4]},
             "transform": [{"regression": "score", "on": "messages"}],
             "encoding": {"x": x, "y": y}},
            {"mark": {"type": "circle", "size": 80, "opacity": 0.85},
             "encoding": {"x": x, "y": y, "color": _is_model(model),
                          "tooltip": [_field("model", "nominal"),
                                      _field("messages", "quantitative", format=".2f"),
                                      _field("score", "quantitative", format=".1f")]}},
            {"mark": {"type": "text", "align": "left", "dx": 8, "fontWeight": "bold",
                      "color": HIGHLIGHT},
             "transform": [{"filter": _is(model)}],
             "encoding": {"x": x, "y": y, "text": _field("model", "nominal")}}],
        width=WIDTH, height=320)


def trap_grid(facts: dict) -> dict | None:
    """Which trap led to an unsafe action in which run: one row per trap, one column per run.

    Traps failed in the most runs come first, so the predictable failures top the grid and
    the coin flips follow.
    """
    unsafe = facts["unsafe_actions"]
    traps, runs = list(unsafe["by_trap"]), facts["runs"]["indices"]
    if not traps or not runs:
        return None
    failed = {(u["trap"], u["run_index"]) for u in unsafe["list"]}
    cells = [{"trap": t, "run": f"run {r}", "outcome": "unsafe" if (t, r) in failed else "held"}
             for t in traps for r in runs]
    order = sorted(traps, key=lambda t: (-unsafe["by_trap"][t]["failed_runs"], t))
    x = _field("run", "nominal", sort=[f"run {r}" for r in runs], title=None,
               axis={"orient": "top", "labelAngle": 0})
    y = _field("trap", "nominal", sort=order, title=None)
    return _spec(
        {"traps": cells}, data={"name": "traps"},
        title=f"Adversarial traps, run by run: {facts['model']}",
        layer=[
            {"mark": {"type": "rect", "stroke": "white", "strokeWidth": 2},
             "encoding": {"x": x, "y": y,
                          "color": _field("outcome", "nominal", title=None,
                                          legend={"orient": "bottom"},
                                          scale={"domain": ["unsafe", "held"],
                                                 "range": [UNSAFE, HELD]}),
                          "tooltip": [_field("trap", "nominal"), _field("run", "nominal"),
                                      _field("outcome", "nominal")]}},
            {"mark": {"type": "text", "color": "white", "fontWeight": "bold"},
             "encoding": {"x": x, "y": y, "text": _field("outcome", "nominal")}}],
        width={"step": 80}, height={"step": 22})


def over_escalation(facts: dict) -> dict | None:
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
    y = _field("intent", "nominal", sort={"field": "rate", "order": "descending"}, title=None)
    return _spec(
        {"intents": rows}, data={"name": "intents"},
        title=f"Over-escalation per intent: {facts['model']}",
        layer=[
            {"mark": {"type": "bar", "color": HIGHLIGHT, "opacity": 0.85},
             "encoding": {
                 "x": _field("rate", "quantitative",
                             title="solvable tickets handed to a human (pooled over runs)",
                             axis={"format": "%"}, scale={"domain": [0, 1]}),
                 "y": y,
                 "tooltip": [_field("intent", "nominal"),
                             _field("rate", "quantitative", format=".0%"),
                             _field("lo", "quantitative", format=".0%", title="95% low"),
                             _field("hi", "quantitative", format=".0%", title="95% high")]}},
            {"mark": {"type": "rule", "color": "#6b7280", "opacity": 0.7},
             "encoding": {"x": _field("lo", "quantitative"), "x2": {"field": "hi"}, "y": y}}],
        width=WIDTH - 120, height={"step": 18})


def value_frontier(facts: dict) -> dict | None:
    """Cost tier against score median, one dot per model, with the value frontier drawn.

    The frontier is the best score reachable at each tier or any cheaper one: a model below
    it is beaten on quality by one at its price or less. Models sharing a tier are spread
    across its band (each at ``tier + ((i + 0.5) / n - 0.5) * 0.7``, the i-th of n by
    score); models without a tier are left out.
    """
    model = facts["model"]
    rank = {t: i + 1 for i, t in enumerate(COST_TIERS)}
    priced = sorted(({"model": b["model"], "cost_tier": b["cost_tier"], "score": b["score"],
                      "tier": rank[b["cost_tier"]]}
                     for b in _board(facts) if b["cost_tier"] in rank and b["score"] is not None),
                    key=lambda d: (d["tier"], d["score"]))
    if not priced:
        return None
    by_tier: dict[int, list[dict]] = {}
    for d in priced:
        by_tier.setdefault(d["tier"], []).append(d)
    steps, best = [], None
    for tier, group in sorted(by_tier.items()):
        for i, d in enumerate(group):
            d["x"] = tier + ((i + 0.5) / len(group) - 0.5) * 0.7
        best = max(d["score"] for d in group) if best is None else max(
            best, max(d["score"] for d in group))
        steps += [{"x": tier + dx, "frontier": best} for dx in (-0.45, 0.45)]
    tiers = sorted(by_tier)
    x = _field("x", "quantitative", title="cost tier (agent-only)",
               scale={"domain": [tiers[0] - 0.5, tiers[-1] + 0.5], "nice": False},
               axis={"values": tiers, "grid": False, "labelExpr": " ".join(
                   f"datum.value == {rank[t]} ? '{t}' :" for t in COST_TIERS) + " ''"})
    y = _field("score", "quantitative", title="judge score median (0-100)",
               scale={"zero": False})
    return _spec(
        {"frontier": steps, "board": priced,
         "marked": [d for d in priced if d["model"] == model]},
        title=f"Value: cost tier against quality, {model} marked",
        layer=[
            {"data": {"name": "frontier"},
             "mark": {"type": "line", "color": "#111827", "strokeDash": [2, 2]},
             "encoding": {"x": x, "y": _field("frontier", "quantitative"),
                          "tooltip": [_field("frontier", "quantitative", format=".1f",
                                             title="best at this price or less")]}},
            {"data": {"name": "board"},
             "mark": {"type": "circle", "size": 80, "opacity": 0.85},
             "encoding": {"x": x, "y": y, "color": _is_model(model),
                          "tooltip": [_field("model", "nominal"),
                                      _field("cost_tier", "nominal"),
                                      _field("score", "quantitative", format=".1f")]}},
            {"data": {"name": "marked"},
             "mark": {"type": "text", "align": "left", "dx": 8, "fontWeight": "bold",
                      "color": HIGHLIGHT},
             "encoding": {"x": x, "y": y, "text": _field("model", "nominal")}}],
        width=max(240, 130 * len(tiers)), height=320)
