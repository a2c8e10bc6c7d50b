"""Every model's facts documents, kept with the files they were computed from.

One model's document needs the whole board (ranks, ties, nearest rivals, correlations), so
``Facts(bench)`` computes every model's figures at once; and the figures are a pure
function of the benchmark's files and of sabkit's code. So the documents of a benchmark
are kept in the cache (``sabkit.io.cache``, kind ``sab_facts``) under a key made of:

- every file of the benchmark (path, size, times, inode: any rewrite is a new key) and the
  benchmark's path (a document names its data);
- the source of every sabkit module and the versions of the libraries that compute or
  round a figure (duckdb, polars, numpy, scipy): a changed metric is a new key.

A re-run on unchanged files (`sabkit facts` again, `sabkit report` of one model after
another, `sabkit check`) then reads the documents instead of recomputing the board; a new
run landing computes them once more, reusing the per-unit transcript tables of the files
that did not change (``sabkit.metrics.transcripts``). Nothing is read from a stale entry,
since a changed input is a new key; with ``SABKIT_CACHE=off`` or a benchmark at a URL
every call computes.

An entry holds ``documents.jsonl`` (one compact document per line, in model order) and
``index.json`` (each model's byte range in it), so one model's document is one slice
parsed. The documents come back as ``json.loads`` returns them, exactly what a computed
document serialises to (tests/test_facts_stored.py), which is all any caller uses them for.
``all_facts_json`` returns the lines themselves: `sabkit facts --all --json` prints them
as they are, never parsing a line only to encode it again.
"""

from __future__ import annotations

import gc
import json
import re
from contextlib import contextmanager
from functools import cache as once_per_process
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from sabkit.contract import TABLES
from sabkit.facts.document import Facts
from sabkit.io import cache

KIND = "sab_facts"
HOLDS = ("documents.jsonl", "index.json")
_LIBRARIES = ("duckdb", "polars", "numpy", "scipy")
_PACKAGE = Path(__file__).resolve().parent.parent  # the sabkit package folder


def all_facts(bench) -> list[dict]:
    """One facts document per model, board models and variants, in name order."""
    folder, made, _ = _entry(bench)
    if made:
        return made
    if folder is None:
        return _computed(bench)
    with open(folder / "documents.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def all_facts_json(bench) -> list[str]:
    """Every model's document as one line of compact JSON, in name order: what
    ``all_facts`` returns, encoded (the stored lines, or those just written)."""
    folder, made, lines = _entry(bench)
    if made:
        return lines
    if folder is None:
        return _lines(_computed(bench))
    # split on "\n" only: str.splitlines would also split at a U+2028 inside a string
    return (folder / "documents.jsonl").read_text(encoding="utf-8").split("\n")[:-1]


def facts(bench, model: str) -> dict:
    """The facts document of one model (UnknownModel, with suggestions, if it is not there)."""
    model = bench.resolve_model(model)
    folder, made, _ = _entry(bench)
    if made:
        return next(d for d in made if d["model"] == model)
    if folder is None:
        with _cycle_collector_paused():
            return Facts(bench).document(model)
    start, length = json.loads((folder / "index.json").read_text(encoding="utf-8"))[model]
    with open(folder / "documents.jsonl", "rb") as f:
        f.seek(start)
        return json.loads(f.read(length))


def _computed(bench) -> list[dict]:
    with _cycle_collector_paused():
        f = Facts(bench)
        return [f.document(m) for m in f.models["model"].to_list()]


@contextmanager
def _cycle_collector_paused():
    """Python's cycle collector off for the while: a board's figures are hundreds of
    thousands of small dicts and lists, none of them in a cycle, and each collection the
    allocations trigger walks all those made so far (a tenth of the build at 125 models,
    bench/RESULTS.md). Whatever cycle is made meanwhile is collected after."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


_HOLE = "\x00sabkit: the benchmark block goes here\x00"


def _lines(docs: list[dict]) -> list[str]:
    """Each document as one line of compact JSON. Their last block, ``benchmark``, is one
    object shared by every document of a benchmark (a third of each at 125 models): it is
    encoded once and spliced into each line, after the last key, so no earlier text can be
    mistaken for the hole. The line is the text ``json.dumps`` gives the whole document."""
    shared: dict[int, str] = {}
    hole = json.dumps(_HOLE)
    out = []
    for doc in docs:
        block = doc.get("benchmark")
        if block is None or next(reversed(doc)) != "benchmark":
            out.append(json.dumps(doc, allow_nan=False, ensure_ascii=False))
            continue
        if id(block) not in shared:
            shared[id(block)] = json.dumps(block, allow_nan=False, ensure_ascii=False)
        head, _, tail = json.dumps({**doc, "benchmark": _HOLE}, allow_nan=False,
                                   ensure_ascii=False).rpartition(hole)
        out.append(head + shared[id(block)] + tail)
    return out


def entry_key(bench) -> str | None:
    """The key of this benchmark's documents in the cache (module docstring), None when
    there is no entry to keep: the cache is off, or the benchmark is at a URL. What else is
    a pure function of the same files and code keeps its entries under it too (a report's
    quotes: ``sabkit.report.stored``)."""
    files = [f for table in TABLES for f in bench.local_files(table)]
    if not files or cache.root() is None:
        return None
    return cache.digest(KIND, str(bench.path), cache.file_key(files), _code(), _versions())


def _entry(bench) -> tuple[Path | None, list[dict], list[str]]:
    """The cache entry of this benchmark's documents (None when the cache is off, cannot be
    written, or the benchmark is at a URL), and the documents and their lines if this call
    computed them (the entry was not there): they are returned as they are, not read back."""
    key = entry_key(bench)
    if key is None:
        return None, [], []
    made: list[dict] = []
    lines: list[str] = []

    def build(folder: Path) -> None:
        made.extend(_computed(bench))
        lines.extend(_lines(made))
        index, offset = {}, 0
        with open(folder / "documents.jsonl", "wb") as out:
            for doc, line in zip(made, lines):
                data = line.encode() + b"\n"
                index[doc["model"]] = [offset, len(data)]
                out.write(data)
                offset += len(data)
        (folder / "index.json").write_text(json.dumps(index, ensure_ascii=False),
                                           encoding="utf-8")

    try:
        return cache.entry(KIND, key, build, holds=HOLDS), made, lines
    except OSError:  # the cache's disk is full or gone: the documents, without an entry
        return None, made, lines


@once_per_process
def _code() -> str:
    """A digest of every sabkit module's source: any edit to a metric, the registry or
    the document's layout makes new entries. Read once per process: a report's setup asks
    for the key twice (its facts, its quotes), and the code a process runs is the code it
    loaded, whatever is edited on disk meanwhile."""
    return cache.digest(*(part for p in sorted(_PACKAGE.rglob("*.py"))
                          for part in (str(p.relative_to(_PACKAGE)), p.read_bytes())))


@once_per_process
def _versions() -> tuple:
    return tuple((name, _version(name)) for name in _LIBRARIES)


def _version(name: str) -> str | None:
    """The installed version of library ``name``, None if it is not installed: the Version
    line of its METADATA, read with a search, where ``importlib.metadata.version`` parses
    the whole file (a long description included) as an e-mail."""
    try:
        dist = distribution(name)
    except PackageNotFoundError:
        return None
    line = re.search(r"^Version:[ \t]*(\S+)", dist.read_text("METADATA") or "", re.M)
    return line.group(1) if line else dist.version
