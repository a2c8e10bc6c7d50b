"""Facts documents kept in the cache (sabkit.facts.stored): read back exactly as computed,
never from files or code that changed since."""

from __future__ import annotations

import json

import pytest

import sabkit
from builders.corpus import SAMPLE, copy_sample, rewrite
from sabkit.facts import document, stored

MODEL = "claude-haiku-4.5"


@pytest.fixture
def computations(monkeypatch):
    """How many times the board's figures were computed (Facts built)."""
    count = {"n": 0}
    real = document.Facts

    class Counted(real):
        def __init__(self, bench):
            count["n"] += 1
            super().__init__(bench)

    monkeypatch.setattr(stored, "Facts", Counted)
    return count


def test_documents_read_back_exactly_as_computed(cache, computations):
    with sabkit.open(SAMPLE) as bench:
        f = document.Facts(bench)
        computed = [f.document(m) for m in f.models["model"].to_list()]
        first = stored.all_facts(bench)
        again = stored.all_facts(bench)
        one = stored.facts(bench, MODEL)
    # equality of dicts also tells a tuple from a list and an int key from a string key
    assert first == computed and again == computed
    assert one == next(d for d in computed if d["model"] == MODEL)
    assert computations["n"] == 1  # the entry's: the other calls read it
    assert [d["model"] for d in computed] == sorted(d["model"] for d in computed)


def test_lines_are_the_documents_encoded(cache, computations):
    """`sabkit facts --all --json` prints these lines as they are: computed, read from the
    entry or without a cache, each is json.dumps of its model's document, whole."""
    with sabkit.open(SAMPLE) as bench:
        f = document.Facts(bench)
        computed = [f.document(m) for m in f.models["model"].to_list()]
        made = stored.all_facts_json(bench)
        read = stored.all_facts_json(bench)
    expected = [json.dumps(d, allow_nan=False, ensure_ascii=False) for d in computed]
    assert made == expected and read == expected
    assert computations["n"] == 1


def test_lines_without_a_cache(monkeypatch):
    monkeypatch.setenv("SABKIT_CACHE", "off")
    with sabkit.open(SAMPLE) as bench:
        lines = stored.all_facts_json(bench)
        assert [json.loads(line) for line in lines] == stored.all_facts(bench)


def test_a_changed_file_is_recomputed_with_its_new_figures(tmp_path, cache, computations):
    bench_path = copy_sample(tmp_path)
    with sabkit.open(bench_path) as bench:
        before = stored.facts(bench, MODEL)["score"]["median"]
    assert before > 50
    runs = SAMPLE / "runs.parquet"
    # the judge gives every conversation of the model's runs 0: its median score is 0
    rewrite(bench_path, "scores", "SELECT * REPLACE (CASE WHEN run_id IN (SELECT run_id FROM "
            f"read_parquet('{runs}') WHERE model = '{MODEL}') THEN 0.0 ELSE score END AS score) "
            "FROM {t}")
    with sabkit.open(bench_path) as bench:
        after = stored.facts(bench, MODEL)
    assert after["score"]["median"] == 0
    assert computations["n"] == 2


def test_changed_code_is_a_new_entry(cache, computations, monkeypatch):
    with sabkit.open(SAMPLE) as bench:
        stored.all_facts(bench)
        monkeypatch.setattr(stored, "_code", lambda: "a metric was edited")
        stored.all_facts(bench)
    assert computations["n"] == 2
    assert len(list((cache / stored.KIND).iterdir())) == 2


def test_without_a_cache_every_call_computes(monkeypatch, computations):
    monkeypatch.setenv("SABKIT_CACHE", "off")
    with sabkit.open(SAMPLE) as bench:
        stored.facts(bench, MODEL)
        stored.facts(bench, MODEL)
    assert computations["n"] == 2


def test_a_damaged_entry_is_recomputed_not_read(cache, computations):
    with sabkit.open(SAMPLE) as bench:
        good = stored.facts(bench, MODEL)
        (entry,) = (cache / stored.KIND).iterdir()
        lines = (entry / "documents.jsonl").read_text(encoding="utf-8")
        (entry / "documents.jsonl").write_text(lines.replace('"median"', '"medion"', 1),
                                               encoding="utf-8")
        assert stored.facts(bench, MODEL) == good
    assert computations["n"] == 2
    assert json.loads((entry / "documents.jsonl").read_text(encoding="utf-8").splitlines()[0])


def test_a_full_disk_while_writing_computes_without_the_cache(cache, computations,
                                                              monkeypatch):
    import errno

    from sabkit.io import cache as io_cache

    real = io_cache.entry

    def full_disk(kind, key, build, **kw):
        def half_written(folder):
            (folder / "documents.jsonl").write_text("{", encoding="utf-8")
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(kind, key, half_written if kind == stored.KIND else build, **kw)

    monkeypatch.setattr(io_cache, "entry", full_disk)
    with sabkit.open(SAMPLE) as bench:
        assert stored.facts(bench, MODEL)["model"] == MODEL
    assert not list((cache / stored.KIND).iterdir()), "no half entry left"
