"""`sabkit facts` on the tiny benchmark: JSON for one model and --all, the summary, and the
did-you-mean exit for an unknown model."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import tiny

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> str:
    return str(tiny.write(tmp_path_factory.mktemp("tiny") / "bench"))


def sabkit(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sabkit.cli", "facts", *args],
                          capture_output=True, text=True, cwd=REPO)


def test_one_model_as_json(data):
    out = sabkit("alpha", "--data", data, "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["model"] == "alpha" and doc["runs"] == {**doc["runs"], "complete": 2,
                                                        "partial": 1}
    assert doc["escalation"]["per_run"] == [0.5, 1.0]


def test_all_models_as_a_json_list(data):
    out = sabkit("--all", "--data", data, "--json")
    assert out.returncode == 0, out.stderr
    assert [d["model"] for d in json.loads(out.stdout)] == ["alpha", "alpha@no-reasoning",
                                                            "beta"]


def test_summary_without_json(data):
    out = sabkit("beta", "--data", data)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("beta  (bigco, cost tier $$$)")
    assert "escalation 75% (1/2 cases every run)" in out.stdout


def test_unknown_model_suggests_the_nearest(data):
    out = sabkit("alpa", "--data", data, "--json")
    assert out.returncode == 2
    assert "unknown model 'alpa'; did you mean 'alpha'?" in out.stderr
    assert "alpha, alpha@no-reasoning, beta" in out.stderr
    assert "Traceback" not in out.stderr


def test_model_or_all_is_required(data):
    assert sabkit("--data", data).returncode == 2
