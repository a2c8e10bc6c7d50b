"""Customer messages per conversation, the worked example of "Adding a figure"
(docs/architecture.md): a figure declared with its metric in the registry, placed in the
facts document without an edit there, shown by the customer-experience section and tied by
``sabkit check``. Its truth is counted here from the raw Parquet of the sample with polars,
not through sabkit's SQL.
"""

from __future__ import annotations

import polars as pl
import pytest

import sabkit
from sabkit.check import check
from sabkit.facts import all_facts
from sabkit.report import context, quotes
from sabkit.report.sections import experience

SAMPLE = sabkit.DEFAULT_DATA
pytestmark = pytest.mark.skipif(not (SAMPLE / "models.parquet").exists(),
                                reason=f"no sample benchmark at {SAMPLE}")


def counted() -> dict[str, float]:
    """Per model: customer messages over scored conversations of complete runs, where a run
    is complete when it says so and has a score for every case."""
    cases = pl.read_parquet(SAMPLE / "cases.parquet").height
    runs = pl.read_parquet(SAMPLE / "runs.parquet")
    scores = pl.read_parquet(SAMPLE / "scores.parquet").select("run_id", "case_id")
    scored = scores.group_by("run_id").len()
    complete = (runs.join(scored, on="run_id")
                .filter(pl.col("complete") & (pl.col("len") == cases))
                .select("run_id", "model"))
    customer = (pl.read_parquet(SAMPLE / "messages.parquet")
                .filter(pl.col("role") == "customer")
                .group_by("run_id", "case_id").len().rename({"len": "customer"}))
    conv = (scores.join(complete, on="run_id")
            .join(customer, on=["run_id", "case_id"], how="left")
            .with_columns(pl.col("customer").fill_null(0)))
    per_model = conv.group_by("model").agg(pl.col("customer").sum(), pl.len())
    return {r["model"]: r["customer"] / r["len"] for r in per_model.iter_rows(named=True)}


@pytest.fixture(scope="module")
def docs(sample):
    return {d["model"]: d for d in all_facts(sample)}


def test_the_facts_document_holds_the_count_from_the_raw_parquet(docs):
    truth = counted()
    assert truth and all(v > 0 for v in truth.values())
    for model, doc in docs.items():
        value = doc["customer_messages_per_conversation"]["value"]
        if model in truth:
            assert value == pytest.approx(truth[model], abs=1e-6), model
        else:  # no complete run: nothing measured
            assert value is None, model


def test_the_report_states_it_and_check_ties_it(sample, docs):
    model, value = next((m, v) for m, v in sorted(counted().items()))
    html = experience.render(context.Report(docs[model], quotes.Findings()))
    assert f"A conversation holds {value:.2f} customer messages on average" in html

    right = f"# {model}\n\nA conversation holds {value:.2f} customer messages on average.\n"
    wrong = f"# {model}\n\nA conversation holds {value + 1:.2f} customer messages on average.\n"
    for draft, verdict in ((right, "verified"), (wrong, "contradicted")):
        rows = check(sample, draft).filter(
            pl.col("figure") == "customer_messages_per_conversation.value")
        assert rows["verdict"].to_list() == [verdict], draft
