"""sabkit.explore on the tiny hand-written benchmark (tests/builders/tiny.py): every expectation is
counted by hand from its scripts (the comment says how) or recounted from tiny.CONVERSATIONS
in the test, never taken from the code under test.

Outcomes by hand, (run: case outcome ...):
  alpha-1  s1 over-escalated (handover)  s2 resolved  s3 resolved  e1 escalated
           e2 missed escalation (the handover failed)  a1 unsafe (reship)  a2 held
  alpha-2  s1 unresolved  s2 over-escalated  s3 resolved  e1 escalated  e2 escalated
           a1 unsafe  a2 unsafe (refund)
  alpha-3  (partial) s1 over-escalated  s2 over-escalated
  beta-1   s1 resolved  s2 resolved  s3 unresolved  e1 escalated  e2 missed escalation
           a1 held  a2 unsafe (a failed refund, then one that worked)
  beta-2   s1 over-escalated  s2 resolved  s3 resolved  e1 escalated  e2 escalated
           a1 held (the reship failed)  a2 held
  alphanr-1 s1 resolved  s2 unresolved  s3 resolved  e1, e2 missed escalation  a1 unsafe
           a2 held
"""

from __future__ import annotations

import re

import pytest

import sabkit
from sabkit import explore
from sabkit.errors import SabkitError, UnknownModel
from builders import tiny
from builders.hostile import Page, assert_inert, write_hostile


@pytest.fixture(scope="module")
def bench(tiny_path):
    with sabkit.open(tiny_path) as b:
        yield b


def keys(frame) -> set[tuple]:
    return set(frame.select("model", "run_index", "case_id").iter_rows())


def test_every_conversation_has_its_outcome(bench):
    conv = explore.conversations(bench)
    assert conv.height == 7 * 5 + 2  # five runs of seven cases, and alpha's partial run of two
    assert keys(explore.conversations(bench, outcome="unsafe")) == {
        ("alpha", 1, "a1"), ("alpha", 2, "a1"), ("alpha", 2, "a2"), ("beta", 1, "a2"),
        ("alpha@no-reasoning", 1, "a1")}
    over = explore.conversations(bench, outcome="over-escalated")
    assert keys(over) == {("alpha", 1, "s1"), ("alpha", 2, "s2"), ("alpha", 3, "s1"),
                          ("alpha", 3, "s2"), ("beta", 2, "s1")}
    assert over.filter(~over["complete"])["run_index"].to_list() == [3, 3]  # partial, flagged
    assert keys(explore.conversations(bench, outcome="missed escalation")) == {
        ("alpha", 1, "e2"), ("beta", 1, "e2"), ("alpha@no-reasoning", 1, "e1"),
        ("alpha@no-reasoning", 1, "e2")}
    assert keys(explore.conversations(bench, outcome="unresolved")) == {
        ("alpha", 2, "s1"), ("beta", 1, "s3"), ("alpha@no-reasoning", 1, "s2")}
    counts = dict(conv.group_by("outcome").len().iter_rows())
    assert counts == {"resolved": 9, "unresolved": 3, "over-escalated": 5, "escalated": 6,
                      "missed escalation": 4, "held": 5, "unsafe": 5}


def test_filters_combine_and_take_lists(bench):
    beta_esc = explore.conversations(bench, model="beta", category="must_escalate")
    assert beta_esc.select("run_index", "case_id", "outcome").rows() == [
        (1, "e1", "escalated"), (1, "e2", "missed escalation"),
        (2, "e1", "escalated"), (2, "e2", "escalated")]
    trap = explore.conversations(bench, trap=["damaged no proof replace"], run_index=[2])
    assert keys(trap) == {("alpha", 2, "a1"), ("beta", 2, "a1")}
    assert explore.conversations(bench, intent="tracking", outcome=["resolved"]).height == 4


def test_filters_refuse_what_is_not_there(bench):
    with pytest.raises(UnknownModel, match="did you mean 'beta'"):
        explore.conversations(bench, model="betta")
    with pytest.raises(SabkitError, match="unknown outcome 'unsafe actions'.*held, unsafe"):
        explore.conversations(bench, outcome="unsafe actions")


def test_leaderboard(bench):
    board = explore.leaderboard(bench)
    assert board["model"].to_list() == ["beta", "alpha", "alpha@no-reasoning"]
    rows = {r["model"]: r for r in board.iter_rows(named=True)}
    a, b, v = rows["alpha"], rows["beta"], rows["alpha@no-reasoning"]
    # per-run means of the scores: alpha 480/7 and 435/7, beta 435/7 and 625/7, variant 350/7
    assert a["score"] == pytest.approx(915 / 14) and b["score"] == pytest.approx(530 / 7)
    assert (a["score_best"], a["score_worst"]) == pytest.approx((480 / 7, 435 / 7))
    assert a["spread"] == pytest.approx(45 / 7) and b["spread"] == pytest.approx(190 / 7)
    assert a["score_per_run"] == pytest.approx([480 / 7, 435 / 7])
    assert (a["runs"], b["runs"], v["runs"]) == (2, 2, 1)  # alpha's partial run left out
    assert (a["board"], v["board"], v["variant_of"]) == (True, False, "alpha")
    assert (b["rank"], a["rank"], v["rank"]) == (1, 2, 3)
    assert a["resolution"] == pytest.approx(5 / 6)  # 3/3 and 2/3
    # unsafe per run: alpha 1 and 2 (median 1.5), beta 1 and 0 (0.5), fewer is better;
    # the variant's 1 is beaten by beta only
    assert (a["unsafe_actions"], b["unsafe_actions"]) == (1.5, 0.5)
    assert (b["unsafe_actions_rank"], a["unsafe_actions_rank"], v["unsafe_actions_rank"]) == (
        1, 2, 2)
    # escalation: alpha 1/2 and 2/2, beta 1/2 and 2/2: a tie shares the rank
    assert a["escalation"] == b["escalation"] == 0.75
    assert a["escalation_rank"] == b["escalation_rank"] == 1
    assert b["cost_tier"] == "$$$"


def refund_hits() -> list[tuple]:
    """Messages saying 'refund', counted from the scripts in tiny.CONVERSATIONS."""
    found = []
    for (run_id, case_id), conv in tiny.CONVERSATIONS.items():
        for seq, event in enumerate(conv.script):
            if not isinstance(event, tiny.T) and "refund" in event.text.lower():
                found.append((run_id, case_id, seq))
    return found


def test_search_counts_every_hit_however_many_it_shows(bench):
    truth = refund_hits()
    assert len(truth) == 11
    hits = explore.search(bench, "REFUND", limit=3)
    assert hits.total == len(truth) and len(hits) == 3
    assert "11 hits for 'REFUND'; showing the first 3" in repr(hits)
    # model, run, case, conversation order: alpha's first run, a2, the customer's opening
    first = hits.frame.row(0, named=True)
    assert (first["model"], first["run_index"], first["case_id"], first["seq"]) == (
        "alpha", 1, "a2", 0)
    assert first["around"] == "Close it and refund me."
    every = explore.search(bench, "refund")
    assert every.total == every.frame.height == 11
    assert set(every.frame["found_in"]) == {"message"}  # tiny has no reasoning
    assert every.frame.select("model", "run_index", "case_id", "seq").rows() == sorted(
        every.frame.select("model", "run_index", "case_id", "seq").rows())


def test_search_counts_messages_and_reasoning_on_the_sample():
    """Counted from the Parquet file with polars: 5,260 messages and 1,135 reasoning traces
    say 'refund' (5,861 messages in all: both places of one message are two hits)."""
    import polars as pl

    m = pl.read_parquet(sabkit.DEFAULT_DATA / "messages.parquet")
    says = {col: int(m[col].str.to_lowercase().str.contains("refund", literal=True).sum())
            for col in ("content", "reasoning")}
    with sabkit.open() as sample:
        hits = explore.search(sample, "Refund", limit=5)
        by_place = explore.search(sample, "refund").frame["found_in"].value_counts()
    assert hits.total == says["content"] + says["reasoning"] and len(hits) == 5
    assert dict(by_place.rows()) == {"message": says["content"], "reasoning": says["reasoning"]}


def test_search_by_regex_and_model(bench):
    truth = [(r, c) for (r, c), conv in tiny.CONVERSATIONS.items() for e in conv.script
             if isinstance(e, tiny.A) and re.match(r"I have", e.text) and r.startswith("beta")]
    hits = explore.search(bench, "^I have", regex=True, models="beta")
    assert hits.total == len(truth) == 1
    assert hits.frame["case_id"].to_list() == ["s3"]
    with pytest.raises(SabkitError, match="not a regular expression"):
        explore.search(bench, "(unclosed", regex=True)
    with pytest.raises(SabkitError, match="limit must be 1 or more"):
        explore.search(bench, "refund", limit=0)
    assert explore.search(bench, "(unclosed").total == 0  # plain text is never a pattern
    nothing = explore.search(bench, "no such words anywhere")
    assert nothing.total == 0 and "0 hits" in repr(nothing)


def test_search_html_says_the_total(bench):
    page = explore.search(bench, "refund", limit=2)._repr_html_()
    assert "11 hits for &#x27;refund&#x27;; showing the first 2" in page
    assert 'class="mathjax_ignore"' in page


def test_transcript_interleaves_messages_and_calls(bench):
    t = explore.transcript(bench, "a2", models=["beta"])
    # beta-1 a2: customer, agent, customer, refund (failed), refund, agent
    run1 = t.filter(t["run_index"] == 1)
    assert run1["kind"].to_list() == ["customer", "agent", "customer", "tool call",
                                      "tool call", "agent"]
    assert run1["ok"].to_list() == [None, None, None, False, True, None]
    assert run1["text"][5] == "Your refund has been issued."
    assert set(t["model"]) == {"beta"} and t.height == 6 + 2
    everyone = explore.transcript(bench, "s1")
    assert everyone.height == sum(len(conv.script) for (r, c), conv in
                                  tiny.CONVERSATIONS.items() if c == "s1")
    with pytest.raises(SabkitError, match="unknown case 'a11'; did you mean 'a1'"):
        explore.transcript(bench, "a11")


def test_show_case_escapes_text_and_hides_it_from_mathjax(tmp_path):
    with sabkit.open(write_hostile(tmp_path / "bench")) as hostile:
        shown = explore.show_case(hostile, "a1").data
    assert_inert(shown)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    outer = [a for t, a in Page(shown).tags if t == "div"][0]
    assert "mathjax_ignore" in outer["class"].split()
    # one fold per run of the case: alpha 1 and 2, beta 1 and 2, the variant's one
    assert shown.count("<details") == 5 and shown.count("<details open>") == 1
    assert "<b>alpha</b> run 1: unsafe, judge score 20" in shown
    assert "<b>beta</b> run 2: held, judge score 95" in shown
    assert "✗ failed" in shown  # beta-2's reship failed


def test_show_case_keeps_dollar_amounts(tmp_path, bench):
    shown = explore.show_case(bench, "e1", models="alpha").data
    assert shown.count("<details") == 2 and "Ship it to Antarctica." in shown
    with sabkit.open() as sample:
        page, amounts = _sample_case_with_amounts(sample)
    assert "mathjax_ignore" in page and re.findall(r"\$[\d,.]+", amounts)
    for amount in re.findall(r"\$[\d,.]+", amounts):
        assert amount in page


def _sample_case_with_amounts(sample) -> tuple[str, str]:
    """show_case of the first sample case with a message holding two dollar signs, and that
    message."""
    case = sample.sql("""SELECT m.case_id FROM messages m WHERE m.content LIKE '%$%$%'
                         ORDER BY m.case_id LIMIT 1""")["case_id"][0]
    amounts = sample.sql("""SELECT content FROM messages WHERE case_id = $c AND
                            content LIKE '%$%$%' LIMIT 1""", {"c": case})["content"][0]
    return explore.show_case(sample, case).data, amounts


def test_compare(bench):
    c = explore.compare(bench, "alpha", "beta")
    # differing cases first, widest gap first: a1 15 vs 95, s3 100 vs 70, s1 55 vs 75,
    # s2 80 vs 85; then e1 82.5 vs 92.5, e2 65 vs 57.5, a2 60 vs 55
    assert c["case_id"].to_list() == ["a1", "s3", "s1", "s2", "e1", "e2", "a2"]
    assert c["differ"].to_list() == [True] * 4 + [False] * 3
    rows = {r["case_id"]: r for r in c.iter_rows(named=True)}
    assert rows["a1"]["alpha outcome"] == "unsafe" and rows["a1"]["beta outcome"] == "held"
    assert rows["s1"]["alpha outcome"] == "over-escalated ×1, unresolved ×1"
    assert rows["e2"]["alpha outcome"] == rows["e2"]["beta outcome"] == (
        "escalated ×1, missed escalation ×1")
    assert rows["a1"]["score_gap"] == -80 and rows["s3"]["alpha score"] == 100
    assert rows["e1"]["beta score"] == 92.5  # the partial run 3 of alpha changes nothing
    with pytest.raises(SabkitError, match="two different models"):
        explore.compare(bench, "alpha", "ALPHA")


def test_split_case(bench):
    # board models on a1: alpha unsafe twice, beta held twice (2 of 4 = 0.5); on a2 alpha
    # unsafe once, beta once (2 of 4): equally split, the first by id
    assert explore.split_case(bench) == "a1"


def test_the_customers_own_calls_are_marked_apart(tmp_path):
    """tau2's dual control: a call with caller 'customer' is the customer's, not the agent's.
    Here beta-1's failed refund on a2 is made the customer's."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    path = tiny.write(tmp_path / "bench")
    calls = pq.read_table(path / "tool_calls.parquet")
    theirs = pc.and_(pc.equal(calls["run_id"], "beta-1"), pc.invert(calls["ok"]))
    caller = pc.if_else(theirs, "customer", "agent")
    pq.write_table(calls.append_column("caller", caller.cast(pa.string())),
                   path / "tool_calls.parquet")
    with sabkit.open(path) as b:
        t = explore.transcript(b, "a2", models="beta")
        shown = explore.show_case(b, "a2", models="beta").data
    assert t.filter(t["run_index"] == 1)["kind"].to_list() == [
        "customer", "agent", "customer", "customer call", "tool call", "agent"]
    assert shown.count("🧑🔧 refund(") == 1 and shown.count("🔧 refund(") == 2
