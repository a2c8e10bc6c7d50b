"""The `sabkit` command line: one subcommand per concern, errors as sentences.

Each subcommand is one module of this package: the module ``COMMANDS`` names exposes
``register(subparsers)``, which adds its parser and sets ``handler``. Heavy imports
(papermill, altair) happen inside the handlers, so `sabkit validate` stays fast.
A ``SabkitError`` is printed as its message with the error's exit code; no traceback
reaches the user for a mistake they can fix. Exit codes: 0 done, 1 failed (bad data, a
report that did not complete), 2 a usage error (argparse's own, a missing or contradictory
argument, an unknown model), 130 interrupted. Everything printed passes through
``sabkit.cli.terminal``: no control character from the data reaches the terminal.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import os
import sys
from typing import NoReturn

from sabkit.cli.terminal import cleaned
from sabkit.errors import SabkitError

# The module of each command: running one command imports only its module (the synth and
# import commands pull in pyarrow and the generator, imports that `sabkit validate` and
# `sabkit facts` need not pay for; bench/RESULTS.md). `sabkit --help`, or a word that is no
# command, imports them all.
COMMANDS = {"validate": "sabkit.cli.validate", "contract": "sabkit.cli.validate",
            "partition": "sabkit.cli.partition", "synth": "sabkit.cli.synth",
            "facts": "sabkit.cli.facts", "report": "sabkit.cli.report",
            "check": "sabkit.cli.check",
            "import": "sabkit.cli.imports"}


def at_least_one(text: str) -> int:
    """An argparse type for counts (--jobs, --scale): an integer of 1 or more, else a usage
    error (exit 2) that says so."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def version() -> str:
    try:
        return importlib.metadata.version("sabkit")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree, not installed
        return "unknown (not installed)"


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sabkit", description="SupportAgentBench analysis: validate, facts, reports.")
    parser.add_argument("--version", action="version", version=f"sabkit {version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    words = sys.argv[1:] if argv is None else argv
    command = next((w for w in words if not w.startswith("-")), None)
    modules = [COMMANDS[command]] if command in COMMANDS else dict.fromkeys(COMMANDS.values())
    for name in modules:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    with cleaned():
        return _run(argv)


def run() -> NoReturn:
    """The `sabkit` command itself (and `python -m sabkit.cli`): ``main``, then the process
    ends at once. By then the command has closed its benchmark, files and kernels and its
    output is flushed here; tearing the interpreter down after it (every module of DuckDB,
    polars, numpy, scipy, and a board's objects) only added a tenth of a second to each
    command (bench/RESULTS.md). An exception still ends the process the usual way, and
    ``main`` returns to callers in Python, the tests among them."""
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader went away (`sabkit facts --all | head`)
        pass
    os._exit(code)


def _run(argv: list[str] | None) -> int:
    args = build_parser(argv).parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except SabkitError as exc:
        print(f"sabkit {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    run()
