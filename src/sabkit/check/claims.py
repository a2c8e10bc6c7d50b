"""Figure-bearing claims in a sentence or a table cell, as the draft writes them.

A claim is one figure: a percentage (``≈10%``), a decimal (``0.82``, ``87.2``), a range
(``≈80–85%``, ``0.90–1.00``), a fraction or count (``24/24``, ``16 of 18``, ``6 of the 7``,
``one run of three``, ``7 forbidden actions``, ``N=3``), a rank (``rank 6 of 24``,
``second-widest``, ``the fewest of all 24``), a correlation (``r ≈ −0.6``) or a cost tier
(``$$$``). Each keeps the precision it is written at, which is what it is compared at.
Numbers inside model names (``gpt-5.4``) and inside quoted text are not claims.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
         "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
            "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10}

# Nouns a bare count must stand before to be a figure ("7 forbidden actions", "three runs"),
# so that "one clarifying question" or "up to 8 turns" of prose are not taken for claims.
NOUNS = ("runs", "run", "tickets", "traps", "trap", "models", "model", "cases", "case", "actions",
         "action", "tiers", "tier", "conversations", "messages", "calls", "intents")

_W = "|".join(WORDS)
_NUM = rf"(?:\d+(?:\.\d+)?|{_W})"
def _approx(kind: str) -> str:
    return rf"(?P<{kind}_approx>≈|~|about |roughly |around |nearly |near-uniform )?"



_DASH = r"\s*[–-]\s*"
_PATTERN = re.compile("|".join([
    r"(?P<r>\br\s*(?:≈|=|~)?\s*(?P<r_v>[−-]?\d*\.\d+))",
    r"(?P<n>\b(?-i:N)\s*=\s*(?P<n_v>\d+))",
    r"(?P<rank>\b(?:ranks?\s+(?P<rank_v>\d+)|(?P<rank_th>\d+)(?:st|nd|rd|th))\s+of\s+"
    r"(?P<rank_of>\d+))",
    rf"(?P<ord>\b(?P<ord_v>{'|'.join(ORDINALS)})[- ](?P<ord_w>widest|narrowest|highest|"
    r"lowest|best|worst|most|fewest|largest|smallest)\b)",
    r"(?P<sup>\bthe\s+(?P<sup_w>fewest|most|highest|lowest|widest|best|worst)\s+of\s+"
    r"(?:all\s+)?(?P<sup_of>\d+))",
    rf"(?P<range>{_approx('range')}(?P<range_lo>\d+(?:\.\d+)?)(?P<range_pct1>%)?{_DASH}"
    r"(?P<range_hi>\d+(?:\.\d+)?)(?P<range_pct>%)?(?:\s+of\s+(?P<range_of>\d+))?)",
    rf"(?P<frac>(?<!every )(?<!each ){_approx('frac')}(?P<frac_a>{_NUM})\s*(?:/|\s(?:runs?\s+)?of\s+(?:the\s+|all\s+|its\s+)?)"
    rf"\s*(?P<frac_b>\d+|{_W})\b(?!\.\d|%))",
    rf"(?P<pct>{_approx('pct')}(?P<pct_v>\d+(?:\.\d+)?)%)",
    r"(?P<tier>(?<![\w$])\${1,4}(?![\w$]))",
    rf"(?P<dec>{_approx('dec')}(?P<dec_v>[−+]?\d+\.\d+))",
    rf"(?P<count>(?P<count_v>\b\d+|\b(?:{_W}))\s+(?:[\w-]+\s+)?(?P<count_noun>"
    rf"{'|'.join(NOUNS)})\b)",
]), re.I)


@dataclass(frozen=True)
class Claim:
    start: int
    end: int
    written: str
    kind: str  # pct, dec, range, frac, count, n, rank, r, tier
    value: float | str | None  # the figure (a fraction for percentages), or the low end
    high: float | None = None  # a range's high end
    of: float | None = None  # the denominator of a fraction or rank ("of 18", "of all 24")
    decimals: int = 0  # places the value is written to (in its own unit: 0.6% -> 3)
    approx: bool = False
    noun: str = ""  # the noun a count stands before; the superlative of a rank

    @property
    def percent(self) -> bool:
        return self.kind == "pct" or (self.kind == "range" and "%" in self.written)

    @property
    def stated(self):
        """What the draft states, as the facts document would hold it: a fraction for a
        percentage, [low, high] for a range, [count, out of] for a fraction, [rank, of]."""
        whole = self.kind in ("count", "n", "frac", "rank")

        def num(x):
            return int(x) if whole and float(x).is_integer() else x

        if self.kind == "range":
            return [self.value, self.high]
        if self.kind in ("frac", "rank") and self.of is not None:
            return [num(self.value), num(self.of)]
        return self.value if self.kind == "tier" else num(self.value)


def _number(text: str) -> float:
    text = text.replace("−", "-")
    return float(WORDS.get(text.lower(), text) if text.lower() in WORDS else text)


def _places(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def find(text: str, masked: str, excluded: list[tuple[int, int]]) -> list[Claim]:
    """The claims of ``text``, read from ``masked`` (the same text with model names blanked,
    so "gpt-5.4" holds no number); a claim inside an ``excluded`` span is not one."""
    out = []
    for m in _PATTERN.finditer(masked):
        start, end = m.start(), m.end()
        while end > start and masked[end - 1] == " ":
            end -= 1
        if any(a <= start < b for a, b in excluded):
            continue
        if start and masked[start - 1] in "#@" or masked[end:end + 1] in ("@", "-"):
            continue  # an order number (#1133) or part of a name
        claim = _claim(m, text[start:end], start, end)
        if claim is not None:
            out.append(claim)
    return out


def _claim(m: re.Match, written: str, start: int, end: int) -> Claim | None:
    g = m.groupdict()
    approx = any(v for k, v in g.items() if k.endswith("_approx"))
    base = dict(start=start, end=end, written=written, approx=approx)
    if g["r"]:
        return Claim(**base, kind="r", value=_number(g["r_v"]), decimals=_places(g["r_v"]))
    if g["n"]:
        return Claim(**base, kind="n", value=float(g["n_v"]), noun="runs")
    if g["rank"]:
        return Claim(**base, kind="rank", value=float(g["rank_v"] or g["rank_th"]),
                     of=float(g["rank_of"]))
    if g["ord"]:
        return Claim(**base, kind="rank", value=float(ORDINALS[g["ord_v"].lower()]),
                     noun=g["ord_w"].lower())
    if g["sup"]:
        return Claim(**base, kind="rank", value=1.0, of=float(g["sup_of"]),
                     noun=g["sup_w"].lower())
    if g["range"]:
        pct = bool(g["range_pct"])
        lo, hi = float(g["range_lo"]), float(g["range_hi"])
        scale = 100 if pct else 1
        of = float(g["range_of"]) if g["range_of"] else None
        return Claim(**base, kind="range", value=lo / scale, high=hi / scale, of=of,
                     decimals=max(_places(g["range_lo"]), _places(g["range_hi"])))
    if g["frac"]:
        return Claim(**base, kind="frac", value=_number(g["frac_a"]), of=_number(g["frac_b"]),
                     noun="run" if re.search(r"\brun", written, re.I) else "")
    if g["pct"]:
        return Claim(**base, kind="pct", value=float(g["pct_v"]) / 100,
                     decimals=_places(g["pct_v"]))
    if g["tier"]:
        return Claim(**base, kind="tier", value=written)
    if g["dec"]:
        return Claim(**base, kind="dec", value=_number(g["dec_v"]),
                     decimals=_places(g["dec_v"]))
    if g["count"]:
        return Claim(**base, kind="count", value=_number(g["count_v"]),
                     noun=g["count_noun"].lower())
    return None
