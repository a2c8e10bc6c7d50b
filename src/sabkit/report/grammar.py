"""The report's English: numbers, counts, lists and sentences as the reference reports write them.

Every sentence of the report is built from these helpers, so a rule of English (an
ordinal's suffix, "1 run" against "2 runs", "a, b and c", a capital at the start of a
sentence) is written once and tested on its own (tests/test_grammar.py), instead of being
re-typed in each section where one copy goes wrong ("23th").

Formatting of figures: rates as percentages ("44%", "≈10%" for a headline that is a median,
"0.6%" below one percent, ">99%" rather than a rounded-up "100%"), judge 0-1 figures with
two decimals ("0.82"), score points with one decimal ("82.1"), minus signs as "−".
"""

from __future__ import annotations

NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                "ten")
ORDINAL_WORDS = ("", "first", "second", "third", "fourth", "fifth", "sixth", "seventh",
                 "eighth", "ninth", "tenth")
MINUS = "\u2212"


# --- numbers ---------------------------------------------------------------------------

def pct(x: float | None) -> str:
    """0.444 -> "44%"; 0.0062 -> "0.6%"; 0.996 -> ">99%" (never rounds up to a perfect
    score); 0.004 stays "0.4%", never "0%", which would claim none."""
    if x is None:
        return "n/a"
    if 0 < x < 0.01:
        return f"{100 * x:.1f}%"
    if 0.99 < x < 1:
        return ">99%"
    return f"{100 * x:.0f}%"


def approx_pct(x: float | None) -> str:
    """A headline rate that is a median: "≈10%", but exact "0%" and "100%"."""
    return pct(x) if x in (0, 1, None) else "≈" + pct(x)


def dec(x: float | None) -> str:
    """A judge 0-1 figure: "0.82", "1.00"."""
    return "n/a" if x is None else f"{x:.2f}"


def approx_dec(x: float | None) -> str:
    return dec(x) if x in (0, 1, None) else "≈" + dec(x)


def points(x: float | None) -> str:
    """A 0-100 judge score: "82.1"."""
    return "n/a" if x is None else f"{x:.1f}"


def signed(x: float | None, digits: int = 1) -> str:
    """"+0.4", "−2.6"; zero as "0.0" (a sign on zero reads as a direction)."""
    if x is None:
        return "n/a"
    if round(x, digits) == 0:
        return f"{0:.{digits}f}"
    return f"{x:+.{digits}f}".replace("-", MINUS)


def interval(ci, fmt=points) -> str:
    """"[−2.6, 1.8]"."""
    if not ci or ci[0] is None:
        return "n/a"
    return "[" + ", ".join(fmt(v).replace("-", MINUS) for v in ci) + "]"


def count(x: float | None) -> str:
    """A median count: "2", "1.5"."""
    return "n/a" if x is None else f"{x:g}"


def dollars(x: float) -> str:
    """"$12.40", "$0.031"."""
    return f"${x:,.2f}" if x >= 1 else f"${x:.3g}"


def word(n: int) -> str:
    """Small counts as words ("three runs"), larger ones as digits ("24 cases")."""
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)


def ordinal(n: int) -> str:
    """1 -> "1st", 2 -> "2nd", 11 -> "11th", 21 -> "21st", 111 -> "111th"."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def ordinal_word(n: int) -> str:
    """"second", "third" ... "tenth", then "11th": for "the third-widest"."""
    return ORDINAL_WORDS[n] if 0 < n < len(ORDINAL_WORDS) else ordinal(n)


def rank_of(rank: int | None, of: int | None) -> str:
    """"12th of 24"; "unranked" without a rank."""
    return f"{ordinal(rank)} of {of}" if rank and of else "unranked"


# --- counted nouns -------------------------------------------------------------------------

def plural(n: float, one: str, many: str | None = None) -> str:
    """The noun for a count: 1 -> "run", anything else (0, 2, 1.5) -> "runs"."""
    return one if n == 1 else (many or one + "s")


def counted(n: int, one: str, many: str | None = None, words: bool = True) -> str:
    """"one run", "three runs", "24 cases", "no traps" (``words=False``: "1 run")."""
    return f"{word(n) if words else n} {plural(n, one, many)}"


def runs_phrase(k: int, n: int) -> str:
    """Where something happened, k of n runs: "in all three runs", "in both runs", "in one
    run of three", "in neither run", "in none of its three runs", "in its one run"."""
    if n == 1:
        return "in its one run" if k else "in none of its runs"
    if k == n:
        return "in both runs" if n == 2 else f"in all {word(n)} runs"
    if k == 0:
        return "in neither run" if n == 2 else f"in none of its {word(n)} runs"
    return f"in {word(k)} {plural(k, 'run')} of {word(n)}"


# --- lists and sentences -------------------------------------------------------------------

def join(items, last: str = "and") -> str:
    """"a", "a and b", "a, b and c"; "" for no item."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def join_clauses(items) -> str:
    """Clauses of one sentence: "a, b and c", but "a; b; and c" when a clause holds a comma
    of its own, so "hands 19, 18 and 18 of the 24 cases" does not run into the next."""
    items = [i for i in items if i]
    if len(items) <= 1 or not any(", " in i for i in items):
        return join(items)
    return "; ".join(items[:-1]) + "; and " + items[-1]


def capitalize(text: str) -> str:
    """Sentence case: the first letter upper-cased, the rest left as is ("two traps" ->
    "Two traps", "≈10% …" unchanged). Never applied to a sentence that starts with a name
    (a model, intent or trap): those are written so that a word of the report comes first."""
    return text[:1].upper() + text[1:] if text else text
