"""Facts on imported tau-bench data: what the source does not measure is null, never 0 or NaN,
and pass^k matches tau-bench's estimator counted from the raw JSON in this test.

Reads the shared file from ../shared/data/external and skips when it is absent.
"""

from __future__ import annotations

import json
from collections import defaultdict
from math import comb
from pathlib import Path

import pytest

import sabkit
from sabkit.facts import stored as facts_module
from sabkit import importers
from sabkit.cli.facts import summary

GPT4O = (Path(__file__).resolve().parents[1].parent / "shared" / "data" / "external"
         / "tau-bench" / "gpt-4o-airline.json")
pytestmark = pytest.mark.skipif(not GPT4O.is_file(), reason=f"{GPT4O} is absent")


@pytest.fixture(scope="module")
def doc(tmp_path_factory):
    out = tmp_path_factory.mktemp("gpt4o") / "bench"
    importers.import_files([GPT4O], out)
    with sabkit.open(out) as bench:
        return facts_module.facts(bench, "gpt-4o")


@pytest.fixture(scope="module")
def raw():
    return json.loads(GPT4O.read_text())


def test_unmeasured_figures_are_null(doc):
    assert doc["measured"]["instruction_following"] is False
    assert doc["measured"]["sentiment"] is False and doc["measured"]["cost_tier"] is False
    assert doc["instruction_following"]["median"] is None
    assert doc["instruction_following"]["per_run"] == [None] * 4
    assert doc["sentiment"]["median"] is None and doc["cost_tier"] is None
    assert doc["value"]["dominated_by"] == [] and doc["value"]["tier_index"] is None
    assert doc["ranks"]["instruction_following"]["rank"] is None
    json.dumps(doc, allow_nan=False)
    assert "instruction-following not measured" in summary(doc)


def test_runs_and_score_against_the_raw_json(doc, raw):
    assert doc["runs"]["complete"] == 4 and doc["runs"]["conversations"] == len(raw) == 200
    mean_reward = sum(r["reward"] for r in raw) / len(raw)
    assert doc["score"]["mean"] == pytest.approx(100 * mean_reward)
    assert round(mean_reward, 2) == 0.42


def test_pass_hat_k_is_tau_benchs_estimator(doc, raw):
    outcomes: dict[int, list[bool]] = defaultdict(list)
    for r in raw:
        outcomes[r["task_id"]].append(r["reward"] == 1)
    expected = {str(k): sum(comb(sum(o), k) / comb(len(o), k) for o in outcomes.values())
                / len(outcomes) for k in range(1, 5)}
    assert doc["pass_k"]["all"] == pytest.approx(expected, abs=1e-6)
    assert doc["pass_k"]["all"]["1"] == pytest.approx(0.42)
