"""Run the deep-report notebook for a model and export it as one offline HTML file.

``report(model)`` executes ``parametrized/model_report.ipynb`` with papermill (parameters
``model``, ``data`` and ``out_facts``, all absolute, so the notebook runs the same from any
folder), then exports it with nbconvert: no code, no prompts, and no script or stylesheet
from the network (the template's require.js, MathJax and mermaid links are dropped; the
charts carry their own bundle, see ``sabkit.report.charts``).

Writes are atomic: everything is written to hidden temporary files in the output folder
and renamed into ``MODEL.ipynb``, ``MODEL.html`` and ``MODEL.facts.json`` only when the run
and the export both succeeded. A failing run leaves the last good report in place, keeps
its notebook as ``MODEL.failed.ipynb`` and raises ``ReportFailed`` whose message says, in
one paragraph, which cell failed and why. Temporary files carry their process id; those of
a process that is gone (killed mid-run) are removed by the next report in the folder.

A model with no complete run has no figure to report: its report is the short page of
``sabkit.report.thin`` (what is missing, its partial runs), written without the notebook.

``report_all()`` computes every model's facts once (for a notebook that takes them as its
``facts_in`` parameter), runs the reports in a pool of worker processes, one per core (each
imports papermill and nbconvert once and starts a fresh kernel per report), and writes
``index.html``, the sortable leaderboard linking to each report.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

# jsonschema (under nbformat) builds an rfc3987 IRI parser at import when that optional
# package is installed, a cost every process pays; no notebook schema uses the "iri" format.
sys.modules.setdefault("rfc3987_syntax", None)

from sabkit.io.benchmark import DEFAULT_DATA  # noqa: E402
from sabkit.errors import SabkitError  # noqa: E402
from sabkit.report.paths import file_stem  # noqa: E402

REPO = Path(__file__).resolve().parents[3]
# In a wheel the template lies beside this module (setup.py copies it); in a checkout it
# is read where it is written, in parametrized/
_PACKAGED = Path(__file__).resolve().with_name("model_report.ipynb")
TEMPLATE = _PACKAGED if _PACKAGED.is_file() else REPO / "parametrized" / "model_report.ipynb"
DEFAULT_OUT = Path("outputs")
KERNEL = "python3"  # ipykernel's spec in the venv: runs the venv's own python
# CurveZMQ keys for the kernel's local sockets (its spec supports them), and the kernel's
# own log kept to critical messages: otherwise each run prints a plain-TCP warning and, now
# and then, the "KeyboardInterrupt caught" that jupyter_client's shutdown provokes. Errors in
# the notebook reach us as cell errors, not through this log.
_KERNEL_CONFIG = {"KernelManager": {"transport_encryption": "auto"}}
_KERNEL_ARGS = ["--IPKernelApp.log_level=CRITICAL"]

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_FRAME = re.compile(r"File (\S+?):(\d+), in ([\w.<>]+)")

# The lab template minus everything it would fetch from a CDN, plus reading-width styles.
_HTML_TEMPLATE = """\
{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}
<style type="text/css">
  body.jp-Notebook { padding: 0; }
  main { max-width: 960px; margin: 0 auto; padding: 24px 32px 64px; }
  .jp-RenderedHTMLCommon { font-size: 15px; line-height: 1.55; }
  .jp-OutputArea-output, .jp-RenderedHTMLCommon { overflow-x: auto; }
  .sabkit-chart { margin: 12px 0 20px; }
</style>
{%- endblock extra_css -%}
"""


class ReportFailed(SabkitError):
    """A report did not complete; the message is the one-paragraph account of why, and
    ``cause`` its part that names no model or file (which cell, which error), on which
    ``report --all`` groups the failures of many models."""

    def __init__(self, message: str, cause: str | None = None):
        super().__init__(message)
        self.cause = cause or message


@dataclass
class Report:
    """One written report and how long its phases took (seconds)."""

    model: str
    html: Path
    ipynb: Path
    facts: Path | None
    timings: dict[str, float] = field(default_factory=dict)
    missing: str | None = None  # for the short page of a model with no complete run: why


def report(model: str, data: str | Path = DEFAULT_DATA, out: str | Path = DEFAULT_OUT,
           notebook: str | Path = TEMPLATE) -> Report:
    """Write ``out/MODEL.html`` (and .ipynb, .facts.json) for one model of the benchmark."""
    import sabkit

    with sabkit.open(data) as bench:
        model = bench.resolve_model(model)
        if not has_complete_run(bench, model):
            from sabkit.facts import facts

            return write_thin(facts(bench, model), out)
    return run_notebook(model, data, out, notebook)


def has_complete_run(bench, model: str) -> bool:
    return bench.con.sql("SELECT count(*) FROM run_status WHERE model = $m AND complete",
                         params={"m": model}).fetchall()[0][0] > 0


def write_thin(doc: dict, out: str | Path) -> Report:
    """The short page of a model with no complete run, and its facts (for the index)."""
    from sabkit.report import thin

    out = output_folder(out)
    stem = file_stem(doc["model"])
    final = {"html": out / f"{stem}.html", "facts": out / f"{stem}.facts.json"}
    texts = {"html": thin.page(doc), "facts": json.dumps(doc, ensure_ascii=False)}
    _write_all(final, texts, doc["model"])
    (out / f"{stem}.ipynb").unlink(missing_ok=True)  # a notebook of older data, if any
    return Report(doc["model"], final["html"], out / f"{stem}.ipynb", final["facts"],
                  missing=thin.missing(doc))


def _write_all(final: dict[str, Path], texts: dict[str, str], model: str) -> None:
    """Each text to a temporary file, then all renamed into place (the HTML last)."""
    tmp = {k: _tmp(p) for k, p in final.items()}
    try:
        for kind in sorted(texts, key=lambda k: k == "html"):
            tmp[kind].write_text(texts[kind], encoding="utf-8")
        for kind in sorted(texts, key=lambda k: k == "html"):
            os.replace(tmp[kind], final[kind])
    except OSError as exc:
        raise ReportFailed(f"could not write the {model} report to {final['html'].parent}: "
                           f"{exc.strerror or exc}. " + _kept(final["html"]),
                           f"could not be written: {exc.strerror or exc}") from None
    finally:
        _remove(tmp.values())


def output_folder(out: str | Path) -> Path:
    """``out`` made (with its parents) and checked writable: one line if it cannot be."""
    out = Path(out).resolve()
    if out.exists() and not out.is_dir():
        raise ReportFailed(f"--out {out} is a file; name a folder for the reports")
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = Path(tempfile.mkstemp(prefix=".sabkit-write-test-", dir=out)[1])
        probe.unlink()
    except OSError as exc:
        raise ReportFailed(f"cannot write to --out {out}: {exc.strerror or exc}; name a "
                           "folder you can write to") from None
    _sweep(out)
    return out


_TMP = re.compile(r"^\..*\.(\d+)\.tmp\.")


def _tmp(path: Path) -> Path:
    return path.parent / f".{path.stem}.{os.getpid()}.tmp{path.suffix}"


def _sweep(out: Path) -> None:
    """Remove temporary files of report processes that are gone (killed mid-run)."""
    from sabkit.io.cache import alive

    for path in out.glob(".*.tmp*"):
        match = _TMP.match(path.name)
        if match and not alive(int(match[1])):
            _remove([path])


def _remove(paths) -> None:
    """Delete files, quietly: a clean-up must not bury the error that caused it."""
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass


def run_notebook(model: str, data: str | Path, out: str | Path,
                 notebook: str | Path = TEMPLATE, facts_in: Path | None = None,
                 siblings: list[str] | None = None, assets: str | None = None) -> Report:
    """Execute and export the notebook for a model already known to be in ``data``.

    ``facts_in``: the model's facts JSON computed beforehand, passed to a notebook that
    declares that parameter (``report_all`` computes every model's facts in one go).
    ``siblings`` and ``assets`` (``report_all``): the models whose reports share the
    folder, which the report links to, and the folder of the shared CSS and chart bundle
    (``write_assets``) the page refers to instead of carrying its own copy.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError
    from traitlets.config import Config

    from sabkit.io.layout import is_url

    data = data if is_url(data) else Path(data).resolve()  # s3://... stays a URL
    notebook = Path(notebook).resolve()
    if not notebook.is_file():
        raise ReportFailed(f"no report notebook at {notebook}")
    out = output_folder(out)
    stem = file_stem(model)
    final = {"ipynb": out / f"{stem}.ipynb", "html": out / f"{stem}.html",
             "facts": out / f"{stem}.facts.json"}
    tmp = {k: _tmp(p) for k, p in final.items()}
    failed = out / f"{stem}.failed.ipynb"
    timings: dict[str, float] = {}
    parameters = {"model": model, "data": str(data), "out_facts": str(tmp["facts"])}
    if facts_in is not None:
        parameters["facts_in"] = str(facts_in)
    if siblings:
        parameters["siblings"] = list(siblings)
    if assets:
        parameters["assets"] = assets
    start = time.perf_counter()
    try:
        try:
            nb = papermill.execute_notebook(
                str(notebook), str(tmp["ipynb"]), kernel_name=KERNEL, cwd=str(notebook.parent),
                parameters=parameters,
                progress_bar=False, request_save_on_cell_execute=False,
                config=Config(_KERNEL_CONFIG), extra_arguments=_KERNEL_ARGS)
        except PapermillExecutionError as exc:
            os.replace(tmp["ipynb"], failed)
            raise ReportFailed(*_cell_failure(model, notebook, failed, exc, final["html"])) \
                from None
        except Exception as exc:  # the kernel died, would not start, ...
            cause = f"did not run: {type(exc).__name__}: {_clean(str(exc))}"
            raise ReportFailed(f"the {model} report {cause}. " + _kept(final["html"]),
                               cause) from None
        timings.update(_cell_timings(nb, start))
        t = time.perf_counter()
        try:
            html = export_html(nb, f"{model}: SupportAgentBench deep report")
        except Exception as exc:
            cause = (f"ran but its HTML export failed: {type(exc).__name__}: "
                     f"{_clean(str(exc))}")
            raise ReportFailed(f"the {model} report {cause}. " + _kept(final["html"]),
                               cause) from None
        has_facts = tmp["facts"].is_file()
        try:
            tmp["html"].write_text(html, encoding="utf-8")
            timings["export"] = time.perf_counter() - t
            for kind in ("facts", "ipynb", "html"):  # the HTML last: it is what readers open
                if kind != "facts" or has_facts:
                    os.replace(tmp[kind], final[kind])
            failed.unlink(missing_ok=True)
        except OSError as exc:  # a full disk, a folder gone read-only
            raise ReportFailed(f"could not write the {model} report to {out}: "
                               f"{exc.strerror or exc}. " + _kept(final["html"]),
                               f"could not be written: {exc.strerror or exc}") from None
    finally:
        _remove(tmp.values())
    timings["total"] = time.perf_counter() - start
    return Report(model, final["html"], final["ipynb"], final["facts"] if has_facts else None,
                  timings)


def export_html(nb, title: str) -> str:
    """The executed notebook as one self-contained page: outputs and Markdown, no code."""
    import copy

    exporter = _exporter()
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":  # warnings on stderr belong to the .ipynb, not the report
            cell.outputs = [o for o in cell.outputs
                            if not (o.output_type == "stream" and o.get("name") == "stderr")]
    nb.cells = [c for c in nb.cells if c.cell_type != "code" or c.outputs]
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


_EXPORTER = None
_OUTPUT_AREA = re.compile(r'(<div class="[^"]*\bjp-OutputArea-output\b[^"]*")')


def _exporter():
    """One HTML exporter per process: its first export compiles the templates, and every
    later one reuses them."""
    global _EXPORTER
    if _EXPORTER is None:
        from jinja2 import DictLoader
        from nbconvert import HTMLExporter
        from nbconvert.exporters.templateexporter import TemplateExporter
        from nbconvert.filters.highlight import Highlight2HTML
        from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

        class Exporter(HTMLExporter):
            """nbconvert's HTMLExporter without its last step, a BeautifulSoup pass over
            the finished page. That pass re-parses the page in pure Python, tag by tag
            (longer than the rest of the export for a report with a long appendix;
            bench/RESULTS.md), only to give images without alt text one (a report
            has no image: vega-embed draws the charts) and output areas a tabindex, added
            here by a regex over the template's own markup."""

            def from_notebook_node(self, nb, resources=None, **kw):
                resources = self._init_resources(resources)
                # HTMLExporter.from_notebook_node up to its soup pass (nbconvert 7.17)
                self.register_filter("highlight_code", self.filters.get(
                    "highlight_code", Highlight2HTML(parent=self)))
                self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                    notebook_metadata=self._nb_metadata, parent=self, resources=resources))
                html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
                return _OUTPUT_AREA.sub(r'\1 tabindex="0"', html), resources

        _EXPORTER = Exporter(
            template_name="lab", template_file="sabkit-report.html.j2",
            extra_loaders=[DictLoader({"sabkit-report.html.j2": _HTML_TEMPLATE})],
            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
            # the notebook is validated once, after the preprocessors, not after each of
            # the dozen (most of them disabled, and papermill has just validated it)
            optimistic_validation=True)
    return _EXPORTER


def _cell_timings(nb, start: float) -> dict[str, float]:
    """Kernel start and cell time, from papermill's per-cell timestamps."""
    from datetime import datetime

    stamps = [c.metadata.get("papermill", {}) for c in nb.cells]
    begins = [s["start_time"] for s in stamps if s.get("start_time")]
    ends = [s["end_time"] for s in stamps if s.get("end_time")]
    if not begins or not ends:
        return {}
    first, last = (datetime.fromisoformat(min(begins)), datetime.fromisoformat(max(ends)))
    cells = (last - first).total_seconds()
    return {"cells": cells, "kernel_start": time.perf_counter() - start - cells}


def _clean(text: str, limit: int = 300) -> str:
    text = " ".join(_ANSI.sub("", text).split()).rstrip(".")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _kept(html: Path) -> str:
    return (f"The last good report, {html}, is unchanged." if html.exists()
            else "No report was written.")


def _cell_failure(model: str, notebook: Path, failed: Path, exc, html: Path) -> tuple[str, str]:
    """One paragraph: which cell of the template failed (number, section, first line) and
    why; and the cause alone (where and why, no model or file), as ReportFailed takes them."""
    import nbformat

    cells = [c for c in nbformat.read(failed, as_version=4).cells
             if not {"papermill-error-cell-tag", "injected-parameters"}
             & set(c.metadata.get("tags", []))]
    index = next((i for i, c in enumerate(cells) if c.cell_type == "code" and any(
        o.output_type == "error" for o in c.get("outputs", []))), None)
    where = f"a cell of {notebook.name}"
    if index is not None:
        headings = [line.lstrip("#").strip() for c in cells[:index] if c.cell_type == "markdown"
                    for line in c.source.splitlines() if line.startswith("#")]
        first = next((ln.strip() for ln in cells[index].source.splitlines() if ln.strip()), "")
        tags = [t for t in cells[index].metadata.get("tags", [])]
        about = ([f'section "{headings[-1]}"'] if headings else []) + (
            [f'tagged "{", ".join(tags)}"'] if tags else []) + (
            [f"the cell starting `{_clean(first, 80)}`"] if first else [])
        where = f"cell {index + 1} of {notebook.name}" + (f" ({', '.join(about)})" if about else "")
    raised = ""
    frames = [(_repo_path(p), line, fn)
              for p, line, fn in _FRAME.findall(_ANSI.sub("", "\n".join(exc.traceback)))]
    if frames:  # the deepest frame in sabkit's own code says where to look; else the deepest
        ours = [f for f in frames if f[0].startswith("sabkit/")]
        path, line, func = (ours or frames)[-1]
        raised = f" (raised in {func}() at {path}:{line})"
    cause = f"failed at {where}: {exc.ename}: {_clean(exc.evalue) or 'no message'}{raised}"
    return (f"the {model} report {cause}. {_kept(html)} The failed run is kept in {failed}.",
            cause)


def _repo_path(path: str) -> str:
    """A traceback's file path, relative to the checkout when it lies inside it."""
    try:
        return str(Path(path).expanduser().resolve().relative_to(REPO))
    except ValueError:
        return path


# --- every model ------------------------------------------------------------------------

@dataclass
class AllReports:
    reports: list[Report]
    failures: dict[str, str]  # model -> the one-paragraph account
    index: Path
    seconds: float
    causes: dict[str, str] = field(default_factory=dict)  # model -> ReportFailed.cause
    thin: dict[str, str] = field(default_factory=dict)  # model -> what is missing (a short page)


def report_all(data: str | Path = DEFAULT_DATA, out: str | Path = DEFAULT_OUT,
               notebook: str | Path = TEMPLATE, jobs: int | None = None,
               progress: bool = True) -> AllReports:
    """Every model's report, in parallel, then ``out/index.html``."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from tqdm import tqdm

    import sabkit
    from sabkit.report.index_page import write_index

    start = time.perf_counter()
    out = output_folder(out)
    reports, failures, causes, thin = [], {}, {}, {}
    with tempfile.TemporaryDirectory(prefix="sabkit-facts-") as precomputed:
        with sabkit.open(data) as bench:
            models = bench.model_names
            facts_in = _precompute_facts(bench, Path(notebook), Path(precomputed))
            docs = _documents(bench, [m for m in models if not has_complete_run(bench, m)],
                              facts_in)
        for model, doc in docs.items():
            try:
                reports.append(write_thin(doc, out))
                thin[model] = reports[-1].missing
            except ReportFailed as exc:
                failures[model], causes[model] = str(exc), exc.cause
        to_run = [m for m in models if m not in docs]
        write_assets(Path(out))
        jobs = max(1, min(jobs or os.cpu_count() or 1, len(to_run) or 1))
        # spawn, not fork: the parent holds DuckDB's threads, which a fork would copy mid-flight
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_warm_worker) as pool:
            futures = [pool.submit(run_quietly, m, str(data), str(out), str(notebook),
                                   facts_in.get(m), models, ASSETS) for m in to_run]
            bar = tqdm(as_completed(futures), total=len(futures), unit="report",
                       desc=f"{len(to_run)} reports on {jobs} cores", disable=not progress,
                       file=sys.stderr)
            bar.set_postfix_str(_writing(futures, to_run, jobs))
            for future in bar:
                model, result, error = future.result()
                if error is None:
                    reports.append(result)
                else:
                    failures[model], causes[model] = error
                bar.set_postfix_str(_writing(futures, to_run, jobs))
    index = write_index(out, models, data)
    return AllReports(reports, failures, index, time.perf_counter() - start, causes, thin)


def _writing(futures: list, models: list[str], jobs: int) -> str:
    """The models being written: the pool starts reports in submission order, so the first
    ``jobs`` unfinished ones are those running."""
    running = [m for f, m in zip(futures, models) if not f.done()][:jobs]
    return "writing " + (", ".join(running) if running else "the index")


def _documents(bench, models: list[str], facts_in: dict[str, Path]) -> dict[str, dict]:
    """The facts of ``models``: read from the precomputed files, else computed (the board
    once for all of them, or read from the cache: sabkit.facts.stored)."""
    from sabkit.facts import all_facts

    computed = ({d["model"]: d for d in all_facts(bench)}
                if any(m not in facts_in for m in models) else {})
    return {m: json.loads(facts_in[m].read_text(encoding="utf-8")) if m in facts_in
            else computed[m] for m in models}


ASSETS = "assets"
"""The folder, beside the reports of ``report --all``, holding what every page shares."""


def write_assets(out: Path) -> Path:
    """Write the shared CSS and vega-embed bundle into ``out/assets`` once, atomically, for
    the pages of ``report --all`` to refer to: 25 copies of a 900 kB bundle would weigh
    more than the reports."""
    from sabkit.report.charts import vega_embed_bundle
    from sabkit.report.markup import stylesheet

    folder = out / ASSETS
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (("report.css", stylesheet()), ("vega-embed.js", vega_embed_bundle())):
        tmp = folder / f".{name}.{os.getpid()}.tmp"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, folder / name)
    return folder


_FACTS_IN = re.compile(r"^facts_in\s*=", re.MULTILINE)


def _precompute_facts(bench, notebook: Path, folder: Path) -> dict[str, Path]:
    """Every model's facts, computed in one pass, as files for the notebook's ``facts_in``.

    One model's facts need the whole board (ranks, ties, correlations), so computing them
    in each report's kernel would redo the board once per model. Done only when the
    notebook's parameters cell declares ``facts_in``; otherwise each report computes its own.
    """
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    params = "".join("".join(c["source"]) for c in cells
                     if "parameters" in c.get("metadata", {}).get("tags", []))
    if not _FACTS_IN.search(params):
        return {}
    from sabkit.facts import all_facts

    paths = {}
    for doc in all_facts(bench):
        paths[doc["model"]] = folder / f"{file_stem(doc['model'])}.json"
        paths[doc["model"]].write_text(json.dumps(doc), encoding="utf-8")
    return paths


def _warm_worker() -> None:
    """Import the export stack once per worker, not once per report."""
    import papermill  # noqa: F401

    _exporter()


def run_quietly(model: str, data: str, out: str, notebook: str, facts_in: Path | None,
                siblings: list[str] | None = None, assets: str | None = None):
    """``run_notebook`` in a worker: the outcome as a value, never an exception to unpickle."""
    try:
        return model, run_notebook(model, data, out, notebook, facts_in, siblings,
                                   assets), None
    except ReportFailed as exc:
        return model, None, (str(exc), exc.cause)
