"""The examples in docstrings run: an example that no longer holds fails here."""

from __future__ import annotations

import doctest

import pytest

import sabkit.io.sql
import sabkit.untrusted


@pytest.mark.parametrize("module", [sabkit.io.sql, sabkit.untrusted], ids=lambda m: m.__name__)
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
