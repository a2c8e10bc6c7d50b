"""sabkit: analysis toolkit for SupportAgentBench.

    import sabkit
    b = sabkit.open()              # the sample benchmark in data/sample
    b.sql("SELECT * FROM runs")    # a polars frame
"""

from sabkit.io.benchmark import DEFAULT_DATA, Benchmark, open  # noqa: A004
from sabkit.errors import ContractError, SabkitError, UnknownModel

# The package sabkit.check is shadowed by its entry point: sabkit.check(bench, text, model).
from sabkit.check import check  # noqa: E402

__all__ = ["open", "Benchmark", "DEFAULT_DATA", "ContractError", "SabkitError", "UnknownModel",
           "check"]
