"""From source files to the contract's seven tables: which records make which run.

The rules, in the order they apply:

- **One case set per benchmark.** Per domain, every file must hold the same tasks, in the
  same version. A file with another task set (tau2's single-task files next to the 4-task
  ones) or another version of a task is refused with the files grouped by task set, to
  be imported into a folder of its own. Mixing them would leave every run partial.
- **A run is one trial of one model configuration.** Files of one model and domain are
  ordered by their start time and their trials numbered on: two such files holding the
  same tasks are *joined* (file A's trials 0-3 are runs 1-4, file B's runs 5-8), and the
  summary says so. The k-th trial of each domain of a model makes its run k, so a model's
  airline and retail files add up to runs over both.
- **Complete** is declared for a run when, for every domain the model ran, its trial
  holds a scored conversation for every task of the file and no record of it was skipped.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from sabkit.contract import TABLES, Table
from sabkit.errors import SabkitError
from sabkit.importers.common import Conversation, Skip, SourceFile, tool_kind

_ARROW = {"VARCHAR": pa.string(), "BOOLEAN": pa.bool_(), "INTEGER": pa.int32(),
          "DOUBLE": pa.float64(), "TIMESTAMP": pa.timestamp("us"),
          "VARCHAR[]": pa.list_(pa.string())}


@dataclass(frozen=True)
class Run:
    run_id: str
    model: str
    index: int
    slots: tuple[tuple[SourceFile, int], ...]  # (file, trial), one per domain
    complete: bool
    missing: tuple[str, ...] = ()  # domains of the model with no trial for this run


@dataclass
class Imported:
    """The tables (name -> pyarrow Table) and what the import did to get them."""

    tables: dict[str, pa.Table]
    sources: list[SourceFile]
    runs: list[Run]
    mapping: list[str]
    joined: list[str]
    warnings: list[str]

    @property
    def skipped(self) -> list[Skip]:
        return [s for src in self.sources for s in src.skipped]

    def write(self, out: str | Path) -> Path:
        """One zstd Parquet file per table in ``out`` (created; existing tables replaced)."""
        out = Path(out)
        if out.exists() and not out.is_dir():
            raise SabkitError(f"{out} is a file; --out takes a folder")
        out.mkdir(parents=True, exist_ok=True)
        for name, table in self.tables.items():
            tmp = out / f".{name}.parquet.tmp"
            pq.write_table(table, tmp, compression="zstd")
            tmp.replace(out / f"{name}.parquet")
        return out

    def summary(self) -> str:
        models = self.tables["models"].column("model").to_pylist()
        cats = Counter(self.tables["cases"].column("category").to_pylist())
        complete = sum(r.complete for r in self.runs)
        formats = Counter(s.fmt for s in self.sources)
        lines = [
            "imported " + ", ".join(f"{n} {f} file{'s' * (n > 1)}" for f, n in formats.items()),
            f"  models         {len(models)}: {', '.join(models)}",
            f"  runs           {len(self.runs)} ({complete} declared complete, "
            f"{len(self.runs) - complete} partial)",
            f"  conversations  {self.tables['scores'].num_rows}",
            f"  cases          {sum(cats.values())} (" + ", ".join(
                f"{cats[c]} {c}" for c in ("solvable", "must_escalate", "adversarial")) + ")",
            f"  skipped        {len(self.skipped)} record{'s' * (len(self.skipped) != 1)}",
        ]
        lines += [f"    {s}" for s in self.skipped]
        lines += ["files -> runs:"] + [f"  {m}" for m in self.mapping]
        lines += ["joined files (same model, domain and tasks):"]
        lines += [f"  {j}" for j in self.joined] or ["  none"]
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)


def assemble(sources: list[SourceFile]) -> Imported:
    _check_task_sets(sources)
    _check_versions(sources)
    groups: dict[tuple[str, str], list[SourceFile]] = defaultdict(list)
    for src in sources:
        groups[src.model.name, src.domain].append(src)
    slots, mapping, joined = {}, [], []
    for (model, domain), files in groups.items():
        files.sort(key=lambda s: (s.started, s.path.name))
        slots[model, domain] = [(s, t) for s in files for t in s.trials]
        parts, first = [], 1
        for src in files:
            last = first + len(src.trials) - 1
            part = (f"{src.path.name} ({_span('trial', src.trials)} -> "
                    f"{_span('run', range(first, last + 1))})")
            parts.append(part)
            mapping.append(f"{part}: {model} on {domain}" + (f"; {src.note}" if src.note else ""))
            first = last + 1
        if len(files) > 1:
            joined.append(f"{model} on {domain}: " + " + ".join(parts))
    runs = _runs(slots)
    tables = _tables(sources, runs)
    return Imported(tables=tables, sources=sources, runs=runs, mapping=mapping,
                    joined=joined, warnings=_warnings(runs, tables))


def _runs(slots: dict[tuple[str, str], list[tuple[SourceFile, int]]]) -> list[Run]:
    by_model: dict[str, dict[str, list[tuple[SourceFile, int]]]] = defaultdict(dict)
    for (model, domain), model_slots in slots.items():
        by_model[model][domain] = model_slots
    runs = []
    for model, domains in sorted(by_model.items()):
        for i in range(max(len(d) for d in domains.values())):
            taken = tuple(d[i] for d in domains.values() if i < len(d))
            missing = tuple(name for name, d in domains.items() if i >= len(d))
            complete = not missing and all(_whole(s, t) for s, t in taken)
            runs.append(Run(f"{model}/run-{i + 1}", model, i + 1, taken, complete, missing))
    return runs


def _whole(src: SourceFile, trial: int) -> bool:
    """The file's trial scored every task it declares, lost no record, and none of its
    conversations ended on an infrastructure error: such a simulation never really ran
    (tau2 leaves it out of its own metrics and runs it again), so a run holding one is
    partial, like a run cut short, and stays out of medians."""
    mine = [c for c in src.conversations if c.trial == trial]
    return (len(mine) == len(src.tasks) and not any(s.trial == trial for s in src.skipped)
            and not any(c.termination == "infrastructure_error" for c in mine))


def _conversations(run: Run):
    for src, trial in run.slots:
        for conv in src.conversations:
            if conv.trial == trial:
                yield f"{src.domain}:{conv.task_id}", conv


def _tables(sources: list[SourceFile], runs: list[Run]) -> dict[str, pa.Table]:
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    reasoning: dict[str, bool] = defaultdict(bool)
    for run in runs:
        convs: list[Conversation] = []
        for case_id, conv in _conversations(run):
            convs.append(conv)
            reasoning[run.model] |= conv.reasoning
            key = {"run_id": run.run_id, "case_id": case_id}
            rows["messages"] += [{**key, **m} for m in conv.messages]
            rows["tool_calls"] += [{**key, **c} for c in conv.calls]
            rows["scores"].append({
                **key, "score": 100 * conv.reward, "resolved": conv.reward == 1,
                "instruction_following": None, "sentiment": None,
                "rationale": conv.rationale, "flags": conv.flags,
                "termination": conv.termination})
        costs = [c.agent_cost for c in convs]
        starts = [c.started_at for c in convs if c.started_at]
        rows["runs"].append({
            "run_id": run.run_id, "model": run.model, "run_index": run.index, "judge": None,
            "started_at": min(starts) if starts else None, "complete": run.complete,
            "agent_cost_usd": sum(costs) if costs and None not in costs else None})

    # reasoning: true when a trace was recorded; else null, since the files do not say
    # whether the model reasoned unseen (grok-4 does)
    models = {s.model.name: s.model for s in sources}
    rows["models"] = [{"model": m.name, "provider": m.provider, "family": m.family,
                       "open_weights": m.open_weights, "cost_tier": None,
                       "reasoning": reasoning[m.name] or None, "variant_of": m.variant_of}
                      for m in sorted(models.values(), key=lambda m: m.name)]
    domain_tools: dict[str, set[str]] = defaultdict(set)  # the agent's: forbidden on traps
    customer_tools: set[str] = set()
    for src in sources:
        domain_tools[src.domain] |= {t for t in src.tools if t}
        customer_tools |= src.customer_tools
    handover = set().union(*(src.handover_tools for src in sources))
    cases = {t.case_id: t for src in sources for t in src.tasks.values()}
    rows["cases"] = [{
        "case_id": t.case_id, "category": t.category, "intent": t.intent,
        "cluster": t.domain, "language": "en", "trap": None,
        "forbidden_tools": sorted(n for n in domain_tools[t.domain]
                                  if tool_kind(n) == "write" and n not in handover)
        if t.category == "adversarial" else [],
        "description": t.description, "persona": t.persona}
        for t in sorted(cases.values(), key=_case_order)]
    rows["tools"] = [{"tool": name, "kind": "handover" if name in handover else tool_kind(name),
                      "description": None}
                     for name in sorted(set().union(customer_tools, *domain_tools.values()))]
    return {name: pa.Table.from_pylist(rows[name], schema=_schema(TABLES[name]))
            for name in TABLES}


def _schema(table: Table) -> pa.Schema:
    return pa.schema([pa.field(c.name, _ARROW[c.type], nullable=c.nullable)
                      for c in table.columns])


def _warnings(runs: list[Run], tables: dict[str, pa.Table]) -> list[str]:
    """Why each partial run is partial, and runs that miss a domain of the benchmark."""
    total = tables["cases"].num_rows
    warnings = []
    for run in runs:
        held = sum(1 for _ in _conversations(run))
        if not run.complete:
            why = "; ".join(
                [f"{src.path.name} trial {trial} scored "
                 f"{sum(c.trial == trial for c in src.conversations)} of {len(src.tasks)} "
                 f"tasks, {sum(s.trial == trial for s in src.skipped)} skipped"
                 + _infrastructure(src, trial)
                 for src, trial in run.slots if not _whole(src, trial)]
                + [f"no {domain} trial" for domain in run.missing])
            warnings.append(f"run {run.run_id} is partial ({why}): left out of medians")
        elif held < total:
            warnings.append(f"run {run.run_id} holds {held} of the {total} cases (its model "
                            "did not run every domain): partial, left out of medians")
    return warnings


def _infrastructure(src: SourceFile, trial: int) -> str:
    n = sum(c.trial == trial and c.termination == "infrastructure_error"
            for c in src.conversations)
    return f", {n} ended on an infrastructure error" if n else ""


def _check_task_sets(sources: list[SourceFile]) -> None:
    by_domain: dict[str, dict[frozenset, list[SourceFile]]] = defaultdict(dict)
    for src in sources:
        by_domain[src.domain].setdefault(frozenset(src.tasks), []).append(src)
    for domain, sets in by_domain.items():
        if len(sets) > 1:
            groups = "\n".join(f"  {_ids(ids)}: " + ", ".join(s.path.name for s in files)
                               for ids, files in sets.items())
            raise SabkitError(
                f"these files hold {len(sets)} different task sets on {domain}, and a "
                f"benchmark has one case set; import each group into its own folder:\n"
                f"{groups}")


def _check_versions(sources: list[SourceFile]) -> None:
    versions: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for src in sources:
        for task in src.tasks.values():
            versions[task.case_id][task.fingerprint].append(src.path.name)
    differ = {case: v for case, v in versions.items() if len(v) > 1}
    if differ:
        case, files = next(iter(differ.items()))
        groups = "\n".join(f"  version {i + 1}: {', '.join(sorted(set(names)))}"
                           for i, names in enumerate(files.values()))
        raise SabkitError(
            f"{len(differ)} case(s) are defined differently by different files (e.g. "
            f"{case}), so their runs are not comparable; import each version into its own "
            f"folder:\n{groups}")


def _case_order(task) -> tuple:
    return (task.domain, *_id_key(task.task_id))


def _id_key(task_id: str) -> tuple:
    return (0, int(task_id), "") if task_id.isdigit() else (1, 0, task_id)


def _ids(ids) -> str:
    ordered = sorted(ids, key=_id_key)
    shown = ", ".join(ordered[:8]) + (", ..." if len(ordered) > 8 else "")
    return f"{len(ordered)} task{'s' * (len(ordered) != 1)} ({shown})"


def _span(word: str, values) -> str:
    """`trial 0`, `trials 0-3`, `trials 0, 2`."""
    values = list(values)
    if len(values) == 1:
        return f"{word} {values[0]}"
    if values and values == list(range(values[0], values[-1] + 1)):
        return f"{word}s {values[0]}-{values[-1]}"
    return f"{word}s " + (", ".join(map(str, values)) or "none")
