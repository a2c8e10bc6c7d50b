"""The sabkit command's conventions: --version, exit codes (0 done, 1 failed, 2 usage),
counts of 1 or more, and `report --all` summing up its failures one line per cause."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import nbformat
import pytest

from sabkit.cli.report import failure_summary

REPO = Path(__file__).resolve().parents[1]


def sabkit(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sabkit.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def test_version_is_the_packages():
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    done = sabkit("--version")
    assert done.returncode == 0 and done.stdout.strip() == f"sabkit {declared}"


@pytest.mark.parametrize("args, says", [
    (["report"], "name one MODEL, or pass --all"),
    (["report", "alpha", "--all"], "name one MODEL, or pass --all"),
    (["facts"], "give a MODEL or --all"),
    (["report", "--all", "--jobs", "0"], "argument --jobs: must be 1 or more, not 0"),
    (["report", "--all", "--jobs", "-1"], "argument --jobs: must be 1 or more, not -1"),
    (["report", "--all", "--jobs", "two"], "argument --jobs: expected a whole number, not 'two'"),
    (["synth", "--scale", "0", "--out", "unused"], "argument --scale: must be 1 or more, not 0"),
    (["import", "tau-bench", "--out", "unused"], "no files to import after the format"),
    ([], "required: COMMAND"),
])
def test_usage_errors_exit_2_with_a_sentence(args, says):
    done = sabkit(*args)
    assert done.returncode == 2, done.stderr
    assert says in done.stderr and "Traceback" not in done.stderr
    assert not (REPO / "unused").exists()


def test_a_failure_exits_1():
    done = sabkit("validate", "/no/such/folder")
    assert done.returncode == 1 and "no folder at /no/such/folder" in done.stderr


def test_failures_are_summed_up_one_line_per_cause():
    lines = failure_summary({"b": "failed at cell 3: KeyError: 'x'",
                             "a": "failed at cell 3: KeyError: 'x'",
                             "c": "did not run: RuntimeError: no kernel"})
    assert lines == ["2 reports failed at cell 3: KeyError: 'x': a, b",
                     "1 report did not run: RuntimeError: no kernel: c"]


def broken_template(path: Path) -> Path:
    """A report notebook whose second cell fails, the same way for every model."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("model = data = out_facts = None",
                                          metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("raise RuntimeError('the template is broken')")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)
    return path


def test_report_all_with_a_broken_template_says_it_once(tiny_path, tmp_path):
    broken = broken_template(tmp_path / "broken.ipynb")
    done = sabkit("report", "--all", "--data", str(tiny_path), "--out", str(tmp_path / "out"),
                  "--notebook", str(broken), "--jobs", "1", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    said = [ln for ln in done.stderr.splitlines() if "RuntimeError: the template is broken" in ln]
    assert len(said) == 1, done.stderr  # once, for the three models
    assert said[0].startswith("sabkit report: 3 reports failed at cell 2 of broken.ipynb"), said
    assert said[0].endswith(": alpha, alpha@no-reasoning, beta")
    # the progress bar names the model being written: with --jobs 1 the first before any
    # report is done, and a later one as the reports finish
    assert "writing alpha]" in done.stderr
    assert "writing alpha@no-reasoning]" in done.stderr or "writing beta]" in done.stderr
    assert "0 reports in" in done.stderr and "3 failed" in done.stderr
