"""The report pipeline: papermill run, offline HTML export, atomic writes, XSS, the index.

Most tests drive a small stand-in notebook (built here, same parameters as
parametrized/model_report.ipynb: ``model``, ``data``, ``out_facts``) so they test the
pipeline, not the report's prose; the XSS test also runs the real template when it exists.
The benchmark is the tiny one (tests/builders/), with hostile text written into its transcripts and trap
names: a customer message holding ``<script>`` or ``<img onerror>`` must reach the page as
text, never as markup.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from builders.hostile import Page, assert_inert, write_hostile
from sabkit.report import export as report
from sabkit.report.export import ReportFailed, run_notebook

REPO = Path(__file__).resolve().parents[1]
CHARTS = ("run_scores", "verbosity_vs_quality", "trap_grid", "over_escalation",
          "value_frontier")

STAND_IN = [
    ("markdown", "# Stand-in report"),
    ("parameters", 'model = "alpha"\ndata = None\nout_facts = None\nfacts_in = None'),
    ("code", "import html, json, sys\n"
             "import sabkit\n"
             "from sabkit.report import charts\n"
             "from sabkit.facts import facts as facts_of\n"
             "from IPython.display import HTML, display\n"
             "charts.enable()\n"
             "bench = sabkit.open(data, validate=False)\n"
             "facts = json.load(open(facts_in)) if facts_in else facts_of(bench, model)\n"
             "print('facts given' if facts_in else 'facts computed')\n"
             "if out_facts:\n"
             "    open(out_facts, 'w').write(json.dumps(facts))"),
    ("markdown", "## Charts"),
    *[("code", f"charts.Drawn(charts.{name}(facts))") for name in CHARTS],
    ("markdown", "## Quotes"),
    ("code", "msgs = bench.sql(\"SELECT content FROM messages WHERE role = 'customer' "
             "ORDER BY run_id, case_id, seq LIMIT 2\")['content']\n"
             "display(HTML(''.join('<blockquote>' + html.escape(m) + '</blockquote>' "
             "for m in msgs)))"),
    ("code", "print(sys.executable)"),
]


def write_notebook(path: Path, cells=STAND_IN) -> Path:
    nb = nbformat.v4.new_notebook()
    for kind, source in cells:
        if kind == "markdown":
            nb.cells.append(nbformat.v4.new_markdown_cell(source))
        else:
            cell = nbformat.v4.new_code_cell(source)
            if kind == "parameters":
                cell.metadata["tags"] = ["parameters"]
            nb.cells.append(cell)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def hostile_bench(tmp_path_factory) -> Path:
    return write_hostile(tmp_path_factory.mktemp("hostile") / "bench")


@pytest.fixture(scope="module")
def stand_in(tmp_path_factory) -> Path:
    return write_notebook(tmp_path_factory.mktemp("nb") / "stand_in.ipynb")


@pytest.fixture(scope="module")
def good(hostile_bench, stand_in, tmp_path_factory) -> report.Report:
    return run_notebook("alpha", hostile_bench, tmp_path_factory.mktemp("out"), stand_in)


def external_urls(text: str) -> list[str]:
    """Everything the page would fetch from a network: script/link/img/iframe sources,
    CSS imports and url()s, and ES module imports."""
    page = Page(text)
    found = [attrs.get(a) for tag, attrs in page.tags for a in ("src", "href")
             if tag in ("script", "link", "img", "iframe", "source", "embed")
             and (attrs.get(a) or "").startswith(("http:", "https:", "//"))]
    found += re.findall(r"@import\s+(?:url\()?['\"]?(?:https?:)?//[^'\")\s]+", text)
    found += re.findall(r"url\(['\"]?(?:https?:)?//[^'\")\s]+", text)
    found += re.findall(r"import\(\s*['\"](?:https?:)?//[^'\"]+", text)
    return found


def test_export_is_offline_code_free_and_complete(good):
    text = good.html.read_text(encoding="utf-8")
    assert external_urls(text) == []
    assert "charts.enable()" not in text and "print(sys.executable)" not in text  # no code
    assert not re.search(r"(In|Out)(&nbsp;|\s)?\[\d+\]", text)  # no prompts
    assert text.count("window.vegaEmbed=") == 1  # the bundle once, for every chart
    assert [a.get("class") for t, a in Page(text).tags if t == "div"].count("sabkit-chart") == 5
    assert "<title>alpha: SupportAgentBench deep report</title>" in text
    facts = json.loads(good.facts.read_text())
    assert facts["model"] == "alpha" and good.ipynb.is_file()
    assert not [p for p in good.html.parent.iterdir() if p.name.startswith(".")]  # no temp left
    # what nbconvert's skipped BeautifulSoup pass did: output areas reachable by keyboard
    outputs = [a for t, a in Page(text).tags
               if t == "div" and "jp-OutputArea-output" in (a.get("class") or "").split()]
    assert outputs and all(a.get("tabindex") == "0" for a in outputs)


def test_kernel_is_this_python(good):
    nb = nbformat.read(good.ipynb, as_version=4)
    printed = nb.cells[-1].outputs[0].text.strip()
    assert Path(printed).resolve() == Path(sys.executable).resolve()


def test_hostile_transcript_text_stays_text(good):
    text = good.html.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text  # the quote, escaped
    assert "\\u003c/script\\u003e" in text  # the trap name inside chart JSON, escaped
    assert_inert(text)


@pytest.mark.skipif(not report.TEMPLATE.is_file(), reason="template notebook not written yet")
def test_real_template_keeps_hostile_text_as_text(hostile_bench, tmp_path):
    done = run_notebook("alpha", hostile_bench, tmp_path, report.TEMPLATE)
    text = done.html.read_text(encoding="utf-8")
    assert external_urls(text) == []
    assert "&lt;script&gt;alert(1)" in text or "\\u003cscript\\u003ealert(1)" in text
    assert_inert(text)


def test_failing_run_keeps_the_last_good_report(good, hostile_bench, tmp_path):
    out = good.html.parent
    before = {p.name: p.read_bytes() for p in (good.html, good.ipynb, good.facts)}
    failing = write_notebook(tmp_path / "failing.ipynb", STAND_IN + [
        ("markdown", "## Verdict"),
        ("code", "verdict = facts['no such section']\nprint(verdict)")])
    with pytest.raises(ReportFailed) as info:
        run_notebook("alpha", hostile_bench, out, failing)
    message = str(info.value)
    assert f"cell {len(STAND_IN) + 2} of failing.ipynb" in message
    assert 'section "Verdict"' in message and "KeyError: 'no such section'" in message
    assert "is unchanged" in message and "\n" not in message and "Traceback" not in message
    assert {p.name: p.read_bytes() for p in (good.html, good.ipynb, good.facts)} == before
    assert (out / "alpha.failed.ipynb").is_file()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_cli_runs_from_anywhere_and_prints_the_html_path(hostile_bench, stand_in, tmp_path):
    shutil.copytree(hostile_bench, tmp_path / "bench")
    done = subprocess.run(
        [sys.executable, "-m", "sabkit.cli", "report", "beta", "--data", "bench", "--out", "o",
         "--notebook", str(stand_in)], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(tmp_path / "o" / "beta.html")
    assert (tmp_path / "o" / "beta.html").is_file()


def test_cli_unknown_model_is_a_sentence(hostile_bench):
    done = subprocess.run([sys.executable, "-m", "sabkit.cli", "report", "alpah", "--data",
                           str(hostile_bench)], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 2
    assert "unknown model 'alpah'; did you mean 'alpha'?" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.fixture(scope="module")
def all_reports(hostile_bench, stand_in, tmp_path_factory) -> report.AllReports:
    return report.report_all(hostile_bench, tmp_path_factory.mktemp("all"), stand_in,
                             progress=False)


def test_all_writes_every_report_and_a_sortable_index(all_reports):
    models = sorted(r.model for r in all_reports.reports)
    assert models == ["alpha", "alpha@no-reasoning", "beta"] and not all_reports.failures
    index = all_reports.index.read_text(encoding="utf-8")
    assert external_urls(index) == []
    for model in models:
        assert f'<a href="{model}.html">{model}</a>' in index
    assert 'addEventListener("click"' in index and "<button" in index  # keyboard-reachable
    assert index.count("<tr") == 1 + len(models)
    assert str(all_reports.index.parent) not in index  # no local path
    # each variant sits under its board model, and is ranked only as "would be"
    assert index.index('alpha@no-reasoning.html') > index.index('href="alpha.html"')
    assert "(would be)" in index
    for done in all_reports.reports:  # every model's facts were computed once, in the parent
        assert "facts given" in done.ipynb.read_text()


def chromium_dom(page: Path, profile: Path) -> str:
    """The page's DOM after its scripts ran in headless Chromium with no network."""
    return subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--proxy-server=127.0.0.1:9", f"--user-data-dir={profile}",
         "--virtual-time-budget=10000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "HOME": str(profile)}).stdout


@pytest.mark.skipif(not shutil.which("chromium"), reason="needs headless chromium")
def test_index_sorts_on_a_click(all_reports, tmp_path):
    page = tmp_path / "index.html"
    page.write_text(all_reports.index.read_text().replace(
        "</body>", '<script>var b = document.querySelectorAll("th button")[2]; b.click(); '
                   "b.click();</script></body>"))  # the first click: best score first
    dom = chromium_dom(page, tmp_path / "profile")
    body = dom[dom.index("<tbody>"):dom.index("</tbody>")]
    scores = [float(re.findall(r'<td[^>]*data-v="([^"]*)"', row)[2])
              for row in re.findall(r"<tr[^>]*>.*?</tr>", body, re.S)]
    assert len(scores) == 3 and scores == sorted(scores) and scores != sorted(scores, reverse=True)
    assert 'aria-sort="ascending"' in dom


@pytest.mark.skipif(not shutil.which("chromium"), reason="needs headless chromium")
def test_charts_are_drawn_offline(good, tmp_path):
    """Chromium, with networking off, runs the page: every chart div ends up holding an SVG."""
    dom = chromium_dom(good.html, tmp_path)
    drawn = re.findall(r'class="sabkit-chart[^"]*"[^>]*>\s*<svg[^>]*class="marks"', dom)
    assert len(drawn) == 5, dom[:2000]
    assert ">chart not drawn" not in dom


@pytest.mark.skipif(not report.TEMPLATE.is_file(), reason="template notebook not written yet")
def test_a_published_folder_shares_its_assets_and_a_lone_report_carries_them(
        hostile_bench, tmp_path):
    """``report --all`` pages refer to assets/ written once; a report written alone holds the
    bundle and the CSS itself, so it opens with nothing beside it."""
    alone = run_notebook("alpha", hostile_bench, tmp_path / "alone", report.TEMPLATE)
    folder = tmp_path / "all"
    report.write_assets(folder)
    shared = run_notebook("alpha", hostile_bench, folder, report.TEMPLATE,
                          siblings=["alpha", "beta"], assets=report.ASSETS)
    alone_page, shared_page = alone.html.read_text(), shared.html.read_text()
    bundle = (folder / "assets" / "vega-embed.js").read_text()
    assert len(bundle) > 100_000 and (folder / "assets" / "report.css").is_file()
    assert '<script src="assets/vega-embed.js">' in shared_page
    assert '<link rel="stylesheet" href="assets/report.css">' in shared_page
    assert bundle[:2000] not in shared_page and bundle[:2000] in alone_page
    assert len(shared_page) < len(alone_page) - 800_000
    assert "assets/" not in alone_page and 'href="index.html"' not in alone_page
    assert 'href="index.html"' in shared_page and 'href="beta.html"' in shared_page
