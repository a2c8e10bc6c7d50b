"""The `sabkit` command line: one subcommand per concern, errors as sentences.

Each subcommand lives beside the code it drives: a module in ``COMMAND_MODULES`` exposes
``register(subparsers)``, which adds its parser and sets ``handler``. Heavy imports
(papermill, altair) happen inside the handlers, so `sabkit validate` stays fast.
A ``SabkitError`` is printed as its message with the error's exit code; no traceback
reaches the user for a mistake they can fix.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from sabkit.errors import SabkitError

COMMAND_MODULES = (
    "sabkit.validate_cli",
    "sabkit.partition",
    "sabkit.synth.cli",
    "sabkit.facts_cli",
    "sabkit.report_cli",
    "sabkit.importers.cli",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sabkit", description="SupportAgentBench analysis: validate, facts, reports.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # command not built yet in this checkout
                continue
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
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
    sys.exit(main())
