"""The `sabkit` command line: ``main`` parses, each sibling module is one command."""

from sabkit.cli.main import main, run

__all__ = ["main", "run"]
