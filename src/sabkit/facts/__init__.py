"""One model's figures as a JSON-able document (``document``), and the figure registry
(``figures``): each headline figure's name, path, format, label and better direction,
declared once for everything that shows or checks it."""

from sabkit.facts import figures
from sabkit.facts.document import NEAREST, POOLED, SCHEMA, Facts, all_facts, facts
from sabkit.facts.figures import RANKED

__all__ = ["facts", "all_facts", "Facts", "figures", "SCHEMA", "NEAREST", "RANKED", "POOLED"]
