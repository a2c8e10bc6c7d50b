"""`sabkit import [tau-bench|tau2|inspect] FILE... --out DIR`: transcripts to a benchmark
folder.

The format word is optional: each file's format is recognised from its content, and the
word only insists on it (so both `sabkit import tau-bench FILE` and `sabkit import FILE`
work). The summary says what became of every file and every skipped record. A failed
import leaves --out as it was.
"""

from __future__ import annotations

from pathlib import Path



def register(sub) -> None:
    p = sub.add_parser(
        "import", help="import tau-bench / tau2-bench transcripts or Inspect AI logs as a "
                       "benchmark folder",
        description="Import tau-bench or tau2-bench result files, or Inspect AI eval logs, "
                    "into a benchmark folder that satisfies the data contract. See "
                    "docs/importing.md.")
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="JSON result files, tau2 run folders or Inspect logs, optionally "
                        "preceded by their format (tau-bench, tau2 or inspect)")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="benchmark folder to write (created; its tables are replaced)")
    p.add_argument("--model", help="agent name for tau-bench files (default: from the "
                                   "file name, e.g. gpt-4o-airline.json -> gpt-4o)")
    p.add_argument("--handover-tool", metavar="NAME",
                   help="Inspect logs: the tool that hands the conversation to a human "
                        "(default: any tool whose name matches "
                        "transfer_to_human|escalat|hand_?off|handover)")
    p.set_defaults(handler=_import, parser=p)


def _import(args) -> int:
    from sabkit import importers

    files, fmt = list(args.files), None
    if files[0] in importers.FORMATS and not Path(files[0]).exists():
        fmt = files.pop(0)
        if not files:
            args.parser.error(f"no files to import after the format '{fmt}'")
    imported = importers.import_files(files, args.out, fmt=fmt, model=args.model,
                                      handover_tool=args.handover_tool, progress=True)
    print(imported.summary())
    print(f"wrote {args.out}: valid (sabkit validate {args.out})")
    return 0
