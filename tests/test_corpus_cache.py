"""Reliability corpus, class 6: a damaged cache is rebuilt, never read or left to fail.

Each case damages an entry the way a full disk, a copy cut short or a hand edit would, and
checks the next run gives the figures of a clean (uncached) run, with the entry whole again.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sabkit.io import cache

from builders.corpus import run


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SABKIT_CACHE", str(folder))
    return folder


def _entry_files(cache_dir: Path, kind: str) -> list[Path]:
    return sorted(p for p in (cache_dir / kind).glob("*/*") if p.name != cache.MANIFEST)


@pytest.mark.parametrize("damage", ["truncate", "flip", "delete"])
def test_a_damaged_transcript_entry_is_rebuilt(cache_dir, monkeypatch, damage):
    monkeypatch.setenv("SABKIT_CACHE", "off")
    truth = run("facts", "glm-4.7", "--json")
    monkeypatch.setenv("SABKIT_CACHE", str(cache_dir))
    assert run("facts", "glm-4.7", "--json").out == truth.out
    target = next(p for p in _entry_files(cache_dir, "sab_transcripts")
                  if p.name == "sab_conversations.parquet")
    data = target.read_bytes()
    if damage == "truncate":
        target.write_bytes(data[: len(data) // 3])
    elif damage == "flip":
        middle = len(data) // 2
        target.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:])
    else:
        target.unlink()
    # the figures' own entry would answer before the tables are read: drop it, so they are
    # computed again from the damaged entry (tests/test_facts_stored.py damages that one)
    shutil.rmtree(cache_dir / "sab_facts")
    again = run("facts", "glm-4.7", "--json")
    assert again.code == 0 and again.out == truth.out
    assert cache._whole(target.parent, (target.name,))  # rebuilt whole, manifest matching
    assert abs(len(target.read_bytes()) - len(data)) < len(data) // 10


def test_a_truncated_vega_bundle_is_rebuilt(cache_dir):
    from sabkit.report import charts

    bundle = charts.vega_embed_bundle()
    assert len(bundle) > 100_000
    stored, = _entry_files(cache_dir, "vega-embed")
    stored.write_text(bundle[:1000], encoding="utf-8")
    assert charts.vega_embed_bundle() == bundle
    assert stored.read_text(encoding="utf-8") == bundle


def test_an_entry_without_a_manifest_is_not_trusted(cache_dir):
    calls = []

    def build(folder: Path) -> None:
        calls.append(1)
        (folder / "x.txt").write_text("whole")

    first = cache.entry("kind", "key", build, holds=("x.txt",))
    assert json.loads((first / cache.MANIFEST).read_text())["x.txt"][0] == 5
    assert cache.entry("kind", "key", build, holds=("x.txt",)) == first and len(calls) == 1
    (first / cache.MANIFEST).unlink()
    cache.entry("kind", "key", build, holds=("x.txt",))
    assert len(calls) == 2


def test_a_killed_writers_staging_folder_is_removed(cache_dir):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (cache_dir / "kind").mkdir(parents=True)
    abandoned = cache_dir / "kind" / f".key1-{dead.pid}-abcd1234"
    abandoned.mkdir()
    (abandoned / "half.parquet").write_bytes(b"PAR1")
    live = cache_dir / "kind" / ".key2-1-abcd1234"  # pid 1 is alive
    live.mkdir()
    cache.entry("kind", "key3", lambda folder: None)
    assert not abandoned.exists() and live.exists()


def test_an_entry_with_an_older_sha256_manifest_is_read_and_its_damage_found(cache_dir):
    import hashlib

    calls = []

    def build(folder: Path) -> None:
        calls.append(1)
        (folder / "x.txt").write_text("whole")

    first = cache.entry("kind", "key", build, holds=("x.txt",))
    sha = hashlib.sha256(b"whole").hexdigest()
    (first / cache.MANIFEST).write_text(json.dumps({"x.txt": [5, sha]}))
    assert cache.entry("kind", "key", build, holds=("x.txt",)) == first and len(calls) == 1
    (first / "x.txt").write_text("whale")  # same size, one byte changed
    cache.entry("kind", "key", build, holds=("x.txt",))
    assert len(calls) == 2 and (first / "x.txt").read_text() == "whole"


def test_a_same_size_change_anywhere_in_a_file_is_found(cache_dir):
    data = bytes(range(256)) * 5000  # more than one read (1 MiB)

    def build(folder: Path) -> None:
        (folder / "x.bin").write_bytes(data)

    entry = cache.entry("kind", "key", build, holds=("x.bin",))
    for at in (0, 1 << 20, len(data) - 1):  # the first byte, across a read's chunk, the last
        (entry / "x.bin").write_bytes(data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:])
        assert not cache._whole(entry, ("x.bin",))
    (entry / "x.bin").write_bytes(data)
    assert cache._whole(entry, ("x.bin",))
