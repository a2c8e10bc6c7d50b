"""Shared fixtures: the sample benchmark opened once, the tiny hand-counted benchmark written
once, and a private cache for the session.

Every test session gets its own empty sabkit cache (sabkit.io.cache), so no test reads an
entry another run left, and none writes into the user's ~/.cache. Set in the environment,
it reaches the papermill kernels and CLI processes the tests start too.

The builders these fixtures call (and that tests call with their own arguments) live in
the ``builders`` package beside this file: they are not tests, and a test module imports
them from there, never from another test module.
"""

import os
import shutil
import tempfile

import pytest

import sabkit
from builders import tiny

_CACHE = tempfile.mkdtemp(prefix="sabkit-test-cache-")


def pytest_configure(config):
    os.environ["SABKIT_CACHE"] = _CACHE


def pytest_unconfigure(config):
    shutil.rmtree(_CACHE, ignore_errors=True)


@pytest.fixture(scope="session")
def sample():
    """The sample benchmark (data/sample), opened and checked once for the session: tests
    only read it. A test that needs a fresh open, or a copy to damage, makes its own."""
    if not (sabkit.DEFAULT_DATA / "models.parquet").exists():
        pytest.skip(f"no sample benchmark at {sabkit.DEFAULT_DATA} (sabkit synth writes it)")
    with sabkit.open(sabkit.DEFAULT_DATA) as bench:
        yield bench


@pytest.fixture(scope="session")
def tiny_path(tmp_path_factory):
    """The folder of the tiny hand-counted benchmark (builders/tiny.py); tests only read it."""
    return tiny.write(tmp_path_factory.mktemp("tiny") / "bench")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A cache folder of the test's own, empty at its start (SABKIT_CACHE points at it)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("SABKIT_CACHE", str(folder))
    return folder
