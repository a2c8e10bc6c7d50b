"""Every test session gets its own empty sabkit cache (sabkit.cache), so no test reads an
entry another run left, and none writes into the user's ~/.cache. Set in the environment,
it reaches the papermill kernels and CLI processes the tests start too."""

import os
import shutil
import tempfile

_CACHE = tempfile.mkdtemp(prefix="sabkit-test-cache-")


def pytest_configure(config):
    os.environ["SABKIT_CACHE"] = _CACHE


def pytest_unconfigure(config):
    shutil.rmtree(_CACHE, ignore_errors=True)
