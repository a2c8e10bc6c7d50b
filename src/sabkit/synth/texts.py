"""The wording of the synthetic conversations, read from the TOML files in ``synth/data/``.

Scripts and phrase banks are data, not code: a writer changes what a customer or an agent
says without reading Python, and a script's fields have names instead of positions in a
tuple. The files ship inside the package (pyproject's package-data).
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources


@functools.cache
def load(name: str) -> dict:
    """``synth/data/<name>.toml``, read once, with every list as a tuple: the banks are shared
    by every conversation, and a tuple cannot be shuffled in place by mistake."""
    with resources.files("sabkit.synth").joinpath("data", f"{name}.toml").open("rb") as f:
        return _frozen(tomllib.load(f))


def _frozen(value):
    if isinstance(value, dict):
        return {k: _frozen(v) for k, v in value.items()}
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value
