"""Strong and weak traits: the lists ``sabkit.report.traits`` decides, as two lines. An
empty list gets a sentence of its own, never the rules' internals."""

from __future__ import annotations

from sabkit.report import traits
from sabkit.report.grammar import capitalize
from sabkit.report.markup import b, h2, p
from sabkit.report.sections import TRAITS


def render(r) -> str:
    strong, weak = traits.strengths(r.facts), traits.weaknesses(r.facts)
    return (h2(TRAITS)
            + p(b("Strong:"), capitalize("; ".join(strong)) + "." if strong else
                "Nothing stands out against the board.")
            + p(b("Weak:"), capitalize("; ".join(weak)) + "." if weak else
                "Nothing stands out against the board."))
