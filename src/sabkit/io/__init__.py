"""Open a benchmark: the contract's tables as DuckDB views over Parquet, local or at a URL.

``benchmark`` opens and serves queries, ``checks`` holds the contract checks it runs,
``sql`` is the one way SQL text is composed, ``cache`` keeps what is derived from files
between runs, ``partition`` writes the hive layout for benchmarks that outgrow one file.
"""
