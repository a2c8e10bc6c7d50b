"""`sabkit partition PATH --out DIR`: rewrite a benchmark in the hive layout by model."""

from __future__ import annotations

from sabkit.io.partition import partition_by_model


def register(sub) -> None:
    p = sub.add_parser("partition", help="rewrite a benchmark in a hive layout by model")
    p.add_argument("path", help="benchmark folder to read")
    p.add_argument("--out", required=True, help="new folder for the partitioned copy")
    p.set_defaults(handler=_partition)


def _partition(args) -> int:
    out = partition_by_model(args.path, args.out)
    print(f"wrote {out} (runs, scores, messages, tool_calls partitioned by model)")
    return 0
