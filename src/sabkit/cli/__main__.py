"""`python -m sabkit.cli`: the same as the `sabkit` command."""

from sabkit.cli.main import run

run()
