"""The short honest page of a model with no complete run.

Every figure of the deep report is a median over complete runs; a model with none (no run
yet, or only runs cut short or left unscored) has no figure to show, and running the
notebook for it would either fail in a cell or print zeros that read as a clean record. So
its report is this page instead: what is missing, in a sentence, and what the benchmark
does hold for it. It is written from the model's facts document, like the index.
"""

from __future__ import annotations

from sabkit.report.markup import esc
from sabkit.report.quotes import isolate


def missing(doc: dict) -> str | None:
    """What is missing, as plain text; None when the model has a complete run."""
    runs = doc["runs"]
    if runs["complete"]:
        return None
    if not runs["partial"]:
        return "no run in this benchmark: nothing to report yet"
    n, held = runs["partial"], sum(runs["partial_conversations"])
    return (f"no complete run: nothing to report yet; {n} partial run{'s' if n != 1 else ''} "
            f"hold{'s' if n == 1 else ''} {held:,} scored conversation{'s' if held != 1 else ''}"
            f" (a run is complete when declared so with a score for each of the "
            f"{doc['cases']['total']} cases)")


def page(doc: dict) -> str:
    """The page for ``doc``'s model: a title, what is missing, and its partial runs."""
    rows = "".join(
        f"<tr><td>{int(i)}</td><td>{isolate(run_id)}</td><td>{int(n):,}</td></tr>"
        for i, run_id, n in zip(doc["runs"]["partial_indices"], doc["runs"]["partial_ids"],
                                doc["runs"]["partial_conversations"]))
    table = ("<table><thead><tr><th>run</th><th>id</th><th>scored conversations</th></tr>"
             f"</thead><tbody>{rows}</tbody></table>" if rows else "")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{esc(doc['model'])}: SupportAgentBench deep report</title>
<style>body {{ font: 15px/1.55 system-ui, sans-serif; max-width: 960px; margin: 0 auto;
padding: 24px 32px; }} td, th {{ padding: 4px 12px; text-align: left; }}</style></head>
<body>
<h1>{isolate(doc['model'])}: SupportAgentBench deep report</h1>
<p>{isolate(doc['model'])}: {esc(missing(doc))}.</p>
{table}
<p>Data: {isolate(doc['data'])}.</p>
</body></html>
"""
