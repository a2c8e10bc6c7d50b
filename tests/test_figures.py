"""The figure registry points at real places of the facts document, with the right kinds of
values, and shows them as the reference reports write them."""

from __future__ import annotations

import pytest

from sabkit.facts import facts, figures


# A real key per placeholder (the gemma reference report's), and per figure where they differ.
KEYS = {"intent": "damaged item", "cluster": "damaged item", "trap": "damaged no proof replace",
        "category": "must_escalate", "figure": "score", "run": "0", "model": "gpt-5.4-mini"}
BY_FIGURE = {"escalation_by_intent": "unsupported request",
             "escalated_by_intent": "unsupported request",
             "missed_escalation_share": "unsupported request",
             "perfect_on_intent": "unsupported request",
             "over_escalated_by_intent": "duplicate order",
             "confirm_skipped_by_intent": "cancel before ship",
             "cluster_escalation": "must-escalate",
             # a reasoning figure takes its headline's unit: a rate is a share
             "reasoning_off": "escalation_pooled", "reasoning_on": "escalation"}


@pytest.fixture(scope="module")
def gemma(sample):
    return facts(sample, "gemma-4-31b")


def _key(f: figures.Figure) -> str | None:
    return BY_FIGURE.get(f.name, KEYS.get(f.key)) if f.key else None


@pytest.mark.parametrize("name", list(figures.FIGURES))
def test_every_path_holds_a_value_of_its_unit(gemma, name):
    f = figures.get(name)
    value = figures.lookup(gemma, f.path_for(_key(f)))
    assert value is not None, f"{name}: nothing at {f.path_for(_key(f))}"
    if isinstance(value, dict):  # a cluster's span
        value = value["value"]
    values = value if isinstance(value, list) else [value]
    for v in values:
        if f.unit == "tier":
            assert v in ("$", "$$", "$$$", "$$$$")
        elif f.unit == "share":
            assert 0 <= v <= 1
        elif f.unit == "score":
            assert 0 <= v <= 1
        elif f.unit == "rank":
            assert isinstance(v, int) and v >= 1
        elif f.unit == "count":  # a name counts one (traps_every_run); a median of two runs
            assert isinstance(v, str) or float(2 * v).is_integer()  # may end in a half
        elif f.unit == "r":
            assert -1 <= v <= 1
        else:
            assert isinstance(v, (int, float))


def test_reference_report_figures_read_through_the_registry(gemma):
    """Values the gemma reference report states, read by registry name."""
    def read(name, key=None):
        f = figures.get(name)
        return f.show(figures.lookup(gemma, f.path_for(key)))

    assert read("over_escalation") == "10%"
    assert read("instruction_following") == "0.82"
    assert read("sentiment") == "0.94"
    assert read("agent_messages_per_conversation") == "3.24"
    assert read("unsafe_actions") == "2"
    assert read("cost_tier") == "$"
    assert read("tool_calls") == "4.2"
    assert read("phantom_rate") == "0.6%"
    assert read("over_escalation_by_intent", "duplicate order") == "44%"
    assert read("instruction_following_by_intent", "damaged item") == "0.62"


def test_another_models_figure_is_its_board_row(gemma):
    mini = figures.get("score").path_of("gpt-5.4-mini")
    assert mini == "benchmark.board.gpt-5.4-mini.score"
    row = next(r for r in gemma["benchmark"]["board"] if r["model"] == "gpt-5.4-mini")
    assert figures.lookup(gemma, mini) == row["score"]
    assert figures.lookup(gemma, "benchmark.board.no-such-model.score") is None
    assert figures.get("tool_calls").path_of("gpt-5.4-mini") is None  # not on the board rows


def test_ranks_are_the_ranked_figures_with_their_direction(gemma):
    assert list(gemma["ranks"]) == [f.name for f in figures.HEADLINES if f.ranked]
    # gemma writes the fewest agent messages of the board: rank 1 only if lower is better
    assert gemma["ranks"]["agent_messages_per_conversation"]["rank"] == 1
    assert figures.RANKED["agent_messages_per_conversation"] is False
    assert figures.RANKED["score"] is True


def test_unknown_names_and_units_are_refused():
    with pytest.raises(KeyError, match="no figure 'resolutoin'"):
        figures.get("resolutoin")
    with pytest.raises(ValueError, match="unit 'percent'"):
        figures.Figure("x", "x", "percent", "X", (), "")
