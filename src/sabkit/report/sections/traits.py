"""Strong and weak traits: the lists ``sabkit.report.traits`` decides, one item a line. An
empty list gets a sentence of its own, never the rules' internals."""

from __future__ import annotations

from sabkit.report import traits
from sabkit.report.grammar import capitalize
from sabkit.report.markup import b, h2, p, ul
from sabkit.report.sections import TRAITS


def _items(label: str, items: list[str]) -> str:
    if not items:
        return p(b(label), "Nothing stands out against the board.")
    return p(b(label)) + ul([capitalize(i) + "." for i in items])


def render(r) -> str:
    return (h2(TRAITS) + _items("Strong:", traits.strengths(r.facts))
            + _items("Weak:", traits.weaknesses(r.facts)))
