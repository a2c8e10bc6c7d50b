"""`sabkit validate PATH` and `sabkit contract`: check a benchmark folder, print the contract."""

from __future__ import annotations

import time

from sabkit import contract
from sabkit.io import benchmark


def register(sub) -> None:
    p = sub.add_parser("validate", help="check a benchmark folder against the data contract")
    p.add_argument("path", nargs="?", default=str(benchmark.DEFAULT_DATA),
                   help="benchmark folder (default: the sample in data/sample)")
    p.set_defaults(handler=_validate)
    p = sub.add_parser("contract", help="print the data contract as Markdown")
    p.set_defaults(handler=lambda args: print(contract.markdown()))


def _validate(args) -> int:
    started = time.perf_counter()
    with benchmark.open(args.path, recheck=True) as b:
        print(b.summary())
    print(f"  checked in {time.perf_counter() - started:.2f} s")
    return 0
