"""`sabkit check DRAFT [--model M] [--data PATH] [--json] [--html OUT]`: fact-check a draft.

DRAFT is Markdown or a report HTML. Exit 1 when a claim is contradicted, 0 otherwise, 2 for
usage errors (no such file, an empty or binary draft, a malformed table, an unknown model).
"""

from __future__ import annotations

from pathlib import Path

from sabkit.errors import SabkitError
from sabkit.io import benchmark


class _Usage(SabkitError):
    exit_code = 2


def register(sub) -> None:
    p = sub.add_parser("check", help="fact-check a report or a hand-edited draft against the data",
                       description="Find every figure-bearing claim of DRAFT, tie it to a "
                       "figure of the facts document and say verified, contradicted or "
                       "unverified. Exit 1 when any claim is contradicted.")
    p.add_argument("draft", type=Path, help="a Markdown draft or a report HTML")
    p.add_argument("--model", help="the model the draft is about (default: the one its "
                   "title names)")
    p.add_argument("--data", default=str(benchmark.DEFAULT_DATA),
                   help="benchmark folder (default: the sample in data/sample)")
    p.add_argument("--json", action="store_true", help="print the claims as JSON")
    p.add_argument("--html", type=Path, metavar="OUT",
                   help="also write the draft with every figure marked to OUT")
    p.set_defaults(handler=_check)


def _check(args) -> int:
    from sabkit.check import claims_of, decode, output

    try:
        data = args.draft.read_bytes()
    except OSError as exc:
        raise _Usage(f"cannot read {args.draft}: {exc.strerror or exc} (give the path of a "
                     "Markdown or report HTML draft)") from None
    text = decode(data, str(args.draft))
    with benchmark.open(args.data) as b:
        result = claims_of(b, text, args.model, args.draft.name)
    if args.html:
        args.html.write_text(output.as_html(result, args.draft.name), encoding="utf-8")
    print(output.as_json(result) if args.json else output.as_text(result, str(args.draft)))
    return 1 if any(c["verdict"] == "contradicted" for c in result["claims"]) else 0
