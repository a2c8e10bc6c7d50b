"""One model's figures as a JSON-able document (``document``; ``stored`` keeps every model's
in the cache), and the figure registry (``figures``): each headline figure's name, path,
format, label and better direction, declared once for everything that shows or checks it."""

from sabkit.facts import figures
from sabkit.facts.document import NEAREST, POOLED, SCHEMA, Facts
from sabkit.facts.figures import RANKED
from sabkit.facts.stored import all_facts, all_facts_json, facts

__all__ = ["facts", "all_facts", "all_facts_json", "Facts", "figures", "SCHEMA", "NEAREST",
           "RANKED", "POOLED"]
