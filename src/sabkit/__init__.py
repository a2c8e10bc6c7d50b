"""sabkit: analysis toolkit for SupportAgentBench.

    import sabkit
    b = sabkit.open()              # the sample benchmark in data/sample
    b.sql("SELECT * FROM runs")    # a polars frame
"""

from sabkit.io.benchmark import DEFAULT_DATA, Benchmark, open  # noqa: A004
from sabkit.errors import ContractError, SabkitError, UnknownModel


def __getattr__(name: str):
    """``sabkit.check(bench, text, model)``, imported on first use: the checker pulls in
    every metric, which `sabkit validate` and a plain ``import sabkit`` need not pay for.
    The package ``sabkit.check`` is itself callable (see its ``__init__``), since importing
    it makes it the attribute of that name."""
    if name == "check":
        import sabkit.check

        return sabkit.check
    raise AttributeError(f"module 'sabkit' has no attribute {name!r}")

__all__ = ["open", "Benchmark", "DEFAULT_DATA", "ContractError", "SabkitError", "UnknownModel",
           "check"]
