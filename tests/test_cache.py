"""The cache of per-conversation tables and of validity (sabkit.cache, metrics.transcripts):
figures are the same with it, without it and from a warm one; a changed file is read
again, never served stale; in the hive layout only the changed partition is read again."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

import sabkit
from sabkit.io import checks
from sabkit.errors import ContractError
from sabkit.facts import Facts
from sabkit.metrics import transcripts
from sabkit.io.partition import partition_by_model

SAMPLE = sabkit.DEFAULT_DATA


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SABKIT_CACHE", str(folder))
    return folder


def all_facts(bench) -> list[dict]:
    """Every model's figures computed from the per-conversation tables: this file is about
    those tables' entries, so it goes past the documents' own (tests/test_facts_stored.py)."""
    f = Facts(bench)
    return [f.document(m) for m in f.models["model"].to_list()]


def facts(bench, model: str) -> dict:
    return Facts(bench).document(model)


@pytest.fixture(scope="module")
def uncached_facts() -> list[dict]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SABKIT_CACHE", "off")
        with sabkit.open() as b:
            return all_facts(b)


def entries(cache_dir: Path, name: str) -> set[str]:
    folder = cache_dir / name
    return {p.name for p in folder.iterdir() if not p.name.startswith(".")} \
        if folder.is_dir() else set()


def rewrite(path: Path, select: str) -> None:
    """Replace a Parquet file by ``select`` over its old rows (``{t}``)."""
    old = path.with_suffix(".old")
    path.rename(old)
    duckdb.sql(f"COPY ({select.format(t=f'read_parquet({str(old)!r})')}) "
               f"TO '{path}' (FORMAT parquet)")
    old.unlink()


def test_cold_and_warm_cache_give_the_uncached_figures(cache_dir, uncached_facts):
    with sabkit.open() as b:
        cold = all_facts(b)
    assert entries(cache_dir, "sab_transcripts"), "the cold run keeps its tables"
    with sabkit.open() as b:
        warm = all_facts(b)
        assert b.con.sql("SELECT count(*) FROM duckdb_views() WHERE view_name = "
                         "'sab_conversations'").fetchall()[0][0] == 1, "read from the cache"
    assert cold == uncached_facts
    assert warm == uncached_facts


def test_a_changed_file_is_read_again(cache_dir, tmp_path):
    copy = tmp_path / "bench"
    shutil.copytree(SAMPLE, copy)
    with sabkit.open(copy) as b:
        before = facts(b, "gemma-4-31b")
    assert before["phantom_actions"]["count"] == 3
    # plant: every agent message of gemma's first run claims a refund no tool made
    rewrite(copy / "messages.parquet", """
        SELECT m.* REPLACE (CASE WHEN m.role = 'agent' AND m.run_id = (
            SELECT run_id FROM runs WHERE model = 'gemma-4-31b' AND run_index = 1)
            THEN 'I have processed your refund.' ELSE m.content END AS content)
        FROM {t} m""".replace("FROM runs", f"FROM read_parquet('{copy}/runs.parquet')"))
    with sabkit.open(copy) as b:
        after = facts(b, "gemma-4-31b")
        expected = b.con.sql("""
            SELECT count(*) FROM scores s JOIN runs r USING (run_id)
            WHERE r.model = 'gemma-4-31b' AND r.run_index = 1 AND NOT EXISTS (
                SELECT 1 FROM tool_calls t JOIN tools USING (tool)
                WHERE t.run_id = s.run_id AND t.case_id = s.case_id AND kind = 'write'
                  AND t.ok AND t.seq < (SELECT min(seq) FROM messages m WHERE
                      m.run_id = s.run_id AND m.case_id = s.case_id AND role = 'agent'))
        """).fetchall()[0][0]
    assert len(entries(cache_dir, "sab_transcripts")) == 2
    # the planted run: a conversation is phantom unless a write preceded its first agent
    # message; the other two runs keep what they had
    def in_run(doc, run_index):
        return [c for c in doc["phantom_actions"]["cases"] if c["run_index"] == run_index]

    assert len(in_run(after, 1)) == expected > 100
    assert in_run(after, 2) == in_run(before, 2) and in_run(after, 3) == in_run(before, 3)


def test_hive_layout_reads_only_the_partition_that_changed(cache_dir, tmp_path,
                                                          uncached_facts):
    hive = partition_by_model(SAMPLE, tmp_path / "hive")
    with sabkit.open(hive) as b:
        models = len(b.model_names)
        assert len(transcripts.units(b)) == models
        cold = all_facts(b)
    assert len(entries(cache_dir, "sab_transcripts")) == models
    strip = lambda docs: [{**d, "data": None} for d in docs]  # noqa: E731
    assert strip(cold) == strip(uncached_facts)

    # the judge re-scores one model: its scores file changes, nothing else
    (scores_file,) = (hive / "scores" / "model=gpt-5.4-nano").glob("*.parquet")
    rewrite(scores_file, "SELECT * REPLACE (score / 2 AS score) FROM {t}")
    with sabkit.open(hive) as b:
        after = {d["model"]: d for d in all_facts(b)}
    assert len(entries(cache_dir, "sab_transcripts")) == models + 1, "one unit re-read"
    old = {d["model"]: d for d in cold}
    assert after["gpt-5.4-nano"]["score"]["median"] == pytest.approx(
        old["gpt-5.4-nano"]["score"]["median"] / 2, abs=1e-4)
    assert after["gemma-4-31b"]["score"] == old["gemma-4-31b"]["score"]


def test_cache_off_or_unwritable_computes_in_memory(tmp_path, monkeypatch, uncached_facts):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("SABKIT_CACHE", str(blocker / "cache"))
    with sabkit.open() as b:
        assert all_facts(b) == uncached_facts
        assert b.con.sql("SELECT count(*) FROM duckdb_tables() WHERE table_name = "
                         "'sab_conversations' AND temporary").fetchall()[0][0] == 1


def test_a_full_disk_while_writing_computes_in_memory(cache_dir, monkeypatch, uncached_facts):
    from sabkit.io import cache

    real = cache.entry

    def full_disk(kind, key, build, **kw):
        def half_written(folder):
            build(folder)
            raise duckdb.IOException("could not write file: No space left on device")
        return real(kind, key, half_written if kind == transcripts.KIND else build, **kw)

    monkeypatch.setattr(cache, "entry", full_disk)
    with sabkit.open() as b:
        assert all_facts(b) == uncached_facts
    assert entries(cache_dir, "sab_transcripts") == set(), "no half entry kept"


def test_an_entry_emptied_by_hand_is_made_again(cache_dir, uncached_facts):
    with sabkit.open() as b:
        all_facts(b)
    (entry,) = (cache_dir / "sab_transcripts").iterdir()
    (entry / "sab_conversations.parquet").unlink()
    with sabkit.open() as b:
        assert all_facts(b) == uncached_facts
    assert (entry / "sab_conversations.parquet").is_file()


def test_a_failed_build_leaves_no_entry(cache_dir):
    from sabkit.io import cache

    def build(folder):
        (folder / "half.parquet").write_text("half")
        raise RuntimeError("killed mid-way")

    with pytest.raises(RuntimeError):
        cache.entry("kind", "key", build)
    assert list((cache_dir / "kind").iterdir()) == []
    assert cache.entry("kind", "key", lambda folder: None) == cache_dir / "kind" / "key"


def test_entries_unused_for_a_month_go_when_a_new_one_is_written(cache_dir):
    import os
    import time

    from sabkit.io import cache

    old, used = (cache.entry("kind", k, lambda folder: None) for k in ("old", "used"))
    month_ago = time.time() - (cache.KEEP_DAYS + 1) * 86400
    for folder in (old, used):
        os.utime(folder, (month_ago, month_ago))
    assert cache.entry("kind", "used", lambda folder: None) == used  # a hit marks it used
    cache.entry("kind", "new", lambda folder: None)
    assert entries(cache_dir, "kind") == {"used", "new"}


def test_files_that_passed_are_not_checked_again_until_they_change(cache_dir, tmp_path,
                                                                  monkeypatch):
    copy = tmp_path / "bench"
    shutil.copytree(SAMPLE, copy)
    sabkit.open(copy).close()  # checked, and remembered

    def no_check(b):
        raise AssertionError("checked again")

    monkeypatch.setattr(checks, "check", no_check)
    sabkit.open(copy).close()  # unchanged files: not checked
    with pytest.raises(AssertionError, match="checked again"):
        sabkit.open(copy, recheck=True)  # what `sabkit validate` does
    monkeypatch.undo()
    monkeypatch.setenv("SABKIT_CACHE", str(cache_dir))
    rewrite(copy / "scores.parquet", "SELECT * REPLACE (score + 200 AS score) FROM {t}")
    with pytest.raises(ContractError, match="above 100"):
        sabkit.open(copy)


def test_one_pass_keeps_only_the_messages_a_metric_needs():
    """The pass over the messages keeps a message only where a declared feature holds
    something: agent messages before a conversation's first write that match a claim
    pattern, and the turns of conversations with a write (for confirm-before-acting);
    counted here from the raw tables, independently of the pass."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SABKIT_CACHE", "off")
        with sabkit.open() as b:
            stage, params = transcripts.features()
            kept = b.con.sql(f"SELECT count(*) FROM ({stage})", params=params).fetchall()[0][0]
            in_write_conversations = b.con.sql("""
                SELECT count(*) FROM messages m WHERE EXISTS (
                    SELECT 1 FROM tool_calls c JOIN tools t USING (tool)
                    WHERE c.run_id = m.run_id AND c.case_id = m.case_id
                      AND t.kind = 'write' AND c.ok)""").fetchall()[0][0]
            total = b.con.sql("SELECT count(*) FROM messages").fetchall()[0][0]
    assert in_write_conversations <= kept < total


def test_declare_refuses_one_parameter_with_two_values():
    with pytest.raises(ValueError, match=r"\$claim declared twice"):
        transcripts.declare("sab_other", "SELECT 1", {"claim": "(?i)something else"})
