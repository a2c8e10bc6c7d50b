"""sabkit: analysis toolkit for SupportAgentBench.

    import sabkit
    b = sabkit.open()              # the sample benchmark in data/sample
    b.sql("SELECT * FROM runs")    # a polars frame
"""

from sabkit.io.benchmark import DEFAULT_DATA, Benchmark, open  # noqa: A004
from sabkit.errors import ContractError, SabkitError, UnknownModel


def check(bench, text: str, model: str | None = None):
    """The figure-bearing claims of a draft (Markdown or report HTML) as a polars frame, each
    verified, contradicted or unverified against the facts (see ``sabkit.check``)."""
    from sabkit.check import check as run

    return run(bench, text, model)


__all__ = ["open", "Benchmark", "DEFAULT_DATA", "ContractError", "SabkitError", "UnknownModel",
           "check"]
