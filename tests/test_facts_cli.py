"""`sabkit facts` on the tiny benchmark: JSON for one model and --all, the summary, and the
did-you-mean exit for an unknown model."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sabkit.facts.figures import SOURCED


REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def data(tiny_path) -> str:
    return str(tiny_path)


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


def test_all_writes_each_document_whole_with_its_benchmark_block(data):
    """--all encodes the benchmark block once and splices it into every line: each line
    must still be the very document `facts MODEL --json` writes."""
    lines = sabkit("--all", "--data", data, "--json").stdout.splitlines()
    assert lines[0] == "[" and lines[-1] == "]" and len(lines) == 5
    for line in lines[1:-1]:
        doc = json.loads(line.rstrip(","))
        alone = json.loads(sabkit(doc["model"], "--data", data, "--json").stdout)
        assert doc == alone
        assert doc["benchmark"]["board_size"] == 2 and list(doc)[-1] == "benchmark"


def test_the_command_writes_all_it_printed_before_it_ends(data):
    """`sabkit` ends its process without tearing the interpreter down (cli.main.run): what
    it printed must still reach a pipe, with Python's own buffering (no PYTHONUNBUFFERED),
    and its exit code must be main's."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    out = subprocess.run([sys.executable, "-m", "sabkit.cli", "facts", "beta", "--data",
                          data], capture_output=True, text=True, cwd=REPO, env=env)
    assert out.returncode == 0, out.stderr
    # a short text: it sits in the stream's buffer until the command flushes it
    assert out.stdout.startswith("beta  (bigco, cost tier $$$)")
    assert "escalation 75% (1/2 cases every run)" in out.stdout
    out = subprocess.run([sys.executable, "-m", "sabkit.cli", "facts", "alpa", "--data",
                          data], capture_output=True, text=True, cwd=REPO, env=env)
    assert out.returncode == 2 and "did you mean 'alpha'?" in out.stderr


def test_facts_leaves_pyarrow_unloaded(data, tmp_path):
    # The metric queries hand their results to polars through the Arrow PyCapsule
    # interface, so `sabkit facts` does not pay for importing pyarrow (the cache on and off).
    code = ("import contextlib, io, sys\n"
            "from sabkit.cli.main import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    assert main(sys.argv[1:]) == 0\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'pyarrow'))")
    for cache in ("off", str(tmp_path / "cache"), str(tmp_path / "cache")):
        out = subprocess.run([sys.executable, "-c", code, "facts", "--all", "--json", "--data",
                              data], capture_output=True, text=True, cwd=REPO,
                             env={**os.environ, "SABKIT_CACHE": cache})
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip() == "[]"


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


def documented_paths() -> list[str]:
    """Every key path in the first column of docs/facts.md ("a.b / a.c", ".of" shorthand)."""
    paths = []
    for line in (REPO / "docs" / "facts.md").read_text(encoding="utf-8").splitlines():
        cell = line.split("|")[1].strip() if line.startswith("| `") else ""
        previous = None
        for path in re.findall(r"`([^`]+)`", cell):
            if path.startswith(".") and previous:  # "`score.rank` / `.of`"
                path = previous.rsplit(".", 1)[0] + path
            paths.append(path)
            previous = path
    # a figure sourced from its registry entry is documented there (docs/facts.md says so)
    return paths + [f.path for f in SOURCED.values()]


def resolve(doc, path: str):
    """Walk a dotted path; `<name>` stands for any key, `*` for the rest of the block."""
    node = doc
    for key in path.split("."):
        if key == "*":
            return node
        assert isinstance(node, dict), f"{path}: {key!r} under a {type(node).__name__}"
        if key.startswith("<"):
            assert node, f"{path}: no entries to stand for {key}"
            key = next(iter(node))
        assert key in node, f"{path}: no key {key!r}"
        node = node[key]
    return node


def test_every_documented_path_is_in_the_document(data):
    doc = json.loads(sabkit("alpha", "--data", data, "--json").stdout)
    paths = documented_paths()
    assert len(paths) > 100
    for path in paths:
        resolve(doc, path)


def test_every_key_of_the_document_is_documented(data):
    doc = json.loads(sabkit("alpha", "--data", data, "--json").stdout)
    documented = [re.split(r"\.(\*|<)", p)[0] for p in documented_paths()]
    keys = [k for k in doc] + [f"{k}.{j}" for k, v in doc.items() if isinstance(v, dict)
                               for j in v if not k.startswith(("clusters", "pass_k", "ranks"))]
    undocumented = [k for k in keys if not any(
        d == k or d.startswith(k + ".") or k.startswith(d + ".") for d in documented)]
    assert undocumented == []


def test_ranks_ignore_float_noise_between_tied_models():
    """0.1 + 0.2 and 0.3 are the same median: both models share rank 1, neither is 'better'."""
    import polars as pl

    from sabkit.facts import RANKED, Facts

    f = Facts.__new__(Facts)
    headlines = pl.DataFrame({"model": ["a", "b", "c"],
                              **{k: [0.1 + 0.2, 0.3, 0.2] for k in RANKED}})
    f.__dict__.update(headlines=headlines, board=headlines)
    assert f.ranks["a", "score"] == {"rank": 1, "of": 3, "better": []}
    assert f.ranks["b", "score"] == {"rank": 1, "of": 3, "better": []}
    assert f.ranks["c", "score"]["rank"] == 3
    assert f.ranks["c", "unsafe_actions"]["rank"] == 1  # lower is better
