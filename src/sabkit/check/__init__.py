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
import sys
import types

import polars as pl

from sabkit.check import claims as claims_module
from sabkit.check.draft import DraftError, Unit, decode, title, units
from sabkit.check.context import Context
from sabkit.check.tie import Tier
from sabkit.check.verdict import judge
from sabkit.errors import UnknownModel
from sabkit.facts import facts

__all__ = ["check", "claims_of", "model_of", "DraftError", "decode"]

# The frame's columns: ``data`` is the data's value as the draft would write it.
COLUMNS = {"line": pl.Int64, "section": pl.String, "text": pl.String, "claim": pl.String,
           "verdict": pl.String, "data": pl.String, "figure": pl.String}
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|⟨[^⟩]*⟩|🤖[^.]*")


def model_of(bench, text: str, model: str | None = None) -> str:
    """``model`` if the benchmark has it, else the model the draft's title names (its
    longest model name); DraftError, one line with the did-you-mean list, otherwise."""
    if model:
        return _resolve(bench, model, "")
    head = title(text)
    named = [m for m in sorted(bench.model_names, key=len, reverse=True)
             if re.search(rf"(?<![\w.-]){re.escape(m)}(?![\w-])", head)]
    if named:
        return named[0]
    # a word of the title that looks like a model name ("gemma-4-32b"), for the did-you-mean
    guess = next((w for w in re.findall(r"[\w.@-]+", head) if re.search(r"\d|-", w)), None)
    if guess is None:
        raise DraftError(f"the draft's title ({head[:60]!r}) names no model: pass --model NAME "
                         "(`sabkit validate` counts the models, `sabkit facts --all` names them)")
    return _resolve(bench, guess, " (from the draft's title)")


def _resolve(bench, name: str, where: str) -> str:
    try:
        return bench.resolve_model(name)
    except UnknownModel as exc:
        hint = f"; did you mean {', '.join(exc.suggestions)}?" if exc.suggestions else "."
        raise DraftError(f"unknown model '{name}'{where}{hint} Pass --model NAME with a model "
                         "of the benchmark (`sabkit facts --all` names them)") from None


def _model_names(models: list[str]) -> re.Pattern:
    """One pattern for every model name, the longest first ("gpt-5.4-mini" before "gpt-5.4")."""
    names = "|".join(re.escape(m) for m in sorted(models, key=len, reverse=True))
    return re.compile(rf"(?<![\w.-])(?:{names})(?![\w-])")


def claims_of(bench, text: str, model: str | None = None, name: str = "draft") -> dict:
    """``{"model": ..., "claims": [...]}``, one dict per claim: line, section, text, claim
    (as written), verdict, draft (what it states, as the facts document holds it), data (the
    data's value at the figure's path), shown (that value as the draft would write it),
    figure (the path), start and end (the claim's place in its text). ``"units"`` lists
    every sentence and cell read, as (line, section, text), for the marked-up draft."""
    model = model_of(bench, text, model)
    doc = facts(bench, model)
    tier = Tier(doc, bench.model_names)
    names = _model_names(bench.model_names)
    out, read = [], units(text, name)
    for unit in read:
        # model names blanked to '@' (same length): their digits are no claim
        masked = names.sub(lambda m: "@" * len(m.group()), unit.text)
        out.extend(_unit_claims(unit, masked, tier, doc))
    return {"model": model, "claims": out,
            "units": [(u.line, u.section, u.text) for u in read]}


def _unit_claims(unit: Unit, masked: str, tier: Tier, doc: dict) -> list[dict]:
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(masked)]
    found = [c for c in claims_module.find(unit.text, masked, quoted)
             if not masked[c.end:c.end + 6].lower().startswith(" scale")]
    rows = []
    for c in found:
        t = tier.tie(Context(c, unit, masked, found))
        row = {"line": unit.line, "section": unit.section, "text": unit.text,
               "claim": c.written, "verdict": "unverified", "draft": c.stated,
               "data": None, "shown": None, "figure": None, "start": c.start, "end": c.end}
        if t is not None:
            ok, shown = judge(c, t, doc)
            row.update(verdict="verified" if ok else "contradicted", data=t.value,
                       shown=shown, figure=t.path)
        rows.append(row)
    return rows


def check(bench, text: str, model: str | None = None) -> pl.DataFrame:
    """The draft's claims as a polars frame (one row per claim): line, section, text,
    claim, verdict, draft, data, figure."""
    rows = claims_of(bench, text, model)["claims"]
    return pl.DataFrame([{**{k: r[k] for k in COLUMNS}, "data": r["shown"]} for r in rows],
                        schema=COLUMNS)


class _CallableModule(types.ModuleType):
    """``sabkit.check(bench, text, model)`` calls ``check``: once imported, this package is
    the attribute ``sabkit.check``, so the package itself answers the call."""

    def __call__(self, bench, text: str, model: str | None = None) -> pl.DataFrame:
        return check(bench, text, model)


sys.modules[__name__].__class__ = _CallableModule
