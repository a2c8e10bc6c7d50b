"""Import real agent transcripts (tau-bench, tau2-bench) as a sabkit benchmark folder.

    from sabkit import importers
    imported = importers.load(["gpt-4o-airline.json"])   # tables: name -> pyarrow Table
    imported.tables["scores"]
    importers.import_files(["gpt-4o-airline.json"], "data/imported/tau-bench-gpt-4o")

Each file's format is recognised from its content (``tau_bench.looks_like``,
``tau2.looks_like``); ``assemble`` joins the files into runs. The mapping and its decisions
are written up in docs/importing.md.
"""

from __future__ import annotations

import json
from pathlib import Path

from tqdm import tqdm

from sabkit.io import benchmark
from sabkit.errors import SabkitError
from sabkit.importers import tau2, tau_bench
from sabkit.importers.assemble import Imported, assemble

FORMATS = ("tau-bench", "tau2")
LARGE = 100  # records in one file from which a progress bar is worth showing

__all__ = ["FORMATS", "Imported", "load", "import_files"]


def load(paths, *, fmt: str | None = None, model: str | None = None,
         progress: bool = False) -> Imported:
    """Read the files and return the seven tables; nothing is written.

    ``fmt`` insists on one format (`tau-bench` or `tau2`); ``model`` names the agent of
    tau-bench files, whose content does not (default: from the file name).
    """
    paths = [Path(p) for p in paths]
    if not paths:
        raise SabkitError("no files to import")
    sources = []
    for path in paths:
        data = tau2.read_folder(path, _read_json) if tau2.is_folder(path) else _read_json(path)
        found = _format(path, data)
        if fmt and found != fmt:
            raise SabkitError(f"{path}: this is a {found} file, not {fmt}")
        bar = _progress_bar if progress else None
        try:
            if found == "tau-bench":
                sources.append(tau_bench.read(path, data, model=model, progress=bar))
            else:
                sources.append(tau2.read(path, data, progress=bar))
        except (KeyError, TypeError, AttributeError) as exc:  # records' own are skipped
            raise SabkitError(f"{path}: malformed {found} file ({exc!r}); {_EXPECTED}") \
                from None
    if model and all(s.fmt == "tau2" for s in sources):
        raise SabkitError("--model names the agent of tau-bench files; tau2 files name "
                          "theirs in info.agent_info.llm")
    return assemble(sources)


def import_files(paths, out: str | Path, *, fmt: str | None = None,
                 model: str | None = None, progress: bool = False) -> Imported:
    """Load, write ``out`` and check it against the data contract (ContractError if not)."""
    imported = load(paths, fmt=fmt, model=model, progress=progress)
    benchmark.open(imported.write(out)).close()
    return imported


def _read_json(path: Path):
    try:
        with path.open("rb") as handle:
            return json.load(handle)
    except FileNotFoundError:
        raise SabkitError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise SabkitError(f"{path}: is a folder but not a tau2 run folder (results.json "
                          "beside simulations/); pass the JSON files in it") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise SabkitError(f"{path}: not JSON ({exc}); {_EXPECTED}") from None


_EXPECTED = ("expected a tau-bench results file (a JSON list of records with task_id, "
             "trial, reward, info, traj) or a tau2 run file (a JSON object with info, "
             "tasks, simulations, or a folder of results.json and simulations/)")


def _format(path: Path, data) -> str:
    if tau_bench.looks_like(data):
        return "tau-bench"
    if tau2.looks_like(data):
        return "tau2"
    raise SabkitError(f"{path}: not a known transcript format; {_EXPECTED}")


def _progress_bar(items, name: str):
    return tqdm(items, desc=f"reading {name}", unit="record", leave=False,
                disable=True if len(items) < LARGE else None)
