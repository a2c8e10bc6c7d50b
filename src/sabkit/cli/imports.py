"""`sabkit import [tau-bench|tau2] FILE... --out DIR`: transcripts to a benchmark folder.

The format word is optional: each file's format is recognised from its content, and the
word only insists on it (so both `sabkit import tau-bench FILE` and `sabkit import FILE`
work). The summary says what became of every file and every skipped record.
"""

from __future__ import annotations

from pathlib import Path



def register(sub) -> None:
    p = sub.add_parser(
        "import", help="import tau-bench / tau2-bench transcripts as a benchmark folder",
        description="Import tau-bench or tau2-bench result files into a benchmark folder "
                    "that satisfies the data contract. See docs/importing.md.")
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="JSON result files, optionally preceded by their format "
                        "(tau-bench or tau2)")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="benchmark folder to write (created; its tables are replaced)")
    p.add_argument("--model", help="agent name for tau-bench files (default: from the "
                                   "file name, e.g. gpt-4o-airline.json -> gpt-4o)")
    p.set_defaults(handler=_import, parser=p)


def _import(args) -> int:
    from sabkit import importers

    files, fmt = list(args.files), None
    if files[0] in importers.FORMATS and not Path(files[0]).exists():
        fmt = files.pop(0)
        if not files:
            args.parser.error(f"no files to import after the format '{fmt}'")
    imported = importers.import_files(files, args.out, fmt=fmt, model=args.model,
                                      progress=True)
    print(imported.summary())
    print(f"wrote {args.out}: valid (sabkit validate {args.out})")
    return 0
