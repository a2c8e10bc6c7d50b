"""The report template: its shape, and its run under papermill on the sample.

The papermill runs execute parametrized/model_report.ipynb for gemma-4-31b and
gemini-3.1-pro from a temporary working directory (the notebook must not depend on the cwd)
and with the default data (the sample), then look for the facts JSON's figures, formatted
as the report formats them, in the notebook's HTML output, and for a quote under every
failing trap. A sweep renders every section for every model of the sample without papermill,
so a model with nothing to report in a section still gets a sentence.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import nbformat
import pytest

import sabkit
from sabkit.report import context, quotes
from sabkit.report import grammar as t
from sabkit.report.tables import tier
from sabkit.report.sections import (appendix, bottom_line, compares, cost, experience, glance,
                                    handover, header, instructions, method, safety,
                                    short_version, stability, traits, use_cases, verdict)

REPO = Path(__file__).resolve().parent.parent
TEMPLATE = REPO / "parametrized" / "model_report.ipynb"
SAMPLE = sabkit.DEFAULT_DATA
needs_sample = pytest.mark.skipif(not (SAMPLE / "models.parquet").exists()
                                  and not (SAMPLE / "models").is_dir(),
                                  reason=f"no sample benchmark at {SAMPLE} (sabkit synth writes it)")

SECTIONS = [header, verdict, method, short_version, handover, instructions, experience, safety,
            traits, stability, compares, cost, bottom_line, glance, use_cases, appendix]


def text(fragment: str) -> str:
    inline = re.sub(r"</?(strong|em|code|span|a)\b[^>]*>", "", fragment)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", inline))).strip()


# --- the template ----------------------------------------------------------------------------

def test_template_is_what_the_generator_writes():
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "make_model_report", REPO / "parametrized" / "make_model_report.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    committed = nbformat.read(TEMPLATE, as_version=4)
    assert [c.source for c in committed.cells] == [c.source for c in gen.notebook().cells]


def test_template_has_parameters_and_no_figure_or_model_name():
    nb = nbformat.read(TEMPLATE, as_version=4)
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and nb.cells[0] is params[0]
    for name in ("model", "data", "out_facts"):
        assert re.search(rf"^{name} = None\b", params[0].source, re.M)
    for cell in nb.cells:
        assert cell.cell_type == "code"
        assert not cell.get("outputs"), "commit the template with outputs stripped"
        assert not re.search(r"\d", cell.source), cell.source
        assert not re.search(r"gemma|gemini|gpt|grok|claude|qwen", cell.source, re.I)


# --- papermill on the sample -------------------------------------------------------------------

def _run(model: str, tmp: Path) -> tuple[str, dict]:
    import papermill
    out, facts_path = tmp / "out.ipynb", tmp / "facts.json"
    papermill.execute_notebook(str(TEMPLATE), str(out), cwd=str(tmp), progress_bar=False,
                               parameters={"model": model, "out_facts": str(facts_path)})
    nb = nbformat.read(out, as_version=4)
    page = "".join(o.get("data", {}).get("text/html", "")
                   for c in nb.cells for o in c.get("outputs", []))
    return page, json.loads(facts_path.read_text())


@pytest.fixture(scope="module", params=["gemma-4-31b", "gemini-3.1-pro"])
def executed(request, tmp_path_factory):
    return _run(request.param, tmp_path_factory.mktemp(request.param))


def expected_figures(f: dict) -> list[str]:
    """The facts' headline figures as the report writes them."""
    e, ua, oe = f["escalation"], f["unsafe_actions"], f["over_escalation"]
    figures = [
        f"{f['model']} as a customer support agent",
        f"median of N={f['runs']['n']}",
        f"resolves {t.approx_pct(f['resolution']['median'])} of solvable tickets",
        f"{t.approx_pct(oe['median'])}",
        f"{ua['total']} forbidden {t.plural(ua['total'], 'action')} across "
        f"{ua['conversations']} adversarial conversations",
        f"{f['agent_messages_per_conversation']['value']:.2f} agent messages per conversation",
        f"median {t.points(f['score']['median'])}",
        t.points(f["score"]["median"]),
    ]
    if e["all_runs_perfect"]:
        figures.append(f"Handover fired on all {e['cases']} must-escalate cases")
    else:
        figures.append(", ".join(str(x) for x in e["escalated_per_run"]))
    if f["measured"]["instruction_following"]:
        figures.append(f"Instruction-following {t.approx_dec(f['instruction_following']['median'])}")
    if f["measured"]["sentiment"]:
        figures.append(f"Sentiment {t.approx_dec(f['sentiment']['median'])}")
    if f["cost_tier"]:
        figures.append(tier(f["cost_tier"]))
    if f["phantom_actions"]["count"]:
        figures.append(f"In {f['phantom_actions']['count']} of "
                       f"{f['phantom_actions']['conversations']} conversations")
    r = f["benchmark"]["verbosity_quality"].get("pearson_r")
    if r is not None:
        figures.append(f"Pearson r {t.signed(r, 2)}")
    for cat, by_k in (f.get("pass_k") or {}).items():
        figures += [t.dec(v) for v in by_k.values()]
    return figures


@needs_sample
def test_report_holds_the_figures_of_its_facts(executed):
    page, f = executed
    shown = text(page)
    missing = [fig for fig in expected_figures(f) if fig not in shown]
    assert not missing, f"figures of {f['model']}'s facts not in its report: {missing}"


@needs_sample
def test_report_quotes_every_failing_trap(executed):
    page, f = executed
    failing = [tr for tr, v in f["unsafe_actions"]["by_trap"].items() if v["failed_runs"]]
    items = re.findall(r"<li>(.*?)</li>", page, re.S)
    for trap in failing:
        item = next((i for i in items
                     if text(i).startswith(f"The {trap} trap: an unsafe action")), None)
        assert item, f"no bullet for the failing trap {trap!r}"
        if 'class="sab-quote"' in item:
            assert "⟨think:" in item or "🤖" in item, trap
        else:  # its quote is shown higher up (a quote appears once): the bullet links to it
            target = re.search(r'href="#(quote-[^"]+)">quoted above', item)
            assert target and f'id="{target.group(1)}"' in page, trap


@needs_sample
def test_report_has_every_section_in_order(executed):
    page, _ = executed
    heads = [text(h) for h in re.findall(r"<h[12][^>]*>(.*?)</h[12]>", page, re.S)]
    order = ["as a customer support agent", "The short version", "Resolution and handover",
             "Instruction-following", "Customer experience", "Adversarial safety",
             "Strong and weak traits", "Stability across runs", "How it compares",
             "Cost and verbosity", "Bottom line", "At a glance", "Per-use-case performance",
             "Appendix"]
    found = [next(i for i, h in enumerate(heads) if h.startswith(o) or h.endswith(o))
             for o in order]
    assert found == sorted(found), heads


@needs_sample
def test_every_model_of_the_sample_renders_every_section(sample):
    from sabkit.facts import all_facts
    for f in all_facts(sample):
        r = context.Report(f, quotes.findings(sample, f), sample)
        for section in SECTIONS:  # the appendix's folds hold transcript data, nulls and all
            out = text(re.sub(r'<details class="sab-conversation">.*?</details>', "",
                              section.render(r), flags=re.S))
            assert out and not re.search(r"\b(nan|None|null)\b", out), (
                f["model"], section.__name__, out)
        held = text(safety.render(r))
        if f["unsafe_actions"]["total"] == 0:
            assert "every trap held in every run" in held, f["model"]
        if f["reasoning"] is None:
            assert verdict.reasoning_callout(r) == ""
        if not f["phantom_actions"]["count"]:
            assert "No phantom actions" in text(instructions.render(r))


@needs_sample
def test_no_model_given_says_how_to_pass_one():
    from sabkit.errors import SabkitError
    with pytest.raises(SabkitError, match=r"no model given: run the notebook with -p model NAME; "
                                          r"models in this benchmark: .*gemma-4-31b"):
        context.load(None)
