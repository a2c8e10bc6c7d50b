"""The top of the report: the title, the line under it, the links to the index and the
neighbouring models' reports, and the table of contents."""

from __future__ import annotations

from sabkit.report import rules
from sabkit.report.grammar import counted, plural, word
from sabkit.report.markup import esc, model_link, slug
from sabkit.report.sections import CONTENTS


def render(r) -> str:
    return title(r) + navigation(r) + contents()


def title(r) -> str:
    """The title and the line under it: the cases, N runs, reasoning on/off, partial runs.
    The data folder's name is not the benchmark's: it is never printed."""
    f = r.facts
    n, partial = f["runs"]["n"], f["runs"]["partial"]
    runs = {1: "one complete run (N=1)", 2: "median of N=2 runs (their mean)"}.get(
        n, f"median of N={n} runs")
    bits = ["per-model deep report", f"{f['cases']['total']} cases", runs]
    reasoning = f["display"].get("reasoning")
    if reasoning is not None:
        bits.append("reasoning on" if reasoning else "reasoning off")
    if partial:
        bits.append(f"{word(partial)} partial {plural(partial, 'run')} left out")
    judge = f["display"].get("judge")
    if judge:
        bits.append(f"judged by {esc(judge)}")
    return (f"<h1>{esc(r.model)} as a customer support agent</h1>"
            f'<p class="sab-subtitle"><em>{" · ".join(bits)}</em></p>')


def neighbours(f: dict) -> tuple[str | None, str | None]:
    """The board models just above and just below this one on judge score; for a variant,
    the board model it is a variant of and the one below that."""
    board = [b["model"] for b in sorted(f["benchmark"].get("board") or [],
                                        key=lambda b: (-(b.get("score") or 0), b["model"]))]
    anchor = f["display"].get("variant_of") if rules.is_variant(f) else f["model"]
    if anchor not in board:
        return None, None
    i = board.index(anchor)
    if rules.is_variant(f):
        return anchor, board[i + 1] if i + 1 < len(board) else None
    return (board[i - 1] if i > 0 else None, board[i + 1] if i + 1 < len(board) else None)


def navigation(r) -> str:
    """"All models" (index.html beside the report) and the neighbours, for a report written
    with its siblings; nothing for a report written alone (no link to a missing page)."""
    linked = r.linked
    if not linked:
        return ""
    above, below = neighbours(r.facts)
    parts = ['<a class="sab-index" href="index.html">← all models</a>']
    if above and above in linked:
        parts.append(f"above: {model_link(above, linked)}")
    if below and below in linked:
        parts.append(f"below: {model_link(below, linked)}")
    return f'<nav class="sab-nav">{" · ".join(parts)}</nav>'


def contents() -> str:
    items = "".join(f'<li><a href="#{slug(t)}">{esc(t)}</a></li>' for t in CONTENTS)
    return (f'<nav class="sab-toc" aria-label="Contents"><details><summary>Contents '
            f"({counted(len(CONTENTS), 'section', words=False)})</summary><ol>{items}</ol>"
            "</details></nav>")
