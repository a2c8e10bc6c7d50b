"""The one way sabkit composes SQL: string literals, identifiers, the read_parquet()
expression over a table's files, and placeholders filled by name.

Values go in as bound parameters wherever DuckDB takes them (``$name`` with ``params=``);
what cannot be bound (a file list inside a view's definition, a table or column name, a
subquery put in place of a table) goes through the helpers here, so quoting happens in one
place and a quote in a path or a model's name can never end a literal early.

A placeholder is ``{name}`` in a query (``{conv}`` for the conversation table,
``{messages}`` for a unit of transcript files, ``{run_status}`` for the run-status query):
``fill`` puts SQL text there, ``placeholders`` lists which a query holds.
"""

from __future__ import annotations

import re

_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def fill(template: str, **parts: str) -> str:
    """``template`` with each ``{name}`` replaced by the SQL text ``parts[name]``.

    Only the names given are replaced, so a query may keep other placeholders for a later
    fill, and literal braces (a struct, a regex quantifier) anywhere; the text put in is
    not searched again, so a path holding ``{conv}`` stays as it is. A name the template
    lacks is an error, not a silent no-op.

    >>> fill("SELECT * FROM {conv} WHERE x = 1", conv="conversations")
    'SELECT * FROM conversations WHERE x = 1'
    """
    missing = [name for name in parts if name not in placeholders(template)]
    if missing:
        raise KeyError(f"the SQL has no placeholder {{{missing[0]}}}")
    return _PLACEHOLDER.sub(lambda m: parts.get(m.group(1), m.group(0)), template)


def placeholders(template: str) -> set[str]:
    """The names of the ``{name}`` placeholders in ``template``.

    >>> sorted(placeholders("SELECT * FROM {messages} JOIN {tool_calls} USING (run_id)"))
    ['messages', 'tool_calls']
    """
    return set(_PLACEHOLDER.findall(template))


def read_parquet(files: str | list[str], hive: bool) -> str:
    """The read_parquet() expression for a glob pattern or a list of files; a folder is read
    as a hive layout."""
    source = (string(files) if isinstance(files, str)
              else "[" + ", ".join(string(f) for f in files) + "]")
    return f"read_parquet({source}" + (
        ", hive_partitioning = true, hive_types_autocast = false, union_by_name = true)"
        if hive else ")")


def string(value) -> str:
    """A SQL string literal for ``value`` (quotes doubled): for the places DuckDB takes no
    bound parameter, such as a view's definition or a table function's file list."""
    return "'" + str(value).replace("'", "''") + "'"


def ident(name: str) -> str:
    """A quoted SQL identifier (a column or table name from the contract or the data)."""
    return '"' + name.replace('"', '""') + '"'
