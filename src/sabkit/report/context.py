"""What the report notebook's cells share: the facts, the quotes, the open benchmark, and
which other reports sit beside this one (so links to them resolve).

``load`` is the notebook's setup cell: it opens the benchmark, computes (or reads) the
model's facts and quotes, and writes the facts JSON when asked.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from sabkit.errors import SabkitError
from sabkit.report import quotes, stored


@dataclass
class Report:
    """One model's report in the making.

    ``siblings``: the models whose reports are written into the same folder, in board order
    (``report --all`` passes every model); model names and the header link to those only,
    so no link points at a page that is not there. Empty for a report written alone."""

    facts: dict
    found: quotes.Findings = field(default_factory=quotes.Findings)
    bench: object = None
    siblings: list[str] = field(default_factory=list)
    shown: dict[str, str] = field(default_factory=dict)  # quoted line -> its quote's id
    anchors: dict = field(default_factory=dict)  # (case, run) -> id of its first shown quote

    @property
    def model(self) -> str:
        return self.facts["model"]

    @property
    def linked(self) -> set[str] | None:
        """The models a name may link to; None (link nothing) for a report written alone."""
        return set(self.siblings) if self.siblings else None


def load(model: str | None, data=None, out_facts=None, facts_in=None,
         siblings: list[str] | None = None) -> Report:
    """Open the benchmark, compute the model's facts and quotes, and write the facts JSON
    to ``out_facts`` when given (the tests read it to find every figure in the report).

    ``facts_in`` is the model's facts JSON computed beforehand by ``sabkit report --all``,
    which computes the whole board once and validates the data once: the report then skips
    both and only queries the few messages it quotes."""
    import sabkit
    from sabkit.facts import facts as compute_facts

    bench = sabkit.open(data or sabkit.DEFAULT_DATA, validate=facts_in is None)
    if not model:
        known = bench.sql("SELECT model FROM models ORDER BY model")["model"].to_list()
        raise SabkitError("no model given: run the notebook with -p model NAME; models in "
                          "this benchmark: " + ", ".join(known))
    if facts_in:
        f = json.loads(Path(facts_in).read_text(encoding="utf-8"))
        if f.get("model") != model:
            raise SabkitError(f"facts_in {facts_in} holds the facts of {f.get('model')!r}, "
                              f"not {model!r}")
    else:
        f = compute_facts(bench, model)
    if out_facts:
        Path(out_facts).write_text(json.dumps(f, indent=2, ensure_ascii=False) + "\n",
                                   encoding="utf-8")
    return Report(f, stored.findings(bench, f), bench, list(siblings or []))
