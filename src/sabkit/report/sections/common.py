"""What several sections place the same way: quotes, and a chart or the line that says
there is nothing to draw."""

from __future__ import annotations

from dataclasses import replace

from sabkit.report.markup import esc


def quote_block(r, qs) -> str:
    """Quotes as paragraphs, each once: a line already shown in this report (``r.shown``)
    is left out, so no quote appears twice however many findings it backs. A customer's bait
    already shown beside another action is dropped from this quote alone: the agent's own
    lines still back their finding."""
    out = []
    for q in qs:
        if not q or not (q.think or q.says or q.judge or q.customer):
            continue
        lines = {x for x in (q.think, q.says, q.judge) if x}
        if lines & r.shown.keys():
            continue
        if q.bait and q.bait in r.shown:
            q = replace(q, bait=None)
        r.shown.update(dict.fromkeys(lines | ({q.bait} if q.bait else set()), q.anchor))
        r.anchors.setdefault((q.case_id, q.run_index), q.anchor)
        out.append(f'<p class="sab-quoted">{q.html()}</p>')
    return "".join(out)


def shown_above(r, q) -> str:
    """The id of the quote already on the page that holds one of ``q``'s lines, or ""."""
    if not q:
        return ""
    return next((r.shown[x] for x in (q.says, q.think, q.judge) if x and x in r.shown), "")


def chart(chart_or_none, missing: str):
    """A chart for display (``charts.Drawn``), or the sentence that says there is nothing
    to draw."""
    if chart_or_none is None:
        from IPython.display import HTML
        return HTML(f'<p class="sab-na">{esc(missing)}</p>')
    from sabkit.report.charts import Drawn
    return Drawn(chart_or_none)
