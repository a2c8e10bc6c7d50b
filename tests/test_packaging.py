"""sabkit as a package: the checkout never shadows it, and a built wheel carries the sample
and the report template.

Both run Python in a fresh process from a folder that is not the checkout, as a user would:
from the folder that holds the checkout, from a folder holding a clone named ``sabkit``, and
with only the unpacked wheel on the path.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "sample"


def python(code: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=300)


CHECK = ("import sabkit, pathlib; print(pathlib.Path(sabkit.__file__).resolve()); "
         "print(sabkit.open, sabkit.DEFAULT_DATA)")


def test_the_folder_holding_the_checkout_does_not_shadow_it():
    done = python(CHECK, cwd=REPO.parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == str(REPO / "src" / "sabkit" / "__init__.py")


def test_a_clone_named_sabkit_does_not_shadow_it(tmp_path):
    (tmp_path / "sabkit").symlink_to(REPO, target_is_directory=True)
    done = python(CHECK, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "<function open" in done.stdout
    assert done.stdout.splitlines()[0].endswith("src/sabkit/__init__.py")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_wheel_carries_the_sample_and_the_template(tmp_path):
    source = tmp_path / "source"  # a copy, so the build leaves nothing in the checkout
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
        ".venv", ".git", "outputs", "build", "*.egg-info", "__pycache__", ".pytest_cache"))
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps",
                            "--no-build-isolation", "-q", "-w", str(tmp_path / "dist")],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("sabkit-*.whl"))
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as z:
        z.extractall(site)
    shipped = {f.name: digest(f) for f in (site / "sabkit" / "sample").iterdir()}
    assert shipped == {f.name: digest(f) for f in SAMPLE.iterdir() if f.is_file()}
    template = site / "sabkit" / "report" / "model_report.ipynb"
    assert digest(template) == digest(REPO / "parametrized" / "model_report.ipynb")
    # only the unpacked wheel provides sabkit: the checkout's src/ is not on the path
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = python(f"import sys; sys.path.insert(0, {str(site)!r})\n"
                  "import sabkit, pathlib\n"
                  "print(pathlib.Path(sabkit.__file__).resolve())\n"
                  "print(sabkit.DEFAULT_DATA)\n"
                  "from sabkit.report import export; print(export.TEMPLATE)\n"
                  "print(sabkit.open().summary())", cwd=elsewhere)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == str(site / "sabkit" / "__init__.py")
    assert lines[1] == str(site / "sabkit" / "sample") and lines[2] == str(template)
    models = pq.read_table(SAMPLE / "models.parquet").num_rows
    messages = pq.read_table(SAMPLE / "messages.parquet").num_rows
    assert f"  models      {models}" in done.stdout and f"{messages:,}" in done.stdout
