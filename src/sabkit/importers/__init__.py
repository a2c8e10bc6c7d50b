"""Import real agent transcripts (tau-bench, tau2-bench, Inspect AI logs) as a sabkit
benchmark folder.

    from sabkit import importers
    imported = importers.load(["gpt-4o-airline.json"])   # tables: name -> pyarrow Table
    imported.tables["scores"]
    importers.import_files(["gpt-4o-airline.json"], "data/imported/tau-bench-gpt-4o")

Each file's format is recognised from its content (``tau_bench.looks_like``,
``tau2.looks_like``, ``inspect.looks_like``); ``assemble`` joins the files into runs. The mapping and its decisions
are written up in docs/importing.md.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from tqdm import tqdm

from sabkit.io import benchmark
from sabkit.errors import SabkitError
from sabkit.importers import inspect, tau2, tau_bench
from sabkit.importers.assemble import Imported, assemble

FORMATS = ("tau-bench", "tau2", "inspect")
LARGE = 100  # records in one file from which a progress bar is worth showing

__all__ = ["FORMATS", "Imported", "load", "import_files"]


def load(paths, *, fmt: str | None = None, model: str | None = None,
         handover_tool: str | None = None, progress: bool = False) -> Imported:
    """Read the files and return the seven tables; nothing is written.

    ``fmt`` insists on one format (`tau-bench`, `tau2` or `inspect`); ``model`` names the
    agent of tau-bench files, whose content does not (default: from the file name);
    ``handover_tool`` names the tool that hands over to a human in Inspect logs.
    """
    paths = [Path(p) for p in paths]
    if not paths:
        raise SabkitError("no files to import")
    sources = []
    for path in paths:
        if inspect.looks_like(path):
            data = None
        elif tau2.is_folder(path):
            data = tau2.read_folder(path, _read_json)
        else:
            data = _read_json(path)
        found = _format(path, data)
        if fmt and found != fmt:
            raise SabkitError(f"{path}: this is a {found} file, not {fmt}")
        bar = _progress_bar if progress else None
        try:
            if found == "tau-bench":
                sources.append(tau_bench.read(path, data, model=model, progress=bar))
            elif found == "inspect":
                sources.append(inspect.read(path, handover=handover_tool, progress=bar))
            else:
                sources.append(tau2.read(path, data, progress=bar))
        except (KeyError, TypeError, AttributeError) as exc:  # records' own are skipped
            raise SabkitError(f"{path}: malformed {found} file ({exc!r}); {_EXPECTED}") \
                from None
    if model and all(s.fmt != "tau-bench" for s in sources):
        raise SabkitError("--model names the agent of tau-bench files; tau2 files name "
                          "theirs in info.agent_info.llm, Inspect logs in eval.model")
    if handover_tool and all(s.fmt != "inspect" for s in sources):
        raise SabkitError("--handover-tool is for Inspect logs; tau-bench and tau2 hand "
                          "over with transfer_to_human_agents")
    return assemble(sources)


def import_files(paths, out: str | Path, *, fmt: str | None = None,
                 model: str | None = None, handover_tool: str | None = None,
                 progress: bool = False) -> Imported:
    """Load, write ``out`` and check it against the data contract (ContractError if not).

    The tables are written and checked in a scratch folder beside ``out`` first and only
    then moved in, so a failed import leaves ``out`` as it was: never half-written, and a
    good benchmark there is never replaced by a bad one."""
    imported = load(paths, fmt=fmt, model=model, handover_tool=handover_tool,
                    progress=progress)
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise SabkitError(f"{out} is a file; --out takes a folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        benchmark.open(imported.write(scratch)).close()
        out.mkdir(exist_ok=True)
        for table in scratch.iterdir():
            table.replace(out / table.name)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
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
             "tasks, simulations, or a folder of results.json and simulations/) or an Inspect "
             "log (.eval, or .json with version and eval)")


def _format(path: Path, data) -> str:
    if inspect.looks_like(path, data):
        return "inspect"
    if tau_bench.looks_like(data):
        return "tau-bench"
    if tau2.looks_like(data):
        return "tau2"
    raise SabkitError(f"{path}: not a known transcript format; {_EXPECTED}")


def _progress_bar(items, name: str):
    return tqdm(items, desc=f"reading {name}", unit="record", leave=False,
                disable=True if len(items) < LARGE else None)
