"""The `sabkit` command line: ``main`` parses, each sibling module is one command."""

from sabkit.cli.main import main

__all__ = ["main"]
