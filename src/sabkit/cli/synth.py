"""`sabkit synth`: write the sample benchmark (or a K-times larger one for performance work)."""

from __future__ import annotations

from pathlib import Path

from sabkit.cli.main import at_least_one
from sabkit.io.benchmark import DEFAULT_DATA


def register(sub) -> None:
    p = sub.add_parser(
        "synth", help="generate the sample benchmark from the model profiles",
        description="Generate the Northline sample benchmark from src/sabkit/synth/profiles/*.toml. "
                    "The same seed gives byte-identical Parquet files.")
    p.add_argument("--out", default=str(DEFAULT_DATA),
                   help="folder to write (default: data/sample)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--scale", type=at_least_one, default=1, metavar="K",
                   help="write a benchmark K times the sample (K copies of every model, "
                        "tiled with DuckDB), for performance work")
    p.set_defaults(handler=_synth)


def _synth(args) -> int:
    if args.scale == 1:
        from sabkit.synth.generate import generate
        generate(Path(args.out), args.seed)
    else:
        from sabkit.synth.scale import scale
        scale(Path(args.out), args.scale, args.seed)
    return 0
