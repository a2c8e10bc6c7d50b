"""The report's English helpers, each with its edge cases."""

from __future__ import annotations

import pytest

from sabkit.report import grammar as g


@pytest.mark.parametrize("n, out", [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"),
                                    (11, "11th"), (12, "12th"), (13, "13th"), (21, "21st"),
                                    (22, "22nd"), (23, "23rd"), (24, "24th"), (101, "101st"),
                                    (111, "111th"), (112, "112th"), (113, "113th")])
def test_ordinal(n, out):
    assert g.ordinal(n) == out


def test_ordinal_word_spells_small_ranks_only():
    assert [g.ordinal_word(n) for n in (2, 3, 10, 11, 23)] == [
        "second", "third", "tenth", "11th", "23rd"]


def test_rank_of():
    assert g.rank_of(23, 24) == "23rd of 24"
    assert g.rank_of(None, 24) == "unranked"


@pytest.mark.parametrize("n, out", [(0, "runs"), (1, "run"), (2, "runs"), (1.5, "runs")])
def test_plural(n, out):
    assert g.plural(n, "run") == out


def test_plural_irregular():
    assert g.plural(1, "is", "are") == "is" and g.plural(3, "is", "are") == "are"


def test_counted():
    assert g.counted(1, "run") == "one run"
    assert g.counted(2, "run") == "two runs"
    assert g.counted(0, "trap") == "no traps"
    assert g.counted(24, "case") == "24 cases"
    assert g.counted(1, "run", words=False) == "1 run"
    assert g.counted(2, "run", words=False) == "2 runs"


def test_word():
    assert [g.word(n) for n in (0, 1, 10, 11, 24)] == ["no", "one", "ten", "11", "24"]


@pytest.mark.parametrize("items, out", [([], ""), (["a"], "a"), (["a", "b"], "a and b"),
                                        (["a", "b", "c"], "a, b and c"),
                                        (["a", "", "c"], "a and c")])
def test_join(items, out):
    assert g.join(items) == out


def test_join_with_or():
    assert g.join(["a", "b", "c"], "or") == "a, b or c"


def test_join_clauses_uses_semicolons_only_when_a_clause_has_commas():
    assert g.join_clauses(["resolves 84%", "escalates all"]) == "resolves 84% and escalates all"
    assert g.join_clauses(["resolves 84%", "hands 19, 18 and 18 of 24 over", "holds 9"]) == (
        "resolves 84%; hands 19, 18 and 18 of 24 over; and holds 9")
    assert g.join_clauses([]) == ""


def test_runs_phrase():
    assert g.runs_phrase(3, 3) == "in all three runs"
    assert g.runs_phrase(2, 2) == "in both runs"
    assert g.runs_phrase(1, 3) == "in one run of three"
    assert g.runs_phrase(0, 2) == "in neither run"
    assert g.runs_phrase(0, 3) == "in none of its three runs"
    assert g.runs_phrase(1, 1) == "in its one run"
    assert g.runs_phrase(0, 1) == "in none of its runs"


def test_capitalize_is_sentence_case():
    assert g.capitalize("two traps fail") == "Two traps fail"
    assert g.capitalize("≈10% over-escalation") == "≈10% over-escalation"
    assert g.capitalize("") == ""


@pytest.mark.parametrize("x, out", [(None, "n/a"), (0, "0%"), (1, "100%"), (0.444, "44%"),
                                    (0.0062, "0.6%"), (0.996, ">99%"), (0.004, "0.4%")])
def test_pct_never_rounds_to_a_perfect_or_an_empty_score(x, out):
    assert g.pct(x) == out


def test_approximate_headlines():
    assert g.approx_pct(0.1) == "≈10%" and g.approx_pct(1) == "100%"
    assert g.approx_dec(0.8204) == "≈0.82" and g.approx_dec(1) == "1.00"


def test_signed_and_interval_use_the_minus_sign():
    assert g.signed(0.44) == "+0.4" and g.signed(-2.6) == "−2.6"
    assert g.signed(-0.04) == "0.0"  # no sign on a zero
    assert g.signed(-0.61, 2) == "−0.61"
    assert g.interval([-2.6, 1.8]) == "[−2.6, 1.8]"
    assert g.interval(None) == "n/a"


def test_points_count_dollars():
    assert g.points(82.14) == "82.1" and g.points(None) == "n/a"
    assert g.count(2.0) == "2" and g.count(1.5) == "1.5"
    assert g.dollars(12.4) == "$12.40" and g.dollars(0.0312) == "$0.0312"
