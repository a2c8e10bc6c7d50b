"""Compare a claim with the data's value at the precision the draft states.

``≈10%`` holds for values that round to 10%, and ``≈`` allows the next unit of rounding
(9-11%); ``0.82`` holds for 0.815-0.825; a range such as ``≈80–85%`` holds when the value lies
in it, and a range over intents or runs (``0.78–1.00``) when its ends are the data's lowest
and highest values at that precision (with ``≈``, when the data lies inside it); counts and
ranks compare exactly; a fraction (``16 of 18``) compares both of its numbers.
"""

from __future__ import annotations

from sabkit.check.claims import Claim
from sabkit.facts.figures import FIGURES, lookup

_EPS = 1e-9


def _numbers(value) -> list[float] | None:
    """The data's value as numbers: a list (per run, a name list counts), a span's ends."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return [float(value)]
    if isinstance(value, dict) and "value" in value:
        return None if value["value"] is None else [float(value["value"])]
    if isinstance(value, list):
        if all(isinstance(v, str) for v in value):
            return [float(len(value))]
        nums = [float(v) for v in value if isinstance(v, (int, float))]
        return nums or None
    return None


def _span(value) -> tuple[float, float] | None:
    if isinstance(value, dict) and value.get("min") is not None:
        return float(value["min"]), float(value["max"])
    nums = _numbers(value)
    return (min(nums), max(nums)) if nums else None


def _scale(claim: Claim, unit: str) -> tuple[float, int]:
    """How the claim's numbers map to the data's: percentages are compared in percent, a
    judge score written on 0-1 ("avg 0.886") in points."""
    if claim.percent:
        return 100.0, claim.decimals
    if unit == "points" and claim.kind == "dec" and 0 <= claim.value <= 1 and \
            claim.decimals >= 3:
        return 1.0 / 100, claim.decimals
    return 1.0, claim.decimals


def holds(value: float, written: float, decimals: int, approx: bool) -> bool:
    """``0.82`` holds for 0.815-0.825, both ends included: a value on the edge (0.705) is
    written either way by one rounding rule or another; ``≈0.82`` for 0.81-0.83."""
    unit = 10 ** -decimals
    return abs(value - written) <= (unit if approx else unit / 2) + _EPS


def judge(claim: Claim, tie, doc: dict) -> tuple[bool, str]:
    """(holds, the data's value as the draft would write it) for a claim and its ``Tie``."""
    f = FIGURES[tie.figure]
    path, value = tie.path, tie.value
    if tie.unit == "tier":
        return claim.value == value, str(value)
    if claim.kind == "rank":
        of_path = path.rsplit(".", 1)[0] + ".of"
        of = lookup(doc, of_path)
        ok = value == claim.value and (claim.of is None or of == claim.of)
        return ok, f"rank {value} of {of}"
    scale, places = _scale(claim, tie.unit)
    shown_unit = "%" if claim.percent else ""

    def show(x: float) -> str:
        x = x * scale
        return f"{x:.{places}f}{shown_unit}"

    if claim.kind == "range":
        span = _span(value)
        if span is None:
            return False, "no value"
        lo, hi = claim.value * scale, claim.high * scale
        a, b = span[0] * scale, span[1] * scale
        if a == b or not isinstance(value, (list, dict)):  # one value: inside the range?
            ok = lo - (10 ** -places if claim.approx else 0) - _EPS <= round(a, places) <= \
                hi + (10 ** -places if claim.approx else 0) + _EPS
            shown = show(span[0])
        elif claim.approx:
            u = 10 ** -places
            ok = lo - u - _EPS <= a and b <= hi + u + _EPS
            shown = f"{show(span[0])}–{show(span[1])}"
        else:
            ok = holds(a, lo, places, False) and holds(b, hi, places, False)
            shown = f"{show(span[0])}–{show(span[1])}"
        if claim.of is not None and f.of:
            ok = ok and tie.of == claim.of
            shown += f" of {tie.of}"
        return ok, shown
    nums = _numbers(value)
    if nums is None:
        return False, "no value"
    written = claim.value * (100 if claim.percent else 1)
    if tie.unit == "count" and claim.kind in ("count", "frac"):
        ok = all(abs(n - claim.value) < (1 if claim.approx else _EPS) for n in nums)
        shown = ", ".join(f"{n:g}" for n in nums)
    else:
        ok = all(holds(n * scale, written, places, claim.approx) for n in nums)
        shown = ", ".join(show(n) for n in nums)
    if claim.kind == "frac" and claim.of is not None and f.of:
        of = tie.of
        ok = ok and of is not None and abs(float(of) - claim.of) < _EPS
        shown += f" of {of:g}" if isinstance(of, (int, float)) else ""
    return ok, shown
