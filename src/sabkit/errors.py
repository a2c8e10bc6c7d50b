"""The exceptions sabkit raises on purpose.

Every error a user can cause (bad data, an unknown model, a failing report) is a
``SabkitError`` whose message says what is wrong, where, and how to fix it. The CLI prints
that message and exits non-zero; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


class SabkitError(Exception):
    """An error the user can act on; its message is meant to be read, not debugged."""

    exit_code = 1


@dataclass(frozen=True)
class Problem:
    """One contract violation: where it is and what to do about it."""

    table: str
    message: str
    fix: str = ""

    def __str__(self) -> str:
        text = f"{self.table}: {self.message}"
        return f"{text} ({self.fix})" if self.fix else text


class ContractError(SabkitError):
    """The data does not satisfy the contract; ``problems`` lists every violation found."""

    def __init__(self, path: str, problems: list[Problem]):
        self.path = path
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{path} does not satisfy the sabkit data contract "
                         f"({len(problems)} problem{'s' if len(problems) != 1 else ''}):\n{lines}")


class UnknownModel(SabkitError):
    """A model name that is not in the benchmark, with the nearest names as suggestions."""

    exit_code = 2

    def __init__(self, name: str, known: list[str], suggestions: list[str]):
        self.name = name
        self.known = known
        self.suggestions = suggestions
        hint = f"; did you mean '{suggestions[0]}'?" if suggestions else ""
        super().__init__(f"unknown model '{name}'{hint}\nmodels in this benchmark: "
                         + ", ".join(known))
