"""A benchmark in object storage: which reader reaches it, and its tables through that reader.

DuckDB reads ``s3://``, ``gs://``, ``https://`` ... through its httpfs extension, the first
choice wherever it loads (glob, hive pruning and the footer statistics work as on disk). It
is not a PyPI package: DuckDB downloads it from its own site, which a machine without
internet access cannot reach. For ``s3://`` (and any S3-compatible store) sabkit then reads
through pyarrow's ``S3FileSystem``, which comes with the pyarrow wheel sabkit depends on:
each table is a ``pyarrow.dataset`` registered on the benchmark's DuckDB connection, so
DuckDB pushes projections and filters into it and a filter on a hive partition column
(``model``) opens only that partition's files. (fsspec's s3fs registered on the connection
was measured too and read a one-model query 100 times slower: docs/scaling.md.)

The endpoint and credentials come from the standard AWS environment variables, as for any
AWS tool: ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY`` (or a profile, or an instance
role), ``AWS_REGION`` and, for a store other than AWS (MinIO, R2, a local server),
``AWS_ENDPOINT_URL`` such as ``http://127.0.0.1:9000``.
"""

from __future__ import annotations

import duckdb

from sabkit.errors import ContractError, Problem

HTTPFS = "DuckDB httpfs"
PYARROW = "pyarrow S3FileSystem"
DUCKDB = "DuckDB"  # file:// URLs: DuckDB's own file system, no extension needed
LAZY = ("messages", "tool_calls")  # the tables too large to hold in memory at scale


def choose(url: str, con: duckdb.DuckDBPyConnection) -> str:
    """The reader for a benchmark at ``url``: httpfs when its extension loads, else pyarrow
    for ``s3://``; a clear error for any other store without httpfs. Never downloads an
    extension (on a machine without internet access that would hang until a timeout)."""
    scheme = url.split("://", 1)[0].lower()
    if scheme == "file":
        return DUCKDB
    con.execute("SET autoinstall_known_extensions = false")
    try:
        con.execute("LOAD httpfs")
        return HTTPFS
    except duckdb.Error:
        pass
    if scheme in ("s3", "s3a"):
        return PYARROW
    raise ContractError(url, [Problem(
        "benchmark", f"cannot read {scheme}:// URLs: DuckDB's httpfs extension is not installed",
        "run `INSTALL httpfs` in DuckDB once (or copy the extension file, docs/scaling.md), "
        "or keep the benchmark in s3:// storage, which sabkit also reads through pyarrow")])


class ArrowStore:
    """The tables of a benchmark in S3, found and read through pyarrow."""

    def __init__(self, url: str):
        import pyarrow.fs as pafs

        self.url = url.rstrip("/")
        try:
            self.fs, self.base = pafs.FileSystem.from_uri(self.url.replace("s3a://", "s3://"))
            self.base = self.base.rstrip("/")
            found = self.fs.get_file_info(pafs.FileSelector(self.base, allow_not_found=True))
        except OSError as exc:
            raise ContractError(url, [Problem(
                "benchmark", f"cannot reach {url}: {str(exc).splitlines()[0]}",
                "check AWS_ENDPOINT_URL, AWS_REGION and the credentials "
                "(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY); docs/scaling.md")]) from None
        self.entries = {info.base_name: info for info in found}

    def register(self, con: duckdb.DuckDBPyConnection, table: str) -> tuple[str, bool] | None:
        """Register ``table`` on ``con`` as ``registered(table)`` (a pyarrow dataset);
        return the URL pattern of its files and whether they form a hive folder, or None
        when the benchmark lacks the table."""
        import pyarrow.dataset as ds
        import pyarrow.fs as pafs

        single, folder = self.entries.get(f"{table}.parquet"), self.entries.get(table)
        if single is not None and single.type == pafs.FileType.File:
            dataset, pattern = ds.dataset(single.path, filesystem=self.fs, format="parquet"), \
                f"{self.url}/{table}.parquet"
        elif folder is not None and folder.type == pafs.FileType.Directory:
            files = [f.path for f in self.fs.get_file_info(pafs.FileSelector(
                folder.path, recursive=True)) if f.path.endswith(".parquet")]
            if not files:
                return None
            dataset = ds.dataset(files, filesystem=self.fs, format="parquet",
                                 partitioning=_hive(files, folder.path),
                                 partition_base_dir=folder.path)
            pattern = f"{self.url}/{table}/**/*.parquet"
        else:
            return None
        # The large tables stay datasets, read (pruned, projected) by each query; the others
        # are read once into memory: a facts run queries them dozens of times, and each
        # read of a dataset is a round of requests to the store.
        con.register(registered(table), dataset if table in LAZY else dataset.to_table())
        return pattern, pattern.endswith("/**/*.parquet")


def registered(table: str) -> str:
    """The name a table's dataset is registered under on the connection."""
    return f"sab_s3_{table}"


def _hive(files: list[str], root: str):
    """Hive partitioning with every partition column a string (as DuckDB reads a folder
    with ``hive_types_autocast = false``): a model named ``2025`` stays text."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    keys = []
    for path in files:
        for part in path[len(root):].strip("/").split("/")[:-1]:
            key = part.split("=", 1)[0]
            if "=" in part and key not in keys:
                keys.append(key)
    return ds.partitioning(pa.schema([(k, pa.string()) for k in keys]), flavor="hive")
