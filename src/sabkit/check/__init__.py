"""Fact-check a draft (Markdown or a report HTML) against the data: ``sabkit check``.

``claims_of(bench, text, model)`` reads the draft's figure-bearing claims (``claims``), ties
each to a figure of the model's facts document through the figure registry (``tie``) and
compares it at the draft's precision (``verdict``): verified, contradicted (with the data's
value and the figure's path) or unverified. ``check(bench, text, model)`` gives the same as
a polars frame for a notebook. No figure is computed here: every value is read from the
facts document.
"""

from __future__ import annotations

import re

import polars as pl

from sabkit.check import claims as claims_module
from sabkit.check.draft import DraftError, Unit, decode, title, units
from sabkit.check.context import Context
from sabkit.check.tie import Tier
from sabkit.check.verdict import judge
from sabkit.facts import facts

__all__ = ["check", "claims_of", "model_of", "DraftError", "decode"]

COLUMNS = {"line": pl.Int64, "section": pl.String, "text": pl.String, "claim": pl.String,
           "verdict": pl.String, "draft": pl.String, "data": pl.String, "figure": pl.String}
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|⟨[^⟩]*⟩|🤖[^.]*")


def model_of(bench, text: str) -> str:
    """The model the draft's title names (its longest model name); UnknownModel with the
    did-you-mean list when it names none."""
    head = title(text)
    named = [m for m in sorted(bench.model_names, key=len, reverse=True)
             if re.search(rf"(?<![\w.-]){re.escape(m)}(?![\w-])", head)]
    if named:
        return named[0]
    first = head.split()[0] if head.split() else head
    return bench.resolve_model(first or "(no title)")


def _mask(text: str, models: list[str]) -> str:
    """The text with every model name blanked to '@' (same length), so its digits are no
    claim and positions stay those of the text."""
    for m in models:
        text = re.sub(rf"(?<![\w.-]){re.escape(m)}(?![\w-])", lambda x: "@" * len(x.group()),
                      text)
    return text


def claims_of(bench, text: str, model: str | None = None, name: str = "draft") -> dict:
    """``{"model": ..., "claims": [...]}``, each claim a dict with the keys of ``COLUMNS``
    plus ``start``/``end`` (the claim's place in its text) and the data's raw value."""
    model = bench.resolve_model(model) if model else model_of(bench, text)
    doc = facts(bench, model)
    models = sorted(bench.model_names, key=len, reverse=True)
    tier = Tier(doc, models)
    out = []
    for unit in units(text, name):
        out.extend(_unit_claims(unit, tier, doc, models))
    return {"model": model, "claims": out}


def _unit_claims(unit: Unit, tier: Tier, doc: dict, models: list[str]) -> list[dict]:
    masked = _mask(unit.text, models)
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(masked)]
    found = [c for c in claims_module.find(unit.text, masked, quoted)
             if not masked[c.end:c.end + 6].lower().startswith(" scale")]
    rows = []
    for c in found:
        t = tier.tie(Context(c, unit, masked, found))
        row = {"line": unit.line, "section": unit.section, "text": unit.text,
               "claim": c.written, "verdict": "unverified", "draft": c.written,
               "data": None, "figure": None, "start": c.start, "end": c.end}
        if t is not None:
            ok, shown = judge(c, t, doc)
            row.update(verdict="verified" if ok else "contradicted", data=shown,
                       figure=t.path)
        rows.append(row)
    return rows


def check(bench, text: str, model: str | None = None) -> pl.DataFrame:
    """The draft's claims as a polars frame (one row per claim): line, section, text,
    claim, verdict, draft, data, figure."""
    rows = claims_of(bench, text, model)["claims"]
    return pl.DataFrame([{k: r[k] for k in COLUMNS} for r in rows], schema=COLUMNS)
