"""A report's quotes kept in the cache (sabkit.report.stored): read back equal to what
``quotes.findings`` computes, never from files that changed since."""

from __future__ import annotations

import json

import pytest

import sabkit
from builders.corpus import SAMPLE, copy_sample, rewrite
from sabkit.facts import facts
from sabkit.report import quotes, stored
from sabkit.report.quotes import Findings, Quote

MODELS = ("gemma-3-27b", "gpt-5.5", "gemma-4-31b@no-reasoning")


@pytest.fixture
def computations(monkeypatch):
    """The models whose quotes were computed (quotes.findings called), in call order."""
    seen: list[str] = []
    real = quotes.findings

    def counted(bench, doc):
        seen.append(doc["model"])
        return real(bench, doc)

    monkeypatch.setattr(quotes, "findings", counted)
    return seen


def test_quotes_read_back_equal_to_computed(cache, computations):
    with sabkit.open(SAMPLE) as bench:
        for model in MODELS:
            doc = facts(bench, model)
            computed = quotes.findings(bench, doc)
            assert computed.quoted() and computed.failing and computed.conversations
            made = stored.findings(bench, doc)
            read = stored.findings(bench, doc)
            assert made == computed and read == computed
    # per model: the direct call and the entry's; the second stored call read the entry
    assert computations == [m for m in MODELS for _ in range(2)]
    assert len(list((cache / stored.KIND).iterdir())) == len(MODELS)


def test_a_changed_file_is_quoted_anew(tmp_path, cache, computations):
    model = MODELS[0]
    bench_path = copy_sample(tmp_path)
    with sabkit.open(bench_path) as bench:
        before = stored.findings(bench, facts(bench, model))
    assert before.failing and not any(r["rationale"] == "Rewritten." for r in before.failing)
    # every rationale of the judge is rewritten: the appendix's rows must carry the new one
    rewrite(bench_path, "scores", "SELECT * REPLACE ('Rewritten.' AS rationale) FROM {t}")
    with sabkit.open(bench_path) as bench:
        after = stored.findings(bench, facts(bench, model))
    assert [r["rationale"] for r in after.failing] == ["Rewritten."] * len(before.failing)
    assert computations == [model, model]


def test_without_a_cache_every_call_computes(monkeypatch, computations):
    monkeypatch.setenv("SABKIT_CACHE", "off")
    with sabkit.open(SAMPLE) as bench:
        doc = facts(bench, MODELS[0])
        assert stored.findings(bench, doc) == stored.findings(bench, doc)
    assert computations == [MODELS[0]] * 2


def test_json_keeps_every_kind_of_value():
    """What the sample's quotes lack is built here: a customer's own action (a tuple, with
    and without a result), text outside ASCII, a held trap, a failing row of lists."""
    quote = Quote("handover", "wrong_item", "case-ü1", 2, think="“Hand” it over\u2028now",
                  customer=("toggle_data", None), note="handed over")
    found = Findings(handover=[quote], missed=[Quote("missed", "fraud", "c2", 1, says="No.")],
                     unsafe={"proof": Quote("unsafe", "proof", "c3", 3, tool="refund",
                                            customer=("send_photo", "sent"), bait="now!")},
                     held={"vip": Quote("held", "vip", "c4", 1)},
                     failing=[{"case_id": "c2", "run_index": 1, "score": 12.5,
                               "forbidden_fired": [], "passed": False, "rationale": None}],
                     conversations={("case-ü1", 2): [{"seq": 0, "kind": "message",
                                                      "text": "hi", "ok": None}],
                                    ("c3", 3): []})
    back = Findings.from_json(json.loads(json.dumps(found.to_json(), ensure_ascii=False)))
    assert back == found
    assert back.handover[0].customer == ("toggle_data", None)
    assert isinstance(back.unsafe["proof"].customer, tuple)
    assert list(back.conversations) == [("case-ü1", 2), ("c3", 3)]
